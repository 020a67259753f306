"""Other replicas this one knows: whom it trusts, and what each is known to hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import ChangeLog, Peer, PeerHolding
from app.sync import ranges
from app.sync.keys import PublicKeyFile, PublicKeys
from app.sync.ranges import Ranges
from app.sync.writer import utc_now

Holdings = dict[str, Ranges]  # origin -> counter ranges


@dataclass(frozen=True)
class PeerInfo:
    replica_id: str
    name: str
    role: str
    district_name: str | None
    fingerprint: str
    trusted_at: datetime | None
    revoked_at: datetime | None
    keys: PublicKeys

    @property
    def trusted(self) -> bool:
        return self.trusted_at is not None and self.revoked_at is None


def trust(session: Session, identity: PublicKeyFile) -> PeerInfo:
    """Record ``identity`` as trusted (again, if it was revoked). Same replica, new keys: the
    new keys replace the old ones, which is what re-trusting after a reinstall means."""
    peer = session.get(Peer, identity.replica_id)
    if peer is None:
        peer = Peer(replica_id=identity.replica_id)
        session.add(peer)
    peer.name = identity.name
    peer.role = identity.role
    peer.district_name = identity.district_name
    peer.sign_public = identity.keys.sign_hex
    peer.enc_public = identity.keys.enc_hex
    peer.fingerprint = identity.fingerprint
    peer.trusted_at = utc_now()
    peer.revoked_at = None
    session.flush()
    return _info(peer)


def revoke(session: Session, replica_id: str) -> bool:
    peer = session.get(Peer, replica_id)
    if peer is None or peer.revoked_at is not None:
        return False
    peer.revoked_at = utc_now()
    session.flush()
    return True


def get(session: Session, replica_id: str) -> PeerInfo | None:
    peer = session.get(Peer, replica_id)
    return None if peer is None else _info(peer)


def list_peers(session: Session) -> list[PeerInfo]:
    return [_info(p) for p in session.execute(select(Peer).order_by(Peer.name)).scalars()]


class AmbiguousPeerError(LookupError):
    """Several peers answer to the name given: ask for the replica id or fingerprint."""

    def __init__(self, matches: list[PeerInfo]) -> None:
        super().__init__(", ".join(p.replica_id for p in matches))
        self.matches = matches


def find(session: Session, name_or_id: str) -> PeerInfo | None:
    """A peer by replica id, fingerprint prefix (≥ 8 hex digits) or exact name.

    Two replicas may share a name (an office reinstalled its computer), so a name that
    matches several peers raises ``AmbiguousPeerError`` instead of picking one."""
    key = name_or_id.strip()
    compact = key.replace(" ", "").lower()
    matches = []
    for peer in list_peers(session):
        if key == peer.replica_id:
            return peer
        by_fp = len(compact) >= 8 and peer.fingerprint.startswith(compact)
        if by_fp or key == peer.name:
            matches.append(peer)
    if len(matches) > 1:
        raise AmbiguousPeerError(matches)
    return matches[0] if matches else None


def _info(p: Peer) -> PeerInfo:
    return PeerInfo(
        replica_id=p.replica_id,
        name=p.name,
        role=p.role,
        district_name=p.district_name,
        fingerprint=p.fingerprint,
        trusted_at=p.trusted_at,
        revoked_at=p.revoked_at,
        keys=PublicKeys.from_hex(p.sign_public, p.enc_public),
    )


# ---- holdings: what a peer is known to have ----------------------------------------------


def holdings_of(session: Session, peer_id: str) -> Holdings:
    rows = session.execute(select(PeerHolding).where(PeerHolding.peer_id == peer_id)).scalars()
    return {row.origin: orjson.loads(row.ranges) for row in rows}


def add_holdings(session: Session, peer_id: str, more: Holdings) -> None:
    """The peer holds at least ``more`` too (holdings only grow: nothing is unlearned)."""
    current = holdings_of(session, peer_id)
    for origin, extra in more.items():
        merged = ranges.union(current.get(origin, []), extra)
        row = session.get(PeerHolding, (peer_id, origin))
        value = orjson.dumps(merged).decode()
        if row is None:
            session.add(PeerHolding(peer_id=peer_id, origin=origin, ranges=value))
        else:
            row.ranges = value
    session.flush()


def own_holdings(session: Session) -> Holdings:
    """What this replica holds of every origin (its receipts), from the change log.

    Gaps-and-islands in SQL: within one origin, ``counter - row_number()`` is constant along
    a run of consecutive counters, so grouping by it yields the runs directly from the index.
    """
    rows = session.execute(
        text(
            "SELECT origin, min(counter) AS first, max(counter) AS last FROM ("
            " SELECT origin, counter,"
            " counter - row_number() OVER (PARTITION BY origin ORDER BY counter) AS run"
            " FROM change_log) AS numbered GROUP BY origin, run ORDER BY origin, first"
        )
    ).all()
    held: Holdings = {}
    for origin, first, last in rows:
        held.setdefault(origin, []).append([int(first), int(last)])
    return held


def delivered_counts(session: Session, replica_id: str, peer_ids: Iterable[str]) -> tuple[int, int]:
    """(how many of this replica's own changes the peers are known to hold, how many not)."""
    total = session.execute(
        select(func.count()).select_from(ChangeLog).where(ChangeLog.origin == replica_id)
    ).scalar_one()
    known: Ranges = []
    for peer_id in peer_ids:
        known = ranges.union(known, holdings_of(session, peer_id).get(replica_id, []))
    delivered = min(total, ranges.size(known))
    return delivered, total - delivered
