"""Sync bundles for district offices: what goes into an export, and how an import is checked
and applied (docs/sync-protocol.md#bundles).

Export carries every change the recipient is not known to hold — so a lost USB stick leaves no
gap, the next bundle simply carries the same changes again — plus this replica's receipts (what
it holds of every origin), which tell the recipient what arrived. Nothing is deleted or marked
for having been sent: only receipts from the recipient move the boundary.

Import refuses, before writing anything, a bundle that is too large, not a bundle, truncated,
tampered, not signed by a trusted sender, not addressed to this replica, from a newer schema,
older than one already imported from the same sender (when all it carries is here), or whose
payload betrays its manifest (a bomb, a wrong count, a change it does not declare): the
payload is decrypted and checked once in full before the second pass merges it. Every change
goes through the one merge, in one transaction, in bounded chunks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.ids import uuid7
from app.models import ImportedBundle, Setting
from app.sync import bundle_proofs, peers, proofs
from app.sync import ranges as rng
from app.sync.bundle_format import (
    LIMITS,
    READER,
    BundleError,
    BundleWriter,
    Limits,
    Manifest,
    Opened,
    check_digest,
    open_bundle,
    read_lines,
    unwrap_key,
    verify_signature,
)
from app.sync.changes import SCHEMA_REV
from app.sync.keys import KeyPairs, PublicKeyFile, PublicKeys
from app.sync.log import change_count, wire_rows
from app.sync.merge import MergeResult, apply_changes
from app.sync.replica import ReplicaState

BATCH = 20_000  # changes merged together: bounded memory, few round trips


@dataclass
class ExportResult:
    path: Path
    manifest: Manifest

    @property
    def changes(self) -> int:
        return self.manifest.counts.get("changes", 0)


@dataclass
class ImportReport:
    manifest: Manifest
    sender_name: str
    result: MergeResult = field(default_factory=MergeResult)
    already_imported_at: datetime | None = None
    dry_run: bool = False
    delivered: int = 0  # this replica's own changes the sender now holds
    unsent: int = 0  # … and those still only here


Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]


def _never() -> bool:
    return False


def export_bundle(
    session: Session,
    keys: KeyPairs,
    recipient: peers.PeerInfo,
    out: Path,
    progress: Progress | None = None,
    cancelled: Cancelled = _never,
) -> ExportResult:
    """Write a bundle for ``recipient`` (and any trusted server) to ``out``. Cancelling
    leaves no file behind (the bundle only appears, whole, when it is finished)."""
    state = ReplicaState.load(session)
    known = peers.holdings_of(session, recipient.replica_id)
    receivers = _receivers(session, recipient)
    writer = BundleWriter(out, [(p.replica_id, p.keys) for p in receivers])
    carried: dict[str, list[int]] = {}
    by_entity: Counter[str] = Counter()
    vouching = _Vouching(session, keys, state.replica_id, writer)
    try:
        total = max(1, change_count(session))
        for n, (_seq, change) in enumerate(wire_rows(session), 1):
            if n % 2000 == 0:
                if cancelled():
                    raise BundleError("cancelled")
                if progress:
                    progress(n / total, "")
            origin, counter = change["origin"], change["counter"]
            if rng.contains(known.get(origin, []), counter):
                continue
            writer.add(orjson.dumps(change, option=orjson.OPT_SORT_KEYS))
            vouching.carry(change)
            carried.setdefault(origin, []).append(counter)
            by_entity[change["entity"]] += 1
        extra = vouching.finish(set(carried))
        fields = {
            "bundle_id": uuid7(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sender": {
                "replica_id": state.replica_id,
                "name": state.name,
                "role": state.role,
                "fingerprint": keys.public.fingerprint,
                "sign_public": keys.public.sign_hex,
                "enc_public": keys.public.enc_hex,
                "district_name": state.district_name,
            },
            "schema_rev": SCHEMA_REV,
            "ranges": {o: rng.from_counters(c) for o, c in carried.items()},
            "holdings": peers.own_holdings(session),
            "counts": {"changes": sum(by_entity.values()), **by_entity, **extra},
        }
        manifest = writer.finish(fields, keys)
    except BaseException:
        writer.abort()
        raise
    return ExportResult(out, manifest)


class _Vouching:
    """The proof and key lines of a bundle being written: this replica signs runs of its own
    changes as it carries them; relayed changes travel with the proofs it holds for them;
    the keys it knows for the relayed origins follow, for recipients that do not know them."""

    def __init__(self, session: Session, keys: KeyPairs, own: str, writer: BundleWriter):
        self.session, self.keys, self.own, self.writer = session, keys, own, writer
        self.relay = bundle_proofs.Relay(session, skip=own)
        self.run: list[dict[str, Any]] = []
        self.sent: set[tuple[str, int]] = set()
        self.proofs = 0

    def carry(self, change: dict[str, Any]) -> None:
        origin, counter = change["origin"], change["counter"]
        if origin == self.own:
            if self.run and (
                len(self.run) == proofs.RUN or counter != self.run[-1]["counter"] + 1
            ):
                self._sign()
            self.run.append(change)
            return
        proof = self.relay.covering(origin, counter)
        if proof is not None and (origin, proof.first) not in self.sent:
            self.sent.add((origin, proof.first))
            self._line({"proof": proof.to_wire()})

    def finish(self, origins: set[str]) -> dict[str, int]:
        if self.run:
            self._sign()
        known = bundle_proofs.known_keys(self.session, origins - {self.own})
        for origin, sign_hex in sorted(known.items()):
            self._line({"key": {"replica_id": origin, "sign_public": sign_hex}})
        return {"proof_lines": self.proofs, "key_lines": len(known)}

    def _sign(self) -> None:
        proof = proofs.sign_run(self.keys.signing, self.own, self.run)
        self._line({"proof": proof.to_wire()})
        self.run = []

    def _line(self, value: dict[str, Any]) -> None:
        if "proof" in value:
            self.proofs += 1
        self.writer.add(orjson.dumps(value, option=orjson.OPT_SORT_KEYS))


# ---- the last exchange with a recipient (数据同步 shows 上次交区总工会) ------------------------

EXPORTS_KEY = "bundle.last_exports"  # a local Setting: recipient id -> the last export


@dataclass(frozen=True)
class Exchange:
    """The last bundle written for a peer and the last bundle (with its receipts) from it."""

    exported_at: datetime | None = None  # UTC
    exported_changes: int = 0
    file_name: str = ""
    receipt_at: datetime | None = None  # UTC, when the peer's last bundle was imported here


def note_export(session: Session, recipient_id: str, result: ExportResult) -> None:
    """Remember ``result`` as the last bundle for ``recipient_id`` (a local setting: what this
    laptop handed over, not a ledger fact to replicate)."""
    row = session.get(Setting, EXPORTS_KEY)
    known = orjson.loads(row.value) if row is not None else {}
    known[recipient_id] = {
        "at": result.manifest.created_at,
        "changes": result.changes,
        "file": result.path.name,
    }
    value = orjson.dumps(known, option=orjson.OPT_SORT_KEYS).decode()
    if row is None:
        session.add(Setting(key=EXPORTS_KEY, value=value))
    else:
        row.value = value
    session.flush()


def last_exchange(session: Session, peer_id: str) -> Exchange:
    row = session.get(Setting, EXPORTS_KEY)
    sent = (orjson.loads(row.value) if row is not None else {}).get(peer_id, {})
    receipt = session.execute(
        select(func.max(ImportedBundle.imported_at)).where(ImportedBundle.sender == peer_id)
    ).scalar()
    at = sent.get("at")
    return Exchange(
        exported_at=datetime.fromisoformat(at).astimezone(UTC).replace(tzinfo=None) if at else None,
        exported_changes=int(sent.get("changes", 0)),
        file_name=str(sent.get("file", "")),
        receipt_at=receipt,
    )


def _receivers(session: Session, recipient: peers.PeerInfo) -> list[peers.PeerInfo]:
    """The recipient, and every trusted central server, so the bundle can always be relayed
    upstream even if the district's key is lost."""
    out = [recipient]
    for peer in peers.list_peers(session):
        if peer.role == "server" and peer.trusted and peer.replica_id != recipient.replica_id:
            out.append(peer)
    return out


