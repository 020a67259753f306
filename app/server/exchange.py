"""Push and pull, as the server performs them (one request = one transaction)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChangeLog, Device, ReplicaKey
from app.schemas.sync_api import (
    MAX_ROW_CHANGES,
    IntroducedKey,
    PushResult,
    PushStatus,
    printable,
)
from app.server import auth, held, locks, scope, signing
from app.sync import proofs
from app.sync.changes import Change, ChangeRejected, from_wire
from app.sync.hlc import wall_ms
from app.sync.log import wire_change
from app.sync.merge import DEFAULT_MAX_SKEW_MS, apply_changes
from app.sync.replica import ReplicaState
from app.sync.writer import utc_now

_log = ChangeLog.__table__
_STATUS: dict[str, PushStatus] = {
    "applied": "accepted",
    "pending": "accepted",
    "duplicate": "duplicate",
    "quarantined": "quarantined",
    "rejected": "rejected",
}


class QuotaExceeded(Exception):
    """A push over the device's quota: refused whole with 429, nothing stored."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_row_quota(raw: list[dict[str, Any]]) -> None:
    """At most ``MAX_ROW_CHANGES`` changes to one row in one push: many concurrent edits of
    one row are what conflict records are made of, and an honest client splits its batches."""
    rows = Counter(
        (item.get("entity"), item.get("row_id"))
        for item in raw
        # Only text keys count: a list or object there is unhashable (and the change is
        # refused alone, by ``from_wire``), never a 500 for the whole push.
        if isinstance(item, dict)
        and isinstance(item.get("entity"), str)
        and isinstance(item.get("row_id"), str)
    )
    worst = max(rows.values(), default=0)
    if worst > MAX_ROW_CHANGES:
        raise QuotaExceeded(f"{worst} changes to one row in one push (at most {MAX_ROW_CHANGES})")


def push(
    session: Session,
    device: Device,
    raw: list[dict[str, Any]],
    *,
    raw_proofs: list[dict[str, Any]] | None = None,
    keys: list[IntroducedKey] | None = None,
    max_skew_ms: int = DEFAULT_MAX_SKEW_MS,
) -> list[PushResult]:
    """Check, scope and merge a device's changes; one answer per change, in request order.

    A change is accepted only under an origin that vouches for it: the device's own replica
    id, or another origin whose proof (signed with the key the server knows for it) comes
    with the push. The server's own origin is never accepted from a device."""
    locks.lock_district(session, device.district_id)  # see app.server.locks
    introduce(session, device, keys or [])
    vouch = proofs.Vouch(
        key_of=lambda origin: key_of(session, origin, device.district_id),
        trusted=frozenset({device.replica_id}),
        refused=frozenset({server_replica_id(session)}),
    )
    parsed = proofs.parse_all(raw_proofs or [])
    vouch.add(parsed)
    answers: dict[int, PushResult] = {}
    valid: list[tuple[int, Change]] = []
    for i, item in enumerate(raw):
        try:
            valid.append((i, from_wire(item)))
        except ChangeRejected as err:
            answers[i] = PushResult(
                id=_claimed(item), status="rejected", reason=printable(err.reason)
            )
    verdicts = scope.check(
        session, device.district_id, [c for _, c in valid], device.provisional_district_id
    )
    admitted = []
    for i, change in valid:
        verdict = verdicts[change.id]
        if verdict.status == "ok":
            admitted.append((i, change))
        else:
            answers[i] = PushResult(id=change.id, status=verdict.status, reason=verdict.reason)
    now_ms = wall_ms()
    held.release_due(session, device.district_id, max_skew_ms, now_ms)
    result = apply_changes(
        session,
        [c for _, c in admitted],
        state=ReplicaState.load(session),
        source=f"device:{device.id}",
        track_statuses=True,
        district_id=device.district_id,
        vouch=vouch,
        max_skew_ms=max_skew_ms,
        now_ms=now_ms,
    )
    reasons = dict(result.rejected)
    for i, change in admitted:
        status = result.statuses.get(change.id, "rejected")
        answers[i] = PushResult(
            id=change.id,
            status=_STATUS[status],
            reason=printable(reasons[change.id]) if change.id in reasons else None,
        )
    stored = [c for i, c in admitted if answers[i].status == "accepted"]
    scope.record(session, device.district_id, stored)
    proofs.store(session, [*vouch.verified.values(), *_own_proofs(session, device, parsed)])
    return [answers[i] for i in range(len(raw))]


