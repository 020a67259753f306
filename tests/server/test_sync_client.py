"""Online sync end to end: enrolled replicas syncing through a real server, over SQLite and
PostgreSQL, and through a loopback proxy that breaks connections in every way it can."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.models import ChangeLog, Conflict, Issue
from app.schemas.enums import IssueStatus, Role
from app.schemas.issues import TransitionIn
from app.services import conflicts, issues
from app.storage.store import Store
from app.sync.bundle import export_bundle, import_bundle
from app.sync.http import SyncError
from app.sync.writer import ChangeWriter
from tests.helpers import (
    MakeNode,
    MakeReplica,
    add_enterprise,
    add_issue,
    changes_of,
    dump,
    join,
    pushable,
    sync,
)
from tests.server.proxy import FlakyProxy
from tests.server_helpers import LiveServer


def test_cadres_and_district_converge_through_the_server(
    live_server: LiveServer, make_replica: MakeReplica, make_node: MakeNode
) -> None:
    a = make_replica("张驻点", district="本区总工会")  # set up offline, placeholder district
    b = make_replica("李驻点", district="鼓楼区总工会")
    d = make_node("鼓楼区总工会", role=Role.DISTRICT, district="鼓楼区总工会")
    eid = add_enterprise(a)
    case = add_issue(a, eid)
    for store in (a, b, d.store):
        join(live_server, store)
    sync(a)
    sync(b)
    sync(d.store)
    # Concurrent work while apart: both cadres change the urgency, the district reassigns.
    with a.write() as s, ChangeWriter(s) as w:
        w.update("issue", case, {"urgency": "urgent"})
    with b.write() as s, ChangeWriter(s) as w:
        w.update("issue", case, {"urgency": "pressing"})
    with d.write() as s:
        issues.assign(s, case, "王干事")
        issues.transition(s, case, TransitionIn(to_status=IssueStatus.ACCEPTED))
    # A cadre who never goes online reaches everyone through the district's bundle import.
    c = make_node("赵驻点", district="鼓楼区总工会")
    c.trusts(d)
    d.trusts(c)
    add_issue(c, add_enterprise(c, "南京恒远物流有限公司"), title="离线驻点干部登记的诉求")
    with c.read() as s:
        export_bundle(s, c.keys, c.peer(d), d.store.data_dir / "c.jcb")
    with d.write() as s:
        import_bundle(s, d.keys, d.store.data_dir / "c.jcb")
    for store in (a, b, d.store, a, b):
        sync(store)
    dumps = [dump(s) for s in (a, b, d.store)]
    assert dumps[0] == dumps[1] == dumps[2]
    assert any("离线驻点干部登记的诉求" in line for line in dumps[0])
    assert any('"entity":"conflict"' in line and '"field":"urgency"' in line for line in dumps[0])


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned control"])
def test_a_district_carries_what_it_pulled_to_an_offline_cadre(
    live_server: LiveServer, make_node: MakeNode, signed: bool
) -> None:
    """张 syncs online; the district office pulls his case, and takes it by USB to 赵, who
    never goes online and knows only the district office. 赵 accepts 张's changes only with
    张's proof, which came to the district with the pull. Control: 张 syncing without his
    key leaves the district nothing to vouch with, and 赵 refuses them."""
    zhang = make_node("张驻点", district="鼓楼区总工会")
    district = make_node("鼓楼区总工会", role=Role.DISTRICT, district="鼓楼区总工会")
    zhao = make_node("赵驻点", district="鼓楼区总工会")
    zhao.trusts(district)
    district.trusts(zhao)
    add_issue(zhang, add_enterprise(zhang, "南京恒远物流有限公司"), title="拖欠三个月工资")
    for node in (zhang, district):
        join(live_server, node)
    sync(zhang, signed=signed)
    sync(district)
    bundle = district.store.data_dir / "to-zhao.jcb"
    with district.read() as s:
        export_bundle(s, district.keys, district.peer(zhao), bundle)
    with zhao.write() as s:
        report = import_bundle(s, zhao.keys, bundle)
    theirs = [c for c in changes_of(zhang.store) if c["entity"] != "district"]
    mine = {f"{c['origin']}:{c['counter']}" for c in changes_of(zhao.store)}
    carried = {f"{c['origin']}:{c['counter']}" for c in theirs}
    if signed:
        assert carried <= mine and not report.result.rejected
        assert any("拖欠三个月工资" in line for line in dump(zhao.store))
    else:
        assert not carried & mine
        refused = {change_id for change_id, _why in report.result.rejected}
        assert carried <= refused


def test_unreachable_server_loses_nothing(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    a = make_replica("张驻点", district="鼓楼区总工会")
    join(live_server, a)
    add_issue(a, add_enterprise(a))
    before = dump(a)
    with pytest.raises(SyncError) as err:
        sync(a, url="http://127.0.0.1:9")
    assert err.value.code == "unreachable"
    assert dump(a) == before
    sync(a)
    with live_server.session() as s:
        held = s.execute(select(func.count()).select_from(ChangeLog)).scalar_one()
    assert held >= len(pushable(a))


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FlakyProxy]:
    port = int(live_server.url.rsplit(":", 1)[1])
    flaky = FlakyProxy(port, seed=20261124)
    yield flaky
    flaky.close()


def test_flaky_network_then_one_sync_converges(
    live_server: LiveServer, proxy: FlakyProxy, make_replica: MakeReplica
) -> None:
    a = make_replica("张驻点", district="鼓楼区总工会")
    b = make_replica("李驻点", district="鼓楼区总工会")
    eid = add_enterprise(a)
    with a.write() as s, ChangeWriter(s) as w:
        for i in range(1200):  # several push batches, so cuts land mid-sync
            w.create("worker", {"enterprise_id": eid, "name": f"职工{i}"})
    join(live_server, a)
    join(live_server, b)
    bad = f"http://127.0.0.1:{proxy.port}"
    failures = 0
    for _ in range(25):  # bounded: each round either completes or fails on the flaky link
        try:
            sync(a, url=bad, attempts=2)
        except SyncError:
            failures += 1
    assert failures > 0 and len(proxy.faults_seen) >= 5
    proxy.healthy = True
    sync(a, url=bad)  # after the network heals, one round completes
    sync(b)
    assert dump(a) == dump(b)
    origin = changes_of(a)[0]["origin"]
    with live_server.session() as s:
        stored = s.execute(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.origin == origin)
        ).scalar_one()
    assert stored == len([c for c in pushable(a) if c["origin"] == origin])  # each exactly once


@pytest.mark.parametrize("choice", ["keep", "other"])
def test_a_conflict_resolved_by_one_cadre_is_resolved_for_the_other(
    live_server: LiveServer, make_replica: MakeReplica, choice: str
) -> None:
    """张 and 李 change the same case's urgency apart; both see the conflict. 张 settles it,
    keeping the value that won or taking the other: after the next syncs 李 sees it settled
    the same way with the same value, and both replicas hold one ledger. (Keeping writes
    only the conflict row, so the server must find the case through the conflict.)"""
    a = make_replica("张驻点", district="鼓楼区总工会")
    b = make_replica("李驻点", district="鼓楼区总工会")
    for store in (a, b):
        join(live_server, store)
    case = add_issue(a, add_enterprise(a))
    sync(a)
    sync(b)
    with a.write() as s, ChangeWriter(s) as w:
        w.update("issue", case, {"urgency": "urgent"})
    with b.write() as s, ChangeWriter(s) as w:
        w.update("issue", case, {"urgency": "pressing"})
    for store in (a, b, a):
        sync(store)

    def state(store: Store) -> tuple[list[tuple[str, bool, str | None]], str]:
        with store.read() as s:
            rows = s.execute(select(Conflict).where(Conflict.row_id == case)).scalars().all()
            urgency = s.execute(select(Issue.urgency).where(Issue.id == case)).scalar_one()
            return [(c.field, c.resolved, c.resolution) for c in rows], urgency

    (seen_a, before), (seen_b, _) = state(a), state(b)
    assert seen_a == seen_b == [("urgency", False, None)]
    other = "pressing" if before == "urgent" else "urgent"
    with a.write() as s:
        (open_one,) = conflicts.open_conflicts(s)
        conflicts.resolve_conflict(s, open_one.id, choice)
    sync(a)
    sync(b)
    assert state(b) == ([("urgency", True, choice)], before if choice == "keep" else other)
    assert state(a) == state(b)
    assert dump(a) == dump(b)
