"""A property: a hostile device pushing arbitrary changes (any origin, counter, entity, field)
between honest devices' syncs never costs an honest change. Afterwards every honest change is
stored on the server exactly once and the honest replicas converge."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from app.models import ChangeLog, RateWindow
from app.sync.hlc import Timestamp, wall_ms
from app.sync.registry import ENTITIES
from app.sync.replica import ReplicaState
from app.sync.writer import ChangeWriter
from tests.helpers import MakeReplica, add_enterprise, auth, dump, enroll, join, pushable, sync
from tests.server_helpers import LiveServer

ORIGINS = ("own", "honest_a", "honest_b", "server", "random")
hostile_change = st.fixed_dictionaries(
    {
        "origin": st.sampled_from(ORIGINS),
        "counter": st.one_of(st.integers(1, 40), st.just("next")),
        "entity": st.sampled_from(sorted(ENTITIES)),
        "row": st.sampled_from(("honest", "random")),
        "field": st.sampled_from(("name", "deleted", "title", "district_id", "bogus")),
        "value": st.one_of(st.text(max_size=8), st.booleans(), st.none(), st.integers()),
        "create": st.booleans(),
    }
)
step = st.one_of(
    st.tuples(st.just("hostile"), st.lists(hostile_change, min_size=1, max_size=6)),
    st.tuples(st.sampled_from(("edit_a", "edit_b", "sync_a", "sync_b")), st.just([])),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=8))
def test_hostile_pushes_never_cost_honest_work(
    live_server: LiveServer, make_replica: MakeReplica, steps: list[tuple[str, Any]]
) -> None:
    with live_server.session() as s, s.begin():  # every example enrolls three devices afresh
        s.execute(delete(RateWindow))
    a, b = make_replica("甲"), make_replica("乙")
    for store in (a, b):
        join(live_server, store)
    eid = add_enterprise(a, f"企业{secrets.token_hex(3)}")
    sync(a)
    sync(b)
    hostile = enroll(live_server)
    ids = {"honest_a": _origin(a), "honest_b": _origin(b), "server": _server(live_server)}
    ids["own"] = _hostile_replica(live_server, hostile)
    for kind, payload in steps:
        if kind == "hostile":
            body = [_forge(h, ids, {"a": a, "b": b}, eid) for h in payload]
            reply = httpx.post(
                f"{live_server.url}/api/v1/sync/push",
                json={"changes": body},
                headers=auth(hostile),
                timeout=30,
            )
            assert reply.status_code in (200, 429), reply.text
        elif kind.startswith("edit"):
            store = a if kind == "edit_a" else b
            with store.write() as s, ChangeWriter(s) as w:
                w.update("enterprise", eid, {"name": f"改名{secrets.token_hex(3)}"})
        else:
            sync(a if kind == "sync_a" else b)
    for store in (a, b, a):
        sync(store)
    assert dump(a) == dump(b)
    for store in (a, b):
        origin = _origin(store)
        mine = [c for c in pushable(store) if c["origin"] == origin]
        with live_server.session() as s:
            total, distinct = s.execute(
                select(func.count(), func.count(ChangeLog.counter.distinct())).where(
                    ChangeLog.origin == origin
                )
            ).one()
        assert total == distinct == len(mine)


def _forge(h: dict[str, Any], ids: dict[str, str], stores: dict[str, Any], eid: str) -> dict:  # type: ignore[type-arg]
    origin = ids.get(h["origin"]) or secrets.token_hex(8)
    counter = h["counter"]
    if counter == "next":
        store = stores.get(h["origin"][-1]) if h["origin"].startswith("honest") else None
        counter = (_counter(store) + 1) if store is not None else 1
    return {
        "origin": origin,
        "counter": counter,
        "entity": h["entity"],
        "row_id": eid if h["row"] == "honest" else _uuid(),
        "fields": {h["field"]: h["value"]},
        "hlc": Timestamp(wall_ms(), 0, origin).encode(),
        "base_hlc": None if h["create"] else Timestamp(wall_ms() - 10_000, 0, origin).encode(),
        "schema_rev": 2,
    }


def _origin(store: Any) -> str:
    with store.read() as s:
        return ReplicaState.load(s).replica_id


def _counter(store: Any) -> int:
    with store.read() as s:
        return ReplicaState.load(s).counter


def _server(server: LiveServer) -> str:
    with server.session() as s:
        return ReplicaState.load(s).replica_id


def _hostile_replica(server: LiveServer, token: str) -> str:
    from app.models import Device
    from app.server.auth import digest

    with server.session() as s:
        device = s.execute(select(Device).where(Device.token_hash == digest(token))).scalar_one()
        return device.replica_id


def _uuid() -> str:
    from app.ids import uuid7

    return uuid7()
