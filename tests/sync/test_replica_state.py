"""Saving a replica's state never moves its counter or clock back.

On the server, a push loads the server's state, merges for a while and saves the clock it
observed; meanwhile a server write of another district may have taken counters and ticked the
clock. The push's save must keep what that write committed, or the server's next write would
reuse a counter (refused by the log's unique key, for ever after)."""

from __future__ import annotations

from app.sync.hlc import Timestamp
from app.sync.replica import ReplicaState
from tests.helpers import MakeReplica, add_enterprise


def test_a_stale_save_keeps_the_newer_counter_and_clock(make_replica: MakeReplica) -> None:
    store = make_replica()
    with store.read() as s:
        stale = ReplicaState.load(s)
    add_enterprise(store, "后来写入的企业")  # takes a counter and ticks the clock
    with store.read() as s:
        newer = ReplicaState.load(s)
    assert newer.counter > stale.counter and newer.clock.last > stale.clock.last
    with store.write() as s:
        stale.save(s)
    with store.read() as s:
        kept = ReplicaState.load(s)
    assert (kept.counter, kept.clock.last) == (newer.counter, newer.clock.last)


def test_a_save_moves_counter_and_clock_forward(make_replica: MakeReplica) -> None:
    store = make_replica()
    with store.read() as s:
        state = ReplicaState.load(s)
    state.counter += 5
    ahead = Timestamp(state.clock.last.ms + 60_000, 0, state.replica_id)
    state.clock.observe(ahead)
    with store.write() as s:
        state.save(s)
    with store.read() as s:
        kept = ReplicaState.load(s)
    assert kept.counter == state.counter and kept.clock.last == state.clock.last
    assert kept.clock.last.ms >= ahead.ms
