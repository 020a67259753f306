"""Reading the change log: what a replica holds, in arrival order, as wire changes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ChangeLog

_log = ChangeLog.__table__


def wire_rows(
    session: Session, *, after_seq: int = 0, limit: int | None = None, include_held: bool = False
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(seq, change)`` in arrival order after ``after_seq``. Quarantined changes are not
    passed on (they may be garbage from a broken clock) unless ``include_held``."""
    stmt = select(_log).where(_log.c.seq > after_seq).order_by(_log.c.seq)
    if not include_held:
        stmt = stmt.where(_log.c.status != "quarantined")
    if limit is not None:
        stmt = stmt.limit(limit)
    for row in session.execute(stmt).yield_per(2000):
        yield row.seq, wire_change(row)


def wire_change(row: Any) -> dict[str, Any]:
    """A change-log row in the wire form every transport carries (the shape
    ``Change.to_wire`` gives a parsed change; ``registry.wire_value`` does one field)."""
    return {
        "origin": row.origin,
        "counter": row.counter,
        "entity": row.entity,
        "row_id": row.row_id,
        "fields": orjson.loads(row.fields),
        "hlc": row.hlc,
        "base_hlc": row.base_hlc,
        "schema_rev": row.schema_rev,
    }


def all_changes(session: Session) -> list[dict[str, Any]]:
    return [change for _seq, change in wire_rows(session)]


def change_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(_log)).scalar_one()
