"""The merge: last writer wins per field, idempotent, order-free, pending, quarantine,
conflicts, and set-based."""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, select, text

from app.models import ChangeLog, Conflict, Issue
from app.schemas.enums import IssueStatus
from app.schemas.issues import NoteIn, TransitionIn
from app.services import conflicts, issues
from app.services.issue_list import IssueFilter, count_issues
from app.sync.hlc import Timestamp, wall_ms
from app.sync.merge import apply_changes
from app.sync.quarantine import release
from app.sync.replica import ReplicaState
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


@pytest.fixture
def pair(make_replica: MakeReplica):  # type: ignore[no-untyped-def]
    a = make_replica("张驻点")
    b = make_replica("区总工会", role="district")
    sync_pair(a, b)  # each made the district row on its own; settle that first
    return a, b


def test_local_writes_log_only_changed_fields(store) -> None:  # type: ignore[no-untyped-def]
    eid = add_enterprise(store)
    with store.write() as s, ChangeWriter(s) as w:
        assert w.update("enterprise", eid, {"name": "南京宏达精密机械有限公司", "headcount": 150})
        assert not w.update("enterprise", eid, {"headcount": 150})  # nothing changed: no change
    changes = [c for c in changes_of(store) if c["row_id"] == eid]
    assert changes[0]["base_hlc"] is None and "name" in changes[0]["fields"]
    assert changes[-1]["fields"] == {"headcount": 150}
    assert changes[-1]["base_hlc"] == changes[0]["hlc"]
    assert len(changes) == 2


def test_replicas_that_exchanged_everything_have_the_same_dump(
    make_replica: MakeReplica,
) -> None:
    a, b = make_replica("张驻点"), make_replica("区总工会", role="district")
    eid = add_enterprise(a)  # both made the district row on their own (same id, other clocks)
    add_issue(a, eid)
    result = deliver(b, changes_of(a))
    assert result.new_rows >= 3 and not result.rejected
    deliver(a, changes_of(b))
    assert dump(a) == dump(b)


