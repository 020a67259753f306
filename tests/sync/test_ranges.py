"""Counter range sets: normal form, union, membership."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.sync import ranges

COUNTERS = st.sets(st.integers(1, 300), max_size=80)


@given(COUNTERS)
def test_from_counters_holds_exactly_those(counters: set[int]) -> None:
    runs = ranges.from_counters(counters)
    assert ranges.size(runs) == len(counters)
    assert all(ranges.contains(runs, c) == (c in counters) for c in range(0, 302))
    assert ranges.normalise(runs) == runs  # already normal
    for (_, last), (first, _) in itertools.pairwise(runs):
        assert first > last + 1  # disjoint and not adjacent


@given(COUNTERS, COUNTERS)
def test_union_is_set_union(a: set[int], b: set[int]) -> None:
    merged = ranges.union(ranges.from_counters(a), ranges.from_counters(b))
    assert merged == ranges.from_counters(a | b)
    assert ranges.union(ranges.from_counters(b), ranges.from_counters(a)) == merged


@given(COUNTERS, COUNTERS)
def test_covers_is_subset(a: set[int], b: set[int]) -> None:
    assert ranges.covers(ranges.from_counters(a), ranges.from_counters(b)) == (b <= a)


@pytest.mark.parametrize("bad", [[[0, 3]], [[5, 2]], [["a", 2]], [[1.5, 2]], [[1, 2, 3]]])
def test_malformed_ranges_are_refused(bad: list) -> None:  # type: ignore[type-arg]
    with pytest.raises((ValueError, TypeError)):
        ranges.normalise(bad)
