"""Online sync, client side: enroll once, then rounds of push-everything then pull-everything.

What the server holds is tracked exactly like a bundle recipient's holdings (``peer_holding``
under the server's replica id): a change counts as sent only when a valid reply names it as
accepted, duplicate or quarantined. So a dropped connection, a lost reply or a crash between
the server's commit and ours costs a resend that the server recognises as a duplicate —
never a gap. Pulled changes are merged and the cursor saved in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

import orjson
from nacl.signing import SigningKey
from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from app.models import ChangeLog, Replica, Setting, SyncRejection, SyncState
from app.schemas.sync_api import (
    MAX_PULL_LIMIT,
    MAX_PUSH_CHANGES,
    MAX_PUSH_KEYS,
    MAX_PUSH_PROOFS,
    MAX_ROW_CHANGES,
    EnrollReply,
    EnrollRequest,
    PullReply,
    PushReply,
)
from app.storage.store import Store
from app.sync import bundle_proofs, enroll_proof, peers, proofs
from app.sync import ranges as rng
from app.sync.http import SyncError, Transport
from app.sync.log import wire_change
from app.sync.merge import MergeResult, apply_changes
from app.sync.registry import ENTITIES, SERVER_OWNED
from app.sync.replica import ReplicaState
from app.sync.writer import utc_now

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]
RECOVER_OWN = "sync.recover_own"  # a Setting a restore leaves: fetch own changes back once
PUSH_BYTES = 700_000  # stay under the server's 1 MiB body limit with room for the envelope


@dataclass
class SyncReport:
    pushed: int = 0
    duplicates: int = 0
    quarantined: int = 0
    deferred: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    pulled: MergeResult = field(default_factory=MergeResult)
    clock_offset_s: float = 0.0  # server time minus ours, when we last heard
    # This device's changes the server holds because their clock ran ahead: not delivered
    # (None: the server did not say). Released by the server once time catches up.
    server_held: int | None = None

    @property
    def clock_warning(self) -> bool:
        return abs(self.clock_offset_s) > 300


def configured_server(session: Session) -> SyncState | None:
    return session.execute(select(SyncState).where(SyncState.token.is_not(None))).scalars().first()


def request_enrollment(
    store: Store,
    server_url: str,
    code: str,
    signing: SigningKey,
    transport: Transport | None = None,
) -> EnrollReply:
    """Exchange a one-time code for this device's token (nothing is stored yet). The
    request is signed with this replica's key, proving the device holds it."""
    with store.read() as session:
        state = ReplicaState.load(session)
        row = session.get(Replica, 1)
        own_public = row.sign_public if row is not None else None
    code = code.strip()
    sign_public, key_proof = enroll_proof.sign(signing, code, state.replica_id)
    if own_public is not None and own_public != sign_public:
        raise SyncError("wrong_key", "the signing key is not this replica's")
    http = transport or Transport(server_url)
    try:
        # The role this replica works in. The server gives the device its code's role and
        # refuses the code (unused) when they differ: ``role_mismatch``, worded for the user.
        # The reply does not repeat the role (its model refuses unknown fields).
        role: Literal["cadre", "district"] = "district" if state.role == "district" else "cadre"
        request = EnrollRequest(
            code=code,
            replica_id=state.replica_id,
            name=state.name,
            role=role,
            sign_public=sign_public,
            key_proof=key_proof,
            district_id=state.district_id or None,
            district_name=state.district_name or None,
        )
        return http.post("/api/v1/enroll", request.model_dump(), EnrollReply)
    finally:
        if transport is None:
            http.close()


def save_enrollment(session: Session, server_url: str, reply: EnrollReply) -> None:
    for old in session.execute(select(SyncState)).scalars():
        session.delete(old)  # one server at a time
    session.flush()
    session.add(
        SyncState(
            server_url=server_url.rstrip("/"),
            server_replica_id=reply.server_replica_id,
            device_id=reply.device_id,
            token=reply.token,
            pull_cursor=0,
        )
    )
    session.flush()


