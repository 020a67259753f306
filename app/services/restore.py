"""Putting a backup back in place of the data file, without rewinding this replica.

A backup is an older state of this replica. Put back as it is, it would issue change counters
and case numbers it has already issued since (and maybe sent): the server and district offices
would then meet two different changes under one id, and refuse the new one. So a restore:

1. copies the backup to a temporary file beside the data file and checks it there: the
   passphrase opens it, ``integrity_check`` passes, it is a jiceng file of *this* replica and
   not from a newer jiceng (an older one is upgraded);
2. reads the current file, if it still opens, and carries its high-water marks forward: the
   change counter, the clock and the year's case number never go back. If the current file
   is lost or unreadable, those marks are unknown, so they jump ahead by a margin no cadre
   reaches between two daily backups (``COUNTER_MARGIN`` changes, ``NUMBER_MARGIN`` cases);
3. asks the next online sync to fetch this replica's own changes back from the server once
   (they are what happened after the backup), through the normal merge;
4. keeps the current file in ``backups/`` (a checked copy, or the raw bytes and any WAL if it
   is damaged), removes its WAL (SQLite would replay it into the restored file), then renames
   the checked temporary into place. Until then the old file's contents are untouched (only
   checkpointed), and a killed restore leaves only a temporary that the next start removes;
5. writes the key file the backup carries, if the folder has none (a replacement laptop).

It runs only when no process has the folder open (``app.storage.lock``), and keeps every
other process out until it is done. District offices do not resend a replica's own changes,
so work made after the backup and carried only by USB bundles comes back only if the server
has it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from app import paths
from app.models import Replica, Setting
from app.storage import atomic, migrate
from app.storage.atomic import fsync_dir
from app.storage.backup import CARRIED_KEY_FILE, snapshot, timestamped_name
from app.storage.engine import make_engine, write_engine
from app.storage.lock import APP_LOCK, USE_LOCK, FolderInUse, FolderLock
from app.storage.store import StoreError, migrate_to_head, stored_revision
from app.sync import keys
from app.sync.client import RECOVER_OWN
from app.sync.hlc import Timestamp

COUNTER_MARGIN = 1_000_000
NUMBER_MARGIN = 1_000


@dataclass(frozen=True)
class Marks:
    """A replica's high-water marks: what it must never issue again."""

    replica_id: str
    counter: int
    hlc: str
    issue_seq_year: int
    issue_seq: int
    public_keys: tuple[str | None, str | None] = (None, None)  # signing, encryption (hex)


@dataclass(frozen=True)
class RestoreReport:
    source: Path
    kept: Path | None  # where the replaced file was kept
    current_readable: bool
    backup_counter: int
    counter: int  # the counter the restored file continues from
    keys_restored: bool = False  # the folder had no key file; the backup's was written out


def restore(data_dir: Path, source: Path, passphrase: str) -> RestoreReport:
    """Replace the data file in ``data_dir`` with the backup ``source`` (see module doc)."""
    if not passphrase:
        raise StoreError("no_passphrase")
    if not source.is_file():
        raise StoreError("restore_missing", str(source))
    app = FolderLock(data_dir, APP_LOCK)
    use = FolderLock(data_dir, USE_LOCK)  # exclusive: no store is open, none opens meanwhile
    try:
        app.acquire()
        use.acquire()
    except FolderInUse:
        app.release()
        raise StoreError("in_use", str(data_dir)) from None
    try:
        return _restore(data_dir, source, passphrase)
    finally:
        use.release()
        app.release()


def _restore(data_dir: Path, source: Path, passphrase: str) -> RestoreReport:
    target = paths.db_path(data_dir)
    tmp = atomic.temporary_for(target)
    try:
        _copy(source, tmp)
        engine = _open_copy(tmp, passphrase, data_dir)
        try:
            with Session(engine) as s:
                mine = _marks(s)
            current = _current_marks(target, passphrase) if target.exists() else None
            if current is not None and current.replica_id != mine.replica_id:
                raise StoreError("restore_other_replica", mine.replica_id)
            carried = _carried_keys(engine, data_dir, mine, passphrase)
            counter = _carry_forward(engine, mine, current)  # last: it checkpoints the copy
        finally:
            engine.dispose()
        _fsync(tmp)
        kept = _keep_current(target, passphrase, current is not None)
        atomic.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, *_companions(tmp)):
            leftover.unlink(missing_ok=True)
        raise
    if carried is not None:  # only once the data file is in place (a re-run would redo it)
        _write_keys(data_dir, carried)
    restored = carried is not None
    return RestoreReport(source, kept, current is not None, mine.counter, counter, restored)


def _copy(source: Path, tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    with open(source, "rb") as src, open(tmp, "wb") as dst:
        os.chmod(tmp, 0o600)
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())


