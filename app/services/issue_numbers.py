"""Human-readable case numbers, made offline without coordination: ``CODE-YEAR-SEQ``.

The replica's code makes numbers unique across replicas; the sequence restarts every year.
The current year's sequence lives in the replica row (one increment, no query); a case
registered for an earlier year (back-filling a paper ledger) continues that year's highest
number made by this replica.
"""

from __future__ import annotations

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from app.models import Issue
from app.sync.replica import ReplicaState


def next_issue_number(session: Session, state: ReplicaState, year: int) -> str:
    prefix = f"{state.code}-{year}-"
    if year == state.issue_seq_year:
        state.issue_seq += 1
        seq = state.issue_seq
    else:
        seq = _highest(session, state, prefix) + 1
        if year > state.issue_seq_year:
            state.issue_seq_year, state.issue_seq = year, seq
    return f"{prefix}{seq:04d}"


def _highest(session: Session, state: ReplicaState, prefix: str) -> int:
    tail = cast(func.substr(Issue.number, len(prefix) + 1), Integer)
    top = session.execute(
        select(func.max(tail)).where(
            Issue.number.like(prefix + "%"), Issue.created_by == state.replica_id
        )
    ).scalar()
    return int(top or 0)
