"""Small helpers shared by the services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.models import Replicated
from app.services.errors import RECORD_LABELS, InputError, NotFoundError, RuleError
from app.sync.writer import ChangeWriter

LABELS = RECORD_LABELS  # the records' Chinese names, by entity


def get_live(session: Session, model: type[Replicated], row_id: str | None) -> Any:
    """The row with ``row_id`` unless it is missing or deleted (then ``NotFoundError``)."""
    row = session.get(model, row_id) if row_id else None
    if row is None or row.deleted:
        raise NotFoundError(model.__tablename__, row_id or "")
    return row


def require_live(session: Session, model: type[Replicated], row_id: str | None) -> None:
    if row_id is not None:
        get_live(session, model, row_id)


def require_in_enterprise(
    session: Session,
    model: type[Replicated],
    row_id: str | None,
    enterprise_id: str,
    field: tuple[str, str],
) -> None:
    """A chosen workshop or worker must be live and belong to the record's enterprise;
    ``field`` is the form field (name, label) the refusal is shown under."""
    if row_id is not None and get_live(session, model, row_id).enterprise_id != enterprise_id:
        raise InputError.single(*field, "不属于所选企业")


def refuse_if_used(
    session: Session, entity: str, uses: Iterable[tuple[type[Replicated], Any]]
) -> None:
    """Refuse to delete an ``entity`` record that live records still refer to, saying which
    kind (the first of ``uses``, a model and the condition that finds them, that has any)."""
    for model, condition in uses:
        found = session.execute(
            select(exists().where(condition, model.deleted.is_(False)))
        ).scalar_one()
        if found:
            dependent = model.__tablename__
            label, what = RECORD_LABELS[entity], RECORD_LABELS[dependent]
            raise RuleError(
                "in_use",
                f"该{label}下还有{what}，请先处理后再删除",
                values={"record": entity, "dependent": dependent},
            )


def today() -> date:
    return date.today()


def restore(session: Session, entity: str, row_id: str) -> bool:
    """Undo a deletion: the tombstone is a field, so undoing it is an ordinary edit."""
    with ChangeWriter(session) as w:
        return w.restore(entity, row_id)
