"""Sync bundles (USB sticks) as the sync screen and ``jiceng bundle | quarantine`` use them:
export for a peer, preview and import, trust a bundle's sender, release held changes.

The GUI and the CLI call these functions and only word what they return or raise, so both
refuse the same things: a bundle for this replica itself or for a revoked peer, this
replica's own key, a sender whose fingerprint the user did not confirm. Errors carry a stable
``code`` (``BundleError`` for bundles, ``app.services.peers.PeerError`` for keys and peers);
``app/ui/messages.py`` words them for both shells.

Transactions belong to the caller, as everywhere (docs/architecture.md#transactions): an
export reads (``export_bundle``) and then notes what it wrote in a short write
(``record_export``), so a long export never holds the write lock; an import runs in one
write transaction, and a refused or cancelled one leaves the data file as it was.

Trusting a bundle's sender from the bundle: a district clerk handed a USB stick by a cadre
they have not paired with yet should not be told to run a command. The import screen shows
the sender's name and key fingerprint and, once the clerk has compared it with the cadre's
(read out by phone or shown in person), trusts the sender right there, with the keys whose
fingerprint the user confirmed (``trust_bundle_sender``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ChangeLog, ImportedBundle
from app.services.files import default_name
from app.services.peers import PeerError, find_peer, read_key_file
from app.services.replica import replica_info
from app.sync import bundle, peers, quarantine
from app.sync import ranges as rng
from app.sync.bundle import Exchange, ExportResult, ImportReport, sender_identity
from app.sync.bundle_format import BundleError, Manifest, open_bundle
from app.sync.keys import KeyPairs, PublicKeyFile
from app.sync.merge import MergeResult
from app.sync.peers import PeerInfo
from app.sync.quarantine import HeldChange
from app.sync.replica import ReplicaState

__all__ = [
    "BundleError",
    "Exchange",
    "Exported",
    "HeldChange",
    "ImportReport",
    "Preview",
    "Recipient",
    "UnknownSender",
    "bundle_sender",
    "carried",
    "export_bundle",
    "held_changes",
    "import_bundle",
    "matches",
    "preview_bundle",
    "read_manifest",
    "recipients",
    "record_export",
    "release_held",
    "trust_bundle_sender",
]

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]

EXTRA_COUNTS = ("changes", "proof_lines", "key_lines")  # manifest counts that are no entity


def _never() -> bool:
    return False


class UnknownSender(BundleError):
    """``unknown_sender``: the bundle's signer is not trusted here yet. ``fingerprint`` is
    the one its manifest names; ``sender`` is whom it names with the keys it carries, when
    those keys give that fingerprint and signed it (``None`` for an older bundle without
    keys, or one whose keys do not check out): that sender can be offered for trust."""

    def __init__(self, detail: str, fingerprint: str, sender: PublicKeyFile | None) -> None:
        super().__init__("unknown_sender", detail)
        self.fingerprint = fingerprint
        self.sender = sender


def _unknown_sender(err: BundleError, path: Path) -> BundleError:
    if err.code != "unknown_sender":
        return err
    manifest = open_bundle(path).manifest
    try:
        sender: PublicKeyFile | None = sender_identity(path)
    except BundleError:
        sender = None
    return UnknownSender(err.detail, manifest.sender.fingerprint, sender)


# ---- export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """A bundle written: where, for whom, and its manifest."""

    path: Path
    recipient: PeerInfo
    manifest: Manifest

    @property
    def changes(self) -> int:
        return self.manifest.counts.get("changes", 0)


def find_recipient(session: Session, to: str) -> PeerInfo:
    """The peer ``to`` names (replica id, fingerprint prefix or name), else the replica the
    public key file at path ``to`` names (the trusted peer it is, or, not trusted here, just
    those keys to write for)."""
    try:
        return find_peer(session, to, missing="unknown_recipient")
    except PeerError as err:
        if err.code != "unknown_recipient" or not Path(to).is_file():
            raise
    identity = read_key_file(Path(to))
    known = peers.get(session, identity.replica_id)
    if known is not None:
        return known
    return PeerInfo(
        identity.replica_id,
        identity.name,
        identity.role,
        identity.district_name,
        identity.fingerprint,
        None,
        None,
        identity.keys,
    )


def export_bundle(
    session: Session,
    keys: KeyPairs,
    to: str,
    out: Path,
    progress: Progress | None = None,
    cancelled: Cancelled = _never,
) -> Exported:
    """Write a bundle for the peer ``to`` names (see ``find_recipient``) to ``out``, or into
    ``out`` when it is a folder, under the name the sync screen proposes (sender and time).

    Refused (``PeerError``): nobody by that name, several by it, this replica itself, a
    revoked peer. Cancelling raises ``BundleError("cancelled")`` and leaves no file. Reads
    only: the caller then notes the export with ``record_export``."""
    state = ReplicaState.load(session)
    if to.strip() == state.replica_id:
        raise PeerError("own_replica")
    recipient = find_recipient(session, to)
    if recipient.replica_id == state.replica_id or recipient.fingerprint == keys.public.fingerprint:
        raise PeerError("own_replica")
    if recipient.revoked_at is not None:
        raise PeerError("revoked_peer", recipient.name)
    if out.is_dir():
        out = out / default_name("bundle", state.name)
    done = bundle.export_bundle(session, keys, recipient, out, progress, cancelled)
    return Exported(done.path, recipient, done.manifest)


def record_export(session: Session, exported: Exported) -> None:
    """Remember ``exported`` as the last bundle for its recipient (数据同步 shows it as 上次交区
    总工会): a local setting, not a ledger fact."""
    result = ExportResult(exported.path, exported.manifest)
    bundle.note_export(session, exported.recipient.replica_id, result)


@dataclass(frozen=True)
class Recipient:
    """A peer bundles can be written for, and the last exchange with it."""

    peer: PeerInfo
    exchange: Exchange


def recipients(session: Session) -> list[Recipient]:
    """The trusted peers a bundle can be written for (servers take bundles only as extra
    readers of every bundle), each with when the last bundle went to it and came from it."""
    return [
        Recipient(p, bundle.last_exchange(session, p.replica_id))
        for p in peers.list_peers(session)
        if p.trusted and p.role != "server"
    ]


# ---- preview and import ------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What a bundle holds, from its checked manifest, before anything is merged."""

    manifest: Manifest
    sender_name: str  # as this replica trusts the sender
    changes: int
    by_entity: dict[str, int]  # changes per kind of record
    new_changes: int  # those this replica does not hold yet
    already_imported_at: datetime | None  # UTC: this very bundle came before
    delivered: int  # this replica's own changes the sender will be known to hold …
    unsent: int  # … and those still only here


