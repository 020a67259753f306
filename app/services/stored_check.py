"""The ledger check: no stored value its screens, reports and exports cannot show.

Received changes are checked field by field against the registry (vocabularies, lengths,
ranges, row ids) before the merge lets them near a table, so a bad value can no longer
arrive. A ledger from before those checks may still hold one — a case whose status a
district-mate's device set to "bogus" broke the case list, the detail, both exports and
``jiceng stats`` on every laptop of the district. When a data folder is opened under rules
it has not been checked against, this module finds every stored value the rules refuse,
records it in ``isolated_value`` (what was stored, and why it was refused) and writes a
stand-in the screens can show in its place.

The stand-in is written locally, without a change: it is the same on every replica that
runs the check (a pure function of the field's rules and the stored value), so upgraded
replicas still agree, and it keeps the field's clock, so the next real edit of the field —
the repair, from any replica — wins everywhere as any edit does. The originals stay listed
(``isolated``) until someone has repaired the record or dismissed the entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from app.models import IsolatedValue, Setting
from app.sync.registry import ENTITIES, MAX_TEXT, EntitySpec, FieldSpec
from app.sync.writer import utc_now

SETTING_KEY = "stored_check"
# Why a value was isolated (worded by the UI: app/ui/messages.py ISOLATION_REASONS).
REASONS = ("not_in_vocabulary", "too_long", "contains_nul", "wrong_type", "out_of_range",
           "missing", "not_a_row_id", "not_a_date")
_HEX = "[0-9a-f]"
_ROW_ID_GLOB = "-".join(_HEX * n for n in (8, 4, 4, 4, 12))


@dataclass(frozen=True)
class Isolated:
    entity: str
    row_id: str
    field: str
    value: Any  # as it was stored
    stand_in: Any
    reason: str


@cache
def rules_version() -> str:
    """A digest of every field's rules: the check runs again whenever they change."""
    rules = [
        (e.name, f.name, f.kind, f.nullable, f.max_len, f.parent, f.int_bound, f.choices)
        for e in ENTITIES.values()
        for f in e.fields.values()
    ]
    return hashlib.sha256(orjson.dumps(rules)).hexdigest()[:16]


def check_due(session: Session) -> bool:
    """Whether ``check_stored`` has anything to do: rules this ledger was not checked
    against, or an isolated entry repaired since. A read, so a command that only reads
    takes no write lock when nothing is due."""
    if not _checked(session):
        return True
    return any(not _standing(session, e) for e in session.scalars(select(IsolatedValue)))


def _checked(session: Session) -> bool:
    done = session.get(Setting, SETTING_KEY)
    return done is not None and done.value == orjson.dumps(rules_version()).decode()


def check_stored(session: Session) -> int:
    """Isolate every stored value the current rules refuse, once per version of the rules;
    how many were isolated now (0 when the ledger was already checked). Entries repaired
    since are forgotten first."""
    forget_repaired(session)
    if _checked(session):
        return 0
    version = rules_version()
    found = list(find_invalid(session))
    for item in found:
        _isolate(session, item)
    session.merge(Setting(key=SETTING_KEY, value=orjson.dumps(version).decode()))
    return len(found)


def find_invalid(session: Session) -> Iterator[Isolated]:
    """Every stored value of every replicated field that its rules refuse (SQLite: the
    replica's store; one scan per field, in SQL). Fields no change writes are left alone: a
    conflict's values are the JSON text the merge made of two checked values (a value of
    20,000 characters is longer as JSON, and a stand-in cut to length was no JSON at all)."""
    for spec in ENTITIES.values():
        for field in spec.fields.values():
            if field.name in spec.writable:
                yield from _invalid_in(session, spec, field)


def _invalid_in(session: Session, spec: EntitySpec, field: FieldSpec) -> Iterator[Isolated]:
    column = f'"{field.name}"'
    rows = session.execute(
        text(f'SELECT id, {column} FROM "{spec.table.name}" WHERE {_refused(field, column)}')
    )
    for row_id, value in rows:
        reason = _reason(field, value)
        if reason is not None:
            yield Isolated(spec.name, row_id, field.name, value, _stand_in(field, value), reason)


