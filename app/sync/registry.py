"""What the merge knows about each replicated entity, read once from the models.

For every entity: its table, its writable fields with their wire kind, which fields a create
must carry, which fields point to a parent entity, and whether it is append-only. Values cross
the wire as JSON scalars: text, integers, booleans, null, dates as ``YYYY-MM-DD`` and
timestamps as ``YYYY-MM-DDTHH:MM:SS.mmm`` (UTC). ``wire_value`` converts; every
received field is checked here before the merge lets it near a table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnDefault,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
)

from app.models import META_COLUMNS, REPLICATED, Base, Conflict, Replicated
from app.schemas.enums import (
    AssistanceKind,
    EventKind,
    FollowUpMethod,
    FundingSource,
    Gender,
    HardshipLevel,
    HardshipStatus,
    IssueCategory,
    IssueSource,
    IssueStatus,
    PracticeStatus,
    Satisfaction,
    Urgency,
    VisitKind,
    WorkshopKind,
)

# Fields of a conflict record that a change may write; the rest are derived by the merge.
CONFLICT_WRITABLE = frozenset({"resolved", "resolution", "resolved_by"})
MAX_TEXT = 20_000  # characters in an unbounded text field
MAX_INT = 2**53  # integers that JSON readers everywhere represent exactly
INT32 = 2**31  # an INTEGER column on PostgreSQL holds -2**31 … 2**31 - 1

# Entities only the central server writes (``server admin add-district``): devices' changes to
# them are refused there, a replica's own rows of them stay local (provisional), and on every
# replica that knows the server its writes win over any other replica's.
SERVER_OWNED = frozenset({"district"})

# The text fields that hold a code of a closed vocabulary (``app.schemas.enums``): a value
# outside it fits the column, but no screen, report or rule knows what it means.
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    (entity, name): tuple(member.value for member in vocabulary)
    for (entity, name), vocabulary in {
        ("workshop", "kind"): WorkshopKind,
        ("worker", "gender"): Gender,
        ("worker", "hardship_level"): HardshipLevel,
        ("worker", "hardship_status"): HardshipStatus,
        ("visit", "kind"): VisitKind,
        ("issue", "category"): IssueCategory,
        ("issue", "urgency"): Urgency,
        ("issue", "source"): IssueSource,
        ("issue", "status"): IssueStatus,
        ("issue", "satisfaction"): Satisfaction,
        ("issue", "follow_up_method"): FollowUpMethod,
        ("issue_event", "kind"): EventKind,
        ("issue_event", "from_status"): IssueStatus,
        ("issue_event", "to_status"): IssueStatus,
        ("assistance", "kind"): AssistanceKind,
        ("assistance", "funding_source"): FundingSource,
        ("practice", "status"): PracticeStatus,
    }.items()
}
# How a conflict was settled: the choices ``services.conflicts`` offers, checked here too.
RESOLUTIONS = ("keep", "other", "edited")
VOCABULARIES["conflict", "resolution"] = RESOLUTIONS
# A reference holds a row id, and every row id is a UUID in canonical text.
ROW_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: str  # "str" | "int" | "bool" | "date" | "datetime"
    nullable: bool
    max_len: int | None
    parent: str | None  # entity the value refers to, for foreign keys
    default: Any
    int_bound: int = MAX_INT  # an integer must lie in [-int_bound, int_bound)
    choices: tuple[str, ...] | None = None  # the codes a vocabulary field may hold


@dataclass(frozen=True, slots=True)
class ParentRef:
    """A foreign-key field: ``name`` holds the id of a row of entity ``parent``."""

    name: str
    parent: str


@dataclass(frozen=True, slots=True)
class EntitySpec:
    name: str
    model: type[Replicated]
    table: Table
    order: int
    fields: Mapping[str, FieldSpec]
    required: frozenset[str]  # fields a create must carry
    writable: frozenset[str]  # fields a received change may write
    append_only: bool
    derived: bool  # rows made by the merge itself (conflicts), never created by a change
    wire_defaults: Mapping[str, Any]  # every field's default, in wire form

    @property
    def parent_fields(self) -> tuple[ParentRef, ...]:
        return tuple(ParentRef(f.name, f.parent) for f in self.fields.values() if f.parent)


# ---- values -------------------------------------------------------------------------------


PLAIN_TYPES = frozenset({str, int, bool, type(None)})  # already in wire form


def wire_value(value: Any) -> Any:
    """A Python value as its canonical JSON scalar."""
    if type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _kind(column_type: Any) -> str:
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, DateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, String | Text):
        return "str"
    raise TypeError(f"no wire kind for {column_type!r}")


def _spec(model: type[Replicated], order: int) -> EntitySpec:
    table = Base.metadata.tables[model.__tablename__]
    fields: dict[str, FieldSpec] = {}
    for column in table.columns:
        if column.name in META_COLUMNS:
            continue
        parents = {fk.column.table.name for fk in column.foreign_keys}
        default = column.default.arg if isinstance(column.default, ColumnDefault) else None
        fields[column.name] = FieldSpec(
            name=column.name,
            kind=_kind(column.type),
            nullable=bool(column.nullable),
            max_len=getattr(column.type, "length", None),
            parent=parents.pop() if parents else None,
            default=None if callable(default) else default,
            int_bound=MAX_INT if isinstance(column.type, BigInteger) else INT32,
            choices=VOCABULARIES.get((table.name, column.name)),
        )
    required = frozenset(f.name for f in fields.values() if not f.nullable and f.default is None)
    derived = model is Conflict
    return EntitySpec(
        name=table.name,
        model=model,
        table=table,
        order=order,
        fields=fields,
        required=required,
        writable=CONFLICT_WRITABLE if derived else frozenset(fields),
        append_only=model.append_only,
        derived=derived,
        wire_defaults={name: wire_value(f.default) for name, f in fields.items()},
    )


ENTITIES: dict[str, EntitySpec] = {
    model.__tablename__: _spec(model, i) for i, model in enumerate(REPLICATED)
}


def entity(name: str) -> EntitySpec:
    return ENTITIES[name]


Checker = Callable[[Any], str | None]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}")


def _checker(spec: FieldSpec) -> Checker:
    """A check for one field, built once: bundles carry hundreds of thousands of changes."""
    name = spec.name
    null = None if spec.nullable else f"{name}: may not be null"
    if spec.kind == "str":
        limit = spec.max_len or MAX_TEXT
        choices = frozenset(spec.choices or ())
        shape = ROW_ID if spec.parent else None

        def check_str(v: Any) -> str | None:
            if type(v) is str or isinstance(v, str):
                if len(v) > limit:
                    return f"{name}: longer than {limit} characters"
                if "\x00" in v:
                    return f"{name}: contains NUL"
                if choices and v not in choices:
                    return f"{name}: not one of {sorted(choices)}"
                if shape is not None and not shape.fullmatch(v):
                    return f"{name}: not a row id"
                return None
            return null if v is None else f"{name}: expected text"

        return check_str
    if spec.kind == "bool":
        return lambda v: (
            None
            if v is True or v is False
            else (null if v is None else f"{name}: expected true or false")
        )
    if spec.kind == "int":

        bound = spec.int_bound

        def check_int(v: Any) -> str | None:
            if type(v) is int and -bound <= v < bound:
                return None
            if type(v) is int:
                return f"{name}: out of range (at most {bound - 1})"
            return null if v is None else f"{name}: expected an integer"

        return check_int
    pattern = _DATE if spec.kind == "date" else _DATETIME
    parse = date.fromisoformat if spec.kind == "date" else datetime.fromisoformat

    def check_temporal(v: Any) -> str | None:
        if v is None:
            return null
        if type(v) is not str or not pattern.fullmatch(v):
            return f"{name}: expected a {spec.kind} as canonical text"
        try:
            parse(v)
        except ValueError:
            return f"{name}: not a valid {spec.kind}"
        return None

    return check_temporal


_CHECKERS: dict[FieldSpec, Checker] = {
    f: _checker(f) for e in ENTITIES.values() for f in e.fields.values()
}


def checkers(spec: EntitySpec) -> dict[str, Checker]:
    """Field name -> check, for the fields a received change may write."""
    return _ENTITY_CHECKERS[spec.name]


_ENTITY_CHECKERS = {
    e.name: {n: _CHECKERS[f] for n, f in e.fields.items() if n in e.writable}
    for e in ENTITIES.values()
}
