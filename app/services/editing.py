"""Edit forms, the service side: what a form shows of a stored record, and what a save writes.

Two promises rest here. A form never shows less than what is stored: every reference the
record holds comes with its label (a deleted row is shown as such), and a reference this
ledger cannot show refuses the form with a reason instead of letting a pick list substitute
another row. And a save writes only what the user changed: ``changed_fields`` compares the
form as it opened with the form as it is saved, so an unchanged save writes nothing at all and
a field the user never touched can never overwrite a colleague's concurrent edit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Assistance,
    Base,
    Issue,
    Visit,
    VisitReach,
)
from app.schemas.base import Input, InputError
from app.services.common import LABELS, get_live
from app.services.confidential import CONFIDENTIAL, is_masked
from app.services.errors import RuleError
from app.services.pick_lists import Choice, label_of
from app.sync.registry import ENTITIES
from app.sync.writer import row_version

# The references edit forms show, and the pick list (entity) each points into.
REFERENCES = {"enterprise_id": "enterprise", "workshop_id": "workshop", "worker_id": "worker"}


@dataclass(frozen=True)
class EditValues:
    """A record's current values for a form, its version (pass back as ``base_hlc``), the
    labels of the rows it refers to, and fields shown but not editable here."""

    values: dict[str, Any]
    version: str
    choices: dict[str, Choice] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    many: dict[str, tuple[Choice, ...]] = field(default_factory=dict)  # e.g. a visit's workers


def values_for_edit(session: Session, kind: str, row_id: str) -> EditValues:
    """The stored record ``row_id`` of ``kind`` as an edit form needs it.

    A confidential complainant (保密) is not named here either: the field shows （保密） and
    is locked, so a save keeps it exactly as stored."""
    row = get_live(session, ENTITIES[kind].model, row_id)
    values = stored_values(row)
    choices = {name: _choice(session, kind, name, values[name]) for name in _refs(values)}
    locked: frozenset[str] = frozenset()
    if isinstance(row, Issue) and row.worker_id and is_masked(row):
        choices["worker_id"] = Choice(row.worker_id, CONFIDENTIAL)
        locked = frozenset({"worker_id"})
    many: dict[str, tuple[Choice, ...]] = {}
    if isinstance(row, Assistance):
        values["amount"] = f"{row.amount_fen / 100:.2f}"
    if isinstance(row, Visit):
        workers, workshops = _reached(session, row_id)
        values["worker_ids"] = tuple(c.id for c in workers)
        values["workshop_ids"] = tuple(c.id for c in workshops)
        many = {"worker_ids": workers, "workshop_ids": workshops}
    return EditValues(values, row_version({"clocks": row.clocks}), choices, locked, many)


def stored_values(row: Base) -> dict[str, Any]:
    """Every column of ``row`` by name (what a form or a spreadsheet update starts from)."""
    return {c.name: getattr(row, c.name) for c in row.__table__.columns}


def _refs(values: Mapping[str, Any]) -> list[str]:
    return [name for name in REFERENCES if values.get(name)]


def _choice(session: Session, kind: str, name: str, ref_id: str) -> Choice:
    """The stored reference's entry; a row this ledger lacks refuses the form."""
    choice = label_of(session, REFERENCES[name], ref_id)
    if choice is None:
        what, owner = LABELS[REFERENCES[name]], LABELS[kind]
        raise RuleError(
            "missing_reference",
            f"该{owner}引用的{what}不在本机台账中（可能尚未同步到本机），暂不能编辑",
            field=name,
            values={"record": kind, "reference": REFERENCES[name]},
        )
    return choice


def _reached(session: Session, visit_id: str) -> tuple[tuple[Choice, ...], tuple[Choice, ...]]:
    """The workers and units a visit reached, sorted by id (the order the form compares in)."""
    rows = session.execute(
        select(VisitReach.worker_id, VisitReach.workshop_id).where(
            VisitReach.visit_id == visit_id, VisitReach.deleted.is_(False)
        )
    ).all()
    workers = sorted({r.worker_id for r in rows if r.worker_id})
    workshops = sorted({r.workshop_id for r in rows if r.workshop_id})
    return (
        tuple(_choice(session, "visit", "worker_id", i) for i in workers),
        tuple(_choice(session, "visit", "workshop_id", i) for i in workshops),
    )


def changed_fields(
    schema: type[Input], before: Mapping[str, Any], after: Mapping[str, Any]
) -> frozenset[str]:
    """The schema fields a save changes: those whose parsed value differs between the form as
    it opened (``before``) and as it is saved (``after``).

    Comparing parsed values lets a rule's consequence count as changed (a new ID number
    changes the gender read from it) while whitespace and formatting do not. When the stored
    record no longer passes today's rules, the raw values the user edited are compared."""
    edited = frozenset(k for k in after if before.get(k) != after.get(k))
    if not edited:
        return frozenset()
    try:
        old, new = schema.parse(dict(before)), schema.parse(dict(after))
    except InputError:
        return edited & schema.model_fields.keys()
    return frozenset(
        name for name in schema.model_fields if getattr(old, name) != getattr(new, name)
    )


def only(
    data: Input, fields: Collection[str] | None, *, exclude: Collection[str] = ()
) -> dict[str, Any]:
    """``data`` as stored values, limited to ``fields`` (all when None)."""
    include = None if fields is None else set(fields) - set(exclude)
    return data.model_dump(include=include, exclude=set(exclude))


def wants(fields: Collection[str] | None, *names: str) -> bool:
    """Whether a save of ``fields`` (all when None) writes any of ``names``."""
    return fields is None or any(n in fields for n in names)
