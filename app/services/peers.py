"""Trust between replicas: this replica's public key file, the peers it trusts, revoking them.

The sync screen and ``jiceng keys | peers`` call these functions, so both refuse the same
things in the same words (``app.ui.messages.PEER_MESSAGES`` words the codes): nobody trusts
this replica's own key, a name shared by several peers is never guessed, and so on. Peers are
local tables (whom this laptop trusts is not a ledger fact): nothing here is recorded for sync.
Trusting a bundle's sender from the bundle itself is ``app.services.bundles.trust_bundle_sender``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from app.services.replica import replica_info
from app.storage import atomic
from app.sync import peers
from app.sync.keys import (
    KeyFileError,
    KeyPairs,
    PublicKeyFile,
    display_fingerprint,
    export_public,
    read_public,
)
from app.sync.peers import PeerInfo

__all__ = [
    "ExportedKey",
    "PeerError",
    "PeerInfo",
    "PublicKeyFile",
    "display_fingerprint",
    "export_own_key",
    "find_peer",
    "key_to_trust",
    "list_peers",
    "own_key",
    "peer_state",
    "read_key_file",
    "revoke_peer",
    "trust_key",
]


class PeerError(Exception):
    """A refusal about keys or peers. ``code`` is stable (``PEER_MESSAGES`` words it),
    ``detail`` fills the message in; ``matches`` lists the peers a name was ambiguous
    between (``ambiguous_peer``).

    Codes: ``unreadable`` and ``unwritable`` (a file), ``not_a_key_file``,
    ``fingerprint_mismatch`` and ``bad_signature`` (a key file that is no key file, or was
    altered), ``own_key`` (this replica's own key), ``unknown_peer`` and
    ``unknown_recipient`` (nobody by that name, id or fingerprint), ``ambiguous_peer``,
    ``revoked_peer`` (a bundle for a peer no longer trusted), ``own_replica`` (a bundle for
    this replica itself)."""

    def __init__(self, code: str, detail: str = "", matches: tuple[PeerInfo, ...] = ()) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.matches = matches


# ---- this replica's key file -------------------------------------------------------------


@dataclass(frozen=True)
class ExportedKey:
    path: Path
    identity: PublicKeyFile

    @property
    def fingerprint(self) -> str:
        return self.identity.fingerprint


def own_key(session: Session, keys: KeyPairs) -> PublicKeyFile:
    """This replica as its public key file names it: id, name, role, district, keys."""
    info = replica_info(session)
    return PublicKeyFile(info.replica_id, info.name, info.role, info.district_name, keys.public)


def export_own_key(session: Session, keys: KeyPairs, out: Path) -> ExportedKey:
    """Write this replica's public key file to ``out`` (whole or not at all), to hand to the
    district office or another cadre."""
    identity = own_key(session, keys)
    try:
        atomic.write_bytes(out, export_public(identity, keys))
    except OSError as err:
        raise PeerError("unwritable", f"{out}（{err.strerror or err}）") from None
    return ExportedKey(out, identity)


# ---- trusting a key file -----------------------------------------------------------------


def read_key_file(path: Path) -> PublicKeyFile:
    """The replica a public key file names, once its format, fingerprint and self-signature
    check out."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PeerError("unreadable", f"{path}（{err.strerror or err}）") from None
    try:
        return read_public(data)
    except KeyFileError as err:
        raise PeerError(err.code) from None


def _refuse_own(session: Session, identity: PublicKeyFile) -> None:
    info = replica_info(session)
    if identity.replica_id == info.replica_id or identity.fingerprint == info.fingerprint:
        raise PeerError("own_key")


def key_to_trust(session: Session, path: Path) -> PublicKeyFile:
    """The key file at ``path``, read and checked, for the user to compare its fingerprint
    before ``trust_key``; this replica's own key is refused here already."""
    identity = read_key_file(path)
    _refuse_own(session, identity)
    return identity


def trust_key(session: Session, identity: PublicKeyFile) -> PeerInfo:
    """Trust the replica a key file names, after the user compared its fingerprint.

    A peer trusted before with other keys gets these (re-trusting after a reinstall), and a
    revoked one is trusted again: a key file is how both are meant to happen. This replica's
    own key is refused."""
    _refuse_own(session, identity)
    return peers.trust(session, identity)


# ---- the peers ---------------------------------------------------------------------------


def list_peers(session: Session) -> list[PeerInfo]:
    """Every replica this one knows, by name; revoked ones too."""
    return peers.list_peers(session)


def peer_state(peer: PeerInfo) -> Literal["trusted", "revoked", "untrusted"]:
    if peer.revoked_at is not None:
        return "revoked"
    return "trusted" if peer.trusted_at is not None else "untrusted"


def find_peer(session: Session, key: str, *, missing: str = "unknown_peer") -> PeerInfo:
    """The peer with this replica id, fingerprint prefix (≥ 8 hex digits, spaces allowed)
    or name; refused with ``missing`` when there is none, and with ``ambiguous_peer`` when
    several share the name."""
    try:
        found = peers.find(session, key)
    except peers.AmbiguousPeerError as err:
        raise PeerError("ambiguous_peer", key.strip(), tuple(err.matches)) from None
    if found is None:
        raise PeerError(missing, key.strip())
    return found


def revoke_peer(session: Session, key: str) -> PeerInfo:
    """Stop trusting a peer (by id, fingerprint or name): its bundles are refused from now
    on, and it vouches for nobody. Revoking twice changes nothing. Undone only by trusting
    its key file again."""
    peer = find_peer(session, key)
    peers.revoke(session, peer.replica_id)
    revoked = peers.get(session, peer.replica_id)
    assert revoked is not None
    return revoked
