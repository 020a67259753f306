"""How services write: every write becomes a change, applied through the merge.

A service validates its input, then tells a ``ChangeWriter`` what to create, edit or delete.
The writer turns each write into a change — only the fields that really changed, stamped with
the next change counter and clock — and applies the queue through ``merge.apply_changes`` in
the caller's transaction. So a local write and a received one take exactly the same path, and
the rows and their change-log entries are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.ids import uuid7
from app.models.base import Base
from app.sync.changes import Change
from app.sync.conflicts import clock_wire_time
from app.sync.hlc import wall_ms
from app.sync.merge import MergeResult, apply_changes
from app.sync.registry import ENTITIES, PLAIN_TYPES, wire_value
from app.sync.replica import ReplicaState

FLUSH_AT = 5_000  # queued changes applied together (bounded memory for bulk writers)


class RowNotFoundError(LookupError):
    def __init__(self, entity: str, row_id: str) -> None:
        super().__init__(f"{entity} {row_id} not found")
        self.entity = entity
        self.row_id = row_id


def utc_now() -> datetime:
    """Naive UTC with millisecond precision: the form every timestamp field stores."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def utc_now_wire() -> str:
    return clock_wire_time(f"{wall_ms():012x}")


class ChangeWriter:
    """Queue writes as changes; ``flush`` (or leaving the ``with`` block) applies them."""

    def __init__(
        self, session: Session, state: ReplicaState | None = None, district_id: str | None = None
    ) -> None:
        self.session = session
        self.state = state or ReplicaState.load(session, for_update=True)
        self.district_id = district_id  # the server files its own writes under a district
        self.result = MergeResult()
        self._queue: list[Change] = []

    def __enter__(self) -> ChangeWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.flush()

    def create(self, entity: str, values: Mapping[str, Any], *, row_id: str | None = None) -> str:
        """A new row with every field set (defaults where ``values`` is silent); its id."""
        spec = ENTITIES[entity]
        fields = dict(spec.wire_defaults)
        fields["created_at"] = utc_now_wire()
        fields.update(_wire(spec.name, values))
        row_id = row_id or uuid7()
        self._emit(entity, row_id, fields, None)
        return row_id

    def update(
        self,
        entity: str,
        row_id: str,
        values: Mapping[str, Any],
        *,
        base_hlc: str | None = None,
        stored: Base | None = None,
    ) -> bool:
        """Write the fields of ``values`` that differ from the row; False if none did.

        ``base_hlc`` is the row's version as the user saw it (when a form was opened); by
        default, the row as it is now. An older base makes concurrent edits visible as
        conflicts instead of silently overwriting what the user never saw. ``stored`` is the
        row as the caller has just read it in this transaction (a service checks it before
        writing): it spares reading the row once more.
        """
        current = self.current(entity, row_id) if stored is None else self._as_read(stored)
        wired = _wire(entity, values)
        changed = {k: v for k, v in wired.items() if wire_value(current[k]) != v}
        if not changed:
            return False
        base = base_hlc or row_version(current) or "0" * 16 + self.state.replica_id
        self._emit(entity, row_id, changed, base)  # derived rows have no clocks: base zero
        return True

    def delete(self, entity: str, row_id: str, *, base_hlc: str | None = None) -> bool:
        return self.update(entity, row_id, {"deleted": True}, base_hlc=base_hlc)

    def restore(self, entity: str, row_id: str) -> bool:
        return self.update(entity, row_id, {"deleted": False})

    def current(self, entity: str, row_id: str) -> dict[str, Any]:
        """The row as it stands, including changes queued by this writer."""
        self.flush()
        table = ENTITIES[entity].table
        row = self.session.execute(select(table).where(table.c.id == row_id)).first()
        if row is None:
            raise RowNotFoundError(entity, row_id)
        return dict(row._mapping)

    def _as_read(self, row: Base) -> dict[str, Any]:
        """``row``'s columns, after this writer's queue is applied (an ORM copy the merge
        wrote since it was read is expired by then, so it reads back what is stored)."""
        self.flush()
        return {c.name: getattr(row, c.name) for c in row.__table__.columns}

    def flush(self) -> MergeResult:
        if self._queue:
            queue, self._queue = self._queue, []
            result = apply_changes(
                self.session, queue, state=self.state, local=True, district_id=self.district_id
            )
            self.result.add(result)
        return self.result

    def _emit(self, entity: str, row_id: str, fields: dict[str, Any], base: str | None) -> None:
        self._queue.append(
            Change(
                origin=self.state.replica_id,
                counter=self.state.next_counter(),
                entity=entity,
                row_id=row_id,
                fields=fields,
                hlc=self.state.clock.now().encode(),
                base_hlc=base,
            )
        )
        if len(self._queue) >= FLUSH_AT:
            self.flush()


def row_version(row: Mapping[str, Any]) -> str:
    """A row's version: the highest clock among its fields ("" for a derived row)."""
    clocks = orjson.loads(row["clocks"])
    return max(clocks.values()) if clocks else ""


def _wire(entity: str, values: Mapping[str, Any]) -> dict[str, Any]:
    fields = ENTITIES[entity].fields
    if not fields.keys() >= values.keys():
        raise KeyError(f"{entity} has no fields {sorted(values.keys() - fields.keys())}")
    return {k: v if type(v) in PLAIN_TYPES else wire_value(v) for k, v in values.items()}
