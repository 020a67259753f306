"""Push and pull, as the server performs them (one request = one transaction)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import ChangeLog, Device
from app.schemas.sync_api import PushResult
from app.server import scope
from app.sync.changes import Change, ChangeRejected, from_wire
from app.sync.log import to_wire
from app.sync.merge import apply_changes
from app.sync.replica import ReplicaState

_log = ChangeLog.__table__
_STATUS = {
    "applied": "accepted",
    "pending": "accepted",
    "duplicate": "duplicate",
    "quarantined": "quarantined",
    "rejected": "rejected",
}
# Serialises the part of a push that allocates log sequence numbers, so that on PostgreSQL
# they commit in order and a pull cursor can never pass a change that commits later.
LOG_LOCK = 7242002


def push(session: Session, device: Device, raw: list[dict[str, Any]]) -> list[PushResult]:
    """Check, scope and merge a device's changes; one answer per change, in request order."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({LOG_LOCK})"))
    answers: dict[int, PushResult] = {}
    valid: list[tuple[int, Change]] = []
    for i, item in enumerate(raw):
        try:
            valid.append((i, from_wire(item)))
        except ChangeRejected as err:
            answers[i] = PushResult(id=_claimed(item), status="rejected", reason=err.reason)
    verdicts = scope.check(session, device.district_id, [c for _, c in valid])
    admitted = []
    for i, change in valid:
        verdict = verdicts[change.id]
        if verdict.status == "ok":
            admitted.append((i, change))
        else:
            answers[i] = PushResult(id=change.id, status=verdict.status, reason=verdict.reason)  # type: ignore[arg-type]
    result = apply_changes(
        session,
        [c for _, c in admitted],
        state=ReplicaState.load(session),
        source=f"device:{device.id}",
        track_statuses=True,
        district_id=device.district_id,
    )
    reasons = dict(result.rejected)
    for i, change in admitted:
        status = result.statuses.get(change.id, "rejected")
        answers[i] = PushResult(
            id=change.id,
            status=_STATUS[status],
            reason=reasons.get(change.id),  # type: ignore[arg-type]
        )
    stored = [c for i, c in admitted if answers[i].status == "accepted"]
    scope.record(session, device.district_id, stored)
    return [answers[i] for i in range(len(raw))]


def pull(
    session: Session, device: Device, after: int, limit: int, *, mine: bool = False
) -> tuple[list[dict[str, Any]], int, bool]:
    """The device's district's changes after ``after``, in server order: its own left out,
    or (``mine``, for a device that restored a backup) only its own."""
    own = _log.c.origin == device.replica_id
    rows = session.execute(
        select(_log)
        .where(
            _log.c.district_id == device.district_id,
            _log.c.seq > after,
            _log.c.status == "applied",
            own if mine else ~own,
        )
        .order_by(_log.c.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = rows[-1].seq if rows else after
    return [to_wire(r) for r in rows], next_cursor, more


def _claimed(item: object) -> str:
    if isinstance(item, dict):
        return f"{item.get('origin')}:{item.get('counter')}"[:64]
    return "?"


def server_replica_id(session: Session) -> str:
    return ReplicaState.load(session).replica_id
