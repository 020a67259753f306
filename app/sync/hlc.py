"""Hybrid logical clock (HLC): physical milliseconds, a counter, and the replica id.

Why an HLC: last-writer-wins needs a total order that respects causality (a change made after
seeing another sorts after it) even when laptop clocks disagree. The physical part keeps the
order close to wall time; the counter orders events within one millisecond or when the wall
clock stands still or goes back; the replica id breaks the remaining ties.

A timestamp is encoded as 32 lower-case hex digits — 12 for milliseconds, 4 for the counter,
16 for the replica — so that comparing the text compares the tuple. That lets SQL (``MAX``,
``>``) and Python agree without decoding.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MS_DIGITS = 12
COUNTER_DIGITS = 4
REPLICA_DIGITS = 16
ENCODED_LEN = MS_DIGITS + COUNTER_DIGITS + REPLICA_DIGITS
MAX_COUNTER = 16**COUNTER_DIGITS - 1
MAX_MS = 16**MS_DIGITS - 1
_HEX = frozenset("0123456789abcdef")


class ClockError(ValueError):
    """A timestamp that is not of the form this module writes."""


def wall_ms() -> int:
    """The system clock in milliseconds since the epoch."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    """One point of the hybrid clock. Ordering is (ms, counter, replica)."""

    ms: int
    counter: int
    replica: str

    def encode(self) -> str:
        return f"{self.ms:012x}{self.counter:04x}{self.replica}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        if not is_valid(text):
            raise ClockError(f"not a clock value: {text!r}")
        return cls(int(text[:MS_DIGITS], 16), int(text[MS_DIGITS:16], 16), text[16:])


def is_valid(text: object) -> bool:
    """True for a well-formed encoded timestamp."""
    return isinstance(text, str) and len(text) == ENCODED_LEN and _HEX.issuperset(text)


def physical_ms(text: str) -> int:
    """The wall-clock part of an encoded timestamp, without decoding the rest."""
    return int(text[:MS_DIGITS], 16)


def check_replica_id(replica: str) -> str:
    if not (len(replica) == REPLICA_DIGITS and _HEX.issuperset(replica)):
        raise ClockError(f"replica id must be {REPLICA_DIGITS} hex digits: {replica!r}")
    return replica


class Clock:
    """The clock of one replica.

    ``last`` is the highest timestamp this replica has issued or observed; callers persist it
    in the same transaction as the writes that used it, so a restart or a clock set back never
    makes it go backwards. Issuing a timestamp never fails: when the wall clock lags, the
    counter advances, and when the counter is exhausted the millisecond part moves on.
    """

    def __init__(
        self,
        replica: str,
        last: Timestamp | None = None,
        wall: Callable[[], int] = wall_ms,
    ) -> None:
        self.replica = check_replica_id(replica)
        self.last = last if last is not None else Timestamp(0, 0, replica)
        self._wall = wall

    def now(self) -> Timestamp:
        """A new timestamp, greater than every one issued or observed before."""
        wall = self._wall()
        if wall > self.last.ms:
            ts = Timestamp(wall, 0, self.replica)
        else:
            ts = _bump(self.last.ms, self.last.counter + 1, self.replica)
        self.last = ts
        return ts

    def observe(self, remote: Timestamp) -> None:
        """Advance past a timestamp received from elsewhere (the HLC receive rule)."""
        wall = self._wall()
        top = max(wall, self.last.ms, remote.ms)
        if top == self.last.ms and top == remote.ms:
            counter = max(self.last.counter, remote.counter) + 1
        elif top == self.last.ms:
            counter = self.last.counter + 1
        elif top == remote.ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self.last = _bump(top, counter, self.replica)


def _bump(ms: int, counter: int, replica: str) -> Timestamp:
    """A timestamp at ``ms``/``counter``, carrying into the next millisecond on overflow."""
    if counter > MAX_COUNTER:
        ms, counter = ms + 1, 0
    if ms > MAX_MS:
        raise ClockError("clock exhausted")  # year 10889: not a runtime concern
    return Timestamp(ms, counter, replica)