def _refused(field: FieldSpec, c: str) -> str:
    """A cheap SQL filter for the rows worth a closer look (``_reason`` decides)."""
    present = {
        "str": f"typeof({c}) != 'text' OR length({c}) > {field.max_len or MAX_TEXT}"
        f" OR instr({c}, char(0)) > 0"
        + (f" OR {c} NOT IN ({', '.join(_quoted(v) for v in field.choices)})"
           if field.choices else "")
        + (f" OR {c} NOT GLOB '{_ROW_ID_GLOB}'" if field.parent else ""),
        "int": f"typeof({c}) != 'integer' OR {c} >= {field.int_bound} OR {c} < {-field.int_bound}",
        "bool": f"typeof({c}) != 'integer' OR {c} NOT IN (0, 1)",
        "date": f"typeof({c}) != 'text' OR date({c}) IS NULL OR date({c}) != {c}",
        "datetime": f"typeof({c}) != 'text' OR datetime({c}) IS NULL",
    }[field.kind]
    missing = f"{c} IS NULL OR " if not field.nullable else ""
    return f"{missing}({c} IS NOT NULL AND ({present}))"


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _reason(field: FieldSpec, value: Any) -> str | None:
    if value is None:
        return None if field.nullable else "missing"
    if field.kind == "str":
        if not isinstance(value, str):
            return "wrong_type"
        if "\x00" in value:
            return "contains_nul"
        if len(value) > (field.max_len or MAX_TEXT):
            return "too_long"
        if field.choices and value not in field.choices:
            return "not_in_vocabulary"
        return "not_a_row_id" if field.parent else None
    if field.kind in ("int", "bool"):
        return "wrong_type" if not isinstance(value, int) else "out_of_range"
    return "not_a_date"


def _stand_in(field: FieldSpec, value: Any) -> Any:
    """What the row holds instead, as the data file stores it (a flag as 0 or 1)."""
    chosen = _stand_in_value(field, value)
    return int(bool(chosen)) if field.kind == "bool" and chosen is not None else chosen


def _stand_in_value(field: FieldSpec, value: Any) -> Any:
    """Nothing where the field may be empty; else the field's default, the text cleaned
    and cut to length, or the vocabulary's first code."""
    if field.kind == "str" and isinstance(value, str) and not field.choices and not field.parent:
        return value.replace("\x00", "")[: field.max_len or MAX_TEXT]
    if field.nullable:
        return None
    if field.default is not None:
        return field.default
    if field.choices:
        return field.choices[0]
    return {"int": 0, "bool": 0, "date": "1970-01-01", "datetime": "1970-01-01 00:00:00"}.get(
        field.kind, value
    )


def _isolate(session: Session, item: Isolated) -> None:
    table = ENTITIES[item.entity].table.name
    session.execute(
        text(f'UPDATE "{table}" SET "{item.field}" = :v WHERE id = :id'),
        {"v": item.stand_in, "id": item.row_id},
    )
    session.merge(
        IsolatedValue(
            entity=item.entity,
            row_id=item.row_id,
            field=item.field,
            value=_json(item.value),
            stand_in=_json(item.stand_in),
            reason=item.reason,
            found_at=utc_now(),
        )
    )


def _json(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return orjson.dumps(value).decode()


def isolated(session: Session) -> list[IsolatedValue]:
    """The values set aside whose stand-in still stands, oldest first: the list the user
    repairs from. An entry whose field has since been edited (here or by a peer) is
    repaired and left out; ``forget_repaired`` removes it for good."""
    entries = session.scalars(
        select(IsolatedValue).order_by(
            IsolatedValue.found_at, IsolatedValue.entity, IsolatedValue.row_id
        )
    )
    return [e for e in entries if _standing(session, e)]


def forget_repaired(session: Session) -> int:
    """Drop the entries whose field no longer holds its stand-in; how many."""
    gone = [e for e in session.scalars(select(IsolatedValue)) if not _standing(session, e)]
    for entry in gone:
        session.execute(
            delete(IsolatedValue).where(
                IsolatedValue.entity == entry.entity,
                IsolatedValue.row_id == entry.row_id,
                IsolatedValue.field == entry.field,
            )
        )
    return len(gone)


def dismiss(session: Session, entity: str, row_id: str, field: str) -> None:
    """不再提示: the user accepts the stand-in (a record nobody may edit, an event)."""
    session.execute(
        delete(IsolatedValue).where(
            IsolatedValue.entity == entity,
            IsolatedValue.row_id == row_id,
            IsolatedValue.field == field,
        )
    )


def _standing(session: Session, entry: IsolatedValue) -> bool:
    spec = ENTITIES.get(entry.entity)
    if spec is None or entry.field not in spec.fields:
        return False
    current = session.execute(
        text(f'SELECT "{entry.field}" FROM "{spec.table.name}" WHERE id = :id'),
        {"id": entry.row_id},
    ).scalar()
    return _json(current) == entry.stand_in
