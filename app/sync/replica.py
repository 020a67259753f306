"""This replica's identity, change counter and clock, read and written inside a transaction.

Nothing of this is cached between transactions: the GUI, a CLI command and a background sync
may write to the same file one after another, and each must continue from what the previous
one committed. Loading is one small row; saving is one UPDATE at the end of the write.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Replica
from app.sync.hlc import Clock, Timestamp


class NotInitialisedError(RuntimeError):
    """The data file has no replica identity: ``jiceng init`` was never run on it."""


@dataclass
class ReplicaState:
    replica_id: str
    name: str
    role: str
    district_id: str
    district_name: str
    code: str
    counter: int
    clock: Clock
    issue_seq_year: int
    issue_seq: int

    @classmethod
    def load(cls, session: Session) -> ReplicaState:
        row = session.execute(select(Replica).where(Replica.id == 1)).scalar_one_or_none()
        if row is None:
            raise NotInitialisedError("this data folder has no replica identity")
        return cls(
            replica_id=row.replica_id,
            name=row.name,
            role=row.role,
            district_id=row.district_id,
            district_name=row.district_name,
            code=row.code,
            counter=row.counter,
            clock=Clock(row.replica_id, Timestamp.decode(row.hlc)),
            issue_seq_year=row.issue_seq_year,
            issue_seq=row.issue_seq,
        )

    def next_counter(self) -> int:
        self.counter += 1
        return self.counter

    def save(self, session: Session) -> None:
        session.execute(
            update(Replica)
            .where(Replica.id == 1)
            .values(
                counter=self.counter,
                hlc=self.clock.last.encode(),
                issue_seq_year=self.issue_seq_year,
                issue_seq=self.issue_seq,
            )
        )
