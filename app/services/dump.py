"""``jiceng dump``: the replicated state as canonical JSON Lines, for ``diff``.

One line per row, ``{"entity", "id", "fields"}``, sorted by entity and id, tombstoned rows
included and replica-local tables left out. Values use the wire forms, keys are sorted, so two
replicas that converged print byte-identical dumps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.schemas.validators import mask_id_number, mask_phone
from app.services.confidential import CONFIDENTIAL
from app.services.workbook import HIDDEN
from app.sync.changes import canonical_json
from app.sync.registry import ENTITIES, wire_value

_BOOKKEEPING = ("id", "clocks")


# Personal data, masked as the lists and the masked workbook show it.
_MASKS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("worker", "id_number"): mask_id_number,
    ("worker", "phone"): mask_phone,
    ("worker", "hardship_reason"): lambda v: HIDDEN if v else v,
}


def dump_lines(session: Session, *, personal: bool = True) -> Iterator[str]:
    """Every replicated row as a canonical line. With ``personal`` False (the command line's
    default) ID numbers and phones are masked, hardship details hidden and the complainant
    of a confidential case left out, as every list and the masked workbook show them; full
    data takes ``privacy.permit_export`` first, like any export."""
    for name in sorted(ENTITIES):
        table = ENTITIES[name].table
        columns = [c for c in table.columns if c.name not in _BOOKKEEPING]
        stmt = select(table.c.id, *columns).order_by(table.c.id)
        for row in session.execute(stmt).yield_per(2000):
            values = row._mapping
            fields = {c.name: wire_value(values[c.name]) for c in columns}
            if not personal:
                _mask(name, fields)
            yield canonical_json({"entity": name, "id": row.id, "fields": fields})


def _mask(entity: str, fields: dict[str, Any]) -> None:
    for (masked_entity, field), mask in _MASKS.items():
        if masked_entity == entity and fields.get(field) is not None:
            fields[field] = mask(fields[field])
    if entity == "issue" and fields.get("confidential") and fields.get("worker_id"):
        fields["worker_id"] = CONFIDENTIAL
