"""The dashboard's work queues as list filters.

A tile on 工作台 counts a queue and a click on it opens the list it counts, so both must use
one definition: the dashboard counts with these conditions and the list screens filter with
them (``IssueFilter.queue``, ``RecordFilter.queue``). A queue that differed between the two
would show a number the list cannot explain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Exists, and_, exists
from sqlalchemy.orm import Session

from app.models import Conflict, Issue, Visit
from app.schemas.enums import CLOSED_STATUSES
from app.services.deadlines import (
    hardship_uncontacted,
    hardship_unreviewed,
    is_due_soon,
    is_overdue,
    load_policy,
    owes_follow_up,
)

Condition = Callable[[Session, date], Any]


def needs_review() -> Exists:
    """The case has a concurrent edit nobody has looked at yet."""
    return exists().where(
        Conflict.entity == "issue",
        Conflict.row_id == Issue.id,
        Conflict.resolved.is_(False),
        Conflict.deleted.is_(False),
    )


def open_issues() -> ColumnElement[bool]:
    """Live cases not yet resolved, followed up or declined (办理中)."""
    return and_(Issue.deleted.is_(False), Issue.status.not_in([s.value for s in CLOSED_STATUSES]))


def week_start(on: date) -> date:
    return on - timedelta(days=on.weekday())


ISSUE_QUEUES: dict[str, Condition] = {
    "overdue": lambda _s, on: is_overdue(on),
    "due_soon": lambda s, on: is_due_soon(on, load_policy(s)),
    "follow_ups": lambda _s, _on: owes_follow_up(),
    "needs_review": lambda _s, _on: and_(needs_review(), Issue.deleted.is_(False)),
    "open": lambda _s, _on: open_issues(),
}

RECORD_QUEUES: dict[str, dict[str, Condition]] = {
    "worker": {
        "hardship_uncontacted": lambda s, on: hardship_uncontacted(on, load_policy(s)),
        "hardship_unreviewed": lambda s, on: hardship_unreviewed(on, load_policy(s)),
    },
    "visit": {
        "this_week": lambda _s, on: and_(
            Visit.deleted.is_(False), Visit.visited_on >= week_start(on)
        ),
    },
}


def issue_queue(session: Session, name: str, on: date) -> Any:
    return ISSUE_QUEUES[name](session, on)


def record_queue(session: Session, kind: str, name: str, on: date) -> Any:
    """The condition of queue ``name`` on list ``kind``; KeyError if that list has none."""
    return RECORD_QUEUES[kind][name](session, on)
