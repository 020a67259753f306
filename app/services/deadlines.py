"""The deadline engine: due dates and the work queues a cadre must not let slip, offline.

All of it is computed from the ledger and a local policy, so it works with no network:
due dates from urgency and category, cases due soon or overdue, follow-up visits owed after
resolution, and hardship workers nobody has visited or helped for too long ("一年未帮扶"), or
whose file nobody has reviewed for a year ("一年未改").
"""

from __future__ import annotations

from datetime import date, timedelta

import orjson
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from app.models import Assistance, Base, Issue, Setting, Visit, VisitReach, Worker
from app.schemas.enums import (
    CLOSED_STATUSES,
    HardshipStatus,
    IssueCategory,
    IssueStatus,
    Urgency,
)

SETTING_KEY = "deadlines"


class DeadlinePolicy(BaseModel):
    """Local, configurable defaults (versioned so a future change can migrate old values)."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    urgency_days: dict[Urgency, int] = Field(
        default_factory=lambda: {Urgency.URGENT: 3, Urgency.PRESSING: 7, Urgency.NORMAL: 15}
    )
    # A category may demand a shorter limit than its urgency gives (unpaid wages cannot wait).
    category_days: dict[IssueCategory, int] = Field(
        default_factory=lambda: {IssueCategory.WAGES: 7, IssueCategory.SAFETY: 7}
    )
    due_soon_days: int = Field(default=3, ge=0, le=60)
    follow_up_days: int = Field(default=15, ge=1, le=365)
    hardship_contact_days: int = Field(default=365, ge=30, le=3650)
    hardship_review_days: int = Field(default=365, ge=30, le=3650)

    def due_on(self, received_on: date, urgency: Urgency, category: IssueCategory) -> date:
        days = self.urgency_days.get(urgency, 15)
        days = min(days, self.category_days.get(category, days))
        return received_on + timedelta(days=days)


def load_policy(session: Session) -> DeadlinePolicy:
    raw = session.get(Setting, SETTING_KEY)
    return DeadlinePolicy() if raw is None else DeadlinePolicy.model_validate_json(raw.value)


def save_policy(session: Session, policy: DeadlinePolicy) -> bool:
    """Store ``policy``; False (and nothing written) when it is the policy in force."""
    if policy == load_policy(session):
        return False
    value = orjson.dumps(policy.model_dump(mode="json")).decode()
    row = session.get(Setting, SETTING_KEY)
    if row is None:
        session.add(Setting(key=SETTING_KEY, value=value))
    else:
        row.value = value
    session.flush()
    return True


# ---- conditions, reused by lists, dashboards and reports -------------------------------------

_OPEN = Issue.status.not_in([s.value for s in CLOSED_STATUSES])


def live_issues() -> ColumnElement[bool]:
    return Issue.deleted.is_(False)


def is_overdue(on: date) -> ColumnElement[bool]:
    """Past its due date and not closed (docs/glossary.md#deadlines)."""
    return and_(live_issues(), _OPEN, Issue.due_on < on)


def is_due_soon(on: date, policy: DeadlinePolicy) -> ColumnElement[bool]:
    horizon = on + timedelta(days=policy.due_soon_days)
    return and_(live_issues(), _OPEN, Issue.due_on >= on, Issue.due_on <= horizon)


def owes_follow_up() -> ColumnElement[bool]:
    """Resolved, but nobody has gone back to ask whether the worker is satisfied."""
    return and_(live_issues(), Issue.status == IssueStatus.RESOLVED.value)


def follow_up_late(on: date, policy: DeadlinePolicy) -> ColumnElement[bool]:
    limit = on - timedelta(days=policy.follow_up_days)
    return and_(owes_follow_up(), Issue.resolved_on < limit)


def hardship_filed() -> ColumnElement[bool]:
    return and_(Worker.deleted.is_(False), Worker.hardship_status == HardshipStatus.FILED.value)


def hardship_uncontacted(on: date, policy: DeadlinePolicy) -> ColumnElement[bool]:
    """Hardship workers with neither a visit nor assistance within the limit ("未帮扶")."""
    since = on - timedelta(days=policy.hardship_contact_days)
    visited = exists().where(
        VisitReach.worker_id == Worker.id,
        VisitReach.deleted.is_(False),
        Visit.id == VisitReach.visit_id,
        Visit.deleted.is_(False),
        Visit.visited_on >= since,
    )
    helped = exists().where(
        Assistance.worker_id == Worker.id,
        Assistance.deleted.is_(False),
        Assistance.given_on >= since,
    )
    return and_(hardship_filed(), ~visited, ~helped)


def hardship_unreviewed(on: date, policy: DeadlinePolicy) -> ColumnElement[bool]:
    """Hardship files not reviewed within the limit ("一年未改")."""
    since = on - timedelta(days=policy.hardship_review_days)
    reviewed = func.coalesce(Worker.hardship_reviewed_on, Worker.hardship_filed_on)
    return and_(hardship_filed(), or_(reviewed.is_(None), reviewed < since))


def count(session: Session, model: type[Base], condition: ColumnElement[bool]) -> int:
    return session.execute(select(func.count()).select_from(model).where(condition)).scalar_one()
