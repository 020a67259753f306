"""Visits (走访记录) with the workers and units they reached, and good practices (好经验好做法)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Enterprise, Practice, Visit, VisitReach, Worker, Workshop
from app.schemas.base import InputError
from app.schemas.ledger import PracticeIn, VisitIn
from app.services.common import get_live, require_live
from app.sync.writer import ChangeWriter


def _check_refs(session: Session, data: VisitIn) -> None:
    get_live(session, Enterprise, data.enterprise_id)
    require_live(session, Workshop, data.workshop_id)
    for worker_id in set(data.worker_ids):
        if get_live(session, Worker, worker_id).enterprise_id != data.enterprise_id:
            raise InputError.single("worker_ids", "走访职工", "有职工不属于所选企业")
    for workshop_id in set(data.workshop_ids):
        require_live(session, Workshop, workshop_id)


def record_visit(session: Session, data: VisitIn) -> str:
    """A visit and one reach row per worker or unit it reached."""
    _check_refs(session, data)
    with ChangeWriter(session) as w:
        visit_id = w.create("visit", data.model_dump(exclude={"worker_ids", "workshop_ids"}))
        for worker_id in dict.fromkeys(data.worker_ids):
            w.create("visit_reach", {"visit_id": visit_id, "worker_id": worker_id})
        for workshop_id in dict.fromkeys(data.workshop_ids):
            w.create("visit_reach", {"visit_id": visit_id, "workshop_id": workshop_id})
        return visit_id


def update_visit(
    session: Session, visit_id: str, data: VisitIn, *, base_hlc: str | None = None
) -> bool:
    """Edit a visit; reach rows are added or tombstoned to match the new lists."""
    get_live(session, Visit, visit_id)
    _check_refs(session, data)
    reached = session.execute(
        select(VisitReach.id, VisitReach.worker_id, VisitReach.workshop_id).where(
            VisitReach.visit_id == visit_id, VisitReach.deleted.is_(False)
        )
    ).all()
    wanted = {("worker", i) for i in data.worker_ids} | {("workshop", i) for i in data.workshop_ids}
    have = {
        (("worker", r.worker_id) if r.worker_id else ("workshop", r.workshop_id)): r.id
        for r in reached
    }
    with ChangeWriter(session) as w:
        changed = w.update(
            "visit",
            visit_id,
            data.model_dump(exclude={"worker_ids", "workshop_ids"}),
            base_hlc=base_hlc,
        )
        for key, reach_id in have.items():
            if key not in wanted:
                changed |= w.delete("visit_reach", reach_id)
        for kind, row_id in sorted(wanted - have.keys()):
            w.create("visit_reach", {"visit_id": visit_id, f"{kind}_id": row_id})
            changed = True
        return changed


def delete_visit(session: Session, visit_id: str) -> None:
    get_live(session, Visit, visit_id)
    with ChangeWriter(session) as w:
        w.delete("visit", visit_id)


def add_practice(session: Session, data: PracticeIn) -> str:
    require_live(session, Enterprise, data.enterprise_id)
    with ChangeWriter(session) as w:
        return w.create("practice", data.model_dump())


def update_practice(
    session: Session, practice_id: str, data: PracticeIn, *, base_hlc: str | None = None
) -> bool:
    get_live(session, Practice, practice_id)
    require_live(session, Enterprise, data.enterprise_id)
    with ChangeWriter(session) as w:
        return w.update("practice", practice_id, data.model_dump(), base_hlc=base_hlc)


def delete_practice(session: Session, practice_id: str) -> None:
    get_live(session, Practice, practice_id)
    with ChangeWriter(session) as w:
        w.delete("practice", practice_id)
