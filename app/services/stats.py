"""``jiceng stats``: how much is in the ledger, for people and for scripts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import REPLICATED, ChangeLog, Issue
from app.schemas.enums import IssueStatus
from app.services.dashboard import dashboard, open_conflict_count


def ledger_stats(session: Session, on: date) -> dict[str, Any]:
    """Counts of live rows per entity, cases by status, overdue, and the change log."""
    entities = {}
    deleted = {}
    for model in REPLICATED:
        rows = session.execute(select(model.deleted, func.count()).group_by(model.deleted)).all()
        by_flag = {bool(flag): n for flag, n in rows}
        entities[model.__tablename__] = by_flag.get(False, 0)
        deleted[model.__tablename__] = by_flag.get(True, 0)
    statuses = dict.fromkeys((s.value for s in IssueStatus), 0)
    for status, n in session.execute(
        select(Issue.status, func.count()).where(Issue.deleted.is_(False)).group_by(Issue.status)
    ):
        statuses[status] = n
    log = dict(
        session.execute(select(ChangeLog.status, func.count()).group_by(ChangeLog.status)).all()
    )
    board = dashboard(session, on)
    return {
        "entities": entities,
        "deleted": deleted,
        "issues_by_status": statuses,
        "overdue": board.overdue,
        "due_soon": board.due_soon,
        "follow_ups_owed": board.follow_ups_owed,
        "hardship_uncontacted": board.hardship_uncontacted,
        "open_conflicts": open_conflict_count(session),
        "changes": sum(log.values()),
        "changes_by_status": {k: log.get(k, 0) for k in ("applied", "pending", "quarantined")},
    }
