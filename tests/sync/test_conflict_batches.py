"""Conflict records do not depend on how changes travel: a replica that receives a row's
create and two concurrent edits of one field in a single batch records the same conflict as
the replicas that saw the edits one at a time (app/sync/merge.py ``_detect_conflicts``),
also when an edit arrives before the create and waits (pending)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Conflict
from app.schemas.enums import Role
from app.storage.store import Store
from app.sync.writer import ChangeWriter
from tests.helpers import MakeReplica, add_enterprise, add_issue, changes_of, deliver, dump


def conflicts_of(store: Store) -> list[tuple[str, str, str, str, str, str]]:
    with store.read() as s:
        rows = s.execute(select(Conflict).order_by(Conflict.id)).scalars()
        return [(c.id, c.entity, c.row_id, c.field, c.winner_change, c.loser_change) for c in rows]


def rows(store: Store) -> list[str]:
    """The dump without district rows: each replica made its own provisional one, and only
    张's log travels here."""
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
