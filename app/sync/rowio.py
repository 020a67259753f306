"""Bulk row writes for the merge, without per-row ORM or Core parameter processing.

The merge writes hundreds of thousands of rows when a large bundle arrives. SQLAlchemy's
per-row parameter handling costs as much as SQLite's own work, so rows go straight to the
driver's ``executemany`` with statements built once per table. Values arrive in wire form
(``registry.wire_value``) and are converted here to what the dialect stores: on SQLite a date's
wire text *is* its storage form and a timestamp needs only its separator changed (checked
against SQLAlchemy's own bind processors in the tests); PostgreSQL gets date objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Date, DateTime, Table
from sqlalchemy.orm import Session

Convert = Callable[[Any], Any]


def sqlite_datetime(wire: str) -> str:
    """``2026-01-31T08:00:00.123`` → ``2026-01-31 08:00:00.123000`` (SQLAlchemy's format)."""
    return f"{wire[:10]} {wire[11:]}000" if len(wire) == 23 else wire.replace("T", " ")


def _converter(column_type: Any, dialect: str) -> Convert | None:
    if isinstance(column_type, DateTime):
        if dialect == "sqlite":
            return lambda v: None if v is None else sqlite_datetime(v)
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column_type, Date) and dialect != "sqlite":
        return lambda v: None if v is None else date.fromisoformat(v)
    return None


class TableIO:
    """Prepared INSERT and UPDATE-by-id statements for one table on one dialect."""

    def __init__(self, table: Table, dialect: str, quote: Callable[[str], str]) -> None:
        # An autoincrement key (the change log's seq) is left for the database to assign.
        columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True)]
        self.columns = [c.name for c in columns]
        mark = "?" if dialect == "sqlite" else "%s"
        names = ", ".join(quote(c) for c in self.columns)
        self.insert_sql = (
            f"INSERT INTO {quote(table.name)} ({names}) "
            f"VALUES ({', '.join(mark for _ in self.columns)})"
        )
        self.set_columns = [c for c in self.columns if c != "id"]
        sets = ", ".join(f"{quote(c)} = {mark}" for c in self.set_columns)
        self.update_sql = f"UPDATE {quote(table.name)} SET {sets} WHERE {quote('id')} = {mark}"
        self.converters = [
            (i, conv)
            for i, c in enumerate(columns)
            if (conv := _converter(c.type, dialect)) is not None
        ]

    def _params(
        self, rows: Iterable[Mapping[str, Any]], columns: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        out = []
        converters = [
            (columns.index(self.columns[i]), conv)
            for i, conv in self.converters
            if self.columns[i] in columns
        ]
        for row in rows:
            values = [row[c] for c in columns]
            for i, conv in converters:
                values[i] = conv(values[i])
            out.append(tuple(values))
        return out

    def insert(self, session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            params = self._params(rows, self.columns)
            session.connection().exec_driver_sql(self.insert_sql, params)

    def update(self, session: Session, rows: list[dict[str, Any]]) -> None:
        if rows:
            params = self._params(rows, [*self.set_columns, "id"])
            session.connection().exec_driver_sql(self.update_sql, params)


@cache
def _table_io(table: Table, dialect: str, quote: Callable[[str], str]) -> TableIO:
    return TableIO(table, dialect, quote)


def table_io(session: Session, table: Table) -> TableIO:
    dialect = session.get_bind().dialect
    return _table_io(table, dialect.name, dialect.identifier_preparer.quote)