class SyncRound:
    """One round of push then pull against the configured server.

    With this replica's ``signing`` key, its own changes are signed (origin proofs) before
    they are pushed, so the server can hand them on with proof: a district office that pulls
    them may carry them to a cadre by USB. The CLI and the app always pass the key."""

    def __init__(
        self,
        store: Store,
        transport: Transport | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        signing: SigningKey | None = None,
    ) -> None:
        self.store = store
        self.signing = signing
        with store.read() as session:
            config = configured_server(session)
            self.replica_id = ReplicaState.load(session).replica_id
        if config is None:
            raise SyncError("not_enrolled", "this replica has not enrolled with a server")
        self.server_url = config.server_url
        self.server_id = config.server_replica_id or ""
        self.http = transport or Transport(config.server_url, config.token)
        self._own_transport = transport is None
        self.progress = progress or (lambda _f, _m: None)
        self.cancelled = cancelled or (lambda: False)
        self.report = SyncReport()

    def run(self) -> SyncReport:
        try:
            self._push_all()
            self._pull_all(mine=True)
            self._pull_all()
            self._remember(None)
        except SyncError as err:
            self._remember(f"{err.code}: {err.detail}")
            raise
        finally:
            if self._own_transport:
                self.http.close()
        return self.report

    # ---- push ---------------------------------------------------------------------------

    def _push_all(self) -> None:
        for batch in self._unsent_batches():
            if self.cancelled():
                return
            reply = self.http.post("/api/v1/sync/push", batch.body(), PushReply)
            self._acknowledge(batch.changes, reply)
            self.progress(0.0, f"pushed {self.report.pushed}")

    def _unsent_batches(self) -> Iterator[_Batch]:
        """Changes the server does not hold, parents first (entity order), then log order,
        each relayed change with its origin's proof."""
        if self.signing is not None:
            with self.store.write() as session:
                proofs.sign_own(session, self.signing, self.replica_id)
        with self.store.read() as session:
            held = peers.holdings_of(session, self.server_id)
            refused = {
                (r.origin, r.counter) for r in session.execute(select(SyncRejection)).scalars()
            }
            relay = bundle_proofs.Relay(session)
            batch = _Batch(self.replica_id, relay, session)
            for spec in sorted(ENTITIES.values(), key=lambda e: e.order):
                if spec.name in SERVER_OWNED:
                    continue
                rows = session.execute(
                    select(ChangeLog.__table__)
                    .where(ChangeLog.entity == spec.name, ChangeLog.status != "quarantined")
                    .order_by(ChangeLog.seq)
                ).yield_per(1000)
                for row in rows:
                    if rng.contains(held.get(row.origin, []), row.counter):
                        continue
                    if (row.origin, row.counter) in refused:
                        continue
                    if not batch.fits(row):
                        yield batch
                        batch = _Batch(self.replica_id, relay, session)
                    batch.add(row)
            if batch.changes:
                yield batch

    def _acknowledge(self, batch: list[dict[str, Any]], reply: PushReply) -> None:
        sent = {f"{c['origin']}:{c['counter']}": c for c in batch}
        self._clock(reply.server_time)
        if len(reply.results) != len(batch) or {r.id for r in reply.results} != set(sent):
            raise SyncError("invalid_reply", "the reply does not name the changes sent")
        acknowledged: dict[str, list[int]] = {}
        with self.store.write() as session:
            for result in reply.results:
                change = sent[result.id]
                if result.status in ("accepted", "duplicate", "quarantined"):
                    acknowledged.setdefault(change["origin"], []).append(change["counter"])
                    self._count(result.status)
                elif result.status == "rejected":
                    self.report.rejected.append((result.id, result.reason or ""))
                    session.merge(
                        SyncRejection(
                            origin=change["origin"],
                            counter=change["counter"],
                            reason=result.reason or "",
                            at=utc_now(),
                        )
                    )
                else:
                    self.report.deferred += 1
            peers.add_holdings(
                session, self.server_id, {o: rng.from_counters(c) for o, c in acknowledged.items()}
            )

    def _count(self, status: str) -> None:
        if status == "accepted":
            self.report.pushed += 1
        elif status == "duplicate":
            self.report.duplicates += 1
        else:
            self.report.quarantined += 1

    # ---- pull ---------------------------------------------------------------------------

    def _pull_all(self, *, mine: bool = False) -> None:
        """Pull pages until the server has no more. With ``mine``, and only after a restore
        from backup asked for it, this replica's own changes are fetched back instead (from
        the start, with a cursor of their own, so a cut resumes where it stopped)."""
        for _page in range(100_000):  # bounded; each page advances the cursor or ends
            if self.cancelled():
                return
            with self.store.read() as session:
                cursor = self._cursor(session, mine)
            if cursor is None:
                return
            params = {"after": cursor, "limit": MAX_PULL_LIMIT} | ({"mine": "true"} if mine else {})
            reply = self.http.get("/api/v1/sync/pull", PullReply, params=params)
            self._clock(reply.server_time)
            if reply.next < cursor or (reply.changes and reply.next == cursor):
                raise SyncError("invalid_reply", "the pull cursor went backwards")
            if mine and (
                not reply.mine or any(c.get("origin") != self.replica_id for c in reply.changes)
            ):
                raise SyncError("invalid_reply", "the server ignored ?mine (update the server)")
            with self.store.write() as session:
                result = apply_changes(
                    session,
                    reply.changes,
                    state=ReplicaState.load(session),
                    source=f"server:{self.server_id}",
                )
                self._advance(session, mine, reply.next, done=not reply.more)
                self._keep_proofs(session, reply)
                if reply.held is not None and not mine:
                    self._state(session).server_held = self.report.server_held = reply.held
                got: dict[str, list[int]] = {}
                for c in reply.changes:
                    if isinstance(c.get("origin"), str) and isinstance(c.get("counter"), int):
                        got.setdefault(c["origin"], []).append(c["counter"])
                peers.add_holdings(
                    session, self.server_id, {o: rng.from_counters(v) for o, v in got.items()}
                )
            self.report.pulled.add(result)
            self.progress(1.0 if not reply.more else 0.5, f"pulled {self.report.pulled.received}")
            if not reply.more:
                return

    def _keep_proofs(self, session: Session, reply: PullReply) -> None:
        """Keep the proofs that came with pulled changes, checked against the keys this
        replica knows their origins by (the server introduces those it knows), so that
        this replica can relay the changes with proof in its bundles."""
        bundle_proofs.adopt_keys(
            session,
            {k.replica_id: k.sign_public for k in reply.keys if k.replica_id != self.replica_id},
            f"server:{self.server_id}",
        )
        good = []
        for proof in proofs.parse_all(reply.proofs):
            if proof.origin == self.replica_id:
                continue
            key = bundle_proofs.key_of(session, proof.origin)
            if key is not None and proof.verified_by(key):
                good.append(proof)
        proofs.store(session, good)

    def _cursor(self, session: Session, mine: bool) -> int | None:
        if not mine:
            return self._state(session).pull_cursor
        row = session.get(Setting, RECOVER_OWN)
        return None if row is None else int(orjson.loads(row.value).get("cursor", 0))

    def _advance(self, session: Session, mine: bool, cursor: int, *, done: bool) -> None:
        if not mine:
            self._state(session).pull_cursor = cursor
            return
        row = session.get(Setting, RECOVER_OWN)
        if row is not None and done:
            session.delete(row)
        elif row is not None:
            row.value = orjson.dumps({**orjson.loads(row.value), "cursor": cursor}).decode()

    # ---- bookkeeping --------------------------------------------------------------------

    def _state(self, session: Session) -> SyncState:
        state = session.get(SyncState, self.server_url)
        if state is None:
            raise SyncError("not_enrolled", "the server configuration was removed")
        return state

    def _clock(self, server_time: str) -> None:
        try:
            theirs = datetime.fromisoformat(server_time)
        except ValueError:
            return
        self.report.clock_offset_s = (theirs - datetime.now(UTC)).total_seconds()

    def _remember(self, error: str | None) -> None:
        with self.store.write() as session:
            state = self._state(session)
            state.last_error = error
            if error is None:
                state.last_sync_at = utc_now()


