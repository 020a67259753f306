"""职工诉求: workers' demands, their append-only history, and links between related cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated


class Issue(Replicated, Base):
    """A worker's (or a group's) demand and where its handling stands.

    ``status`` and the outcome fields are what the lifecycle transitions converge to; the
    transitions themselves are ``IssueEvent`` rows. ``created_by`` is the replica that opened
    the case: for a confidential case only that replica's cadre sees who complained.
    """

    __tablename__ = "issue"

    number: Mapped[str] = mapped_column(String(32), index=True)
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    workshop_id: Mapped[str | None] = mapped_column(ForeignKey("workshop.id"))
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("worker.id"), index=True)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"))
    collective: Mapped[bool] = mapped_column(Boolean, default=False)
    people_count: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(24), index=True)
    urgency: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    assignee: Mapped[str | None] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    referred_to: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    followed_up_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    follow_up_method: Mapped[str | None] = mapped_column(String(16))  # 回访方式
    decline_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(16))


class IssueEvent(Replicated, Base):
    """办理记录: one transition, note or assignment. Written once, never edited."""

    __tablename__ = "issue_event"
    append_only: ClassVar[bool] = True

    issue_id: Mapped[str] = mapped_column(ForeignKey("issue.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(String(100))
    actor: Mapped[str | None] = mapped_column(String(50))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)


class IssueLink(Replicated, Base):
    """A link between two related cases (e.g. the same arrears reported by several workers)."""

    __tablename__ = "issue_link"

    issue_id: Mapped[str] = mapped_column(ForeignKey("issue.id"), index=True)
    related_id: Mapped[str] = mapped_column(ForeignKey("issue.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(200))
