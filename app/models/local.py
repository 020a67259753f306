"""Replica-local tables: never replicated, never in ``jiceng dump``.

They hold who this replica is, its change log (its own and received changes, kept forever so
they can be relayed), the peers it trusts, the bundles it imported, what each peer is known to
hold, sync cursors, and local settings.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import BIG, Base


class Replica(Base):
    """This replica's identity and counters. Exactly one row (``id = 1``).

    ``counter`` (the last change counter issued) and ``hlc`` (the highest clock issued or
    observed) are updated in the same transaction as the writes that used them, so neither can
    go back or repeat across restarts.
    """

    __tablename__ = "replica"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    replica_id: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    district_id: Mapped[str] = mapped_column(String(36))
    district_name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(16))
    counter: Mapped[int] = mapped_column(BIG, default=0)
    hlc: Mapped[str] = mapped_column(String(32))
    issue_seq_year: Mapped[int] = mapped_column(Integer, default=0)
    issue_seq: Mapped[int] = mapped_column(Integer, default=0)
    sign_public: Mapped[str | None] = mapped_column(String(64))
    enc_public: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ChangeLog(Base):
    """One row per change, local or received (docs/sync-protocol.md#change-log).

    ``seq`` is the local arrival order (what exports and pushes page through). ``status`` is
    ``applied``, ``pending`` (waiting for the row or a parent it refers to, named by
    ``waiting_for``; NULL means "try again at the next merge") or ``quarantined`` (clock too
    far ahead; held until a user releases it).
    """

    __tablename__ = "change_log"
    __table_args__ = (
        UniqueConstraint("origin", "counter"),
        Index("ix_change_log_entity_row", "entity", "row_id"),
        # Partial indexes: nearly every change is applied, and only the few held back are
        # ever looked up by status, so applied changes cost these indexes nothing.
        Index(
            "ix_change_log_held",
            "status",
            sqlite_where=text("status != 'applied'"),
            postgresql_where=text("status != 'applied'"),
        ),
        # The server's pulls: one district's changes in server order.
        Index("ix_change_log_district_seq", "district_id", "seq"),
        Index(
            "ix_change_log_waiting_for",
            "waiting_for",
            sqlite_where=text("waiting_for IS NOT NULL"),
            postgresql_where=text("waiting_for IS NOT NULL"),
        ),
    )

    seq: Mapped[int] = mapped_column(BIG, primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(String(16))
    counter: Mapped[int] = mapped_column(BIG)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    fields: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(32))
    base_hlc: Mapped[str | None] = mapped_column(String(32))
    schema_rev: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    waiting_for: Mapped[str | None] = mapped_column(String(36))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(64))
    district_id: Mapped[str | None] = mapped_column(String(36))  # set on the server only


class Peer(Base):
    """Another replica this one knows: its public keys and whether the user trusts it."""

    __tablename__ = "peer"

    replica_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    district_name: Mapped[str | None] = mapped_column(String(100))
    sign_public: Mapped[str] = mapped_column(String(64))
    enc_public: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    trusted_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class ChangeProof(Base):
    """An origin's Ed25519 signature over a run of its own changes (≤ 256 consecutive
    counters), so that anyone relaying them can show they are genuine (``app.sync.proofs``).
    ``hashes`` holds the 16-byte digest of every change of the run, base64, so a proof
    vouches for any subset of the run a relay happens to carry."""

    __tablename__ = "change_proof"

    origin: Mapped[str] = mapped_column(String(16), primary_key=True)
    first: Mapped[int] = mapped_column(BIG, primary_key=True)
    last: Mapped[int] = mapped_column(BIG)
    hashes: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(128))


class ReplicaKey(Base):
    """The signing key an origin is known by, where it was not learned as a trusted peer:
    on the server from enrollment (or a district office's introduction of its cadres), on a
    replica from a trusted district office's bundle. First binding wins."""

    __tablename__ = "replica_key"

    replica_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    sign_public: Mapped[str] = mapped_column(String(64))
    district_id: Mapped[str | None] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(DateTime)


class PeerHolding(Base):
    """What a peer is known to hold of one origin's changes, as counter ranges.

    Learned from receipts (bundles) and acknowledgements (server): the next export to that peer
    carries exactly the changes outside these ranges, so a lost USB stick leaves no gap.
    ``ranges`` is JSON ``[[first, last], ...]``, sorted and disjoint.
    """

    __tablename__ = "peer_holding"

    peer_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    origin: Mapped[str] = mapped_column(String(16), primary_key=True)
    ranges: Mapped[str] = mapped_column(Text, default="[]")


class ImportedBundle(Base):
    """A bundle already imported: importing it again changes nothing and says when."""

    __tablename__ = "imported_bundle"

    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender: Mapped[str] = mapped_column(String(16))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[str] = mapped_column(Text, default="{}")


class SyncState(Base):
    """Per-server sync bookkeeping: the enrolled device, the pull cursor, the last round."""

    __tablename__ = "sync_state"

    server_url: Mapped[str] = mapped_column(String(300), primary_key=True)
    server_replica_id: Mapped[str | None] = mapped_column(String(16))
    device_id: Mapped[str | None] = mapped_column(String(36))
    token: Mapped[str | None] = mapped_column(Text)
    pull_cursor: Mapped[int] = mapped_column(BIG, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # This device's changes the server holds because their clock ran ahead (last pull).
    server_held: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SyncRejection(Base):
    """A change the server refused, with its reason, so the user can see it (it is not sent
    again: a refusal is not a network error)."""

    __tablename__ = "sync_rejection"

    origin: Mapped[str] = mapped_column(String(16), primary_key=True)
    counter: Mapped[int] = mapped_column(BIG, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """Who revealed which personal data, when and why (PIPL art. 51). Append-only, and
    tamper-evident: each entry's ``hash`` covers its content and the previous entry's hash,
    so editing or deleting any entry breaks every hash after it."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class IsolatedValue(Base):
    """A stored value its field's rules refuse — received before the wire checked it — set
    aside by the ledger check (``app.services.stored_check``): ``value`` is what was stored,
    as JSON, and the row now holds ``stand_in`` so every screen, report and export can show
    it. Kept until the user has seen and repaired it."""

    __tablename__ = "isolated_value"

    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    stand_in: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32))  # a code: see stored_check.REASONS
    found_at: Mapped[datetime] = mapped_column(DateTime)


class Setting(Base):
    """Local settings as JSON values validated by pydantic models in the services."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def held(status: str) -> ColumnElement[bool]:
    """``status == …`` for a held-back status, phrased so the partial index serves it."""
    return (ChangeLog.status != "applied") & (ChangeLog.status == status)