def test_applying_a_batch_twice_changes_nothing(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    add_issue(a, eid)
    batch = changes_of(a)
    deliver(b, batch)
    deliver(a, changes_of(b))
    before = dump(b)
    again = deliver(b, batch + batch[:2])
    assert again.duplicates == len(batch) + 2
    assert again.new_rows == again.updated_rows == 0
    assert dump(b) == before
    with b.read() as s:
        assert s.execute(select(ChangeLog.seq)).all().__len__() == len(changes_of(b))


def test_same_id_different_content_is_rejected_and_original_kept(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    batch = changes_of(a)
    deliver(b, batch)
    original = next(c for c in batch if c["row_id"] == eid)
    forged = {**original, "fields": {**original["fields"], "name": "篡改的名称"}}
    result = deliver(b, [forged])
    assert result.rejected and "different content" in result.rejected[0][1]
    assert dump(a) == dump(b)


def test_an_event_before_its_issue_waits_then_applies(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    iid = add_issue(a, eid)
    with a.write() as s:
        issues.add_note(s, iid, NoteIn(text="已电话联系企业人事"))
    batch = changes_of(a)
    late = [c for c in batch if c["entity"] in ("issue", "enterprise", "district")]
    early = [c for c in batch if c not in late]
    first = deliver(b, early)
    assert first.pending == len(early) and first.new_rows == 0
    with b.read() as s:
        waiting = s.execute(select(ChangeLog.waiting_for).where(ChangeLog.status == "pending"))
        assert set(waiting.scalars()) == {iid}
    second = deliver(b, late)
    assert second.released == len(early)
    assert dump(a) == dump(b)
    with b.read() as s:
        assert (
            s.execute(text("SELECT count(*) FROM change_log WHERE status != 'applied'")).scalar()
            == 0
        )


def test_an_edit_before_its_create_waits(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    with a.write() as s, ChangeWriter(s) as w:
        w.update("enterprise", eid, {"headcount": 999})
    batch = changes_of(a)
    edit = batch[-1]
    assert deliver(b, [edit]).pending == 1
    deliver(b, batch[:-1])
    assert dump(a) == dump(b)


def test_any_delivery_order_converges(pair, make_replica: MakeReplica) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    c = make_replica("王驻点")
    sync_pair(a, c)
    sync_pair(b, c)
    eid = add_enterprise(a)
    iid = add_issue(a, eid)
    with a.write() as s:
        issues.transition(s, iid, TransitionIn(to_status=IssueStatus.ACCEPTED))
        issues.add_note(s, iid, NoteIn(text="约谈企业负责人"))
    batch = changes_of(a)
    deliver(b, batch)
    rng = random.Random(7)
    for _ in range(3):  # shuffled, in pieces, with repeats
        pieces = batch[:]
        rng.shuffle(pieces)
        for i in range(0, len(pieces), 3):
            deliver(c, pieces[i : i + 3] + pieces[: rng.randint(0, 2)])
    assert dump(c) == dump(a) == dump(b)


def test_quarantine_holds_far_future_changes_until_released(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    add_enterprise(a)
    deliver(b, changes_of(a))
    future = Timestamp(wall_ms() + 3 * 3_600_000, 0, _replica_id(a)).encode()
    with a.read() as s:
        clocks = json.loads(s.execute(text("SELECT clocks FROM enterprise")).scalar())
    edit = {
        **changes_of(a)[-1],
        "counter": 10_000,
        "fields": {"headcount": 7},
        "hlc": future,
        "base_hlc": max(clocks.values()),
    }
    with b.read() as s:
        clock_before = ReplicaState.load(s).clock.last
    held = deliver(b, [edit])
    assert held.quarantined == 1 and held.updated_rows == 0
    with b.read() as s:
        assert ReplicaState.load(s).clock.last == clock_before  # the clock did not jump
        assert s.execute(text("SELECT headcount FROM enterprise")).scalar() == 120
    with b.write() as s:
        result = release(s, [f"{edit['origin']}:{edit['counter']}"])
    assert result.released == 1
    with b.read() as s:
        assert s.execute(text("SELECT headcount FROM enterprise")).scalar() == 7
        assert ReplicaState.load(s).clock.last.ms >= Timestamp.decode(future).ms


def test_concurrent_edits_leave_the_same_conflict_on_both_sides(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    iid = add_issue(a, eid)
    deliver(b, changes_of(a))
    with a.write() as s, ChangeWriter(s) as w:
        w.update("issue", iid, {"urgency": "urgent"})
    with b.write() as s, ChangeWriter(s) as w:
        w.update("issue", iid, {"urgency": "pressing"})
    sync_pair(a, b)
    assert dump(a) == dump(b)
    with a.read() as s:
        rows = s.execute(select(Conflict)).scalars().all()
        assert len(rows) == 1 and rows[0].field == "urgency" and rows[0].row_id == iid
        assert count_issues(s, IssueFilter(needs_review=True), date.today()) == 1
        winner = s.get(Issue, iid).urgency  # type: ignore[union-attr]
    assert winner in ("urgent", "pressing")
    with b.write() as s:
        conflicts.resolve_conflict(s, rows[0].id, "other")
    sync_pair(a, b)
    assert dump(a) == dump(b)
    with a.read() as s:
        assert s.get(Issue, iid).urgency != winner  # type: ignore[union-attr]
        assert count_issues(s, IssueFilter(needs_review=True), date.today()) == 0


def test_informed_edits_are_not_conflicts(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    iid = add_issue(a, eid)
    deliver(b, changes_of(a))
    with a.write() as s, ChangeWriter(s) as w:
        w.update("issue", iid, {"urgency": "urgent"})
    sync_pair(a, b)
    with b.write() as s, ChangeWriter(s) as w:  # b saw a's edit before making its own
        w.update("issue", iid, {"urgency": "normal"})
    sync_pair(a, b)
    with a.read() as s:
        assert s.execute(select(Conflict)).all() == []
        assert s.get(Issue, iid).urgency == "normal"  # type: ignore[union-attr]


def test_edit_without_seeing_a_delete_puts_the_row_in_review(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    iid = add_issue(a, eid)
    deliver(b, changes_of(a))
    with a.write() as s:
        issues.delete_issue(s, iid)
    with b.write() as s, ChangeWriter(s) as w:
        w.update("issue", iid, {"title": "反映工资拖欠四个月"})
    sync_pair(a, b)
    assert dump(a) == dump(b)
    with a.read() as s:
        (c,) = s.execute(select(Conflict)).scalars().all()
        assert c.field == "deleted"
        assert s.get(Issue, iid).deleted  # type: ignore[union-attr]


def test_bad_changes_are_rejected_one_by_one(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    add_enterprise(a)
    batch = changes_of(a)
    bad: list[dict[str, Any]] = [
        {**batch[-1], "counter": 900, "entity": "nonsense"},
        {**batch[-1], "counter": 901, "fields": {**batch[-1]["fields"], "headcount": "many"}},
        {**batch[-1], "counter": 902, "fields": {**batch[-1]["fields"], "secret": 1}},
        {**batch[-1], "counter": 903, "row_id": "not-a-uuid"},
        {**batch[-1], "counter": 904, "hlc": "zz"},
        {**batch[-1], "counter": 905, "schema_rev": 99},
        "not even an object",
    ]
    result = deliver(b, batch + bad)  # type: ignore[operator]
    assert len(result.rejected) == len(bad)
    reasons = " ".join(r for _id, r in result.rejected)
    for word in ("entity", "headcount", "secret", "row_id", "hlc", "update jiceng"):
        assert word in reasons
    assert dump(a) == dump(b)


def test_received_clocks_advance_the_local_clock(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    add_enterprise(a)
    batch = changes_of(a)
    deliver(b, batch)
    with b.write() as s, ChangeWriter(s) as w:
        eid = w.create("enterprise", {"name": "后来的企业", "district_id": w.state.district_id})
    mine = next(c for c in changes_of(b) if c["row_id"] == eid)
    assert mine["hlc"][:16] > max(c["hlc"][:16] for c in batch)


def test_an_interrupted_batch_leaves_nothing(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    add_issue(a, eid)
    before = dump(b)
    with b.read() as s:
        logged_before = s.execute(text("SELECT count(*) FROM change_log")).scalar()
        state_before = ReplicaState.load(s)
    with pytest.raises(RuntimeError), b.write() as s:
        apply_changes(s, changes_of(a), state=ReplicaState.load(s))
        raise RuntimeError("power cut")
    assert dump(b) == before
    with b.read() as s:
        assert s.execute(text("SELECT count(*) FROM change_log")).scalar() == logged_before
        assert ReplicaState.load(s).clock.last == state_before.clock.last


def test_merge_is_set_based(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    eid = add_enterprise(a)
    with a.write() as s, ChangeWriter(s) as w:
        for i in range(1500):
            w.create("worker", {"enterprise_id": eid, "name": f"职工{i}"})
    batch = changes_of(a)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(b.engine, "before_cursor_execute", count)
    try:
        result = deliver(b, batch)
    finally:
        event.remove(b.engine, "before_cursor_execute", count)
    assert result.new_rows == 1501  # the enterprise and its workers
    assert len(statements) < 60, statements[:80]


def _replica_id(store) -> str:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return ReplicaState.load(s).replica_id
