"""Concurrent edits that users should see (docs/sync-protocol.md#conflicts)."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated


class Conflict(Replicated, Base):
    """Two changes that wrote the same field of a row without either having seen the other.

    The merge derives these rows itself, with an id computed from the two change ids, so every
    replica that holds both changes records the very same conflict without sending it. Only
    the resolution travels, as an ordinary change to ``resolved``/``resolution``.
    ``field == "deleted"`` records an edit made without having seen a deletion.
    Values are kept as the JSON text of the changes' wire values.
    """

    __tablename__ = "conflict"

    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    winner_change: Mapped[str] = mapped_column(String(48))
    loser_change: Mapped[str] = mapped_column(String(48))
    winner_value: Mapped[str | None] = mapped_column(Text)
    loser_value: Mapped[str | None] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_by: Mapped[str | None] = mapped_column(String(50))
