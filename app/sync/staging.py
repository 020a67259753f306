"""Temporary staging tables that keep the merge set-based.

Instead of one query per change, the merge writes the keys it needs into indexed temporary
tables and joins against them: which changes are already known, which rows a batch touches,
which parents it refers to, which rows it created. Temporary tables live in memory
(``temp_store = MEMORY``) and belong to one connection, so concurrent merges on other
connections never see each other's staging. The same SQL works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import BigInteger, Column, MetaData, Select, String, Table, delete, text
from sqlalchemy.orm import Session

_metadata = MetaData()

staged_keys = Table(
    "merge_keys",
    _metadata,
    Column("origin", String(16)),
    Column("counter", BigInteger),
    prefixes=["TEMPORARY"],
)

staged_ids = Table(
    "merge_ids",
    _metadata,
    Column("tag", String(40)),
    Column("id", String(36)),
    prefixes=["TEMPORARY"],
)

_DDL = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS merge_keys (origin VARCHAR(16), counter BIGINT)",
    "CREATE INDEX IF NOT EXISTS merge_keys_ix ON merge_keys (origin, counter)",
    "CREATE TEMPORARY TABLE IF NOT EXISTS merge_ids (tag VARCHAR(40), id VARCHAR(36))",
    "CREATE INDEX IF NOT EXISTS merge_ids_ix ON merge_ids (tag, id)",
)


def prepare(session: Session) -> None:
    """Make sure the staging tables exist on this connection, and empty them."""
    for statement in _DDL:
        session.execute(text(statement))
    if session.get_bind().dialect.name == "postgresql":
        # DELETE would leave dead rows that autovacuum never visits in temporary tables, so
        # a pooled connection's staging would grow with every batch it ever merged.
        session.execute(text("TRUNCATE merge_keys, merge_ids"))
    else:
        session.execute(delete(staged_keys))
        session.execute(delete(staged_ids))


def _mark(session: Session) -> str:
    return "?" if session.get_bind().dialect.name == "sqlite" else "%s"


def stage_keys(session: Session, keys: Iterable[tuple[str, int]]) -> None:
    rows = list(keys)
    if rows:
        m = _mark(session)
        sql = f"INSERT INTO merge_keys (origin, counter) VALUES ({m}, {m})"
        session.connection().exec_driver_sql(sql, rows)


def stage_ids(session: Session, tag: str, ids: Iterable[str]) -> None:
    rows = [(tag, row_id) for row_id in ids]
    if rows:
        m = _mark(session)
        sql = f"INSERT INTO merge_ids (tag, id) VALUES ({m}, {m})"
        session.connection().exec_driver_sql(sql, rows)


def ids_tagged(tag: str) -> Select[tuple[str]]:
    """A subquery of the ids staged under ``tag``, for ``column.in_(...)``."""
    from sqlalchemy import select

    return select(staged_ids.c.id).where(staged_ids.c.tag == tag)
