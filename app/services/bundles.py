"""Trusting the sender of a sync bundle from the bundle itself.

A district clerk handed a USB stick by a cadre they have not paired with yet should not be
told to run a command: the import screen shows the sender's name and key fingerprint and,
once the clerk has compared it with the cadre's (read out by phone or shown in person),
trusts the sender right there. The GUI and the CLI call the same function, which re-reads the
bundle and trusts only the keys whose fingerprint the user confirmed.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.sync import peers
from app.sync.bundle import sender_identity
from app.sync.bundle_format import BundleError
from app.sync.keys import PublicKeyFile
from app.sync.replica import ReplicaState


def bundle_sender(path: Path) -> PublicKeyFile:
    """The sender the bundle at ``path`` names, with the keys it carries (checked to give
    its fingerprint and to have signed it)."""
    return sender_identity(path)


SHOWN = 32  # hex digits of a fingerprint people read aloud (128 bits, eight groups of four)


def matches(fingerprint: str, confirmed: str) -> bool:
    """Whether ``confirmed`` (as read aloud: any case, spaces allowed) is the fingerprint, or
    at least the part of it people are shown."""
    typed = "".join(confirmed.split()).lower()
    return len(typed) >= SHOWN and fingerprint.startswith(typed)


def trust_bundle_sender(session: Session, path: Path, confirmed_fingerprint: str) -> peers.PeerInfo:
    """Trust the sender of ``path`` if its keys have the fingerprint the user confirmed
    (the whole of it, or the part shown on screen).

    Refused: this replica's own keys, a sender the user revoked (revoking is undone only with
    its key file, on purpose), and a known sender whose keys differ from the bundle's (a new
    key must come as a key file, so a stolen stick cannot swap a trusted office's key)."""
    identity = sender_identity(path)
    who = f"{identity.name}（{identity.replica_id}）"
    if not matches(identity.fingerprint, confirmed_fingerprint):
        raise BundleError("sender_key_mismatch", who)
    if identity.replica_id == ReplicaState.load(session).replica_id:
        raise BundleError("own_bundle")
    known = peers.get(session, identity.replica_id)
    if known is not None and known.revoked_at is not None:
        raise BundleError("revoked_sender", who)
    if known is not None and known.trusted and known.fingerprint != identity.fingerprint:
        raise BundleError("sender_key_mismatch", who)
    return peers.trust(session, identity)
