"""Small helpers shared by the services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.models import Replicated
from app.services.errors import InputError, NotFoundError, RuleError
from app.sync.writer import ChangeWriter

LABELS = {
    "district": "区总工会",
    "enterprise": "企业",
    "workshop": "车间/班组",
    "stationing": "驻点记录",
    "worker": "职工",
    "visit": "走访记录",
    "visit_reach": "走访对象",
    "issue": "诉求",
    "issue_event": "办理记录",
    "issue_link": "关联诉求",
    "assistance": "帮扶记录",
    "practice": "好经验好做法",
    "conflict": "冲突记录",
}


def get_live(session: Session, model: type[Replicated], row_id: str | None) -> Any:
    """The row with ``row_id`` unless it is missing or deleted (then ``NotFoundError``)."""
    row = session.get(model, row_id) if row_id else None
    if row is None or row.deleted:
        raise NotFoundError(LABELS[model.__tablename__], row_id or "")
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
    session: Session, label: str, uses: Iterable[tuple[type[Replicated], Any, str]]
) -> None:
    """Refuse to delete a record that live records still refer to, saying which."""
    for model, condition, what in uses:
        found = session.execute(
            select(exists().where(condition, model.deleted.is_(False)))
        ).scalar_one()
        if found:
            raise RuleError("in_use", f"该{label}下还有{what}，请先处理后再删除")


def today() -> date:
    return date.today()


def restore(session: Session, entity: str, row_id: str) -> bool:
    """Undo a deletion: the tombstone is a field, so undoing it is an ordinary edit."""
    with ChangeWriter(session) as w:
        return w.restore(entity, row_id)