def preview_bundle(session: Session, keys: KeyPairs, path: Path) -> Preview:
    """Check ``path`` as an import would before decrypting it (signature, trusted sender,
    addressed to this replica, schema, payload digest, superseded) and say what it holds,
    from its manifest: cheap next to an import, and writes nothing. Raises what the import
    would (``UnknownSender`` for an untrusted signer)."""
    try:
        checked = bundle.check_import(session, keys, path)
    except BundleError as err:
        raise _unknown_sender(err, path) from None
    manifest = checked.manifest
    held = peers.own_holdings(session)
    new = sum(
        rng.size(rng.union(held.get(origin, []), runs)) - rng.size(held.get(origin, []))
        for origin, runs in manifest.ranges.items()
    )
    own = ReplicaState.load(session).replica_id
    mine = session.execute(
        select(func.count()).select_from(ChangeLog).where(ChangeLog.origin == own)
    ).scalar_one()
    known = rng.union(
        peers.holdings_of(session, checked.sender.replica_id).get(own, []),
        manifest.holdings.get(own, []),
    )
    delivered = min(mine, rng.size(known))
    return Preview(
        manifest=manifest,
        sender_name=checked.sender.name,
        changes=manifest.counts.get("changes", 0),
        by_entity={k: v for k, v in manifest.counts.items() if k not in EXTRA_COUNTS and v},
        new_changes=new,
        already_imported_at=checked.already_imported_at,
        delivered=delivered,
        unsent=mine - delivered,
    )


def import_bundle(
    session: Session,
    keys: KeyPairs,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled = _never,
) -> ImportReport:
    """Check ``path`` in full and merge it in the caller's (write) transaction; with
    ``dry_run`` in a savepoint rolled back (what would change, and nothing does). A refusal
    (``BundleError``, ``UnknownSender``) or a cancel (``BundleError("cancelled")``) raises
    before the caller commits, so nothing was imported. Importing the same bundle again
    changes nothing (``already_imported_at``)."""
    try:
        return bundle.import_bundle(
            session, keys, path, dry_run=dry_run, progress=progress, cancelled=cancelled
        )
    except BundleError as err:
        raise _unknown_sender(err, path) from None


# ---- many sticks at once: a district office's intake --------------------------------------

BUNDLE_SUFFIX = ".jcb"
QUIET_DAYS = 14  # a cadre with nothing received for this long is listed