def sender_identity(path: Path, limits: Limits = LIMITS) -> PublicKeyFile:
    """Who made the bundle at ``path``, by the keys it carries: the keys must give the
    fingerprint it names and must have signed it. This says only that the bundle is whole and
    self-consistent; whether these keys are really the named office's is what the user
    checks by comparing the fingerprint, before anything here is trusted."""
    opened = open_bundle(path, limits)
    sender = opened.manifest.sender
    if sender.sign_public is None or sender.enc_public is None:
        raise BundleError("no_sender_keys", _who(opened.manifest))
    public = PublicKeys.from_hex(sender.sign_public, sender.enc_public)
    if public.fingerprint != sender.fingerprint:
        raise BundleError("sender_key_mismatch", _who(opened.manifest))
    verify_signature(opened, public)
    return PublicKeyFile(
        sender.replica_id, sender.name, sender.role, sender.district_name or "", public
    )


def check_bundle(
    session: Session, keys: KeyPairs, path: Path, limits: Limits = LIMITS
) -> tuple[Opened, peers.PeerInfo, bytes]:
    """Every check that needs no decryption; returns (opened bundle, sender, file key)."""
    opened = open_bundle(path, limits)
    manifest = opened.manifest
    if manifest.min_reader > READER:
        raise BundleError("newer_format", str(manifest.format))
    state = ReplicaState.load(session)
    if manifest.sender.replica_id == state.replica_id:
        raise BundleError("own_bundle")
    sender = peers.get(session, manifest.sender.replica_id)
    if sender is None or sender.trusted_at is None:
        raise BundleError("unknown_sender", _who(manifest))
    if sender.revoked_at is not None:
        raise BundleError("revoked_sender", _who(manifest))
    if sender.fingerprint != manifest.sender.fingerprint:
        raise BundleError("sender_key_mismatch", _who(manifest))
    verify_signature(opened, sender.keys)
    if manifest.schema_rev > SCHEMA_REV:
        raise BundleError("newer_schema", f"{manifest.schema_rev} > {SCHEMA_REV}")
    file_key = unwrap_key(opened, state.replica_id, keys)
    check_digest(opened)
    return opened, sender, file_key


