"""Statistics: hand-made cases with known answers, and the demo ledger recomputed in Python
row by row as an oracle for every SQL aggregate."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import Assistance, Enterprise, Issue, Practice, Visit
from app.schemas.enums import IssueStatus
from app.schemas.issues import TransitionIn
from app.schemas.ledger import AssistanceIn, EnterpriseIn, PracticeIn
from app.services import enterprises, issues, visits, workers
from app.services.demo import DemoSpec, generate
from app.services.reports import (
    CLOSED,
    RESOLVED,
    SATISFIED,
    Period,
    Scope,
    build_report,
    issue_ids_for,
)
from app.storage.store import Store
from tests.helpers import add_enterprise, add_issue, add_visit, add_worker

MONTH = Period.month(2026, 10)
TODAY = date(2026, 11, 20)


def move(store: Store, issue_id: str, *steps: tuple[IssueStatus, dict[str, object]]) -> None:
    with store.write() as s:
        for to, extra in steps:
            issues.transition(s, issue_id, TransitionIn(to_status=to, **extra))


def resolve(store: Store, issue_id: str, on: date, satisfaction: str | None = None) -> None:
    steps: list[tuple[IssueStatus, dict[str, object]]] = [
        (IssueStatus.ACCEPTED, {}),
        (IssueStatus.IN_PROGRESS, {}),
        (IssueStatus.RESOLVED, {"resolution": "已解决", "on": on}),
    ]
    if satisfaction:
        steps.append(
            (IssueStatus.FOLLOWED_UP, {"satisfaction": satisfaction, "method": "call", "on": on})
        )
    move(store, issue_id, *steps)


def test_a_month_with_known_answers(store: Store) -> None:
    eid = add_enterprise(store)
    with store.write() as s:
        enterprises.create_enterprise(
            s, EnterpriseIn(name="厦门海沧电子厂", union_founded=True, collective_contract=True)
        )
    oct_ = date(2026, 10, 1)
    a = add_issue(store, eid, "欠薪一", received_on=oct_, category="wages")
    b = add_issue(store, eid, "欠薪二", received_on=oct_ + timedelta(days=2), category="wages")
    c = add_issue(
        store, eid, "社保", received_on=oct_ + timedelta(days=5), category="social_insurance"
    )
    d = add_issue(store, eid, "不予受理", received_on=oct_ + timedelta(days=6), category="other")
    add_issue(store, eid, "九月的", received_on=date(2026, 9, 1), due_on=date(2026, 9, 20))
    add_issue(store, eid, "十一月的", received_on=date(2026, 11, 2))
    resolve(store, a, oct_ + timedelta(days=4), "satisfied")  # 4 days
    resolve(store, b, oct_ + timedelta(days=12), "dissatisfied")  # 10 days
    resolve(store, c, oct_ + timedelta(days=25))  # 20 days, not yet followed up
    move(store, d, (IssueStatus.DECLINED, {"reason": "不属于工会职责"}))
    worker = add_worker(store, eid)
    add_visit(store, eid, visited_on=oct_ + timedelta(days=3), people_count=12)
    add_visit(store, eid, visited_on=oct_ + timedelta(days=9), people_count=5, kind="talk")
    add_visit(store, eid, visited_on=date(2026, 9, 30), people_count=99)
    with store.write() as s:
        for amount in ("500.00", "300.50"):
            workers.give_assistance(
                s,
                AssistanceIn(
                    worker_id=worker,
                    given_on=oct_ + timedelta(days=8),
                    kind="cash",
                    amount=amount,
                    funding_source="union_funds",
                ),
            )
        visits.add_practice(
            s, PracticeIn(title="班前谈心", content="每天班前十分钟", collected_on=oct_)
        )

    with store.read() as s:
        r = build_report(s, MONTH, Scope(), TODAY)
    assert (r.issues.received, r.issues.resolved, r.issues.declined) == (4, 3, 1)
    assert r.issues.overdue == 1  # September's case, open and past due on 31 October
    assert r.by_category["wages"].received == 2 and r.by_category["wages"].resolved == 2
    assert r.days_median == 10 and r.days_p90 == 20
    assert dict(r.day_buckets)["0–7"] == 1 and dict(r.day_buckets)["16–30"] == 1
    assert r.follow_up_rate == pytest.approx(2 / 3)
    assert r.satisfaction_rate == pytest.approx(1 / 2)
    assert r.visits == {"survey": (1, 12), "talk": (1, 5)} and r.people_reached == 17
    assert r.assistance == {("cash", "union_funds"): (2, 80050)}
    assert (r.enterprises, r.union_founded, r.collective_contract) == (2, 1, 1)
    assert r.practices == 1
    assert r.trend[-2:] == [("2026-09", 1, 0), ("2026-10", 4, 3)]
    assert len(r.trend) == 12
    with store.read() as s:
        assert set(issue_ids_for(s, MONTH, Scope(), "resolved", TODAY)) == {a, b, c}
        assert issue_ids_for(s, MONTH, Scope(), "declined", TODAY) == [d]
        assert issue_ids_for(s, MONTH, Scope(), "received", TODAY, category="other") == [d]


def nearest_rank(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


@pytest.mark.parametrize("scope_kind", ["all", "enterprise", "cadre"])
def test_sql_figures_match_a_row_by_row_recount_of_the_demo_ledger(
    store: Store, scope_kind: str
) -> None:
    with store.write() as s:
        generate(s, DemoSpec(enterprises=4, workers=120, visits=150, issues=400, seed=7))
    today = date.today()
    period = Period(today - timedelta(days=120), today - timedelta(days=10))
    with store.read() as s:
        all_issues = s.scalars(select(Issue).where(Issue.deleted.is_(False))).all()
        first = s.scalars(select(Enterprise.id).order_by(Enterprise.name)).first()
        cadre = Counter(i.assignee for i in all_issues if i.assignee).most_common(1)[0][0]
        scope = {
            "all": Scope(),
            "enterprise": Scope(enterprise_id=first),
            "cadre": Scope(cadre=cadre),
        }[scope_kind]
        r = build_report(s, period, scope, today)
        in_scope = [
            i
            for i in all_issues
            if (scope.enterprise_id in (None, i.enterprise_id))
            and (scope.cadre in (None, i.assignee))
        ]
        within = lambda d: d is not None and period.start <= d <= period.end  # noqa: E731
        received = [i for i in in_scope if within(i.received_on)]
        resolved = [i for i in in_scope if within(i.resolved_on) and i.status in RESOLVED]
        as_of = min(period.end, today)
        overdue = [
            i
            for i in in_scope
            if i.status not in CLOSED and i.due_on < as_of and i.received_on <= as_of
        ]
        declined = [i for i in received if i.status == "declined"]
        assert received and resolved and overdue and visits_in_any(s)  # a real test, not 0 == 0
        assert (r.issues.received, r.issues.resolved) == (len(received), len(resolved))
        assert (r.issues.overdue, r.issues.declined) == (len(overdue), len(declined))
        days = [float((i.resolved_on - i.received_on).days) for i in resolved]
        assert r.days_median == nearest_rank(days, 0.5)
        assert r.days_p90 == nearest_rank(days, 0.9)
        assert sum(n for _b, n in r.day_buckets) == len(resolved)
        followed = [i for i in resolved if i.status == "followed_up"]
        assert r.followed_up == len(followed)
        rated = [i for i in in_scope if within(i.followed_up_on) and i.satisfaction]
        good = [i for i in rated if i.satisfaction in SATISFIED]
        assert r.satisfaction_rate == (len(good) / len(rated) if rated else None)
        by_cat = Counter(i.category for i in received)
        assert {k: v.received for k, v in r.by_category.items() if v.received} == dict(by_cat)

        def scoped(rows, cadre_of):  # type: ignore[no-untyped-def]
            return [
                x
                for x in rows
                if scope.enterprise_id in (None, x.enterprise_id)
                and scope.cadre in (None, cadre_of(x))
            ]

        visit_rows = scoped(
            s.scalars(select(Visit).where(Visit.deleted.is_(False))).all(), lambda v: v.cadre
        )
        visits_in = [v for v in visit_rows if within(v.visited_on)]
        assert sum(n for n, _p in r.visits.values()) == len(visits_in)
        assert r.people_reached == sum(v.people_count for v in visits_in)
        aid = scoped(
            s.scalars(select(Assistance).where(Assistance.deleted.is_(False))).all(),
            lambda a: a.cadre,
        )
        aid_in = [a for a in aid if within(a.given_on)]
        assert r.assistance_total == (len(aid_in), sum(a.amount_fen for a in aid_in))
        practice_rows = scoped(
            s.scalars(select(Practice).where(Practice.deleted.is_(False))).all(), lambda p: p.cadre
        )
        assert r.practices == len([p for p in practice_rows if within(p.collected_on)])
        ids = set(issue_ids_for(s, period, scope, "overdue", today))
        assert ids == {i.id for i in overdue}


def visits_in_any(session) -> bool:  # type: ignore[no-untyped-def]
    return session.scalar(select(Visit.id).limit(1)) is not None
