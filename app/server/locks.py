"""Advisory locks that keep the server's change log in commit order, one district at a time.

A pull reads one district's changes after a cursor, in sequence order. On PostgreSQL a
sequence number is taken at INSERT but becomes visible only at COMMIT, so two writers that
file changes under the same district must commit in the order they took their numbers, or
a puller could pass a number that commits later and never see it. Every write that files
changes under a district therefore holds that district's lock until it commits; writes for
different districts run side by side, so one district's largest push never makes another
district wait. SQLite needs no lock: its write transactions (BEGIN IMMEDIATE) run one at a
time already.
"""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlalchemy.orm import Session

# The first key of the two-key advisory lock: the change log's lock space, apart from the
# single-key lock that serialises schema upgrades at start (``app.server.db.prepare``).
LOG_SPACE = 7242002


def district_key(district_id: str) -> int:
    """The second key for ``district_id``: a stable 32-bit signed hash. Two districts that
    share a key only wait on each other, which is what every district did before."""
    return zlib.crc32(district_id.encode("utf-8")) - 2**31


def lock_district(session: Session, district_id: str) -> None:
    """Hold ``district_id``'s log lock until the session's transaction ends (reentrant)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"),
            {"space": LOG_SPACE, "key": district_key(district_id)},
        )
