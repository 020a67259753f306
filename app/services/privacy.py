"""Revealing personal data, on purpose and on the record.

Lists and exports show ID numbers and phones masked. Seeing a worker's full ID number, phone
or hardship details, or exporting a workbook that holds them, is an explicit action with a
stated reason, written to the audit log before the data is returned. The log is a hash
chain, so it can be checked for tampering.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Worker
from app.schemas.base import InputError
from app.services.common import get_live
from app.sync.replica import ReplicaState
from app.sync.writer import utc_now

GENESIS = "0" * 64


@dataclass(frozen=True)
class RevealedWorker:
    id: str
    name: str
    id_number: str | None
    phone: str | None
    hardship_reason: str | None


def reveal_worker(session: Session, worker_id: str, reason: str) -> RevealedWorker:
    """The worker's personal data in full; the reveal is logged first (who, when, why)."""
    reason = check_reason(reason)
    worker = get_live(session, Worker, worker_id)
    record(session, "reveal", "worker", worker_id, reason)
    return RevealedWorker(
        worker.id, worker.name, worker.id_number, worker.phone, worker.hardship_reason
    )


def check_reason(reason: str | None) -> str:
    """A stated reason, trimmed: 2–200 characters, or the refusal that names the field."""
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 200:
        raise InputError.single("reason", "查看理由", "请说明查看原因（2–200字）")
    return reason


@dataclass(frozen=True)
class ExportPermit:
    """Proof that an export with full personal data is on the record: only
    ``permit_export`` makes one, and the exporters take nothing else as leave to unmask."""

    seq: int  # the audit entry
    kind: str
    name: str
    reason: str


def permit_export(session: Session, kind: str, name: str, reason: str | None) -> ExportPermit:
    """An export with full personal data (ID numbers, phones, hardship details, names of
    confidential complainants) is a reveal too: on the record, with its reason, before any
    row is read. ``name`` is the file's name (its first 36 characters are logged). The
    caller commits ``session`` before exporting, so the entry stays even if the file fails."""
    reason = check_reason(reason)
    entry = record(session, "export", kind, name[:36], reason)
    return ExportPermit(entry.seq, kind, name, reason)


def record(session: Session, action: str, entity: str, row_id: str, reason: str) -> AuditEntry:
    last = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    entry = AuditEntry(
        at=utc_now(),
        actor=ReplicaState.load(session).name,
        action=action,
        entity=entity,
        row_id=row_id,
        reason=reason,
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def entry_hash(e: AuditEntry) -> str:
    fields = (
        e.prev_hash,
        e.at.isoformat(timespec="milliseconds"),
        e.actor,
        e.action,
        e.entity,
        e.row_id,
        e.reason,
    )
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def verify_chain(session: Session) -> int | None:
    """The seq of the first entry that does not fit the chain, or None if all do."""
    prev = GENESIS
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        if entry.prev_hash != prev or entry.hash != entry_hash(entry):
            return entry.seq
        prev = entry.hash
    return None
