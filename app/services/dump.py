"""``jiceng dump``: the replicated state as canonical JSON Lines, for ``diff``.

One line per row, ``{"entity", "id", "fields"}``, sorted by entity and id, tombstoned rows
included and replica-local tables left out. Values use the wire forms, keys are sorted, so two
replicas that converged print byte-identical dumps.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.changes import canonical_json
from app.sync.registry import ENTITIES, wire_value

_BOOKKEEPING = ("id", "clocks")


def dump_lines(session: Session) -> Iterator[str]:
    for name in sorted(ENTITIES):
        table = ENTITIES[name].table
        columns = [c for c in table.columns if c.name not in _BOOKKEEPING]
        stmt = select(table.c.id, *columns).order_by(table.c.id)
        for row in session.execute(stmt).yield_per(2000):
            values = row._mapping
            fields = {c.name: wire_value(values[c.name]) for c in columns}
            yield canonical_json({"entity": name, "id": row.id, "fields": fields})
