"""A cadre's field work: visits, whom they reached, and good practices found."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated


class Visit(Replicated, Base):
    """走访记录."""

    __tablename__ = "visit"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    workshop_id: Mapped[str | None] = mapped_column(ForeignKey("workshop.id"))
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    cadre: Mapped[str | None] = mapped_column(String(50))
    people_count: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text)
    findings: Mapped[str | None] = mapped_column(Text)
    follow_ups: Mapped[str | None] = mapped_column(Text)


class VisitReach(Replicated, Base):
    """A worker or a workshop that a visit reached (one row per person or unit)."""

    __tablename__ = "visit_reach"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("worker.id"), index=True)
    workshop_id: Mapped[str | None] = mapped_column(ForeignKey("workshop.id"))


class Practice(Replicated, Base):
    """好经验好做法: a good practice found at the grassroots, to bring up to the district."""

    __tablename__ = "practice"

    enterprise_id: Mapped[str | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    collected_on: Mapped[date] = mapped_column(Date, index=True)
    cadre: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(16), default="collected")
