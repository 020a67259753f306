"""Copies of the data file that are never torn.

A snapshot is written with ``VACUUM INTO`` (SQLCipher keeps the copy encrypted with the same
key, so a backup is as safe to lose as the original), to a temporary name in the target folder,
checked with ``integrity_check``, fsynced, then renamed over the target: a crash or a failed
check leaves the old complete file (or none), never a torn one.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy import Engine

from app import paths
from app.storage import atomic


class _Cursor(Protocol):
    def fetchone(self) -> Any: ...


class _DriverConnection(Protocol):
    """The part of sqlcipher3's connection (sqlite3's API, untyped) used here."""

    def execute(self, sql: str, parameters: tuple[object, ...] = ..., /) -> _Cursor: ...

    def commit(self) -> None: ...


def snapshot(engine: Engine, target: Path, *, data_dir: Path | None = None) -> Path:
    """Write a consistent, encrypted copy of the database behind ``engine`` to ``target``.

    With ``data_dir``, the copy also carries that folder's key file (already encrypted with
    the passphrase) as a local setting, so a backup on a stick is all a new laptop needs:
    ``jiceng restore`` writes the keys back out."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.temporary_for(target)
    tmp.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        conn = cast(_DriverConnection, raw.driver_connection)
        conn.execute("VACUUM INTO ?", (str(tmp),))
        _finish_copy(conn, tmp, _carried(data_dir))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    return atomic.replace(tmp, target)


_TEMPORARY = re.compile(r"\.tmp-(\d+)(?:-journal|-wal|-shm)?$")


def clean_leftovers(*folders: Path) -> list[Path]:
    """Remove temporary files (``.NAME.tmp-PID``) that a killed process left behind.

    Only files whose process is gone are removed, so a backup or export running in another
    process is never disturbed. Returns what was removed."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.glob(".*.tmp-*"):
            found = _TEMPORARY.search(path.name)  # SQLite adds -journal/-wal/-shm to VACUUM's
            if found and not _alive(int(found.group(1))):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BackupError(Exception):
    pass


CARRIED_KEY_FILE = "backup.key_file"  # the setting a backup carries the key file in


def _carried(data_dir: Path | None) -> dict[str, str]:
    """The settings a copy carries: the folder's key file, if it has one."""
    if data_dir is None or not paths.key_file(data_dir).exists():
        return {}
    return {CARRIED_KEY_FILE: paths.key_file(data_dir).read_text("utf-8")}


def _finish_copy(conn: _DriverConnection, copy: Path, carried: dict[str, str]) -> None:
    """Open the new copy (with the same key, by attaching it), add the settings it carries,
    and run SQLite's integrity check before it may replace anything."""
    conn.execute("ATTACH DATABASE ? AS backup_copy", (str(copy),))
    try:
        for key, value in carried.items():
            conn.execute(
                "INSERT OR REPLACE INTO backup_copy.setting (key, value) VALUES (?, ?)",
                (key, value),
            )
        conn.commit()
        verdict = conn.execute("PRAGMA backup_copy.integrity_check").fetchone()[0]
    finally:
        conn.execute("DETACH DATABASE backup_copy")
    if verdict != "ok":
        raise BackupError(f"the copy failed its integrity check: {verdict}")


def timestamped_name(label: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"jiceng-{stamp}-{label}.db"


DAILY = "daily"


def rolling_backup(
    engine: Engine,
    folder: Path,
    now: datetime,
    *,
    keep: int = 7,
    every: timedelta = timedelta(days=1),
    data_dir: Path | None = None,
) -> Path | None:
    """The app's automatic backup: a new copy if the newest daily one is older than ``every``
    (or there is none), then only the newest ``keep`` daily copies are kept. Names sort by
    time, so the newest is the last. Returns the new copy, or None if none was due."""
    existing = sorted(folder.glob(f"jiceng-*-{DAILY}.db"))
    if existing:
        stamp = existing[-1].name.removeprefix("jiceng-")[:15]
        try:
            newest = datetime.strptime(stamp, "%Y%m%d-%H%M%S")
        except ValueError:
            newest = datetime.fromtimestamp(existing[-1].stat().st_mtime)
        if now - newest < every:
            return None
    target = snapshot(engine, folder / timestamped_name(DAILY, now), data_dir=data_dir)
    for old in sorted(folder.glob(f"jiceng-*-{DAILY}.db"))[:-keep]:
        old.unlink(missing_ok=True)
    return target