def _own_proofs(session: Session, device: Device, parsed: list[proofs.Proof]) -> list[proofs.Proof]:
    """The device's proofs over its own changes, kept so that what the server serves can be
    relayed further by USB: only those its bound key verifies."""
    own = [p for p in parsed if p.origin == device.replica_id]
    key = key_of(session, device.replica_id, device.district_id) if own else None
    return [] if key is None else [p for p in own if p.verified_by(key)]


def key_of(session: Session, origin: str, district_id: str) -> bytes | None:
    """The signing key the server knows for ``origin``: bound at its enrollment, or
    introduced by a district office — then only for changes pushed within that district."""
    row = session.get(ReplicaKey, origin)
    if row is None or (row.source != "enroll" and row.district_id != district_id):
        return None
    return bytes.fromhex(row.sign_public)


def introduce(session: Session, device: Device, keys: list[IntroducedKey]) -> None:
    """Keys named in a push. A device's own key binds its replica when its enrollment named
    none (devices enrolled before keys were named). A district office names the keys of the
    cadres whose bundles it relays: such a key binds only a replica id nobody has bound yet,
    and is good only within the office's district; an enrollment of that replica later
    replaces it. Cadre devices cannot introduce others. The role is the one the server
    stored from the device's enrollment code (issue 21): nothing in a push says it."""
    server = server_replica_id(session) if keys else ""
    for key in keys:
        if key.replica_id == device.replica_id:
            auth.bind_own_key(session, device, key.sign_public)
        elif device.role != "district" or key.replica_id == server:
            continue
        elif session.get(ReplicaKey, key.replica_id) is None:
            session.add(
                ReplicaKey(
                    replica_id=key.replica_id,
                    sign_public=key.sign_public,
                    district_id=device.district_id,
                    source=f"device:{device.id}",
                    added_at=utc_now(),
                )
            )
    session.flush()


def pull(
    session: Session, device: Device, after: int, limit: int, *, mine: bool = False
) -> tuple[list[dict[str, Any]], int, bool]:
    """The device's district's changes after ``after``, in server order: its own left out,
    or (``mine``, for a device that restored a backup) only its own."""
    own = _log.c.origin == device.replica_id
    rows = session.execute(
        select(_log)
        .where(
            _log.c.district_id == device.district_id,
            _log.c.seq > after,
            _log.c.status == "applied",
            own if mine else ~own,
        )
        .order_by(_log.c.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = rows[-1].seq if rows else after
    return [wire_change(r) for r in rows], next_cursor, more


def relay_extras(
    session: Session, device: Device, changes: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[IntroducedKey]]:
    """The proofs the server holds for pulled changes, and the keys their origins are known
    by in the device's district: so a district office can carry them on by USB to a cadre
    who accepts a relayed change only with its origin's proof."""
    wanted: dict[str, list[int]] = {}
    for change in changes:
        wanted.setdefault(change["origin"], []).append(change["counter"])
    found = proofs.proofs_for(session, wanted)
    keys = []
    server = server_replica_id(session)
    for origin in sorted({p.origin for p in found}):
        if origin == server:
            key = signing.public_key(session)
        else:
            key = key_of(session, origin, device.district_id)
        if key is not None:
            keys.append(IntroducedKey(replica_id=origin, sign_public=key.hex()))
    return [p.to_wire() for p in found], keys


def _claimed(item: object) -> str:
    if isinstance(item, dict):
        return printable(f"{item.get('origin')}:{item.get('counter')}", 64)
    return "?"


def server_replica_id(session: Session) -> str:
    return ReplicaState.load(session).replica_id
