"""Workers (职工), their hardship files (困难档案), and the help given to them (帮扶慰问)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy.orm import Session

from app.models import Assistance, Enterprise, Issue, Worker, Workshop
from app.schemas.enums import HardshipLevel, HardshipStatus
from app.schemas.ledger import AssistanceIn, WorkerIn
from app.services.common import (
    get_live,
    refuse_if_used,
    require_in_enterprise,
    require_live,
    today,
)
from app.services.editing import only, wants
from app.services.errors import RuleError
from app.sync.writer import ChangeWriter


def _check_refs(session: Session, data: WorkerIn) -> None:
    get_live(session, Enterprise, data.enterprise_id)
    field = ("workshop_id", "车间/班组")
    require_in_enterprise(session, Workshop, data.workshop_id, data.enterprise_id, field)


def _values(data: WorkerIn) -> dict[str, object]:
    return data.model_dump()


def create_worker(session: Session, data: WorkerIn) -> str:
    _check_refs(session, data)
    values = _values(data)
    if data.hardship_level != HardshipLevel.NONE:
        values.update(
            hardship_status=HardshipStatus.FILED,
            hardship_filed_on=today(),
            hardship_reviewed_on=today(),
        )
    with ChangeWriter(session) as w:
        return w.create("worker", values)


def update_worker(
    session: Session,
    worker_id: str,
    data: WorkerIn,
    *,
    base_hlc: str | None = None,
    fields: Collection[str] | None = None,
) -> bool:
    """Edit a worker's ``fields`` (all when None). Changing the hardship level here counts
    as reviewing the file."""
    current = get_live(session, Worker, worker_id)
    if wants(fields, "enterprise_id", "workshop_id"):
        _check_refs(session, data)
    values = only(data, fields)
    if wants(fields, "hardship_level") and data.hardship_level != current.hardship_level:
        values.update(_hardship_values(current, data.hardship_level))
    with ChangeWriter(session) as w:
        return w.update("worker", worker_id, values, base_hlc=base_hlc, stored=current)


def _hardship_values(current: Worker, level: HardshipLevel) -> dict[str, object]:
    if level == HardshipLevel.NONE:
        if current.hardship_status == HardshipStatus.FILED:
            return {"hardship_status": HardshipStatus.LIFTED, "hardship_reviewed_on": today()}
        return {}
    values: dict[str, object] = {
        "hardship_status": HardshipStatus.FILED,
        "hardship_reviewed_on": today(),
    }
    if current.hardship_status != HardshipStatus.FILED:
        values["hardship_filed_on"] = today()
    return values


def review_hardship(session: Session, worker_id: str, on: date | None = None) -> bool:
    """Record the yearly review of a hardship file (the "一年未改" check looks at this)."""
    worker = get_live(session, Worker, worker_id)
    if worker.hardship_status != HardshipStatus.FILED:
        raise RuleError("no_hardship_file", "该职工没有在档的困难档案")
    with ChangeWriter(session) as w:
        return w.update("worker", worker_id, {"hardship_reviewed_on": on or today()})


def close_hardship(session: Session, worker_id: str, status: HardshipStatus) -> bool:
    """脱困 (lifted out of hardship) or 注销 (file cancelled)."""
    worker = get_live(session, Worker, worker_id)
    if status == HardshipStatus.FILED:
        raise RuleError("bad_status", "请通过修改困难类别来建档")
    if worker.hardship_status != HardshipStatus.FILED:
        raise RuleError("no_hardship_file", "该职工没有在档的困难档案")
    with ChangeWriter(session) as w:
        return w.update(
            "worker",
            worker_id,
            {
                "hardship_status": status,
                "hardship_level": HardshipLevel.NONE,
                "hardship_reviewed_on": today(),
            },
        )


def delete_worker(session: Session, worker_id: str) -> None:
    get_live(session, Worker, worker_id)
    refuse_if_used(
        session,
        "worker",
        [
            (Issue, Issue.worker_id == worker_id),
            (Assistance, Assistance.worker_id == worker_id),
        ],
    )
    with ChangeWriter(session) as w:
        w.delete("worker", worker_id)


def give_assistance(session: Session, data: AssistanceIn) -> str:
    worker = get_live(session, Worker, data.worker_id)
    with ChangeWriter(session) as w:
        return w.create("assistance", _assistance_values(data, worker.enterprise_id))


def update_assistance(
    session: Session,
    assistance_id: str,
    data: AssistanceIn,
    *,
    base_hlc: str | None = None,
    fields: Collection[str] | None = None,
) -> bool:
    """Edit ``fields`` of a record of help given; a new recipient brings their enterprise."""
    row = get_live(session, Assistance, assistance_id)
    values = only(data, fields, exclude={"amount"})
    if wants(fields, "amount"):
        values["amount_fen"] = data.amount_fen
    if wants(fields, "worker_id"):
        values["enterprise_id"] = get_live(session, Worker, data.worker_id).enterprise_id
    with ChangeWriter(session) as w:
        return w.update("assistance", assistance_id, values, base_hlc=base_hlc, stored=row)


def delete_assistance(session: Session, assistance_id: str) -> None:
    require_live(session, Assistance, assistance_id)
    with ChangeWriter(session) as w:
        w.delete("assistance", assistance_id)


def _assistance_values(data: AssistanceIn, enterprise_id: str) -> dict[str, object]:
    values = data.model_dump(exclude={"amount"})
    values.update(amount_fen=data.amount_fen, enterprise_id=enterprise_id)
    return values
