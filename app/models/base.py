"""Declarative base, naming convention and the columns every replicated row carries.

A replicated row (docs/sync-protocol.md#lww) has a client-made UUID, a tombstone
(``deleted``, merged like any other field), and ``clocks``: a JSON object giving, for each
field, the hybrid-clock timestamp of the write that set it. ``created_at`` is an ordinary
field written by the creating change; ``updated_at`` is derived from the highest clock, so
every replica computes the same value.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so alembic can alter and drop them (and batch mode works on SQLite).
# Counters, sequences and cursors that grow without bound (a replica's change counter, the
# server's log sequence, pull cursors): 64-bit on PostgreSQL, where INTEGER is 32-bit. SQLite's
# INTEGER is already 64-bit, and must stay INTEGER for an autoincrementing key.
BIG = BigInteger().with_variant(Integer(), "sqlite")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every model here maps a Table (none maps a select or a join).
        __table__: ClassVar[Table[Any]]


class Replicated:
    """Mixin for tables whose rows every replica converges on through the change log."""

    #: True for append-only entities (an event is written once and never edited).
    append_only: ClassVar[bool] = False

    if TYPE_CHECKING:
        # Supplied by Base, which every replicated model also derives from.
        __tablename__: str

    id: Mapped[str] = mapped_column(String(36), primary_key=True, sort_order=-10)
    clocks: Mapped[str] = mapped_column(Text, default="{}")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# Columns that are bookkeeping, not fields a change may write.
META_COLUMNS = frozenset({"id", "clocks", "updated_at"})
