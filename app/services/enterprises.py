"""Enterprises (企业), their workshops and teams (车间/班组), and cadres' stationings (驻点)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Enterprise, Issue, Visit, Worker, Workshop
from app.schemas.ledger import EnterpriseIn, WorkshopIn
from app.schemas.validators import fold_width
from app.services.common import get_live, refuse_if_used
from app.services.editing import only, wants
from app.sync.writer import ChangeWriter


@dataclass(frozen=True)
class EnterpriseRef:
    id: str
    name: str
    credit_code: str | None


def create_enterprise(session: Session, data: EnterpriseIn) -> str:
    with ChangeWriter(session) as w:
        return w.create("enterprise", {**data.model_dump(), "district_id": w.state.district_id})


def update_enterprise(
    session: Session,
    enterprise_id: str,
    data: EnterpriseIn,
    *,
    base_hlc: str | None = None,
    fields: Collection[str] | None = None,
) -> bool:
    """Write ``fields`` of ``data`` (all when None); False when nothing differed."""
    row = get_live(session, Enterprise, enterprise_id)
    with ChangeWriter(session) as w:
        values = only(data, fields)
        return w.update("enterprise", enterprise_id, values, base_hlc=base_hlc, stored=row)


def delete_enterprise(session: Session, enterprise_id: str) -> None:
    get_live(session, Enterprise, enterprise_id)
    refuse_if_used(
        session,
        "enterprise",
        [
            (Workshop, Workshop.enterprise_id == enterprise_id),
            (Worker, Worker.enterprise_id == enterprise_id),
            (Visit, Visit.enterprise_id == enterprise_id),
            (Issue, Issue.enterprise_id == enterprise_id),
        ],
    )
    with ChangeWriter(session) as w:
        w.delete("enterprise", enterprise_id)


def find_enterprise(session: Session, name_or_code: str) -> EnterpriseRef | None:
    """A live enterprise by exact credit code or name (what spreadsheets refer to)."""
    key = name_or_code.strip().upper()
    for column in (Enterprise.credit_code, Enterprise.name):
        row = session.execute(
            select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
            .where(column == (key if column is Enterprise.credit_code else name_or_code.strip()))
            .where(Enterprise.deleted.is_(False))
            .order_by(Enterprise.id)
        ).first()
        if row is not None:
            return EnterpriseRef(row.id, row.name, row.credit_code)
    found = match_name(session, name_or_code)
    if found is None:
        return None
    entity = session.get(Enterprise, found)
    assert entity is not None
    return EnterpriseRef(entity.id, entity.name, entity.credit_code)


def match_name(session: Session, name: str) -> str | None:
    """A live enterprise whose name differs from ``name`` only in full- or half-width forms.

    Names keep their brackets as typed, but older versions stored （集团） as (集团) and lists
    come either way: this is the second try after an exact match, so they still match."""
    key = fold_width(name)
    rows = session.execute(
        select(Enterprise.id, Enterprise.name)
        .where(Enterprise.deleted.is_(False))
        .order_by(Enterprise.id)
    )
    return next((r.id for r in rows if fold_width(r.name) == key), None)


def create_workshop(session: Session, data: WorkshopIn) -> str:
    get_live(session, Enterprise, data.enterprise_id)
    with ChangeWriter(session) as w:
        return w.create("workshop", data.model_dump())


def update_workshop(
    session: Session,
    workshop_id: str,
    data: WorkshopIn,
    *,
    base_hlc: str | None = None,
    fields: Collection[str] | None = None,
) -> bool:
    row = get_live(session, Workshop, workshop_id)
    if wants(fields, "enterprise_id"):
        get_live(session, Enterprise, data.enterprise_id)
    with ChangeWriter(session) as w:
        values = only(data, fields)
        return w.update("workshop", workshop_id, values, base_hlc=base_hlc, stored=row)


def delete_workshop(session: Session, workshop_id: str) -> None:
    get_live(session, Workshop, workshop_id)
    refuse_if_used(session, "workshop", [(Worker, Worker.workshop_id == workshop_id)])
    with ChangeWriter(session) as w:
        w.delete("workshop", workshop_id)
