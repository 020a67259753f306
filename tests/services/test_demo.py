"""Demo data: valid, realistic, reproducible, and written through the change log."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Date, DateTime, func, select

from app.models import (
    Assistance,
    Base,
    ChangeLog,
    Enterprise,
    Issue,
    IssueEvent,
    Practice,
    Visit,
    VisitReach,
    Worker,
    Workshop,
)
from app.schemas.enums import CLOSED_STATUSES, IssueStatus, Role
from app.schemas.validators import (
    check_credit_code,
    check_id_number,
    check_phone,
    org_code_check_char,
)
from app.services import demo_corpus as corpus
from app.services.demo import OVERDUE_ON_PURPOSE, DemoSpec, generate
from app.services.demo_edits import random_edits
from app.services.issues import allowed_transitions
from app.services.replica import init_replica, replica_info
from app.storage.store import Store
from app.sync.writer import utc_now
from tests.helpers import MakeReplica

SPEC = DemoSpec(enterprises=3, workers=80, visits=20, issues=150, seed=42)


def content(store) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    with store.read() as s:
        issues = s.execute(
            select(Issue.title, Issue.category, Issue.status, Issue.received_on).order_by(
                Issue.number
            )
        ).all()
        names = s.execute(select(Worker.name).order_by(Worker.id)).scalars().all()
    return [*issues, *names]


def test_same_seed_same_content(make_replica: MakeReplica) -> None:
    a, b, c = make_replica(code="AA01"), make_replica(code="AA01"), make_replica(code="AA01")
    today = date(2026, 6, 30)
    for store, seed in ((a, 42), (b, 42), (c, 7)):
        with store.write() as s:
            generate(s, DemoSpec(**{**SPEC.__dict__, "seed": seed}), today=today)
    assert content(a) == content(b)
    assert content(a) != content(c)


def test_demo_records_are_valid_and_in_the_change_log(store) -> None:  # type: ignore[no-untyped-def]
    with store.write() as s:
        summary = generate(s, SPEC)
    with store.read() as s:
        for code in s.execute(select(Enterprise.credit_code)).scalars():
            assert check_credit_code(code) == code
        for id_number, phone in s.execute(select(Worker.id_number, Worker.phone)):
            assert id_number is None or check_id_number(id_number) == id_number
            assert phone is None or check_phone(phone) == phone
        statuses = Counter(s.execute(select(Issue.status)).scalars())
        logged = s.execute(select(func.count()).select_from(ChangeLog)).scalar_one()
        # Each case's events retrace a legal path through the lifecycle.
        paths: dict[str, list[tuple[str | None, str]]] = {}
        for issue_id, frm, to in s.execute(
            select(IssueEvent.issue_id, IssueEvent.from_status, IssueEvent.to_status).order_by(
                IssueEvent.occurred_at, IssueEvent.id
            )
        ):
            paths.setdefault(issue_id, []).append((frm, to))
        final = dict(s.execute(select(Issue.id, Issue.status)).all())
    assert sum(summary.counts.values()) + 1 == logged  # +1: the district row made at init
    assert len(statuses) >= 5, statuses  # cases in (nearly) every status
    for issue_id, steps in paths.items():
        assert steps[0] == (None, "registered")
        for frm, to in steps[1:]:
            assert IssueStatus(to) in allowed_transitions(frm), (frm, to)
        assert steps[-1][1] == final[issue_id]


def test_random_edits_use_the_services(store) -> None:  # type: ignore[no-untyped-def]
    with store.write() as s:
        generate(s, SPEC)
    with store.read() as s:
        before = s.execute(select(func.count()).select_from(ChangeLog)).scalar_one()
    with store.write() as s:
        done = random_edits(s, 60, seed=5)
    assert done.total == 60 and len(done.counts) >= 5
    with store.read() as s:
        after = s.execute(select(func.count()).select_from(ChangeLog)).scalar_one()
    assert after > before + 60  # transitions write an event and a field change


# ---- what a clerk would believe -------------------------------------------------------------

BIG = DemoSpec(enterprises=8, workers=400, visits=200, issues=1500, seed=3)


def _ledger(folder: Path, edits: int) -> Store:
    from app.storage.store import create_store
    from tests.helpers import PASSPHRASE

    store = create_store(folder, PASSPHRASE)
    with store.write() as s:
        init_replica(s, name="张驻点", role=Role.CADRE, district="鼓楼区总工会", code="GL01")
    with store.write() as s:
        generate(s, BIG)
    if edits:
        with store.write() as s:
            random_edits(s, edits, seed=9)
    return store


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = _ledger(tmp_path_factory.mktemp("demo") / "data", 0)
    yield store
    store.close()


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """After 300 random edits through the services, which must keep it believable too."""
    store = _ledger(tmp_path_factory.mktemp("demo") / "data", 300)
    yield store
    store.close()


@pytest.fixture(params=["generated", "edited"])
def believable(request: pytest.FixtureRequest) -> Store:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def test_codes_pass_the_whole_standard_and_addresses_are_the_enterprises_own(
    believable: Store,
) -> None:
    with believable.read() as s:
        union = replica_info(s).district_name
        rows = s.execute(select(Enterprise.credit_code, Enterprise.address)).all()
    for code, address in rows:
        assert check_credit_code(code) == code and code[2:8].isdigit()
        assert org_code_check_char(code[8:16]) == code[16]  # GB 11714 inside GB 32100
        assert address.startswith("南京市鼓楼区") and "工会" not in address, address
    assert union == "鼓楼区总工会"


def test_head_counts_match_the_ledger_and_the_text(believable: Store) -> None:
    with believable.read() as s:
        listed = dict(
            s.execute(
                select(Worker.enterprise_id, func.count())
                .where(Worker.deleted.is_(False))
                .group_by(Worker.enterprise_id)
            ).all()
        )
        for eid, headcount in s.execute(select(Enterprise.id, Enterprise.headcount)):
            assert headcount >= listed.get(eid, 0), (headcount, listed.get(eid))
        reached = dict(
            s.execute(
                select(VisitReach.visit_id, func.count()).group_by(VisitReach.visit_id)
            ).all()
        )
        for vid, summary, people in s.execute(
            select(Visit.id, Visit.summary, Visit.people_count)
        ):
            said = re.search(r"(\d+)名", summary)
            if said:
                assert people == int(said.group(1)), (summary, people)
            assert people >= reached.get(vid, 0)
        units = dict(
            s.execute(
                select(Workshop.enterprise_id, func.count()).group_by(Workshop.enterprise_id)
            ).all()
        )
        for eid, content in s.execute(select(Practice.enterprise_id, Practice.content)):
            teams = re.search(r"(\d+)个车间班组", content)
            if teams:
                assert int(teams.group(1)) == units[eid], content
        for title, description in s.execute(select(Issue.title, Issue.description)):
            months = re.search(r"(\d+)个月", title)
            if months:
                assert f"{months.group(1)}个月" in description, (title, description)


def test_nothing_is_dated_in_the_future_and_nothing_is_paid_0_yuan(believable: Store) -> None:
    """Every date and time column of every table, but those that are deadlines."""
    now, today = utc_now() + timedelta(seconds=1), date.today()
    deadlines = {"due_on", "ended_on"}
    with believable.read() as s:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if column.name in deadlines or not isinstance(column.type, Date | DateTime):
                    continue
                latest = s.execute(select(func.max(column))).scalar()
                if latest is None:
                    continue
                limit = now if isinstance(column.type, DateTime) else today
                assert latest <= limit, (table.name, column.name, latest)
        assert s.execute(select(func.min(Assistance.amount_fen))).scalar() > 0
        late = s.execute(
            select(func.count())
            .select_from(Assistance)
            .join(Worker, Worker.id == Assistance.worker_id)
            .where(Assistance.given_on < Worker.hardship_filed_on)
        ).scalar()
        assert late == 0  # help is given to workers already on file as in hardship


def test_workshops_jobs_and_case_texts_fit_the_enterprise(believable: Store) -> None:
    every_unit = {u for pool in corpus.UNITS_BY_INDUSTRY.values() for u in pool}
    with believable.read() as s:
        industry = dict(s.execute(select(Enterprise.id, Enterprise.industry)).all())
        for eid, name in s.execute(select(Workshop.enterprise_id, Workshop.name)):
            pool = corpus.UNITS_BY_INDUSTRY[industry[eid]]
            assert name in pool or re.fullmatch(r"第\d+班组", name), (industry[eid], name)
        for eid, position in s.execute(select(Worker.enterprise_id, Worker.position)):
            jobs = corpus.POSITIONS_BY_INDUSTRY[industry[eid]]
            assert position in jobs, (industry[eid], position)
        names = dict(s.execute(select(Workshop.id, Workshop.name)).all())
        for workshop, title, description in s.execute(
            select(Issue.workshop_id, Issue.title, Issue.description)
        ):
            text = title + (description or "")
            found = {u for u in every_unit if u in text}
            found = {u for u in found if not any(u != v and u in v for v in found)}
            assert found <= {names.get(workshop)}, (names.get(workshop), text)


def test_old_cases_are_closed_unless_overdue_on_purpose(generated: Store) -> None:
    """As generated (random edits may reopen an old case today, as people do)."""
    today = date.today()
    with generated.read() as s:
        open_ = s.execute(
            select(Issue.id, Issue.received_on, Issue.due_on).where(
                Issue.status.not_in([st.value for st in CLOSED_STATUSES]),
                Issue.deleted.is_(False),
            )
        ).all()
        marked = set(
            s.execute(
                select(IssueEvent.issue_id).where(IssueEvent.note.startswith(OVERDUE_ON_PURPOSE))
            ).scalars()
        )
    assert open_ and all((today - received).days <= 150 for _i, received, _d in open_)
    old = [i for i, received, _d in open_ if (today - received).days > 60]
    assert old and set(old) <= marked  # the demo says why these are still open
    assert any(due < today for _i, _r, due in open_)  # the overdue list has something to show
