"""Where the work happens: districts, enterprises, their workshops, and cadres' stationings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated


class District(Replicated, Base):
    """区(县)总工会: owns enterprises and devices; the unit of access control.

    Its id is derived from its name (``ids.stable_id("district", name)``) so that replicas set
    up independently for the same district agree on it without talking to each other.
    """

    __tablename__ = "district"

    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str | None] = mapped_column(String(16))


class Enterprise(Replicated, Base):
    """企业: a stationing site, with the two "普遍" (union founded, collective contract)."""

    __tablename__ = "enterprise"

    district_id: Mapped[str] = mapped_column(ForeignKey("district.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    industry: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str | None] = mapped_column(String(300))
    headcount: Mapped[int | None] = mapped_column(Integer)
    union_founded: Mapped[bool] = mapped_column(Boolean, default=False)
    union_founded_on: Mapped[date | None] = mapped_column(Date)
    collective_contract: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)


class Workshop(Replicated, Base):
    """车间/班组: a unit inside an enterprise."""

    __tablename__ = "workshop"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    headcount: Mapped[int | None] = mapped_column(Integer)
    leader: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)


class Stationing(Replicated, Base):
    """驻点: a cadre's stay at an enterprise, from–to (open-ended while it lasts)."""

    __tablename__ = "stationing"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    cadre: Mapped[str] = mapped_column(String(50))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
