"""Conflict records do not depend on how changes travel: a replica that receives a row's
create and two concurrent edits of one field in a single batch records the same conflict as
the replicas that saw the edits one at a time (app/sync/merge.py ``_detect_conflicts``),
also when an edit arrives before the create and waits (pending).

The property at the end delivers both cadres' logs shuffled, cut into random batches and
partly delivered twice: edits arriving before the row's create wait (pending) and are woken
by a later merge, or later in the same merge, and must still be compared with every change
of the row.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import Conflict
from app.schemas.enums import Role
from app.storage.store import Store
from app.sync.writer import ChangeWriter
from tests.helpers import (
    MakeReplica,
    add_enterprise,
    add_issue,
    changes_of,
    deliver,
    dump,
    sync_pair,
)


def conflicts_of(store: Store) -> list[tuple[str, str, str, str, str, str]]:
    with store.read() as s:
        rows = s.execute(select(Conflict).order_by(Conflict.id)).scalars()
        return [(c.id, c.entity, c.row_id, c.field, c.winner_change, c.loser_change) for c in rows]


def rows(store: Store) -> list[str]:
    """The dump without district rows: each replica made its own provisional one, and the
    fresh replica's own write of it is in no cadre's log."""
    return [line for line in dump(store) if not line.startswith('{"entity":"district"')]


def _concurrent_titles(make_replica: MakeReplica) -> tuple[list[Store], str]:
    """张 creates a case; 李 receives it; both retitle it without seeing the other; 张 then
    receives 李's edit. 区 has received nothing yet."""
    a, b = make_replica("张"), make_replica("李")
    d = make_replica("区", role=Role.DISTRICT)
    case = add_issue(a, add_enterprise(a))
    deliver(b, changes_of(a))
    with a.write() as s, ChangeWriter(s) as w:
        w.update("issue", case, {"title": "社保未缴纳"})
    with b.write() as s, ChangeWriter(s) as w:
        w.update("issue", case, {"title": "加班费未支付"})
    deliver(a, changes_of(b))
    deliver(b, changes_of(a))
    return [a, b, d], case


SHAPES = [
    "one batch",
    "create then edits",
    "one at a time",
    "an edit before the create",  # issue 19: it waits, the other comes with the create
    "both edits before the create",  # both sides pending, woken together
]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_fresh_replica_records_the_conflict_whatever_the_batch(
    make_replica: MakeReplica, shape: str
) -> None:
    (a, b, d), case = _concurrent_titles(make_replica)
    assert len(conflicts_of(a)) == 1 and conflicts_of(a) == conflicts_of(b)
    log = changes_of(a)  # the create, 李's and 张's edits (and the enterprise)
    edits = [c for c in log if c["entity"] == "issue" and c["row_id"] == case]
    assert len(edits) >= 3
    if shape == "one batch":
        batches = [log]
    elif shape == "create then edits":
        rest = [c for c in log if c not in edits[1:]]
        batches = [rest, edits[1:]]
    elif shape == "one at a time":
        batches = [[c] for c in log]
    else:
        early = edits[1:2] if shape == "an edit before the create" else edits[1:]
        batches = [early, [c for c in log if c not in early], early]  # and once more
    for batch in batches:
        deliver(d, batch)
    assert conflicts_of(d) == conflicts_of(a), shape
    assert rows(d) == rows(a) == rows(b)


# ---- the property: any delivery of both logs to a fresh replica ---------------------------

TITLE = {"title": st.sampled_from(["社保未缴纳", "加班费未支付", "劳动合同未签"])}
OTHER = {
    "urgency": st.sampled_from(["urgent", "pressing"]),
    "assignee": st.sampled_from(["张", "李", "王"]),
}
# Each cadre's concurrent edits: the first always retitles the case (so the two cadres
# conflict on ``title``), sometimes with another field; a second edit, made before seeing
# the other cadre, may write any field again (a later clock overwriting an earlier value).
FIRST = st.fixed_dictionaries(TITLE, optional=OTHER)
SECOND = st.one_of(st.none(), st.fixed_dictionaries({}, optional={**TITLE, **OTHER}))
SIDE = st.tuples(FIRST, SECOND)


def conflict_rows(store: Store) -> list[tuple[Any, ...]]:
    """Every conflict record with both values, as the conflict screen shows it."""
    with store.read() as s:
        found = s.execute(select(Conflict).order_by(Conflict.id)).scalars()
        return [
            (
                *(c.id, c.row_id, c.field, c.winner_change, c.loser_change),
                *(c.winner_value, c.loser_value, c.resolved),
            )
            for c in found
        ]


def _edit(store: Store, case: str, values: dict[str, str] | None) -> None:
    if values:
        with store.write() as s, ChangeWriter(s) as w:
            w.update("issue", case, values)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(zhang=SIDE, li=SIDE, after=st.sampled_from([None, "张", "李"]), data=st.data())
def test_any_delivery_of_both_logs_records_the_same_conflicts(
    make_replica: MakeReplica,
    zhang: tuple[dict[str, str], dict[str, str] | None],
    li: tuple[dict[str, str], dict[str, str] | None],
    after: str | None,
    data: st.DataObject,
) -> None:
    """张 and 李 edit a case concurrently (issue 19: the fresh replica once ended with no
    conflict record); ``after`` has one of them retitle it again having seen both sides.
    Stores are closed after each example: hundreds left open make a long shrink fail."""
    a, b = make_replica("张"), make_replica("李")
    d = make_replica("区", role=Role.DISTRICT)
    try:
        case = add_issue(a, add_enterprise(a))
        sync_pair(a, b)
        for store, (first, second) in ((a, zhang), (b, li)):
            _edit(store, case, first)
            _edit(store, case, second)
        sync_pair(a, b)
        if after is not None:
            _edit(a if after == "张" else b, case, {"title": "已协调解决"})
            sync_pair(a, b)
        expected = conflict_rows(a)
        assert expected == conflict_rows(b)
        assert any(c[2] == "title" for c in expected)
        for batch in _random_batches(data, changes_of(a) + changes_of(b)):
            deliver(d, batch)
        assert conflict_rows(d) == expected
        assert rows(d) == rows(a) == rows(b)
    finally:
        for store in (a, b, d):
            store.close()


def _random_batches(data: st.DataObject, changes: list[dict[str, Any]]) -> list[list[Any]]:
    """The distinct changes shuffled and cut into batches; up to two earlier batches are
    delivered again after later ones (duplicates, also of changes still pending)."""
    union = {(c["origin"], c["counter"]): c for c in changes}
    log = data.draw(st.permutations(list(union.values())), label="order")
    cuts = data.draw(st.lists(st.integers(0, len(log)), max_size=5), label="cuts")
    bounds = [0, *sorted(set(cuts)), len(log)]
    batches = [log[i:j] for i, j in pairwise(bounds) if j > i]
    again = data.draw(st.lists(st.integers(0, len(batches) - 1), max_size=2), label="again")
    out = []
    for n, batch in enumerate(batches):
        out.append(batch)
        out.extend(batches[k] for k in again if k < n)
    return out
