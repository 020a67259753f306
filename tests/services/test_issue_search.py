"""Case search never raises and never lies (issue 20): any input gives a clean answer, every
term counts, short and long terms search the same fields, and the result equals a plain
substring scan of the ledger (property test over a generated ledger)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.models import Enterprise, Issue, Worker
from app.services.demo import DemoSpec, generate
from app.services.issue_list import IssueFilter, count_issues, issue_ids
from app.services.search_terms import categories_for, split_query
from app.storage.store import Store, open_store
from tests.helpers import PASSPHRASE, add_enterprise, add_issue, cadre_template

TODAY = date.today()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("search") / "cadre"

    def fill(store: Store) -> None:
        with store.write() as s:
            generate(s, DemoSpec(enterprises=4, workers=80, visits=20, issues=300, seed=11))

    cadre_template(folder, fill)
    store = open_store(folder, PASSPHRASE)
    yield store  # type: ignore[misc]
    store.close()


def _texts(ledger: Store) -> list[tuple[str, bool, tuple[str, ...], str]]:
    """Each live case: its id, whether it is confidential, what a term may be found in
    (number, title, description, resolution, enterprise, complainant unless confidential),
    and its category."""
    worker = aliased(Worker)
    with ledger.read() as s:
        rows = s.execute(
            select(Issue, Enterprise.name, worker.name)
            .join(Enterprise, Enterprise.id == Issue.enterprise_id)
            .outerjoin(worker, worker.id == Issue.worker_id)
            .where(Issue.deleted.is_(False))
        ).all()
    out = []
    for issue, enterprise, complainant in rows:
        fields = [issue.number, issue.title, issue.description or "", issue.resolution or ""]
        fields.append(enterprise)
        if complainant and not issue.confidential:
            fields.append(complainant)
        out.append((issue.id, issue.confidential, tuple(fields), issue.category))
    return out


def _scan(ledger: Store, query: str) -> set[str]:
    terms = split_query(query)
    if not terms:
        return set() if query.strip() else {i for i, *_ in _texts(ledger)}
    found = set()
    for issue_id, _secret, fields, category in _texts(ledger):
        if all(
            any(t.casefold() in f.casefold() for f in fields) or category in categories_for(t)
            for t in terms
        ):
            found.add(issue_id)
    return found


def _search(ledger: Store, query: str) -> set[str]:
    with ledger.read() as s:
        found = set(issue_ids(s, IssueFilter(text=query), TODAY))
        assert count_issues(s, IssueFilter(text=query), TODAY) == len(found)
    return found


@st.composite
def queries(draw: st.DrawFn, corpus: list[str]) -> str:
    """Terms cut from the ledger's own texts (short and long), mixed with arbitrary text."""
    terms = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            text = draw(st.sampled_from(corpus))
            start = draw(st.integers(0, max(0, len(text) - 1)))
            terms.append(text[start : start + draw(st.integers(1, 6))])
        else:
            terms.append(draw(st.text(min_size=1, max_size=4)))
    return " ".join(terms)


def test_search_equals_a_substring_scan(ledger: Store) -> None:
    corpus = [f for _i, _c, fields, _k in _texts(ledger) for f in fields if f.strip()]

    @given(query=queries(corpus))
    @settings(max_examples=120, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    def check(query: str) -> None:
        assert _search(ledger, query) == _scan(ledger, query), query

    check()


@pytest.mark.parametrize(
    "query",
    ["\x00", "工资\x00", "\ud800", "a\udfffb", '"', "NEAR(a b)", "*", "x OR y", "^工资", "\t\x01"],
)
def test_any_input_gives_a_clean_answer(ledger: Store, query: str) -> None:
    assert _search(ledger, query) == _scan(ledger, query)


def test_nothing_but_unusable_characters_matches_nothing(ledger: Store) -> None:
    assert _search(ledger, "\x00") == set() and _search(ledger, "\ud800 \x07") == set()


def test_every_term_counts(ledger: Store) -> None:
    eight = " ".join(["问题"] * 3 + ["企业", "工会", "反映", "职工", "情况"])
    matching = _search(ledger, "反映")
    assert matching
    hundred = " ".join(f"词{i}" for i in range(100))
    assert _search(ledger, f"反映 {hundred}") == set()
    assert _search(ledger, f"{eight} 没有这个词的案子") == set()


def test_short_and_long_terms_search_the_same_fields(store: Store) -> None:
    eid = add_enterprise(store)
    case = add_issue(store, eid, title="反映加班问题", description="车间长期加班")
    with store.write() as s:
        row = s.get(Issue, case)
        assert row is not None
        row.resolution = "企业已调整排班"
    with store.read() as s:
        for term in ("企业已", "企业", "排班"):
            assert issue_ids(s, IssueFilter(text=term), TODAY) == [case], term


def test_terms_are_split_on_any_space_and_counted_once() -> None:
    assert split_query("甲 乙  甲\u3000丙") == ["甲", "乙", "丙"]