class _Batch:
    """One push: at most ``MAX_PUSH_CHANGES`` changes under the body limit, at most
    ``MAX_ROW_CHANGES`` to one row, with the proofs (and, for a district office, the keys)
    that vouch for the relayed ones."""

    def __init__(self, own: str, relay: bundle_proofs.Relay, session: Session) -> None:
        self.own, self.relay, self.session = own, relay, session
        self.changes: list[dict[str, Any]] = []
        self.proofs: dict[tuple[str, int], dict[str, Any]] = {}
        self.per_row: dict[tuple[str, str], int] = {}
        self.size = 0

    def fits(self, row: Any) -> bool:
        proof = self._proof(row)
        return (
            len(self.changes) < MAX_PUSH_CHANGES
            and self.size + len(row.fields) + 300 < PUSH_BYTES
            and self.per_row.get((row.entity, row.row_id), 0) < MAX_ROW_CHANGES
            and (proof is None or len(self.proofs) < MAX_PUSH_PROOFS)
            and len({c["origin"] for c in self.changes} | {row.origin}) <= MAX_PUSH_KEYS
        )

    def add(self, row: Any) -> None:
        self.changes.append(wire_change(row))
        self.size += len(row.fields) + 300
        key = (row.entity, row.row_id)
        self.per_row[key] = self.per_row.get(key, 0) + 1
        proof = self._proof(row)
        if proof is not None and (proof.origin, proof.first) not in self.proofs:
            self.proofs[(proof.origin, proof.first)] = proof.to_wire()
            self.size += len(proof.hashes) * 4 // 3 + 300

    def _proof(self, row: Any) -> proofs.Proof | None:
        return self.relay.covering(row.origin, row.counter)

    def body(self) -> dict[str, Any]:
        """The push body. This replica names its own key too: a device enrolled before
        devices named keys gets it bound this way, over its token."""
        foreign = {c["origin"] for c in self.changes} - {self.own}
        keys = bundle_proofs.known_keys(self.session, foreign)
        own = self.session.get(Replica, 1)
        if own is not None and own.sign_public:
            keys[self.own] = own.sign_public
        return {
            "changes": self.changes,
            "proofs": list(self.proofs.values()),
            "keys": [{"replica_id": o, "sign_public": k} for o, k in sorted(keys.items())],
        }


