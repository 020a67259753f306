"""Lists of ledger records for screens and exports: filters, text search, paging, masking.

Each kind of record has a ``RecordQuery``: ``ids`` answers which records match, in display
order (cheap for large ledgers), and ``rows`` returns display rows for the ids on screen.
Personal data is masked in rows (ID numbers, phones, hardship details); the full record is
available only through ``privacy.reveal_worker`` and the edit form, which the UI opens on an
explicit action with a reason on record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Assistance,
    Enterprise,
    Practice,
    Replicated,
    Visit,
    Worker,
    Workshop,
)
from app.schemas.enums import HardshipLevel
from app.schemas.validators import mask_id_number, mask_phone
from app.services.queues import record_queue
from app.services.search_terms import like_pattern, split_query


@dataclass(frozen=True)
class RecordFilter:
    text: str = ""
    enterprise_id: str | None = None
    hardship_only: bool = False
    include_deleted: bool = False
    queue: str = ""  # a dashboard queue of this kind (``app.services.queues.RECORD_QUEUES``)
    on: date | None = None  # the day queues are counted on; today if not given


@dataclass(frozen=True)
class RecordRow:
    """One line of a list: its id and display values in column order."""

    id: str
    values: tuple[Any, ...]
    deleted: bool = False
    flags: frozenset[str] = field(default_factory=frozenset)  # e.g. {"hardship", "extreme"}


def _text(columns: Sequence[Any], text: str, enterprise: Any = None) -> Any:
    """Every term in one of ``columns`` or, for records of an enterprise, in the enterprise's
    name (a cadre searches 走访 by the company visited); the name lookup runs once, on the
    small enterprise table."""
    terms = split_query(text)
    if not terms:
        return false()  # only characters no text holds: nothing matches

    def term(t: str) -> Any:
        found = [c.like(like_pattern(t), escape="\\") for c in columns]
        if enterprise is not None:
            named = select(Enterprise.id).where(Enterprise.name.like(like_pattern(t), escape="\\"))
            found.append(enterprise.in_(named))
        return or_(*found)

    return and_(*(term(t) for t in terms))


@dataclass(frozen=True)
class RecordQuery:
    model: type[Replicated]
    headers: tuple[str, ...]
    searchable: Callable[[], Sequence[Any]]
    order: Callable[[], Sequence[Any]]
    select_rows: Callable[[], Select[*tuple[Any, ...]]]
    to_row: Callable[[Any], RecordRow]
    enterprise_column: Callable[[], Any] | None = None
    kind: str = ""

    def _where(self, session: Session, f: RecordFilter) -> list[Any]:
        where: list[Any] = [] if f.include_deleted else [self.model.deleted.is_(False)]
        if f.enterprise_id and self.enterprise_column is not None:
            where.append(self.enterprise_column() == f.enterprise_id)
        if f.hardship_only and self.model is Worker:
            where.append(Worker.hardship_level != HardshipLevel.NONE.value)
        if f.queue:
            where.append(record_queue(session, self.kind, f.queue, f.on or date.today()))
        if f.text.strip():
            column = self.enterprise_column() if self.enterprise_column else None
            where.append(_text(self.searchable(), f.text, column))
        return where

    def count(self, session: Session, f: RecordFilter) -> int:
        stmt = select(func.count()).select_from(self.model).where(*self._where(session, f))
        return session.execute(stmt).scalar_one()

    def ids(self, session: Session, f: RecordFilter) -> list[str]:
        stmt = select(self.model.id).where(*self._where(session, f)).order_by(*self.order())
        return list(session.execute(stmt).scalars())

    def rows(self, session: Session, ids: Sequence[str]) -> list[RecordRow]:
        if not ids:
            return []
        stmt = self.select_rows().where(self.model.id.in_(list(ids)))
        found = {row.id: row for row in (self.to_row(r) for r in session.execute(stmt))}
        return [found[i] for i in ids if i in found]


def _enterprise_row(r: Any) -> RecordRow:
    e = r.Enterprise
    return RecordRow(
        e.id,
        (
            e.name,
            e.credit_code or "",
            e.industry or "",
            e.headcount,
            bool(e.union_founded),  # the list words yes and no
            bool(e.collective_contract),
            e.address or "",
        ),
        e.deleted,
    )


def _worker_row(r: Any) -> RecordRow:
    w = r.Worker
    flags = frozenset({"hardship", w.hardship_level} if w.hardship_level != "none" else ())
    return RecordRow(
        w.id,
        (
            w.name,
            r.enterprise_name,
            r.workshop_name or "",
            w.gender,
            mask_phone(w.phone),
            mask_id_number(w.id_number),
            w.member,
            w.hardship_level,
        ),
        w.deleted,
        flags,
    )


def _visit_row(r: Any) -> RecordRow:
    v = r.Visit
    return RecordRow(
        v.id,
        (v.visited_on, r.enterprise_name, v.kind, v.cadre or "", v.people_count, v.summary),
        v.deleted,
    )


def _assistance_row(r: Any) -> RecordRow:
    a = r.Assistance
    return RecordRow(
        a.id,
        (
            a.given_on,
            r.worker_name,
            r.enterprise_name,
            a.kind,
            a.amount_fen,
            a.funding_source,
            a.cadre or "",
        ),
        a.deleted,
    )


def _practice_row(r: Any) -> RecordRow:
    p = r.Practice
    return RecordRow(
        p.id, (p.collected_on, p.title, r.enterprise_name or "", p.status, p.cadre or ""), p.deleted
    )


def _with_enterprise(
    model: type[Replicated], column: Any, *extra: Any
) -> Callable[[], Select[*tuple[Any, ...]]]:
    return lambda: select(model, Enterprise.name.label("enterprise_name"), *extra).join(
        Enterprise, Enterprise.id == column, isouter=True
    )


_QUERIES: dict[str, RecordQuery] = {
    "enterprise": RecordQuery(
        Enterprise,
        ("企业名称", "统一社会信用代码", "所属行业", "职工人数", "已建会", "集体合同", "地址"),
        lambda: (Enterprise.name, Enterprise.credit_code, Enterprise.address),
        lambda: (Enterprise.name, Enterprise.id),
        lambda: select(Enterprise),
        _enterprise_row,
    ),
    "workshop": RecordQuery(
        Workshop,
        ("车间/班组名称", "类型", "人数", "负责人"),
        lambda: (Workshop.name, Workshop.leader),
        lambda: (Workshop.name, Workshop.id),
        lambda: select(Workshop),
        lambda r: RecordRow(
            r.Workshop.id,
            (r.Workshop.name, r.Workshop.kind, r.Workshop.headcount, r.Workshop.leader or ""),
            r.Workshop.deleted,
        ),
        lambda: Workshop.enterprise_id,
    ),
    "worker": RecordQuery(
        Worker,
        ("姓名", "所在企业", "车间/班组", "性别", "手机号", "身份证号", "会员", "困难类别"),
        lambda: (Worker.name, Worker.position),
        lambda: (Worker.name, Worker.id),
        lambda: (
            select(
                Worker,
                Enterprise.name.label("enterprise_name"),
                Workshop.name.label("workshop_name"),
            )
            .join(Enterprise, Enterprise.id == Worker.enterprise_id)
            .join(Workshop, Workshop.id == Worker.workshop_id, isouter=True)
        ),
        _worker_row,
        lambda: Worker.enterprise_id,
    ),
    "visit": RecordQuery(
        Visit,
        ("走访日期", "企业", "类型", "走访干部", "接触人数", "走访情况"),
        lambda: (Visit.summary, Visit.findings, Visit.cadre),
        lambda: (Visit.visited_on.desc(), Visit.id),
        _with_enterprise(Visit, Visit.enterprise_id),
        _visit_row,
        lambda: Visit.enterprise_id,
    ),
    "assistance": RecordQuery(
        Assistance,
        ("帮扶日期", "帮扶对象", "企业", "帮扶类型", "金额（元）", "资金来源", "经办人"),
        lambda: (Assistance.note, Assistance.cadre, Worker.name),
        lambda: (Assistance.given_on.desc(), Assistance.id),
        lambda: (
            select(
                Assistance,
                Worker.name.label("worker_name"),
                Enterprise.name.label("enterprise_name"),
            )
            .join(Worker, Worker.id == Assistance.worker_id)
            .join(Enterprise, Enterprise.id == Assistance.enterprise_id)
        ),
        _assistance_row,
        lambda: Assistance.enterprise_id,
    ),
    "practice": RecordQuery(
        Practice,
        ("收集日期", "标题", "来源企业", "状态", "收集人"),
        lambda: (Practice.title, Practice.content),
        lambda: (Practice.collected_on.desc(), Practice.id),
        _with_enterprise(Practice, Practice.enterprise_id),
        _practice_row,
        lambda: Practice.enterprise_id,
    ),
}


QUERIES: dict[str, RecordQuery] = {
    kind: dataclasses.replace(query, kind=kind) for kind, query in _QUERIES.items()
}


# Searching assistance by worker name needs the join in the id query as well.
def _assistance_ids(session: Session, f: RecordFilter) -> list[str]:
    q = QUERIES["assistance"]
    stmt = (
        select(Assistance.id)
        .join(Worker, Worker.id == Assistance.worker_id)
        .where(*q._where(session, f))
        .order_by(*q.order())
    )
    return list(session.execute(stmt).scalars())


def record_ids(session: Session, kind: str, f: RecordFilter) -> list[str]:
    if kind == "assistance":
        return _assistance_ids(session, f)
    return QUERIES[kind].ids(session, f)


def record_rows(session: Session, kind: str, ids: Sequence[str]) -> list[RecordRow]:
    return QUERIES[kind].rows(session, ids)
