"""Tables only the central server uses (they exist, empty, in every file: one schema)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Device(Base):
    """An enrolled laptop or office desktop. Its token is stored only as a SHA-256 hash
    (tokens are 256 random bits, so a fast hash is enough to make a stolen table useless)."""

    __tablename__ = "device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    district_id: Mapped[str] = mapped_column(String(36), index=True)
    replica_id: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))  # from its enrollment code, never its word
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The district the laptop filed its work under before it enrolled (set up offline): its
    # rows that name it are taken as filed under ``district_id`` (``app.server.scope``).
    provisional_district_id: Mapped[str | None] = mapped_column(String(36))


class EnrollCode(Base):
    """A one-time, expiring enrollment code an administrator handed to a user."""

    __tablename__ = "enroll_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    district_id: Mapped[str] = mapped_column(String(36))
    # The role the device that redeems it gets ("cadre" or "district"), chosen by the
    # administrator; a device is never trusted with the role it declares (issue 21).
    role: Mapped[str] = mapped_column(String(16), default="cadre", server_default="cadre")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    device_id: Mapped[str | None] = mapped_column(String(36))


class RateWindow(Base):
    """A fixed-window request counter, kept in the database so every worker shares it."""

    __tablename__ = "rate_window"
    __table_args__ = (Index("ix_rate_window_window", "window"),)  # pruning old windows

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)


class RowOwner(Base):
    """Which district each replicated row belongs to: the unit of access control."""

    __tablename__ = "row_owner"
    __table_args__ = (Index("ix_row_owner_district", "district_id"),)

    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    district_id: Mapped[str] = mapped_column(String(36))