def upstream_ids(session: Session) -> list[str]:
    """Who takes this replica's changes further: the configured server and every trusted
    district office or server peer (a district office only counts servers). A change one of
    them holds is on its way; the district relays to the server."""
    state = ReplicaState.load(session)
    roles = {"server"} if state.role == "district" else {"district", "server"}
    ids = [p.replica_id for p in peers.list_peers(session) if p.trusted and p.role in roles]
    config = configured_server(session)
    if config is not None and config.server_replica_id:
        ids.append(config.server_replica_id)
    return sorted(set(ids))


@dataclass(frozen=True)
class Refusals:
    """Changes the server refused: not resent by itself (a refusal is not a network error),
    so the user must see them until they are sent again or the reason is fixed."""

    count: int
    first_reason: str


def refusals(session: Session) -> Refusals:
    rows = session.execute(select(SyncRejection).order_by(SyncRejection.at)).scalars().all()
    return Refusals(len(rows), rows[0].reason if rows else "")


def forget_refusals(session: Session) -> int:
    """Make refused changes eligible to be pushed again (after the administrator fixed what
    the server objected to); returns how many."""
    # A DELETE's result is a CursorResult; Session.execute is typed to return any Result.
    result = cast("CursorResult[Any]", session.execute(delete(SyncRejection)))
    return int(result.rowcount)


def unsent_count(session: Session) -> int:
    """Changes no upstream (``upstream_ids``) is known to hold, shown as 待发送 in the status
    bar: acknowledged by the server, or receipted in a bundle from the district office, so a
    cadre who only uses USB sees the count fall when the office's receipt comes back, not when
    a bundle is written (a stick can be lost). With no upstream yet, nothing is acknowledged."""
    held: dict[str, rng.Ranges] = {}
    for peer_id in upstream_ids(session):
        for origin, runs in peers.holdings_of(session, peer_id).items():
            held[origin] = rng.union(held.get(origin, []), runs)
    refused = {(r.origin, r.counter) for r in session.execute(select(SyncRejection)).scalars()}
    n = 0
    for origin, counter in session.execute(
        select(ChangeLog.origin, ChangeLog.counter).where(
            ChangeLog.status != "quarantined", ChangeLog.entity.not_in(SERVER_OWNED)
        )
    ):
        if not rng.contains(held.get(origin, []), counter) and (origin, counter) not in refused:
            n += 1
    return n
