"""Backups: an encrypted, checked copy; a failed backup never replaces a good one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.storage import backup
from app.storage.store import Store, open_store
from tests.helpers import PASSPHRASE, add_enterprise, add_issue, dump, jiceng


def test_backup_cli_writes_a_copy_that_opens_with_the_same_passphrase(
    store: Store, tmp_path: Path
) -> None:
    add_issue(store, add_enterprise(store))
    target = tmp_path / "stick" / "备份.db"
    done = jiceng("backup", "--data-dir", str(store.data_dir), "--out", str(target))
    assert done.returncode == 0, done.stderr
    assert "完整性检查" in done.stdout
    assert b"SQLite format 3" not in target.read_bytes()[:16]  # still encrypted
    copy_dir = tmp_path / "restored"
    copy_dir.mkdir()
    (copy_dir / "jiceng.db").write_bytes(target.read_bytes())
    copy = open_store(copy_dir, PASSPHRASE)
    try:
        assert dump(copy) == dump(store)
    finally:
        copy.close()


def test_a_failed_backup_leaves_the_previous_one(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "backups"
    target = folder / "backup.db"
    backup.snapshot(store.engine, target)
    good = target.read_bytes()
    add_enterprise(store, "之后新增的企业")

    def fail(_conn: object, _copy: Path, _carried: dict[str, str]) -> None:
        raise backup.BackupError("the copy failed its integrity check: simulated")

    monkeypatch.setattr(backup, "_finish_copy", fail)
    with pytest.raises(backup.BackupError):
        backup.snapshot(store.engine, target)
    assert target.read_bytes() == good
    assert [p.name for p in folder.iterdir()] == ["backup.db"]  # no temporary left


def test_daily_backups_roll(store: Store, tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    folder = tmp_path / "daily"
    day = datetime(2026, 11, 1, 9, 0, 0)
    first = backup.rolling_backup(store.engine, folder, day, keep=2)
    assert first is not None and first.exists()
    assert backup.rolling_backup(store.engine, folder, day + timedelta(hours=5), keep=2) is None
    made = [
        backup.rolling_backup(store.engine, folder, day + timedelta(days=d), keep=2)
        for d in (1, 2, 3)
    ]
    assert all(p is not None for p in made)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [made[1].name, made[2].name]  # type: ignore[union-attr]
