"""Sets of change counters as sorted, disjoint, inclusive ranges: ``[[1, 40], [42, 57]]``.

Receipts and acknowledgements say "I hold these changes of that origin". An origin issues
counters 1, 2, 3, … so a replica's holdings are a few long runs with the odd gap (a change
still on a lost USB stick): ranges keep them small and exact.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

Ranges = list[list[int]]


def normalise(ranges: Iterable[Iterable[int]]) -> Ranges:
    """Sorted, merged, adjacent runs joined; refuses malformed input with ``ValueError``."""
    items = []
    for pair in ranges:
        first, last = list(pair)
        if not (isinstance(first, int) and isinstance(last, int)) or isinstance(first, bool):
            raise ValueError("range bounds must be integers")
        if not 0 < first <= last:
            raise ValueError(f"bad range {first}..{last}")
        items.append((first, last))
    items.sort()
    out: Ranges = []
    for first, last in items:
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return out


def from_counters(counters: Iterable[int]) -> Ranges:
    return normalise([c, c] for c in counters)


def union(a: Ranges, b: Ranges) -> Ranges:
    return normalise([*a, *b])


def contains(ranges: Ranges, counter: int) -> bool:
    i = bisect_right(ranges, [counter, float("inf")]) - 1
    return i >= 0 and ranges[i][0] <= counter <= ranges[i][1]


def size(ranges: Ranges) -> int:
    return sum(last - first + 1 for first, last in ranges)


def covers(ranges: Ranges, other: Ranges) -> bool:
    """Every counter of ``other`` is in ``ranges`` (both normalised)."""
    return union(ranges, other) == ranges
