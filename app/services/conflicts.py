"""Concurrent edits waiting for someone to look: list them, and resolve them.

Resolving writes ordinary changes — the chosen value for the field (if it is not already the
current one) and ``resolved`` on the conflict record — so the resolution syncs like any edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Conflict
from app.services.common import get_live
from app.services.errors import RuleError
from app.sync.registry import RESOLUTIONS as CHOICES
from app.sync.writer import ChangeWriter


@dataclass(frozen=True)
class ConflictView:
    id: str
    entity: str
    row_id: str
    field: str
    winner_value: Any
    loser_value: Any
    winner_change: str
    loser_change: str
    created_at: datetime
    resolved: bool
    resolution: str | None


def open_conflicts(
    session: Session, entity: str | None = None, row_id: str | None = None
) -> list[ConflictView]:
    stmt = select(Conflict).where(Conflict.resolved.is_(False), Conflict.deleted.is_(False))
    if entity is not None:
        stmt = stmt.where(Conflict.entity == entity)
    if row_id is not None:
        stmt = stmt.where(Conflict.row_id == row_id)
    rows = session.execute(stmt.order_by(Conflict.created_at, Conflict.id)).scalars()
    return [view(c) for c in rows]


def view(c: Conflict) -> ConflictView:
    return ConflictView(
        id=c.id,
        entity=c.entity,
        row_id=c.row_id,
        field=c.field,
        winner_value=orjson.loads(c.winner_value) if c.winner_value else None,
        loser_value=orjson.loads(c.loser_value) if c.loser_value else None,
        winner_change=c.winner_change,
        loser_change=c.loser_change,
        created_at=c.created_at,
        resolved=c.resolved,
        resolution=c.resolution,
    )


def resolve_conflict(session: Session, conflict_id: str, choice: str) -> None:
    """``keep`` the current value, take the ``other`` (losing) value, or mark ``edited``
    after the user corrected the record by hand."""
    if choice not in CHOICES:
        raise RuleError("bad_choice", f"无效的处理方式：{choice}", values={"choice": choice})
    conflict = view(get_live(session, Conflict, conflict_id))
    if conflict.resolved:
        return
    with ChangeWriter(session) as w:
        if choice == "other":
            _take_other(w, conflict)
        w.update(
            "conflict",
            conflict.id,
            {"resolved": True, "resolution": choice, "resolved_by": w.state.name},
        )


def _take_other(w: ChangeWriter, c: ConflictView) -> None:
    if c.field != "deleted":
        w.update(c.entity, c.row_id, {c.field: c.loser_value})
    elif c.loser_value is True:
        w.delete(c.entity, c.row_id)
    else:  # the losing side was an edit made without seeing the deletion: bring it back
        w.update(c.entity, c.row_id, {**dict(c.loser_value or {}), "deleted": False})
