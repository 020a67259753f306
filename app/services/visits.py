"""Visits (走访记录) with the workers and units they reached, and good practices (好经验好做法)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Enterprise, Practice, Visit, VisitReach, Worker, Workshop
from app.schemas.base import InputError
from app.schemas.ledger import PracticeIn, VisitIn
from app.services.common import get_live, require_in_enterprise, require_live
from app.services.editing import only, wants
from app.sync.writer import ChangeWriter


def _check_refs(session: Session, data: VisitIn, known: frozenset[str] = frozenset()) -> None:
    """New references must be live and inside the visit's enterprise; ``known`` workers (those
    the visit already reached) are kept even if their rows were deleted since."""
    get_live(session, Enterprise, data.enterprise_id)
    field = ("workshop_id", "车间/班组")
    require_in_enterprise(session, Workshop, data.workshop_id, data.enterprise_id, field)
    for worker_id in set(data.worker_ids):
        worker = session.get(Worker, worker_id) if worker_id in known else None
        worker = worker or get_live(session, Worker, worker_id)
        if worker.enterprise_id != data.enterprise_id:
            raise InputError.single("worker_ids", "走访职工", "有职工不属于所选企业")
    for workshop_id in set(data.workshop_ids):
        require_live(session, Workshop, workshop_id)


def record_visit(session: Session, data: VisitIn) -> str:
    """A visit and one reach row per worker or unit it reached."""
    _check_refs(session, data)
    with ChangeWriter(session) as w:
        visit_id = w.create("visit", data.model_dump(exclude=set(REACH)))
        for worker_id in dict.fromkeys(data.worker_ids):
            w.create("visit_reach", {"visit_id": visit_id, "worker_id": worker_id})
        for workshop_id in dict.fromkeys(data.workshop_ids):
            w.create("visit_reach", {"visit_id": visit_id, "workshop_id": workshop_id})
        return visit_id


REACH = {"worker_ids": "worker", "workshop_ids": "workshop"}  # form list -> reach row kind


def update_visit(
    session: Session,
    visit_id: str,
    data: VisitIn,
    *,
    base_hlc: str | None = None,
    fields: Collection[str] | None = None,
) -> bool:
    """Edit ``fields`` of a visit (all when None); reach rows are added or tombstoned to
    match the lists among them, and a list not among them is left as it is."""
    row = get_live(session, Visit, visit_id)
    have = _reach_rows(session, visit_id)
    if wants(fields, "enterprise_id", "workshop_id", *REACH):
        _check_refs(session, data, frozenset(i for k, i in have if k == "worker"))
    kinds = {kind for name, kind in REACH.items() if wants(fields, name)}
    wanted = {(REACH[name], i) for name in REACH for i in getattr(data, name)}
    wanted = {key for key in wanted if key[0] in kinds}
    with ChangeWriter(session) as w:
        values = only(data, fields, exclude=set(REACH))
        changed = w.update("visit", visit_id, values, base_hlc=base_hlc, stored=row)
        for key, reach_id in have.items():
            if key[0] in kinds and key not in wanted:
                changed |= w.delete("visit_reach", reach_id)
        for kind, row_id in sorted(wanted - have.keys()):
            w.create("visit_reach", {"visit_id": visit_id, f"{kind}_id": row_id})
            changed = True
        return changed


def _reach_rows(session: Session, visit_id: str) -> dict[tuple[str, str], str]:
    """(kind, worker or workshop id) -> reach row id, for the live reach rows of a visit."""
    reached = session.execute(
        select(VisitReach.id, VisitReach.worker_id, VisitReach.workshop_id).where(
            VisitReach.visit_id == visit_id, VisitReach.deleted.is_(False)
        )
    ).all()
    return {
        (("worker", r.worker_id) if r.worker_id else ("workshop", r.workshop_id)): r.id
        for r in reached
    }


def delete_visit(session: Session, visit_id: str) -> None:
    get_live(session, Visit, visit_id)
    with ChangeWriter(session) as w:
        w.delete("visit", visit_id)


def add_practice(session: Session, data: PracticeIn) -> str:
    require_live(session, Enterprise, data.enterprise_id)
    with ChangeWriter(session) as w:
        return w.create("practice", data.model_dump())


def update_practice(
    session: Session,
    practice_id: str,
    data: PracticeIn,
    *,
    base_hlc: str | None = None,
    fields: Collection[str] | None = None,
) -> bool:
    row = get_live(session, Practice, practice_id)
    if wants(fields, "enterprise_id"):
        require_live(session, Enterprise, data.enterprise_id)
    with ChangeWriter(session) as w:
        values = only(data, fields)
        return w.update("practice", practice_id, values, base_hlc=base_hlc, stored=row)


def delete_practice(session: Session, practice_id: str) -> None:
    get_live(session, Practice, practice_id)
    with ChangeWriter(session) as w:
        w.delete("practice", practice_id)
