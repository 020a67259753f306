"""Demo data: valid, realistic, reproducible, and written through the change log."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from app.models import ChangeLog, Enterprise, Issue, IssueEvent, Worker
from app.schemas.enums import IssueStatus
from app.schemas.validators import check_credit_code, check_id_number, check_phone
from app.services.demo import DemoSpec, generate
from app.services.demo_edits import random_edits
from app.services.issues import allowed_transitions
from tests.conftest import MakeReplica

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
