"""A change: one write to one row, as it is logged, stored and sent (docs/sync-protocol.md#change).

A change is named by ``(origin, counter)`` — the replica that made it and that replica's change
counter — which is its idempotency key on every path (HTTP, bundle, relay). ``fields`` holds
only the fields written, as wire values. ``base_hlc`` is the highest clock of the row as the
editor saw it (None for a create): it tells a concurrent edit from an informed one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from app.schemas.sync_api import encodable
from app.sync import hlc
from app.sync.registry import ENTITIES, ROW_ID, checkers

# The revision of the replicated data model. A change or bundle from a newer revision is
# refused ("update jiceng"); older ones are read through the current field checks.
# 2: issue.follow_up_method (回访方式), hardship level "accident" (意外致困).
SCHEMA_REV = 2


def canonical_json(value: Any) -> str:
    """Sorted-key compact JSON: equal values give equal text on every replica."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


@dataclass(slots=True)
class Change:
    origin: str
    counter: int
    entity: str
    row_id: str
    fields: dict[str, Any]
    hlc: str
    base_hlc: str | None
    schema_rev: int = SCHEMA_REV
    # set by ``from_wire`` once every rule held, so a merge does not check it a second time
    checked: bool = field(default=False, compare=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.origin}:{self.counter}"

    @property
    def is_create(self) -> bool:
        return self.base_hlc is None

    def fields_json(self) -> str:
        return canonical_json(self.fields)

    def to_wire(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "counter": self.counter,
            "entity": self.entity,
            "row_id": self.row_id,
            "fields": self.fields,
            "hlc": self.hlc,
            "base_hlc": self.base_hlc,
            "schema_rev": self.schema_rev,
        }

    def same_content(self, other: Change) -> bool:
        return (
            self.entity == other.entity
            and self.row_id == other.row_id
            and self.hlc == other.hlc
            and self.base_hlc == other.base_hlc
            and self.fields_json() == other.fields_json()
        )


class ChangeRejected(ValueError):
    """A received change that cannot be applied; ``reason`` says why in a stable form."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_ENVELOPE = ("origin", "counter", "entity", "row_id", "fields", "hlc", "base_hlc", "schema_rev")


def from_wire(data: Mapping[str, Any]) -> Change:
    """A checked ``Change`` from decoded JSON, or ``ChangeRejected`` saying what is wrong.

    Checks are cheap on purpose (bundles carry hundreds of thousands): shape, identity, clock,
    entity, and every field against its column.
    """
    if not isinstance(data, Mapping):
        raise ChangeRejected("change: not an object")
    extra = set(data) - set(_ENVELOPE)
    if extra:
        raise ChangeRejected(f"change: unknown keys {sorted(extra)}")
    origin, counter = data.get("origin"), data.get("counter")
    if not isinstance(origin, str) or not _is_replica(origin):
        raise ChangeRejected("origin: not a replica id")
    if not isinstance(counter, int) or isinstance(counter, bool) or not 0 < counter < 2**53:
        raise ChangeRejected("counter: not a positive integer")
    rev = data.get("schema_rev")
    if not isinstance(rev, int) or isinstance(rev, bool) or rev < 1:
        raise ChangeRejected("schema_rev: not a revision number")
    if rev > SCHEMA_REV:
        raise ChangeRejected(f"schema_rev: {rev} is newer than {SCHEMA_REV}; update jiceng")
    change = Change(
        origin=origin,
        counter=counter,
        entity=_str(data, "entity"),
        row_id=_str(data, "row_id"),
        fields=_fields(data.get("fields")),
        hlc=_clock(data.get("hlc"), "hlc"),
        base_hlc=None if data.get("base_hlc") is None else _clock(data["base_hlc"], "base_hlc"),
        schema_rev=rev,
    )
    check_change(change)
    change.checked = True
    return change


def check_change(change: Change) -> None:
    """Entity-level rules: known entity, UUID row, writable fields, valid values, creates full."""
    spec = ENTITIES.get(change.entity)
    if spec is None:
        raise ChangeRejected(f"entity: unknown entity {change.entity!r}")
    if not ROW_ID.fullmatch(change.row_id):
        raise ChangeRejected("row_id: not a UUID")
    if change.hlc[16:] != change.origin:
        raise ChangeRejected("hlc: not issued by the change's origin")
    if change.base_hlc is not None and change.base_hlc >= change.hlc:
        raise ChangeRejected("base_hlc: not before the change's own clock")
    if not change.fields:
        raise ChangeRejected("fields: empty")
    if spec.derived and change.is_create:
        raise ChangeRejected(f"entity: {spec.name} rows are derived, not created")
    if spec.append_only and not change.is_create:
        raise ChangeRejected(f"entity: {spec.name} is append-only")
    check = checkers(spec)
    for name, value in change.fields.items():
        checker = check.get(name)
        if checker is None:
            raise ChangeRejected(f"fields: {name!r} is not a writable field of {spec.name}")
        if isinstance(value, str) and not encodable(value):
            raise ChangeRejected(f"fields.{name}: 含有无效字符（孤立的代理码位）")
        reason = checker(value)
        if reason:
            raise ChangeRejected(f"fields.{reason}")
    if change.is_create:
        missing = spec.required - change.fields.keys()
        if missing:
            raise ChangeRejected(f"fields: a new {spec.name} needs {sorted(missing)}")


def _is_replica(value: str) -> bool:
    try:
        hlc.check_replica_id(value)
    except hlc.ClockError:
        return False
    return True


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ChangeRejected(f"{key}: expected text")
    return value


def _clock(value: Any, key: str) -> str:
    if not hlc.is_valid(value):
        raise ChangeRejected(f"{key}: not a clock value")
    return str(value)


def _fields(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):  # decoded JSON: keys are always text
        raise ChangeRejected("fields: not an object")
    return value
