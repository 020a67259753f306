"""工作台: today's and this week's work at a glance, from a handful of indexed counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ChangeLog, Conflict, Issue, Visit, Worker, held
from app.services.deadlines import (
    count,
    follow_up_late,
    hardship_uncontacted,
    hardship_unreviewed,
    is_due_soon,
    is_overdue,
    load_policy,
    owes_follow_up,
)
from app.services.issue_list import needs_review


@dataclass(frozen=True)
class Dashboard:
    overdue: int
    due_soon: int
    follow_ups_owed: int
    follow_ups_late: int
    hardship_uncontacted: int
    hardship_unreviewed: int
    needs_review: int
    open_issues: int
    issues_this_week: int
    visits_this_week: int
    visits_this_month: int
    unsent_changes: int  # filled in by the sync layer's caller; 0 here
    pending_changes: int
    quarantined_changes: int


def dashboard(session: Session, on: date) -> Dashboard:
    policy = load_policy(session)
    week_start = on - timedelta(days=on.weekday())
    month_start = on.replace(day=1)
    live_visit = Visit.deleted.is_(False)
    return Dashboard(
        overdue=count(session, Issue, is_overdue(on)),
        due_soon=count(session, Issue, is_due_soon(on, policy)),
        follow_ups_owed=count(session, Issue, owes_follow_up()),
        follow_ups_late=count(session, Issue, follow_up_late(on, policy)),
        hardship_uncontacted=count(session, Worker, hardship_uncontacted(on, policy)),
        hardship_unreviewed=count(session, Worker, hardship_unreviewed(on, policy)),
        needs_review=count(session, Issue, needs_review() & Issue.deleted.is_(False)),
        open_issues=count(
            session,
            Issue,
            Issue.deleted.is_(False) & Issue.status.not_in(["resolved", "followed_up", "declined"]),
        ),
        issues_this_week=count(
            session, Issue, Issue.deleted.is_(False) & (Issue.received_on >= week_start)
        ),
        visits_this_week=count(session, Visit, live_visit & (Visit.visited_on >= week_start)),
        visits_this_month=count(session, Visit, live_visit & (Visit.visited_on >= month_start)),
        unsent_changes=0,
        pending_changes=_log_count(session, "pending"),
        quarantined_changes=_log_count(session, "quarantined"),
    )


def _log_count(session: Session, status: str) -> int:
    return session.execute(
        select(func.count()).select_from(ChangeLog).where(held(status))
    ).scalar_one()


def open_conflict_count(session: Session) -> int:
    return count(session, Conflict, Conflict.resolved.is_(False) & Conflict.deleted.is_(False))
