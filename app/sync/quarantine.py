"""Changes held because their clock was too far ahead of local time
(docs/sync-protocol.md#quarantine).

A laptop whose clock is set a year ahead would otherwise win every field forever and drag
every replica's clock along. Such changes wait in the change log, visible to the user, who can
release them once they know the sender's clock (and so the change) is genuine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from app.models import ChangeLog, held
from app.sync.conflicts import clock_time
from app.sync.merge import MergeResult, apply_changes
from app.sync.replica import ReplicaState


@dataclass(frozen=True)
class HeldChange:
    id: str
    entity: str
    row_id: str
    clock_time: datetime
    received_at: datetime
    source: str | None


def held_changes(session: Session) -> list[HeldChange]:
    rows = session.execute(
        select(ChangeLog).where(held("quarantined")).order_by(ChangeLog.seq)
    ).scalars()
    return [
        HeldChange(
            f"{r.origin}:{r.counter}",
            r.entity,
            r.row_id,
            clock_time(r.hlc),
            r.received_at,
            r.source,
        )
        for r in rows
    ]


def release(session: Session, change_ids: list[str], district_id: str | None = None) -> MergeResult:
    """Let held changes through: they are merged now, as if they had just arrived. The
    server passes the district they are filed under (its merge settles only that one's)."""
    keys = []
    for change_id in change_ids:
        origin, _, counter = change_id.partition(":")
        if counter.isdigit():
            keys.append(and_(ChangeLog.origin == origin, ChangeLog.counter == int(counter)))
    if keys:
        session.execute(
            update(ChangeLog)
            .where(held("quarantined"), or_(*keys))
            .values(status="pending", waiting_for=None)
        )
    return apply_changes(session, [], state=ReplicaState.load(session), district_id=district_id)
