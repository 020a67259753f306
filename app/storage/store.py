"""Opening a data folder: key check, migrations (with a backup first), sessions.

``Store.read()`` and ``Store.write()`` hand out one session per operation, each one
transaction that commits when the block ends and rolls back if it raises. The caller owns the
transaction (docs/architecture.md#transactions): services only ever receive a session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from app import paths
from app.storage.backup import clean_leftovers, snapshot, timestamped_name
from app.storage.engine import make_engine, write_engine
from app.storage.lock import USE_LOCK, FolderInUse, FolderLock


class StoreError(Exception):
    """Opening a data folder failed; ``code`` says why in a stable, machine-readable form."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


class Store:
    def __init__(self, data_dir: Path, engine: Engine, use: FolderLock | None = None) -> None:
        self.data_dir = data_dir
        self.engine = engine
        self._writer = write_engine(engine)
        self._use = use  # shared "in use" lock: keeps a restore from replacing the file

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading: a consistent snapshot while the block runs."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session that holds the write lock from its first statement (BEGIN IMMEDIATE)."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
        if self._use is not None:
            self._use.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(data_dir: Path, passphrase: str) -> Store:
    """Open an existing data folder, upgrading its schema (after a backup) if needed."""
    path = paths.db_path(data_dir)
    if not path.exists():
        raise StoreError("not_initialised", str(data_dir))
    return _open(data_dir, passphrase, existed=True)


def create_store(data_dir: Path, passphrase: str) -> Store:
    """Create a new, empty, encrypted data file at head revision."""
    if not passphrase:
        raise StoreError("no_passphrase")
    path = paths.db_path(data_dir)
    if path.exists():
        raise StoreError("already_initialised", str(data_dir))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    return _open(data_dir, passphrase, existed=False)


def _open(data_dir: Path, passphrase: str, *, existed: bool) -> Store:
    if not passphrase:
        raise StoreError("no_passphrase")
    try:
        use = FolderLock(data_dir, USE_LOCK, shared=True).acquire()
    except FolderInUse:
        raise StoreError("in_use", str(data_dir)) from None  # a restore is replacing it
    try:
        engine = _engine(data_dir, passphrase, existed=existed)
    except BaseException:
        use.release()
        raise
    if existed:  # what a killed backup, export or key write left behind
        clean_leftovers(data_dir, paths.backups_dir(data_dir), paths.keys_dir(data_dir))
    return Store(data_dir, engine, use)


def _engine(data_dir: Path, passphrase: str, *, existed: bool) -> Engine:
    """An engine on the folder's data file: the key checked, the schema brought to head."""
    path = paths.db_path(data_dir)
    engine = make_engine(path, passphrase)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except DatabaseError as err:
        engine.dispose()
        raise StoreError("wrong_passphrase", str(path)) from err
    if not existed:
        os.chmod(path, 0o600)
    try:
        migrate_to_head(engine, data_dir, existed=existed)
    except BaseException:
        engine.dispose()
        raise
    return engine


# The newest revision in migrations/versions (a test keeps the two in step).
SCHEMA_HEAD = "0009"


def stored_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if has_table is None:
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def migrate_to_head(engine: Engine, data_dir: Path, *, existed: bool) -> None:
    """Run ``upgrade head`` in one transaction; copy an existing file aside first.

    An up-to-date file (every start but the first after an upgrade) is recognised with one
    query, without importing alembic: that saves a tenth of a second of the app's start."""
    if stored_revision(engine) == SCHEMA_HEAD:
        return
    from app.storage import migrate  # alembic: only when there is something to do

    head = migrate.head_revision()
    with engine.connect() as conn:
        current = migrate.current_revision(conn)
    if current == head:
        return
    if existed and current is not None:
        label = f"before-{head}"
        snapshot(engine, paths.backups_dir(data_dir) / timestamped_name(label))
    with write_engine(engine).begin() as conn:
        migrate.upgrade(conn)
