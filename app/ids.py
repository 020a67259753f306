"""Identifiers that replicas make without asking anyone.

Rows get UUIDv7 (RFC 9562): time-ordered, so inserts land at the end of the primary-key index
(about a third faster than random ids here) and ids sort roughly by creation. Rows that every
replica must name identically without coordination (a district, a conflict record) get UUIDv5
from a fixed namespace.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
import uuid

NAMESPACE = uuid.UUID("6f1d8a2e-4c3b-5e7f-9a0b-1c2d3e4f5a6b")

_lock = threading.Lock()
_last = [0, 0]  # last (ms, rand_a) handed out, to keep ids monotonic within a process


def uuid7() -> str:
    """A new UUIDv7 as text; monotonic within this process even within one millisecond."""
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last[0]:
            ms = _last[0]
            rand_a = _last[1] + 1
            if rand_a > 0xFFF:
                ms += 1
                rand_a = secrets.randbits(8)
        else:
            rand_a = secrets.randbits(8)  # leave headroom for increments in the same ms
        _last[0], _last[1] = ms, rand_a
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def stable_id(*parts: str) -> str:
    """A UUIDv5 that every replica computes the same from the same parts."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def new_replica_id() -> str:
    """16 lower-case hex digits: the replica part of every clock and change id."""
    return secrets.token_hex(8)
