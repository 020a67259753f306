"""Connections cut at every byte (fault suite, item 3): a loopback proxy forwards exactly N
bytes of the round's requests (or of the server's replies) and then drops the connection, for
N swept from 1 until the round gets through whole.

At every N, with one fresh change waiting to be sent:
- the change is marked as sent only if the server stores it (never on a cut alone);
- a cut request stores it not at all, or once; a cut reply (server committed, client never
  heard) leaves it unmarked, so it is resent;
- both outcomes switch exactly once along the sweep (a single threshold, no flapping);
- then one sync over a healthy link converges, and the server holds every change exactly once.

``JICENG_CUT_STRIDE`` sets the step (13 in ``make test``, 1 in ``make soak``: every byte).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.models import ChangeLog
from app.storage.store import Store
from app.sync import peers, ranges
from app.sync.client import configured_server
from app.sync.http import SyncError
from app.sync.replica import ReplicaState
from app.sync.writer import ChangeWriter
from tests.helpers import MakeReplica, add_enterprise, dump, join, pushable, sync
from tests.server.proxy import FlakyProxy
from tests.server_helpers import LiveServer

STRIDE = int(os.environ.get("JICENG_CUT_STRIDE", "13"))
MAX_BYTES = 20_000  # far beyond one round with one change: the sweep must end well before


@pytest.fixture
def cutter(live_server: LiveServer) -> Iterator[FlakyProxy]:
    proxy = FlakyProxy(int(live_server.url.rsplit(":", 1)[1]), seed=3)
    yield proxy
    proxy.close()


@pytest.mark.parametrize("fault", ["cut_request", "cut_reply"])
def test_cut_after_every_byte(
    live_server: LiveServer, cutter: FlakyProxy, make_replica: MakeReplica, fault: str
) -> None:
    a = make_replica("张驻点", district="鼓楼区总工会")
    b = make_replica("李驻点", district="鼓楼区总工会")
    eid = add_enterprise(a)
    join(live_server, a)
    join(live_server, b)
    sync(a)
    via_proxy = f"http://127.0.0.1:{cutter.port}"
    stored_at, marked_at, tried = [], [], 0
    for n in range(1, MAX_BYTES, STRIDE):
        counter = _new_change(a, eid, n)
        cutter.fixed = (fault, n)
        try:
            sync(a, url=via_proxy, attempts=1)
            through = True
        except SyncError as err:
            assert err.code in ("unreachable", "invalid_reply"), err
            through = False
        cutter.fixed = None
        tried += 1
        stored, marked = _stored(live_server, a, counter), _marked(a, counter)
        assert stored in (0, 1), f"byte {n}: stored {stored} times"
        assert stored or not marked, f"byte {n}: marked as sent, but the server does not hold it"
        if fault == "cut_reply" and not through:
            assert stored == 1, f"byte {n}: the request went through whole, yet nothing stored"
        stored_at.append(bool(stored))
        marked_at.append(marked)
        sync(a)  # the link heals: one round sends what is missing
        assert _stored(live_server, a, counter) == 1 and _marked(a, counter)
        if through:
            break
    else:
        pytest.fail(f"no round got through with up to {MAX_BYTES} bytes")
    assert tried > 20 and not marked_at[0] and marked_at[-1]
    assert _one_switch(stored_at) and _one_switch(marked_at), (stored_at, marked_at)
    sync(b)
    assert dump(a) == dump(b)
    mine = [c for c in pushable(a) if c["origin"] == _origin(a)]
    with live_server.session() as s:
        held = s.execute(
            select(func.count(), func.count(ChangeLog.counter.distinct())).where(
                ChangeLog.origin == _origin(a)
            )
        ).one()
    assert tuple(held) == (len(mine), len(mine))  # each change exactly once


def _new_change(store: Store, eid: str, n: int) -> int:
    """One new change waiting to be sent; returns its counter."""
    with store.write() as s, ChangeWriter(s) as w:
        w.create("worker", {"enterprise_id": eid, "name": f"职工{n}"})
    with store.read() as s:
        return ReplicaState.load(s).counter


def _origin(store: Store) -> str:
    with store.read() as s:
        return ReplicaState.load(s).replica_id


def _stored(server: LiveServer, store: Store, counter: int) -> int:
    with server.session() as s:
        return s.execute(
            select(func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.origin == _origin(store), ChangeLog.counter == counter)
        ).scalar_one()


def _marked(store: Store, counter: int) -> bool:
    """Does the client believe the server holds this change of its own?"""
    with store.read() as s:
        config = configured_server(s)
        assert config is not None
        held = peers.holdings_of(s, config.server_replica_id or "")
        return ranges.contains(held.get(ReplicaState.load(s).replica_id, []), counter)


def _one_switch(flags: list[bool]) -> bool:
    """False…False True…True: the outcome changes once, from not yet to done."""
    return flags == sorted(flags)
