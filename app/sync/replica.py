"""This replica's identity, change counter and clock, read and written inside a transaction.

Nothing of this is cached between transactions: the GUI, a CLI command and a background sync
may write to the same file one after another, and each must continue from what the previous
one committed. Loading is one small row; saving is one UPDATE at the end of the write.

On the server, pushes from different districts run side by side: saving never moves the
counter or the clock backwards (a push that only observed clocks must not undo a counter a
concurrent server write took), and a writer that takes counters loads the row ``for_update``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, select, update
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
    def load(cls, session: Session, *, for_update: bool = False) -> ReplicaState:
        """``for_update`` holds the row until commit (PostgreSQL; SQLite writes one at a
        time anyway), for a writer whose counters must not be taken twice."""
        query = select(Replica).where(Replica.id == 1)
        if for_update:
            query = query.with_for_update()
        row = session.execute(query).scalar_one_or_none()
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
        hlc = self.clock.last.encode()  # fixed-width hex first: text order is clock order
        session.execute(
            update(Replica)
            .where(Replica.id == 1)
            .values(
                counter=case((Replica.counter < self.counter, self.counter), else_=Replica.counter),
                hlc=case((Replica.hlc < hlc, hlc), else_=Replica.hlc),
                issue_seq_year=self.issue_seq_year,
                issue_seq=self.issue_seq,
            )
        )
