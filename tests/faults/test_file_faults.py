"""Fail the Nth file operation (write, fsync, rename) of a bundle export, a backup, a key
write and a restore, for every N until the operation gets through (fault suite, item 2).

After each injected failure the target is the old complete file (or still absent), never
torn, and no temporary file is left; once no failure is injected the new file is complete.
Temporary files a killed process left behind are removed the next time the folder opens.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app import paths
from app.services import restore as restore_module
from app.storage import backup
from app.storage.store import open_store
from app.sync import bundle_format, keys
from app.sync.bundle import export_bundle, import_bundle
from app.sync.bundle_format import check_digest, open_bundle
from tests.helpers import PASSPHRASE, MakeNode, Node, add_enterprise, add_issue, dump, dump_of

MAX_N = 200


class Injected(OSError):
    pass


class _Writer:
    """A file object whose writes count as operations."""

    def __init__(self, inner: Any, hit: Callable[[str], None]) -> None:
        self._inner, self._hit = inner, hit

    def write(self, data: Any) -> int:
        self._hit("write")
        return int(self._inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)


@contextmanager
def fail_nth(monkeypatch: pytest.MonkeyPatch, n: int) -> Iterator[list[str]]:
    """Raise EIO at the nth write, fsync or rename; yields the operations seen."""
    seen: list[str] = []

    def hit(what: str) -> None:
        seen.append(what)
        if len(seen) == n:
            raise Injected(errno.EIO, f"injected failure of {what} #{n}")

    real_fsync, real_replace, real_fdopen = os.fsync, os.replace, os.fdopen

    def fsync(fd: int) -> None:
        hit("fsync")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        hit("rename")
        real_replace(src, dst)

    def fdopen(fd: int, *a: Any, **kw: Any) -> Any:
        return _Writer(real_fdopen(fd, *a, **kw), hit)

    def opener(file: Any, mode: str = "r", *a: Any, **kw: Any) -> Any:
        handle = open(file, mode, *a, **kw)  # noqa: SIM115 - the caller closes it
        return _Writer(handle, hit) if ("w" in mode or "a" in mode) else handle

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", fsync)
        m.setattr(os, "replace", replace)
        m.setattr(os, "fdopen", fdopen)
        m.setattr(bundle_format, "open", opener, raising=False)
        m.setattr(restore_module, "open", opener, raising=False)
        yield seen


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp-*"))


def sweep(
    monkeypatch: pytest.MonkeyPatch,
    target: Path,
    operation: Callable[[], Any],
    complete: Callable[[], bool],
) -> tuple[int, set[str]]:
    """Run ``operation`` failing at N = 1, 2, … until it succeeds; after every failure the
    target must be the old file, or (when only the final directory fsync failed) the new one,
    complete. Returns how many failures were injected and which kinds were hit."""
    old = target.read_bytes() if target.exists() else None
    kinds: set[str] = set()
    for n in range(1, MAX_N):
        with fail_nth(monkeypatch, n) as seen:
            try:
                operation()
            except Injected:
                kinds.add(seen[-1])
                now = target.read_bytes() if target.exists() else None
                if now != old:
                    assert complete(), f"failure at {seen[-1]} #{n} left a torn target"
                assert temporaries(target.parent) == [], f"temporary left after #{n}"
                continue
        assert target.exists() and target.read_bytes() != old
        return n - 1, kinds
    raise AssertionError(f"still failing after {MAX_N} operations")


@pytest.fixture
def pair(make_node: MakeNode) -> tuple[Node, Node]:
    cadre, office = make_node("张驻点"), make_node("鼓楼区总工会", role="district")
    cadre.trusts(office)
    office.trusts(cadre)
    return cadre, office


def test_bundle_export(
    pair: tuple[Node, Node], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cadre, office = pair
    add_issue(cadre.store, add_enterprise(cadre.store))
    target = tmp_path / "stick" / "to-district.jcb"
    target.parent.mkdir()
    with cadre.read() as s:
        export_bundle(s, cadre.keys, cadre.peer(office), target)  # the old, complete bundle
    add_issue(cadre.store, add_enterprise(cadre.store, "厦门海沧电子厂"), "食堂卫生问题")

    def export() -> None:
        with cadre.read() as s:
            export_bundle(s, cadre.keys, cadre.peer(office), target)

    def complete() -> bool:
        opened = open_bundle(target)  # frame, sizes and manifest; raises if torn
        check_digest(opened)
        return opened.manifest.counts["changes"] > 0

    failures, kinds = sweep(monkeypatch, target, export, complete)
    assert failures >= 3 and kinds == {"write", "fsync", "rename"}
    with office.write() as s:
        import_bundle(s, office.keys, target)  # the new one is complete and valid
    assert {ln for ln in dump(cadre.store) if '"district"' not in ln} <= set(dump(office.store))


def test_backup(pair: tuple[Node, Node], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cadre, _ = pair
    target = tmp_path / "backups" / "latest.db"
    backup.snapshot(cadre.store.engine, target)
    add_issue(cadre.store, add_enterprise(cadre.store))

    def complete() -> bool:
        check = tmp_path / "check"
        check.mkdir(exist_ok=True)
        paths.db_path(check).write_bytes(target.read_bytes())
        store = open_store(check, PASSPHRASE)
        try:
            with store.read() as s:
                return s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        finally:
            store.close()
            shutil.rmtree(check)

    failures, kinds = sweep(
        monkeypatch, target, lambda: backup.snapshot(cadre.store.engine, target), complete
    )
    assert failures >= 2 and {"fsync", "rename"} <= kinds  # SQLite itself writes the copy
    restored = tmp_path / "restored"
    restored.mkdir()
    paths.db_path(restored).write_bytes(target.read_bytes())
    copy = open_store(restored, PASSPHRASE)
    try:
        assert dump(copy) == dump(cadre.store)
    finally:
        copy.close()


def test_key_file(pair: tuple[Node, Node], monkeypatch: pytest.MonkeyPatch) -> None:
    cadre, _ = pair
    folder = cadre.store.data_dir
    target = keys.save(folder, cadre.keys, PASSPHRASE)

    def complete() -> bool:
        return keys.load(folder, PASSPHRASE).public == cadre.keys.public

    failures, kinds = sweep(
        monkeypatch, target, lambda: keys.save(folder, cadre.keys, PASSPHRASE), complete
    )
    assert failures >= 3 and kinds == {"write", "fsync", "rename"}
    loaded = keys.load(folder, PASSPHRASE)
    assert bytes(loaded.signing.verify_key) == bytes(cadre.keys.signing.verify_key)


def test_restore(pair: tuple[Node, Node], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data file itself is the target: after every failure it still opens whole, with the
    current ledger (or, once the final rename happened, the backup's)."""
    cadre, _ = pair
    saved = backup.snapshot(cadre.store.engine, tmp_path / "stick" / "backup.db")
    backed_up = dump(cadre.store)
    add_issue(cadre.store, add_enterprise(cadre.store))
    current = dump(cadre.store)
    cadre.store.close()
    folder = cadre.store.data_dir
    failures, kinds = sweep(
        monkeypatch,
        paths.db_path(folder),
        lambda: restore_module.restore(folder, saved, PASSPHRASE),
        lambda: dump_of(folder) in (current, backed_up),
    )
    assert failures >= 3 and kinds == {"write", "fsync", "rename"}
    assert dump_of(folder) == backed_up


def test_leftovers_of_a_killed_process_go_at_next_start(pair: tuple[Node, Node]) -> None:
    cadre, _ = pair
    folder = cadre.store.data_dir
    dead = 2**22 + 12345  # above the default pid range, so no such process
    left = [
        folder / f".jiceng.db.tmp-{dead}",
        paths.backups_dir(folder) / f".latest.db.tmp-{dead}",
        paths.backups_dir(folder) / f".latest.db.tmp-{dead}-journal",  # SQLite's, beside it
        paths.keys_dir(folder) / f".keys.tmp-{dead}",
    ]
    mine = folder / f".export.tmp-{os.getpid()}"  # a live process's temporary stays
    for path in [*left, mine]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    open_store(folder, PASSPHRASE).close()
    assert [p for p in left if p.exists()] == [] and mine.exists()