def _refuse_if_superseded(session: Session, manifest: Manifest) -> None:
    """An older bundle from a sender after a newer one was imported (a stick found again)
    is refused when it carries nothing new: every change is here, and its receipts tell
    nothing we do not know of the sender. Bundle ids are UUIDv7, so they order by the
    sender's clock; a clock that was once ahead can make a later bundle look older, which
    is why "nothing new" decides, not the order alone. A bundle that does carry something
    new is imported like any other: the merge makes that safe."""
    newest = session.execute(
        select(func.max(ImportedBundle.bundle_id)).where(
            ImportedBundle.sender == manifest.sender.replica_id
        )
    ).scalar()
    if newest is None or manifest.bundle_id >= newest:
        return
    held = peers.own_holdings(session)
    known = peers.holdings_of(session, manifest.sender.replica_id)
    if all(rng.covers(held.get(o, []), runs) for o, runs in manifest.ranges.items()) and all(
        rng.covers(known.get(o, []), runs) for o, runs in manifest.holdings.items()
    ):
        newer = session.get(ImportedBundle, newest)
        when = f"{newer.imported_at:%Y-%m-%d %H:%M} (UTC)" if newer else ""
        raise BundleError("superseded", when)


@dataclass(frozen=True)
class Checked:
    """A bundle that passed every check an import makes before decrypting its payload."""

    opened: Opened
    sender: peers.PeerInfo
    file_key: bytes
    already_imported_at: datetime | None  # UTC; set when this very bundle was imported before

    @property
    def manifest(self) -> Manifest:
        return self.opened.manifest