def _open_copy(tmp: Path, passphrase: str, data_dir: Path) -> Engine:
    """The copy opens with the passphrase, is whole, is jiceng's, and is brought up to date."""
    engine = make_engine(tmp, passphrase, pool_size=1)
    try:
        with engine.connect() as conn:
            verdict = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
        revision = stored_revision(engine)
    except DatabaseError:
        engine.dispose()
        raise StoreError("wrong_passphrase", str(tmp.name)) from None
    if verdict != "ok":
        engine.dispose()
        raise StoreError("restore_damaged", str(verdict))
    if revision is None:
        engine.dispose()
        raise StoreError("restore_not_jiceng")
    if revision not in migrate.known_revisions():
        engine.dispose()
        raise StoreError("restore_newer", revision)
    try:
        migrate_to_head(engine, data_dir, existed=False)  # an older backup: upgraded here
    except BaseException as err:
        engine.dispose()
        if isinstance(err, DatabaseError):
            raise StoreError("restore_damaged", "upgrade") from None
        raise
    return engine


def _marks(session: Session) -> Marks:
    row = session.execute(select(Replica).where(Replica.id == 1)).scalar_one_or_none()
    if row is None:
        raise StoreError("restore_not_jiceng")
    return Marks(
        row.replica_id,
        row.counter,
        row.hlc,
        row.issue_seq_year,
        row.issue_seq,
        (row.sign_public, row.enc_public),
    )


def _current_marks(target: Path, passphrase: str) -> Marks | None:
    """The current file's marks, or None if it no longer opens or reads."""
    engine = make_engine(target, passphrase, pool_size=1)
    try:
        with Session(engine) as s:
            return _marks(s)
    except (DatabaseError, StoreError):
        return None
    finally:
        engine.dispose()


def _carry_forward(engine: Engine, mine: Marks, current: Marks | None) -> int:
    """Never go back: the later of the backup's and the current file's marks, or a margin
    ahead when the current file is gone. Then ask for our own changes at the next sync."""
    if current is not None:
        counter, hlc = (
            max(mine.counter, current.counter),
            max(mine.hlc, current.hlc, key=Timestamp.decode),
        )
        year, seq = max(
            (mine.issue_seq_year, mine.issue_seq), (current.issue_seq_year, current.issue_seq)
        )
    else:
        counter, hlc = mine.counter + COUNTER_MARGIN, mine.hlc
        year, seq = mine.issue_seq_year, mine.issue_seq + NUMBER_MARGIN
    with Session(write_engine(engine)) as s, s.begin():
        row = s.get(Replica, 1)
        assert row is not None
        row.counter, row.hlc, row.issue_seq_year, row.issue_seq = counter, hlc, year, seq
        # Even if the backup predates enrolling: the first sync after enrolling then fetches.
        value = orjson.dumps({"from_counter": mine.counter, "restored_at": _now()}).decode()
        s.merge(Setting(key=RECOVER_OWN, value=value))
    with engine.connect() as conn:  # fold the WAL into the file before it is renamed
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return counter


def _carried_keys(engine: Engine, data_dir: Path, mine: Marks, passphrase: str) -> str | None:
    """The key file a backup carries (``snapshot(data_dir=…)``), taken out of the copy, and
    returned if this folder has none: after proving it opens with the passphrase and holds
    this replica's keys. Existing keys are never replaced."""
    with Session(write_engine(engine)) as s, s.begin():
        row = s.get(Setting, CARRIED_KEY_FILE)
        if row is None:
            return None
        s.delete(row)
        carried = row.value
    if paths.key_file(data_dir).exists():
        return None
    try:
        pairs = keys.loads(carried.encode(), passphrase, "backup")
    except keys.KeyFileError:
        raise StoreError("restore_damaged", "keys") from None
    if (pairs.public.sign_hex, pairs.public.enc_hex) != mine.public_keys:
        raise StoreError("restore_damaged", "keys")
    return carried


def _write_keys(data_dir: Path, carried: str) -> None:
    folder = paths.keys_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    atomic.write_bytes(paths.key_file(data_dir), carried.encode())


def _keep_current(target: Path, passphrase: str, readable: bool) -> Path | None:
    """Keep the file being replaced in ``backups/``: a checked copy if it opens, else its raw
    bytes (with its WAL) for whoever tries to rescue it. Its WAL must go before the rename,
    or SQLite would replay the old file's pages into the restored one."""
    present = [p for p in (target, *_companions(target)) if p.exists()]
    if not present:
        return None
    folder = paths.backups_dir(target.parent)
    kept = _unused(folder, "before-restore" if readable else "damaged")
    if readable:
        engine = make_engine(target, passphrase, pool_size=1)
        try:
            snapshot(engine, kept)
            with engine.connect() as conn:
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        finally:
            engine.dispose()
    else:
        folder.mkdir(parents=True, exist_ok=True)
        for path in present:  # an orphaned WAL too: it must not replay into the backup
            copy = kept.with_name(kept.name + path.name[len(target.name) :])
            shutil.copyfile(path, copy)
            _fsync(copy)
        fsync_dir(folder)
    for companion in _companions(target):
        companion.unlink(missing_ok=True)
    return kept


def _unused(folder: Path, label: str) -> Path:
    """A timestamped name no earlier restore took (two in one second must not collide)."""
    first = folder / timestamped_name(label)
    candidates = [first, *(first.with_name(f"{first.stem}-{n}.db") for n in range(2, 1000))]
    for candidate in candidates:
        if not any(p.exists() for p in (candidate, *_companions(candidate))):
            return candidate
    raise StoreError("restore_damaged", "no free name in backups/")


def _companions(db: Path) -> list[Path]:
    return [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
