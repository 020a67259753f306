"""Changes the server holds because their clock ran ahead, and their release.

A laptop whose clock runs two hours fast stamps its changes two hours ahead; merged at once
they would win every later edit of their fields for those two hours and drag every clock
along, so the merge quarantines them (``app.sync.merge``, the maximum skew). They are not
lost and not delivered: they wait in the change log, and

- are released by themselves once real time has caught up with their stamp, at the next
  push or pull of their district (under its lock, in that request's transaction);
- are listed and released by the administrator (``jiceng server admin quarantine``), who
  has checked that the clock, and so the change, is genuine;
- are counted in every pull reply to the device that sent them, so its cadre sees them as
  held by the server (``SyncState.server_held``), never as delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, func, literal, select, update
from sqlalchemy.orm import Session

from app.models import ChangeLog, Device, District, held
from app.server import locks
from app.sync import quarantine
from app.sync.conflicts import clock_time
from app.sync.hlc import wall_ms
from app.sync.merge import apply_changes
from app.sync.replica import ReplicaState

SHOWN = 200  # ids a pull reply names; the count is always exact


def release_due(
    session: Session, district_id: str, max_skew_ms: int, now_ms: int | None = None
) -> int:
    """Merge ``district_id``'s held changes whose stamp is no longer ahead of the server's
    clock (by more than the allowed skew); returns how many. Cheap when none are due: one
    look at the held-status index, no lock."""
    now_ms = wall_ms() if now_ms is None else now_ms
    # Encoded clocks start with the milliseconds in fixed-width hex: text order is time order.
    bound = f"{now_ms + max_skew_ms + 1:012x}"
    due = held("quarantined") & (ChangeLog.district_id == district_id) & (ChangeLog.hlc < bound)
    if session.scalar(select(ChangeLog.seq).where(due).limit(1)) is None:
        return 0
    locks.lock_district(session, district_id)
    session.execute(update(ChangeLog).where(due).values(status="pending", waiting_for=None))
    return _merge(session, district_id)


def _merge(session: Session, district_id: str) -> int:
    """Apply the district's changes marked pending-without-a-parent (just released)."""
    state = ReplicaState.load(session)
    return apply_changes(session, [], state=state, district_id=district_id).released


def held_for(session: Session, device: Device) -> tuple[int, list[str]]:
    """How many of the changes ``device`` pushed are held, and the ids of the first few."""
    mine = held("quarantined") & (ChangeLog.source == f"device:{device.id}")
    count = session.scalar(select(func.count()).select_from(ChangeLog).where(mine)) or 0
    ids = session.execute(
        select(ChangeLog.origin, ChangeLog.counter).where(mine).order_by(ChangeLog.seq).limit(SHOWN)
    ).all()
    return int(count), [f"{o}:{c}" for o, c in ids]


@dataclass(frozen=True)
class HeldRow:
    id: str
    district_id: str
    district: str
    device: str
    entity: str
    clock_time: datetime
    received_at: datetime


def held_rows(session: Session, district_id: str | None = None) -> list[HeldRow]:
    """Every held change, oldest first, with the district and the device that sent it."""
    query = (
        select(ChangeLog, District.name, Device.name)
        .join(District, District.id == ChangeLog.district_id, isouter=True)
        .join(Device, ChangeLog.source == literal("device:", String) + Device.id, isouter=True)
        .where(held("quarantined"))
        .order_by(ChangeLog.seq)
    )
    if district_id is not None:
        query = query.where(ChangeLog.district_id == district_id)
    return [
        HeldRow(
            f"{c.origin}:{c.counter}",
            c.district_id or "",
            district or c.district_id or "",
            device or c.source or "",
            c.entity,
            clock_time(c.hlc),
            c.received_at,
        )
        for c, district, device in session.execute(query)
    ]


def release(session: Session, ids: list[str] | None, district_id: str | None = None) -> int:
    """Release held changes now (all of them, one district's, or the given ids): each
    district's are merged under its lock. Returns how many were merged."""
    wanted = None if ids is None else set(ids)
    rows = [r for r in held_rows(session, district_id) if wanted is None or r.id in wanted]
    released = 0
    for district in sorted({r.district_id for r in rows}):
        locks.lock_district(session, district)
        chosen = [r.id for r in rows if r.district_id == district]
        released += quarantine.release(session, chosen, district).released
    return released
