"""app.storage.atomic: a file appears whole and owner-only, or the old one stays."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.storage import atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_write_replaces_the_target_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "keys.json"
    target.write_bytes(b"old")
    target.chmod(0o644)
    atomic.write_bytes(target, b"new contents")
    assert target.read_bytes() == b"new contents" and _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"last month")
    with pytest.raises(RuntimeError), atomic.writing(target) as temporary:
        assert _mode(temporary) == 0o600  # private before the first byte
        temporary.write_bytes(b"half a")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"last month"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_failed_rename_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "folder-in-the-way"
    target.mkdir()
    (target / "something").write_text("x")
    with pytest.raises(OSError):
        atomic.write_bytes(target, b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder-in-the-way"]
