"""The issue list: filters, Chinese full-text search, paging, and rows for display.

Lists are model/view over ids: ``issue_ids`` answers which cases match, in order (cheap even for
100,000 cases: one indexed query returning ids), and ``issue_rows`` fetches the few rows on
screen. Text search uses the FTS5 trigram index for terms of three characters or more; shorter
terms (many Chinese words have two characters: 欠薪, 社保) fall back to a substring scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Row,
    and_,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app.models import Enterprise, Issue, Worker
from app.schemas.enums import CLOSED_STATUSES, IssueCategory, IssueStatus
from app.services.confidential import complainant_label
from app.services.deadlines import is_overdue
from app.services.queues import issue_queue, needs_review
from app.services.search_terms import categories_for, like_pattern, split_query

SORTS: dict[str, InstrumentedAttribute[Any]] = {
    "received_on": Issue.received_on,
    "due_on": Issue.due_on,
    "number": Issue.number,
    "status": Issue.status,
    "category": Issue.category,
}


@dataclass(frozen=True)
class IssueFilter:
    statuses: tuple[IssueStatus, ...] = ()
    categories: tuple[IssueCategory, ...] = ()
    enterprise_id: str | None = None
    assignee: str | None = None
    overdue: bool = False
    needs_review: bool = False
    text: str = ""
    include_deleted: bool = False
    queue: str = ""  # a dashboard queue (``app.services.queues.ISSUE_QUEUES``), or none


@dataclass(frozen=True)
class IssueRow:
    id: str
    number: str
    title: str
    category: str
    urgency: str
    status: str
    enterprise_id: str
    enterprise_name: str
    complainant: str
    collective: bool
    people_count: int
    received_on: date
    due_on: date
    assignee: str | None
    overdue: bool
    days_open: int
    needs_review: bool
    deleted: bool


def _in_text(term: str) -> ColumnElement[bool]:
    """The case's number, title, description (or resolution) contains ``term``: the FTS5
    trigram index for three characters or more, a substring scan below."""
    if len(term) >= 3:
        phrase = '"' + term.replace('"', '""') + '"'
        return literal_column("issue.rowid").in_(
            select(literal_column("rowid"))
            .select_from(text("issue_fts"))
            # an anonymous parameter each: a named one (``:q``) made every long term of a
            # query search for the last one
            .where(literal_column("issue_fts").op("MATCH")(phrase))
        )
    pattern = like_pattern(term)
    return or_(  # the same columns as the FTS index
        Issue.title.like(pattern, escape="\\"),
        Issue.description.like(pattern, escape="\\"),
        Issue.resolution.like(pattern, escape="\\"),
        Issue.number.like(pattern, escape="\\"),
    )


NAMES_INLINE = 10_000  # more matching names than this are looked up by subquery instead


def _named(session: Session, model: type[Enterprise | Worker], pattern: str) -> Any:
    """Ids of ``model`` rows whose name contains the pattern, for ``IN``: a list looked up
    first, or a subquery when the list would be huge.

    Two things keep a search keystroke within bounds on 100,000 cases: the list (SQLite re-runs
    an ``IN (SELECT …)`` inside an OR for every case), and reading names from the covering
    name index by rowid rather than scanning the table (whose pages would push the cases'
    pages out of the cache, tripling the next scan)."""
    table = model.__tablename__
    rowid: ColumnClause[int] = literal_column(f"{table}.rowid")
    matching = select(rowid).select_from(model).where(model.name.like(pattern, escape="\\"))
    found = select(model.id).where(rowid.in_(matching))
    ids = list(session.execute(found.limit(NAMES_INLINE + 1)).scalars())
    return found if len(ids) > NAMES_INLINE else ids


def _term_condition(session: Session, term: str) -> Any:
    """What a cadre may mean by one search term: the case's text, its enterprise's name, its
    complainant's name (not for a confidential case: a search must not tell who complained)
    or its category, by label or usual word (``search_terms``)."""
    pattern = like_pattern(term)
    conditions = [_in_text(term)]
    enterprises = _named(session, Enterprise, pattern)
    if not isinstance(enterprises, list) or enterprises:
        conditions.append(Issue.enterprise_id.in_(enterprises))
    workers = _named(session, Worker, pattern)
    if not isinstance(workers, list) or workers:
        conditions.append(and_(Issue.confidential.is_(False), Issue.worker_id.in_(workers)))
    categories = categories_for(term)
    if categories:
        conditions.append(Issue.category.in_(categories))
    return or_(*conditions)


def _text_condition(session: Session, query: str) -> Any:
    """Every term must match, each in any of the ways ``_term_condition`` says. A query of
    nothing but unusable characters matches nothing (no text contains them)."""
    terms = split_query(query)
    if not terms:
        return false()
    return and_(*(_term_condition(session, term) for term in terms))


def _conditions(session: Session, f: IssueFilter, on: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [] if f.include_deleted else [Issue.deleted.is_(False)]
    if f.statuses:
        conditions.append(Issue.status.in_([s.value for s in f.statuses]))
    if f.categories:
        conditions.append(Issue.category.in_([c.value for c in f.categories]))
    if f.enterprise_id:
        conditions.append(Issue.enterprise_id == f.enterprise_id)
    if f.assignee:
        conditions.append(Issue.assignee == f.assignee)
    if f.overdue:
        conditions.append(is_overdue(on))
    if f.needs_review:
        conditions.append(needs_review())
    if f.queue:
        conditions.append(issue_queue(session, f.queue, on))
    if f.text.strip():
        conditions.append(_text_condition(session, f.text))
    return conditions


def count_issues(session: Session, f: IssueFilter, on: date) -> int:
    stmt = select(func.count()).select_from(Issue).where(*_conditions(session, f, on))
    return session.execute(stmt).scalar_one()


def issue_ids(
    session: Session,
    f: IssueFilter,
    on: date,
    *,
    sort: str = "received_on",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
) -> list[str]:
    """Ids of matching cases in display order (ties broken by number, then id)."""
    column = SORTS[sort]
    order = [column.desc() if descending else column.asc(), Issue.number.desc(), Issue.id]
    stmt = select(Issue.id).where(*_conditions(session, f, on)).order_by(*order).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).scalars())


def issue_rows(session: Session, ids: Sequence[str], on: date, viewer: str) -> list[IssueRow]:
    """Display rows for ``ids``, in that order. The complainant of a confidential case shows
    as （保密） to every viewer, the cadre who registered it included (``viewer``, the local
    replica id, no longer changes that: see ``app.services.confidential``)."""
    if not ids:
        return []
    complainant = aliased(Worker)
    stmt = (
        select(
            Issue,
            Enterprise.name.label("enterprise_name"),
            complainant.name.label("worker_name"),
            needs_review().label("needs_review"),
        )
        .join(Enterprise, Enterprise.id == Issue.enterprise_id)
        .outerjoin(complainant, complainant.id == Issue.worker_id)
        .where(Issue.id.in_(list(ids)))
    )
    found = {r.Issue.id: r for r in session.execute(stmt)}
    return [_row(found[i], on, viewer) for i in ids if i in found]


def list_issues(
    session: Session, f: IssueFilter, on: date, viewer: str, *, limit: int = 100, offset: int = 0
) -> list[IssueRow]:
    ids = issue_ids(session, f, on, limit=limit, offset=offset)
    return issue_rows(session, ids, on, viewer)


def _row(r: Row[*tuple[Any, ...]], on: date, viewer: str) -> IssueRow:
    issue: Issue = r.Issue
    closed = IssueStatus(issue.status) in CLOSED_STATUSES
    end = issue.resolved_on if issue.resolved_on and closed else on
    return IssueRow(
        id=issue.id,
        number=issue.number,
        title=issue.title,
        category=issue.category,
        urgency=issue.urgency,
        status=issue.status,
        enterprise_id=issue.enterprise_id,
        enterprise_name=r.enterprise_name,
        complainant=complainant_label(issue, r.worker_name),
        collective=issue.collective,
        people_count=issue.people_count,
        received_on=issue.received_on,
        due_on=issue.due_on,
        assignee=issue.assignee,
        overdue=not closed and not issue.deleted and issue.due_on < on,
        days_open=max(0, (end - issue.received_on).days),
        needs_review=bool(r.needs_review),
        deleted=issue.deleted,
    )
