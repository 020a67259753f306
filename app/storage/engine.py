"""Engines for the encrypted data file, with every connection set up the same way.

Each connection: the SQLCipher key (applied by SQLAlchemy's ``sqlite+pysqlcipher`` dialect),
WAL, ``synchronous=FULL``, foreign keys, ``secure_delete`` (freed pages are zeroed, so deleted
personal data does not linger), temporary tables in memory (nothing plaintext on disk), and a
busy timeout. Python's sqlite driver's legacy transaction handling is switched off and we emit
``BEGIN`` ourselves (SQLAlchemy's documented recipe), so DDL and savepoints are transactional.
Write sessions use ``BEGIN IMMEDIATE`` so a writer takes the lock up front instead of failing
half-way when another writer got there first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 15_000
CACHE_KIB = 65_536

# The pragmas every connection gets, in order, with the value each must then report.
CONNECTION_PRAGMAS: tuple[tuple[str, str, object], ...] = (
    ("journal_mode", "WAL", "wal"),
    ("synchronous", "FULL", 2),
    ("foreign_keys", "ON", 1),
    ("secure_delete", "ON", 1),
    ("temp_store", "MEMORY", 2),
    ("busy_timeout", str(BUSY_TIMEOUT_MS), BUSY_TIMEOUT_MS),
    # 64 MiB of page cache per connection: every page read is decrypted and every write is
    # re-encrypted, so a cache that holds the hot indexes of a 100,000-case ledger pays off.
    ("cache_size", str(-CACHE_KIB), -CACHE_KIB),
)

# SQLite releases with the WAL-reset corruption bug fixed: 3.51.3 and later, and the
# 3.44.6 / 3.50.7 backports.
_FIXED_SQLITE = ((3, 51, 3), (3, 50, 7), (3, 44, 6))


class UnsafeSQLiteError(RuntimeError):
    """The SQLite library in use has the WAL-reset corruption bug."""


def sqlite_is_safe(version: tuple[int, int, int]) -> bool:
    """True when ``version`` carries the WAL-reset fix (itself or a backport of its line)."""
    if version >= _FIXED_SQLITE[0]:
        return True
    return any(version[:2] == fix[:2] and version >= fix for fix in _FIXED_SQLITE[1:])


def sqlite_version() -> tuple[int, int, int]:
    major, minor, patch = (int(p) for p in sqlcipher3.sqlite_version.split(".")[:3])
    return major, minor, patch


def make_engine(path: Path, passphrase: str, *, pool_size: int = 4) -> Engine:
    """An engine for the data file at ``path``, keyed with ``passphrase``.

    Nothing is opened yet; a wrong key shows on the first connection as
    ``sqlalchemy.exc.DatabaseError`` ("file is not a database").
    """
    if not sqlite_is_safe(sqlite_version()):
        raise UnsafeSQLiteError(sqlcipher3.sqlite_version)
    url = URL.create("sqlite+pysqlcipher", password=passphrase, database=str(path))
    engine = create_engine(
        url,
        module=sqlcipher3,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=pool_size,
        hide_parameters=True,  # workers' personal data never reaches a log or a traceback
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine, but its transactions start with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(jiceng_begin="IMMEDIATE")


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN/COMMIT from the driver
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA cipher_log_level = NONE")  # wrong keys: only our message shows
        for name, value, _expected in CONNECTION_PRAGMAS:
            cursor.execute(f"PRAGMA {name} = {value}")
    finally:
        cursor.close()


def _on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("jiceng_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")
