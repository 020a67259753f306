"""Origin proofs on a replica: which keys it knows origins by, and what it relays.

A replica knows an origin's signing key when the origin is a peer it trusts (public key files
compared by fingerprint), or when a trusted district office introduced the key in a bundle —
first binding wins, so a later introduction cannot replace a key. Proofs it verified are kept
(``change_proof``) and travel with the changes they vouch for whenever this replica relays
them: in its bundles, and in its pushes to the server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChangeProof, Peer, ReplicaKey
from app.sync import proofs
from app.sync.proofs import Proof
from app.sync.writer import utc_now

INTRODUCERS = frozenset({"district", "server"})  # roles whose bundles may introduce keys


def key_of(session: Session, origin: str) -> bytes | None:
    """The signing key this replica knows ``origin`` by, or None."""
    peer = session.get(Peer, origin)
    if peer is not None and peer.trusted_at is not None and peer.revoked_at is None:
        return bytes.fromhex(peer.sign_public)
    if peer is not None and peer.revoked_at is not None:
        return None  # a revoked peer vouches for nothing, however it was introduced
    row = session.get(ReplicaKey, origin)
    return None if row is None else bytes.fromhex(row.sign_public)


def known_keys(session: Session, origins: Iterable[str]) -> dict[str, str]:
    """Hex signing keys of ``origins`` this replica knows, to introduce them to others."""
    out: dict[str, str] = {}
    for origin in origins:
        key = key_of(session, origin)
        if key is not None:
            out[origin] = key.hex()
    return out


def adopt_keys(session: Session, introduced: Mapping[str, str], introducer: str) -> None:
    """Bind keys a trusted district office introduced, for origins not known yet."""
    for origin, sign_hex in introduced.items():
        if session.get(Peer, origin) is not None or session.get(ReplicaKey, origin) is not None:
            continue
        session.add(
            ReplicaKey(
                replica_id=origin,
                sign_public=sign_hex,
                district_id=None,
                source=f"bundle:{introducer}",
                added_at=utc_now(),
            )
        )
    session.flush()


class Relay:
    """The proofs this replica holds, by origin, for attaching to what it sends."""

    def __init__(self, session: Session, skip: str = "") -> None:
        self.index = proofs.ProofIndex()
        rows = session.execute(select(ChangeProof).where(ChangeProof.origin != skip))
        for row in rows.scalars():
            self.index.add(proofs.from_row(row))

    def covering(self, origin: str, counter: int) -> Proof | None:
        return next(iter(self.index.covering(origin, counter)), None)
