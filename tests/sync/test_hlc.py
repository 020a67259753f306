"""The hybrid logical clock: monotonic, past every clock it observes, totally ordered."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.hlc import (
    MAX_COUNTER,
    Clock,
    ClockError,
    Timestamp,
    is_valid,
    physical_ms,
)

REPLICAS = st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)
MS = st.integers(min_value=0, max_value=2**44)
STAMPS = st.builds(Timestamp, MS, st.integers(0, MAX_COUNTER), REPLICAS)


class FakeWall:
    """A wall clock the test moves, including backwards."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


@given(st.lists(STAMPS, min_size=2, max_size=30))
def test_text_order_is_tuple_order(stamps: list[Timestamp]) -> None:
    assert sorted(stamps) == sorted(stamps, key=Timestamp.encode)
    for ts in stamps:
        assert Timestamp.decode(ts.encode()) == ts
        assert is_valid(ts.encode())
        assert physical_ms(ts.encode()) == ts.ms


@given(
    REPLICAS,
    st.lists(
        st.one_of(
            st.tuples(st.just("tick"), st.integers(-5_000, 5_000)),
            st.tuples(st.just("recv"), STAMPS),
        ),
        max_size=60,
    ),
)
@settings(max_examples=200)
def test_monotonic_and_past_everything_observed(replica: str, steps: list) -> None:  # type: ignore[type-arg]
    wall = FakeWall(1_700_000_000_000)
    clock = Clock(replica, wall=wall)
    issued: list[Timestamp] = []
    for kind, arg in steps:
        if kind == "tick":
            wall.ms = max(0, wall.ms + arg)  # the wall clock may jump back
            ts = clock.now()
            assert ts.replica == replica
            assert ts.ms >= wall.ms or (issued and ts.ms >= issued[-1].ms)
            issued.append(ts)
        else:
            clock.observe(arg)
            after = clock.now()
            assert after > arg.__class__(arg.ms, arg.counter, replica) or after.ms > arg.ms
            assert (after.ms, after.counter) > (arg.ms, arg.counter)
            issued.append(after)
    assert issued == sorted(issued)
    assert len({(t.ms, t.counter) for t in issued}) == len(issued)  # never repeats


def test_resumes_from_persisted_value_after_clock_set_back() -> None:
    wall = FakeWall(2_000_000)
    first = Clock("0123456789abcdef", wall=wall)
    last = first.now()
    wall.ms = 1_000_000  # the machine's clock was set back before the restart
    second = Clock("0123456789abcdef", Timestamp.decode(last.encode()), wall=wall)
    assert second.now() > last


def test_counter_overflow_carries_into_the_next_millisecond() -> None:
    wall = FakeWall(5)
    clock = Clock("0123456789abcdef", Timestamp(5, MAX_COUNTER, "0123456789abcdef"), wall=wall)
    ts = clock.now()
    assert (ts.ms, ts.counter) == (6, 0)


@pytest.mark.parametrize(
    "text",
    ["", "xyz", "0" * 31, "0" * 33, "0" * 16 + "ABCDEF0123456789", "g" * 32, None, 12],
)
def test_malformed_clock_values_are_refused(text: object) -> None:
    assert not is_valid(text)
    if isinstance(text, str):
        with pytest.raises(ClockError):
            Timestamp.decode(text)


def test_replica_id_must_be_16_hex_digits() -> None:
    with pytest.raises(ClockError):
        Clock("not-hex")


LOCAL = "a" * 16
REMOTE = "b" * 16


@pytest.mark.parametrize(
    ("wall", "last", "remote", "expected"),
    [
        # equal milliseconds on both sides, wall behind: past the larger counter of the two
        (900, (1000, 5), (1000, 9), (1000, 10)),
        (900, (1000, 9), (1000, 5), (1000, 10)),
        (1000, (1000, 7), (1000, 7), (1000, 8)),
        # the remote is ahead: its milliseconds, past its counter
        (900, (1000, 5), (1002, 3), (1002, 4)),
        # the local clock is ahead: its milliseconds, past its own counter
        (900, (1002, 3), (1000, 9), (1002, 4)),
        # the wall is ahead of both: the wall, counter reset
        (1005, (1000, 5), (1002, 9), (1005, 0)),
        # a counter at its maximum carries into the next millisecond
        (900, (1000, MAX_COUNTER), (1000, 2), (1001, 0)),
    ],
)
def test_receive_rule_examples(
    wall: int, last: tuple[int, int], remote: tuple[int, int], expected: tuple[int, int]
) -> None:
    clock = Clock(LOCAL, Timestamp(*last, LOCAL), wall=FakeWall(wall))
    clock.observe(Timestamp(*remote, REMOTE))
    assert (clock.last.ms, clock.last.counter) == expected


@given(
    st.integers(1_000, 2**40),
    st.integers(0, MAX_COUNTER),
    st.lists(st.tuples(st.integers(-2, 2), st.integers(-3, 3), st.integers(-3, 3)), max_size=40),
)
@settings(max_examples=300)
def test_observing_a_nearby_clock_passes_it(
    start: int, counter: int, steps: list[tuple[int, int, int]]
) -> None:
    """Remote clocks drawn within a few milliseconds and counts of the local one — where the
    receive rule's equal-millisecond branches live: after observing, the clock is past both
    what it had and what it saw, and every later timestamp sorts after the observed one."""
    wall = FakeWall(start)
    clock = Clock(LOCAL, Timestamp(start, counter, LOCAL), wall=wall)
    for d_ms, d_counter, d_wall in steps:
        wall.ms = max(0, clock.last.ms + d_wall)
        seen = Timestamp(
            max(0, clock.last.ms + d_ms),
            min(MAX_COUNTER, max(0, clock.last.counter + d_counter)),
            REMOTE,
        )
        before = clock.last
        clock.observe(seen)
        assert (clock.last.ms, clock.last.counter) > (seen.ms, seen.counter)
        assert clock.last > before
        assert clock.now() > seen
