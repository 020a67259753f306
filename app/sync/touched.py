"""What one transaction wrote, by kind of record, so the shell that started it can say so.

Screens refresh when records they show change. Rather than each caller guessing which kinds
its write affects, the core records what it really wrote on the session: the merge notes
every replicated row it applied or conflict it recorded (a local write goes through the same
merge, docs/architecture.md#services), and, on a watched session, flushes and DML statements
note the local tables they wrote (peers, sync state, the audit log, settings). The GUI's
``AppContext.write`` watches its session and announces the result once the transaction
commits; an edit that changed nothing announces nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Delete, Insert, Table, Update, event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.models.base import Base

_KEY = "jiceng.touched"

# Tables every write updates as bookkeeping; they change no screen by themselves.
BOOKKEEPING = frozenset({"replica", "change_log", "change_proof"})


def note(session: Session, names: Iterable[str]) -> None:
    """Record that this transaction wrote records of the kinds ``names`` (table names)."""
    found: set[str] | None = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = set()
    found.update(name for name in names if name not in BOOKKEEPING)


def seen(session: Session) -> frozenset[str]:
    """Every kind of record noted on ``session`` so far."""
    return frozenset(session.info.get(_KEY, ()))


def watch(session: Session) -> None:
    """Also note local tables written through this session: ORM objects at each flush and
    INSERT/UPDATE/DELETE statements given to ``session.execute``."""
    event.listen(session, "after_flush", _flushed)
    event.listen(session, "do_orm_execute", _executed)


def _flushed(session: Session, _flush: UOWTransaction) -> None:
    objects: Iterable[Any] = (*session.new, *session.dirty, *session.deleted)
    note(session, {getattr(obj, "__tablename__", "") for obj in objects} - {""})


def _executed(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, Insert | Update | Delete):
        table = statement.table
        if isinstance(table, Table) and table.metadata is Base.metadata:  # not staging
            note(state.session, {table.name})
