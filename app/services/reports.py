"""Statistics for a period (统计报表): what a district office reports upward each month.

Every figure is an SQL aggregate over live rows, narrowed by a ``Scope`` (one enterprise, one
cadre, or everything in this ledger) and a ``Period`` (inclusive dates). The same functions
feed the 统计报表 screen, the workbook and the monthly PDF, and ``issue_ids_for`` returns the
cases behind a figure so a screen can drill down to them.

Definitions, as the ledger records them:
- received: registered within the period; declined: received in the period and declined;
- resolved: resolved (办结) within the period, whether or not followed up since;
- overdue: still open at the end of the period (or today, if earlier) and past its due date;
- days to resolve: from registration to resolution, for cases resolved in the period;
- follow-up rate: of the cases resolved in the period, the share followed up (回访);
- satisfaction rate: of follow-ups made in the period, the share 满意 or 基本满意;
- coverage (两个普遍): of the enterprises in scope, the share with a union and with a
  collective contract, as the ledger stands now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from app.models import Assistance, Enterprise, Issue, Practice, Visit, Worker
from app.schemas.enums import CLOSED_STATUSES, IssueStatus, Satisfaction
from app.services.confidential import complainant_label

RESOLVED = (IssueStatus.RESOLVED.value, IssueStatus.FOLLOWED_UP.value)
CLOSED = tuple(s.value for s in CLOSED_STATUSES)
SATISFIED = (Satisfaction.SATISFIED.value, Satisfaction.BASICALLY.value)
DAY_BUCKETS = ((0, 7), (8, 15), (16, 30), (31, 60), (61, None))

Ts = TypeVarTuple("Ts")  # a query's column types, kept through scoped()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - timedelta(days=1))

    def label(self) -> str:
        return f"{self.start.isoformat()} — {self.end.isoformat()}"


@dataclass(frozen=True)
class Scope:
    enterprise_id: str | None = None
    cadre: str | None = None  # the assignee of cases, the cadre of visits and assistance


@dataclass
class CategoryFigures:
    received: int = 0
    resolved: int = 0
    overdue: int = 0
    declined: int = 0


@dataclass
class Report:
    period: Period
    scope: Scope
    visits: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind: (visits, people)
    issues: CategoryFigures = field(default_factory=CategoryFigures)
    by_category: dict[str, CategoryFigures] = field(default_factory=dict)
    days_median: float | None = None
    days_p90: float | None = None
    day_buckets: list[tuple[str, int]] = field(default_factory=list)
    resolved_in_period: int = 0
    followed_up: int = 0
    satisfaction: dict[str, int] = field(default_factory=dict)
    assistance: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    enterprises: int = 0
    union_founded: int = 0
    collective_contract: int = 0
    practices: int = 0
    trend: list[tuple[str, int, int]] = field(default_factory=list)  # month, received, resolved

    @property
    def people_reached(self) -> int:
        return sum(people for _n, people in self.visits.values())

    @property
    def follow_up_rate(self) -> float | None:
        return self.followed_up / self.resolved_in_period if self.resolved_in_period else None

    @property
    def satisfaction_rate(self) -> float | None:
        total = sum(self.satisfaction.values())
        good = sum(n for k, n in self.satisfaction.items() if k in SATISFIED)
        return good / total if total else None

    @property
    def union_rate(self) -> float | None:
        return self.union_founded / self.enterprises if self.enterprises else None

    @property
    def contract_rate(self) -> float | None:
        return self.collective_contract / self.enterprises if self.enterprises else None

    @property
    def assistance_total(self) -> tuple[int, int]:
        values = self.assistance.values()
        return sum(n for n, _f in values), sum(f for _n, f in values)


def build_report(session: Session, period: Period, scope: Scope, today: date) -> Report:
    report = Report(period, scope)
    _visits(session, report)
    _issues(session, report, min(period.end, today))
    _resolution_days(session, report)
    _follow_ups(session, report)
    _assistance(session, report)
    _coverage(session, report)
    _practices(session, report)
    report.trend = monthly_trend(session, scope, period.end)
    return report


# ---- filters --------------------------------------------------------------------------------


def in_period(column: Any, period: Period) -> ColumnElement[bool]:
    """``column`` falls within ``period`` (both ends included)."""
    return and_(column >= period.start, column <= period.end)


def scoped(query: Select[*Ts], model: Any, scope: Scope, cadre_column: Any) -> Select[*Ts]:
    """Live rows of ``model`` within ``scope`` (the workbook's ledger sheets use it too)."""
    query = query.where(model.deleted.is_(False))
    if scope.enterprise_id is not None:
        query = query.where(model.enterprise_id == scope.enterprise_id)
    if scope.cadre is not None and cadre_column is not None:
        query = query.where(cadre_column == scope.cadre)
    return query


def _issues_q(query: Select[*Ts], scope: Scope) -> Select[*Ts]:
    return scoped(query, Issue, scope, Issue.assignee)


def _figure(name: str, period: Period, as_of: date) -> ColumnElement[bool]:
    """The condition that puts a case into one of the figures (shared with the drill-down)."""
    if name == "received":
        return in_period(Issue.received_on, period)
    if name == "resolved":
        return and_(in_period(Issue.resolved_on, period), Issue.status.in_(RESOLVED))
    if name == "declined":
        return and_(
            in_period(Issue.received_on, period), Issue.status == IssueStatus.DECLINED.value
        )
    if name == "overdue":
        return and_(Issue.status.not_in(CLOSED), Issue.due_on < as_of, Issue.received_on <= as_of)
    raise ValueError(name)


FIGURES = ("received", "resolved", "overdue", "declined")


# ---- figures --------------------------------------------------------------------------------


def _visits(session: Session, report: Report) -> None:
    query = select(Visit.kind, func.count(), func.coalesce(func.sum(Visit.people_count), 0))
    query = scoped(query, Visit, report.scope, Visit.cadre)
    query = query.where(in_period(Visit.visited_on, report.period)).group_by(Visit.kind)
    report.visits = {kind: (n, int(people)) for kind, n, people in session.execute(query)}


def _issues(session: Session, report: Report, as_of: date) -> None:
    columns = [
        func.sum(case((_figure(name, report.period, as_of), 1), else_=0)) for name in FIGURES
    ]
    query = _issues_q(select(Issue.category, *columns), report.scope).group_by(Issue.category)
    for category, *values in session.execute(query):
        figures = CategoryFigures(*(int(v or 0) for v in values))
        if any(values):
            report.by_category[category] = figures
        for name in FIGURES:
            setattr(report.issues, name, getattr(report.issues, name) + getattr(figures, name))


def _days() -> ColumnElement[Any]:
    return func.julianday(Issue.resolved_on) - func.julianday(Issue.received_on)


def _resolution_days(session: Session, report: Report) -> None:
    resolved = _issues_q(select(_days().label("d")), report.scope).where(
        _figure("resolved", report.period, report.period.end)
    )
    n = session.execute(select(func.count()).select_from(resolved.subquery())).scalar() or 0
    report.resolved_in_period = n
    if n:
        report.days_median = _percentile(session, resolved, n, 0.5)
        report.days_p90 = _percentile(session, resolved, n, 0.9)
    buckets = []
    sub = resolved.subquery()
    for low, high in DAY_BUCKETS:
        condition = sub.c.d >= low if high is None else and_(sub.c.d >= low, sub.c.d <= high)
        count = session.execute(select(func.count()).where(condition)).scalar() or 0
        buckets.append((f"{low}–{high}" if high is not None else f"≥{low}", int(count)))
    report.day_buckets = buckets


def _percentile(session: Session, query: Select[*tuple[Any, ...]], n: int, q: float) -> float:
    """The q-quantile by the nearest-rank method, picked by the database (ORDER BY … OFFSET)."""
    rank = max(1, -(-int(q * n * 1000) // 1000))  # ceil(q·n) without float surprises
    sub = query.subquery()
    value = session.execute(select(sub.c.d).order_by(sub.c.d).offset(rank - 1).limit(1)).scalar()
    return float(value or 0)


def _follow_ups(session: Session, report: Report) -> None:
    followed = _issues_q(select(func.count()), report.scope).where(
        _figure("resolved", report.period, report.period.end),
        Issue.status == IssueStatus.FOLLOWED_UP.value,
    )
    report.followed_up = session.execute(followed).scalar() or 0
    query = _issues_q(select(Issue.satisfaction, func.count()), report.scope).where(
        in_period(Issue.followed_up_on, report.period), Issue.satisfaction.is_not(None)
    )
    rows = session.execute(query.group_by(Issue.satisfaction)).all()
    report.satisfaction = {s: n for s, n in rows if s is not None}  # none are: see the where


def _assistance(session: Session, report: Report) -> None:
    query = select(
        Assistance.kind,
        Assistance.funding_source,
        func.count(),
        func.coalesce(func.sum(Assistance.amount_fen), 0),
    )
    query = scoped(query, Assistance, report.scope, Assistance.cadre)
    query = query.where(in_period(Assistance.given_on, report.period))
    query = query.group_by(Assistance.kind, Assistance.funding_source)
    report.assistance = {(k, s): (n, int(fen)) for k, s, n, fen in session.execute(query)}


def _coverage(session: Session, report: Report) -> None:
    query = select(
        func.count(),
        func.sum(case((Enterprise.union_founded.is_(True), 1), else_=0)),
        func.sum(case((Enterprise.collective_contract.is_(True), 1), else_=0)),
    ).where(Enterprise.deleted.is_(False))
    if report.scope.enterprise_id is not None:
        query = query.where(Enterprise.id == report.scope.enterprise_id)
    total, founded, contract = session.execute(query).one()
    report.enterprises, report.union_founded = int(total or 0), int(founded or 0)
    report.collective_contract = int(contract or 0)


def _practices(session: Session, report: Report) -> None:
    query = scoped(select(func.count()), Practice, report.scope, Practice.cadre)
    report.practices = (
        session.execute(query.where(in_period(Practice.collected_on, report.period))).scalar() or 0
    )


def monthly_trend(
    session: Session, scope: Scope, end: date, months: int = 12
) -> list[tuple[str, int, int]]:
    """Cases received and resolved in each of the ``months`` months ending with ``end``'s."""
    first = _months_back(date(end.year, end.month, 1), months - 1)
    last = Period.month(end.year, end.month).end
    month_of = func.strftime("%Y-%m", Issue.received_on)
    received: dict[str, int] = dict(
        session.execute(
            _issues_q(select(month_of, func.count()), scope)
            .where(and_(Issue.received_on >= first, Issue.received_on <= last))
            .group_by(month_of)
        ).all()
    )
    done_month = func.strftime("%Y-%m", Issue.resolved_on)
    resolved: dict[str, int] = dict(
        session.execute(
            _issues_q(select(done_month, func.count()), scope)
            .where(
                and_(Issue.resolved_on >= first, Issue.resolved_on <= last),
                Issue.status.in_(RESOLVED),
            )
            .group_by(done_month)
        ).all()
    )
    out = []
    for i in range(months):
        key = _months_back(date(end.year, end.month, 1), months - 1 - i).strftime("%Y-%m")
        out.append((key, int(received.get(key, 0)), int(resolved.get(key, 0))))
    return out


def _months_back(first_of_month: date, n: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


# ---- drill-down -----------------------------------------------------------------------------


def issue_ids_for(
    session: Session,
    period: Period,
    scope: Scope,
    figure: str,
    today: date,
    category: str | None = None,
) -> list[str]:
    """The cases counted in ``figure`` (received, resolved, overdue, declined)."""
    query = _issues_q(select(Issue.id), scope).where(
        _figure(figure, period, min(period.end, today))
    )
    if category is not None:
        query = query.where(Issue.category == category)
    return list(session.execute(query.order_by(Issue.received_on.desc(), Issue.id)).scalars())


@dataclass(frozen=True)
class OpenCase:
    number: str
    title: str
    enterprise: str
    status: str
    received_on: date
    due_on: date
    assignee: str | None
    days_overdue: int
    complainant: str = ""  # as ``complainant_label`` shows it: （保密） for confidential cases


def open_cases(
    session: Session, scope: Scope, as_of: date, limit: int = 200
) -> tuple[list[OpenCase], int]:
    """Cases still open at ``as_of``, most overdue first (at most ``limit``), and how many."""
    base = _issues_q(select(Issue.id), scope).where(
        Issue.status.not_in(CLOSED), Issue.received_on <= as_of
    )
    total = session.execute(select(func.count()).select_from(base.subquery())).scalar() or 0
    who = aliased(Worker)
    query = _issues_q(
        select(Issue, Enterprise.name, who.name)
        .join(Enterprise, Enterprise.id == Issue.enterprise_id)
        .outerjoin(who, who.id == Issue.worker_id),
        scope,
    ).where(Issue.status.not_in(CLOSED), Issue.received_on <= as_of)
    rows = session.execute(query.order_by(Issue.due_on, Issue.number).limit(limit))
    cases = [
        OpenCase(
            i.number,
            i.title,
            name,
            i.status,
            i.received_on,
            i.due_on,
            i.assignee,
            max(0, (as_of - i.due_on).days),
            complainant_label(i, worker),
        )
        for i, name, worker in rows
    ]
    return cases, int(total)
