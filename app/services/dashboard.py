"""工作台: today's and this week's work at a glance, from a handful of indexed counts, and
the first few entries of each work queue. Counts and lists use the queue conditions of
``app.services.queues``, which the list screens filter with, so a tile's number is the length
of the list it opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import ChangeLog, Conflict, Issue, Visit, Worker, held
from app.schemas.enums import HardshipLevel
from app.services.deadlines import count, follow_up_late, load_policy
from app.services.queues import issue_queue, record_queue, week_start


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
    month_start = on.replace(day=1)
    live_visit = Visit.deleted.is_(False)

    def issues(queue: str) -> int:
        return count(session, Issue, issue_queue(session, queue, on))

    def workers(queue: str) -> int:
        return count(session, Worker, record_queue(session, "worker", queue, on))

    return Dashboard(
        overdue=issues("overdue"),
        due_soon=issues("due_soon"),
        follow_ups_owed=issues("follow_ups"),
        follow_ups_late=count(session, Issue, follow_up_late(on, policy)),
        hardship_uncontacted=workers("hardship_uncontacted"),
        hardship_unreviewed=workers("hardship_unreviewed"),
        needs_review=issues("needs_review"),
        open_issues=issues("open"),
        issues_this_week=count(
            session, Issue, Issue.deleted.is_(False) & (Issue.received_on >= week_start(on))
        ),
        visits_this_week=count(session, Visit, record_queue(session, "visit", "this_week", on)),
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


# ---- the first entries of each queue, for the dashboard's lists -----------------------------

SHOWN = 8  # entries per dashboard list; 查看全部 opens the whole queue


@dataclass(frozen=True)
class Entry:
    """One line of a dashboard list: the row it opens and what it says."""

    id: str
    due_on: date | None
    number: str
    text: str
    hardship_level: str = ""


@dataclass(frozen=True)
class Snapshot:
    board: Dashboard
    overdue: list[Entry]
    due_soon: list[Entry]
    follow_ups: list[Entry]
    hardship: list[Entry]


def _cases(
    session: Session, queue: str, on: date, order: InstrumentedAttribute[date | None]
) -> list[Entry]:
    rows = session.execute(
        select(Issue.id, Issue.number, Issue.title, Issue.due_on)
        .where(issue_queue(session, queue, on))
        .order_by(order, Issue.number)
        .limit(SHOWN)
    )
    return [Entry(r.id, r.due_on, r.number, r.title) for r in rows]


def snapshot(session: Session, on: date) -> Snapshot:
    """The dashboard's counts and lists, in one trip to the database lane."""
    hardship = session.execute(
        select(Worker.id, Worker.name, Worker.hardship_level)
        .where(record_queue(session, "worker", "hardship_uncontacted", on))
        .order_by(Worker.name, Worker.id)
        .limit(SHOWN)
    )
    return Snapshot(
        board=dashboard(session, on),
        overdue=_cases(session, "overdue", on, Issue.due_on),
        due_soon=_cases(session, "due_soon", on, Issue.due_on),
        follow_ups=_cases(session, "follow_ups", on, Issue.resolved_on),
        hardship=[
            Entry(r.id, None, "", r.name, HardshipLevel(r.hardship_level).value) for r in hardship
        ],
    )