def check_import(
    session: Session, keys: KeyPairs, path: Path, limits: Limits = LIMITS
) -> Checked:
    """What ``import_bundle`` checks before it decrypts anything (``check_bundle``), and
    whether the bundle was imported already or is ``superseded``; writes nothing."""
    opened, sender, file_key = check_bundle(session, keys, path, limits)
    manifest: Manifest = opened.manifest
    prior = session.get(ImportedBundle, manifest.bundle_id)
    if prior is None:
        _refuse_if_superseded(session, manifest)
    return Checked(opened, sender, file_key, prior.imported_at if prior else None)


def import_bundle(
    session: Session,
    keys: KeyPairs,
    path: Path,
    *,
    dry_run: bool = False,
    limits: Limits = LIMITS,
    progress: Progress | None = None,
    cancelled: Cancelled = _never,
) -> ImportReport:
    """Check ``path`` fully, then merge its changes in the caller's transaction.

    With ``dry_run`` the work happens inside a savepoint that is rolled back: the report says
    what would change, and nothing does. Cancelling raises ``BundleError("cancelled")``
    between batches; the caller's transaction then rolls back and nothing was imported.
    """
    checked = check_import(session, keys, path, limits)
    opened, sender, file_key = checked.opened, checked.sender, checked.file_key
    manifest: Manifest = opened.manifest
    report = ImportReport(manifest, sender.name, dry_run=dry_run)
    if checked.already_imported_at is not None:
        report.already_imported_at = checked.already_imported_at
        return report
    savepoint = session.begin_nested() if dry_run else None
    try:
        report.result = _apply(
            session, opened, file_key, sender.replica_id, limits, progress, cancelled
        )
        _remember(session, manifest, report.result)
        state = ReplicaState.load(session)
        report.delivered, report.unsent = peers.delivered_counts(
            session, state.replica_id, [sender.replica_id]
        )
    except BaseException:
        if savepoint is not None:
            savepoint.rollback()
        raise
    if savepoint is not None:
        savepoint.rollback()
    return report


def _apply(
    session: Session,
    opened: Opened,
    file_key: bytes,
    source: str,
    limits: Limits,
    progress: Progress | None = None,
    cancelled: Cancelled = _never,
) -> MergeResult:
    """Check the whole payload first, then merge it: a bundle whose contents betray its
    manifest (or that turns out to be a bomb) is refused before anything is written.

    Changes of the sender are vouched for by the bundle's signature; every other origin's
    change needs that origin's proof (``app.sync.proofs``), checked with the key this
    replica knows for it — a trusted peer's, or one a trusted district office introduced."""
    declared, lines = _verify_contents(opened, file_key, limits, progress, cancelled)
    manifest: Manifest = opened.manifest
    if manifest.sender.role in bundle_proofs.INTRODUCERS:
        bundle_proofs.adopt_keys(session, lines.keys, manifest.sender.replica_id)
    vouch = proofs.Vouch(
        key_of=lambda origin: bundle_proofs.key_of(session, origin),
        trusted=frozenset({manifest.sender.replica_id}),
    )
    vouch.add(lines.proofs)
    state = ReplicaState.load(session)
    total = MergeResult()
    batch: list[dict[str, Any]] = []
    for seen, line in enumerate(read_lines(opened, file_key, limits), 1):
        change = _parse(line)
        if _is_extra(change):
            continue
        batch.append(change)
        if len(batch) >= BATCH:
            if cancelled():
                raise BundleError("cancelled")
            total.add(apply_changes(session, batch, state=state, source=source, vouch=vouch))
            batch = []
            if progress:
                progress(0.1 + 0.9 * seen / max(1, declared), "")
    if batch:
        total.add(apply_changes(session, batch, state=state, source=source, vouch=vouch))
    proofs.store(session, vouch.keep_verified())
    return total