def bundle_files(paths: Iterable[Path]) -> list[Path]:
    """The bundles to import from ``paths`` (files, and folders: their ``*.jcb``, not
    recursively), each once, oldest first by the time its sender wrote it (the merge takes
    any order; oldest first leaves fewest changes waiting for their rows). A file whose
    manifest cannot be read comes last, so its import reports why."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.suffix.lower() == BUNDLE_SUFFIX and child.is_file():
                    found[child.resolve()] = None
        else:
            found[path.resolve()] = None

    def written(path: Path) -> tuple[int, str, str]:
        try:
            return 0, read_manifest(path).created_at, path.name
        except (BundleError, OSError):
            return 1, "", path.name

    return sorted(found, key=written)


@dataclass(frozen=True)
class Imported:
    """One bundle imported here (the import history)."""

    bundle_id: str
    sender: str  # as this replica names the sender
    imported_at: datetime  # UTC
    summary: dict[str, int]  # new, updated, unchanged, duplicates, pending, … by count


def import_history(session: Session, limit: int = 200) -> list[Imported]:
    """The bundles imported here, newest first."""
    names = {p.replica_id: p.name for p in peers.list_peers(session)}
    rows = session.execute(
        select(ImportedBundle).order_by(ImportedBundle.imported_at.desc()).limit(limit)
    ).scalars()
    return [
        Imported(r.bundle_id, names.get(r.sender, r.sender), r.imported_at, orjson.loads(r.summary))
        for r in rows
    ]


def quiet_cadres(
    session: Session, now: datetime, days: int = QUIET_DAYS
) -> list[tuple[PeerInfo, datetime | None]]:
    """Trusted cadres nothing has been received from for ``days`` (``now`` in UTC), with
    when their last bundle came (None: never), longest silent first."""
    query = select(ImportedBundle.sender, func.max(ImportedBundle.imported_at))
    last = {sender: at for sender, at in session.execute(query.group_by(ImportedBundle.sender))}
    quiet = [
        (p, last.get(p.replica_id))
        for p in peers.list_peers(session)
        if p.trusted and p.role == "cadre"
        and (last.get(p.replica_id) is None or now - last[p.replica_id] > timedelta(days=days))
    ]
    return sorted(quiet, key=lambda q: (q[1] is not None, q[1] or now, q[0].name))


def read_manifest(path: Path) -> Manifest:
    """A bundle's manifest, without any key (``jiceng bundle inspect``): the file's frame is
    checked, not its signature."""
    return open_bundle(path).manifest


def carried(manifest: Manifest) -> list[tuple[str, int, int]]:
    """(origin, changes, runs of consecutive counters) for each origin a bundle carries."""
    return [(o, rng.size(runs), len(runs)) for o, runs in sorted(manifest.ranges.items())]


# ---- trusting a sender from its bundle ---------------------------------------------------


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


def trust_bundle_sender(session: Session, path: Path, confirmed_fingerprint: str) -> PeerInfo:
    """Trust the sender of ``path`` if its keys have the fingerprint the user confirmed
    (the whole of it, or the part shown on screen).

    Refused: this replica's own keys, a sender the user revoked (revoking is undone only with
    its key file, on purpose), and a known sender whose keys differ from the bundle's (a new
    key must come as a key file, so a stolen stick cannot swap a trusted office's key)."""
    identity = sender_identity(path)
    who = f"{identity.name}（{identity.replica_id}）"
    if not matches(identity.fingerprint, confirmed_fingerprint):
        raise BundleError("sender_key_mismatch", who)
    me = replica_info(session)
    if identity.replica_id == me.replica_id or identity.fingerprint == me.fingerprint:
        raise BundleError("own_bundle")
    known = peers.get(session, identity.replica_id)
    if known is not None and known.revoked_at is not None:
        raise BundleError("revoked_sender", who)
    if known is not None and known.trusted and known.fingerprint != identity.fingerprint:
        raise BundleError("sender_key_mismatch", who)
    return peers.trust(session, identity)


# ---- changes held for their clock (docs/sync-protocol.md#quarantine) ---------------------


def held_changes(session: Session) -> list[HeldChange]:
    """Changes held because their clock was too far ahead, oldest arrival first."""
    return quarantine.held_changes(session)


def release_held(session: Session, change_ids: list[str]) -> MergeResult:
    """Let the held changes ``change_ids`` (``origin:counter``, as ``held_changes`` names
    them) through: they are merged now, as if they had just arrived. Ids not held are
    ignored."""
    return quarantine.release(session, change_ids)
