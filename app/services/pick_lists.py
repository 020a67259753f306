"""What a form's pick lists offer: enterprises, workshops and workers, searched over the whole
ledger as the user types.

A pick list shows at most ``LIMIT`` matches and says when there were more, so a district with
thousands of workers never loads them all and never hides one either: typing narrows the
search until the wanted row is among the matches. The stored value of an edit form does not
come from here (see ``app.services.editing``): it is always shown, whatever the search says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import Enterprise, Worker, Workshop
from app.schemas.validators import mask_phone

LIMIT = 200


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    deleted: bool = False  # a stored reference to a deleted row, kept so nothing is lost


@dataclass(frozen=True)
class ChoicePage:
    """The matches of one search; ``more`` when the search matched more than were returned."""

    choices: list[Choice]
    more: bool = False


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def text_matches(
    columns: tuple[InstrumentedAttribute[str | None], ...], text: str
) -> ColumnElement[bool]:
    """Every whitespace-separated term appears in one of ``columns`` (case-insensitive)."""
    terms = [t for t in text.split() if t]
    return and_(
        *(or_(*(c.like(_like(t), escape="\\") for c in columns)) for t in terms)
    )


def worker_label(name: str, phone: str | None) -> str:
    """A worker as pick lists show them: the masked phone tells namesakes apart."""
    return f"{name}（{mask_phone(phone)}）" if phone else name


def _page(session: Session, stmt: Select[str, str], limit: int) -> ChoicePage:
    rows = session.execute(stmt.limit(limit + 1)).all()
    return ChoicePage([Choice(r[0], r[1]) for r in rows[:limit]], more=len(rows) > limit)


def enterprise_choices(
    session: Session, _dependency: str | None = None, text: str = "", limit: int = LIMIT
) -> ChoicePage:
    stmt = select(Enterprise.id, Enterprise.name).where(Enterprise.deleted.is_(False))
    if text.strip():
        stmt = stmt.where(text_matches((Enterprise.name, Enterprise.credit_code), text))
    return _page(session, stmt.order_by(Enterprise.name, Enterprise.id), limit)


def workshop_choices(
    session: Session, enterprise_id: str | None, text: str = "", limit: int = LIMIT
) -> ChoicePage:
    """The workshops and teams of one enterprise (none until an enterprise is chosen)."""
    if not enterprise_id:
        return ChoicePage([])
    stmt = select(Workshop.id, Workshop.name).where(
        Workshop.enterprise_id == enterprise_id, Workshop.deleted.is_(False)
    )
    if text.strip():
        stmt = stmt.where(text_matches((Workshop.name,), text))
    return _page(session, stmt.order_by(Workshop.name, Workshop.id), limit)


def worker_choices(
    session: Session, enterprise_id: str | None, text: str = "", limit: int = LIMIT
) -> ChoicePage:
    """Workers by name, within the enterprise when one is chosen."""
    stmt = select(Worker.id, Worker.name, Worker.phone).where(Worker.deleted.is_(False))
    if enterprise_id:
        stmt = stmt.where(Worker.enterprise_id == enterprise_id)
    if text.strip():
        stmt = stmt.where(text_matches((Worker.name,), text))
    rows = session.execute(stmt.order_by(Worker.name, Worker.id).limit(limit + 1)).all()
    choices = [Choice(r.id, worker_label(r.name, r.phone)) for r in rows[:limit]]
    return ChoicePage(choices, more=len(rows) > limit)


Loader = Callable[[Session, str | None, str, int], ChoicePage]

LOADERS: dict[str, Loader] = {
    "enterprise": enterprise_choices,
    "workshop": workshop_choices,
    "worker": worker_choices,
}


def label_of(session: Session, ref: str, row_id: str | None) -> Choice | None:
    """The entry for one row (a preset or stored id), deleted or not; None if not here."""
    if row_id is None:
        return None
    model = {"enterprise": Enterprise, "workshop": Workshop, "worker": Worker}[ref]
    row = session.get(model, row_id)
    if not isinstance(row, Enterprise | Workshop | Worker):  # None: not here
        return None
    text = worker_label(row.name, row.phone) if isinstance(row, Worker) else row.name
    return Choice(row.id, text, deleted=row.deleted)


def search(
    session: Session, ref: str, dependency: str | None, text: str = "", limit: int = LIMIT
) -> ChoicePage:
    """One search of the pick list for ``ref`` (enterprise | workshop | worker)."""
    return LOADERS[ref](session, dependency, text, limit)