@dataclass
class _Extras:
    """A bundle's proof and key lines, gathered in the checking pass."""

    proofs: list[proofs.Proof] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)

    def take(self, value: dict[str, Any]) -> None:
        if "proof" in value and len(self.proofs) < proofs.MAX_BUNDLE_PROOFS:
            self.proofs.extend(proofs.parse_all([value["proof"]]))
        key = value.get("key")
        if isinstance(key, dict) and len(self.keys) < 10_000:
            rid, sign = key.get("replica_id"), key.get("sign_public")
            if _hex(rid, 16) and _hex(sign, 64):
                self.keys.setdefault(rid, sign)


def _hex(value: object, length: int) -> TypeGuard[str]:
    return (
        isinstance(value, str)
        and len(value) == length
        and all(c in "0123456789abcdef" for c in value)
    )


def _is_extra(value: dict[str, Any]) -> bool:
    return len(value) == 1 and ("proof" in value or "key" in value)


def _verify_contents(
    opened: Opened, file_key: bytes, limits: Limits, progress: Progress | None, cancelled: Cancelled
) -> tuple[int, _Extras]:
    """Decrypt and parse every line once without writing: each change is JSON, each is one
    the manifest declares, and there are exactly as many as it says. Returns that count and
    the proof and key lines."""
    manifest: Manifest = opened.manifest
    declared = manifest.counts.get("changes", 0)
    if declared > limits.max_changes:
        raise BundleError("too_many", f"{declared} > {limits.max_changes}")
    extras = _Extras()
    seen = 0
    for line in read_lines(opened, file_key, limits):
        value = _parse(line)
        if _is_extra(value):
            extras.take(value)
            continue
        seen += 1
        if seen > declared or not _declared(manifest, value):
            raise BundleError("mismatch", "contents differ from the manifest")
        if seen % BATCH == 0:
            if cancelled():
                raise BundleError("cancelled")
            if progress:
                progress(0.1 * seen / max(1, declared), "")
    if seen != declared:
        raise BundleError("mismatch", f"{seen} changes, manifest says {declared}")
    return declared, extras


def _parse(line: bytes) -> dict[str, Any]:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise BundleError("damaged", "a change is not JSON") from None
    if not isinstance(value, dict):
        raise BundleError("damaged", "a change is not an object")
    return value


def _declared(manifest: Manifest, change: dict[str, Any]) -> bool:
    origin, counter = change.get("origin"), change.get("counter")
    runs = manifest.ranges.get(origin) if isinstance(origin, str) else None
    return isinstance(counter, int) and runs is not None and rng.contains(runs, counter)


def _remember(session: Session, manifest: Manifest, result: MergeResult) -> None:
    """The bundle id (so a repeat changes nothing), and what the sender holds."""
    summary = {
        "new": result.new_rows,
        "updated": result.updated_rows,
        "unchanged": result.unchanged,
        "duplicates": result.duplicates,
        "pending": result.pending,
        "quarantined": result.quarantined,
        "rejected": len(result.rejected),
    }
    session.add(
        ImportedBundle(
            bundle_id=manifest.bundle_id,
            sender=manifest.sender.replica_id,
            imported_at=datetime.now(UTC).replace(tzinfo=None),
            summary=orjson.dumps(summary).decode(),
        )
    )
    held = {o: rng.union(r, manifest.ranges.get(o, [])) for o, r in manifest.holdings.items()}
    for origin, runs in manifest.ranges.items():
        held.setdefault(origin, runs)
    peers.add_holdings(session, manifest.sender.replica_id, held)


def _who(manifest: Manifest) -> str:
    return f"{manifest.sender.name}（{manifest.sender.replica_id}）"
