"""Origin proofs: an origin's Ed25519 signature over runs of its own changes.

A change is named ``origin:counter``, and whoever first stores an id owns it: a genuine change
that arrives later under the same id with other content is refused. So a change may be
accepted under an origin only when that origin vouches for it — sent by the origin itself, or
relayed (a district office pushing its cadres' USB bundles, a bundle carrying a third replica's
work) together with a proof signed by the origin's key.

A proof covers a run of at most ``RUN`` consecutive counters of one origin and lists the
16-byte digest of each change in the run, so it vouches for any subset a relay carries; its
signature covers origin, first, last and the digests. Origins sign their runs when they export
a bundle; relays keep the proofs they verified and pass them on.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey, VerifyKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ChangeLog, ChangeProof
from app.sync.changes import Change, canonical_json
from app.sync.log import wire_change

RUN = 256
DIGEST = 16
MAX_PROOFS = 10_000  # parsed from one push; each covers up to RUN changes
MAX_BUNDLE_PROOFS = 5_000_000 // RUN * 4  # a bundle's proofs (its change limit, runs cut short)
_TAG = b"jiceng-proof/1\x00"
_log = ChangeLog.__table__


class ProofError(ValueError):
    """A proof that is not well formed (its signature is checked separately)."""


def digest(change: Change | Mapping[str, Any]) -> bytes:
    """The digest a proof lists for a change: over its whole canonical wire form."""
    wire = change.to_wire() if isinstance(change, Change) else dict(change)
    text = canonical_json({k: wire.get(k) for k in _WIRE_KEYS})
    return hashlib.sha256(b"jiceng-change\x00" + text.encode()).digest()[:DIGEST]


_WIRE_KEYS = ("origin", "counter", "entity", "row_id", "fields", "hlc", "base_hlc", "schema_rev")


@dataclass(frozen=True)
class Proof:
    origin: str
    first: int
    last: int
    hashes: bytes
    signature: bytes

    def message(self) -> bytes:
        head = f"{self.origin}:{self.first}:{self.last}:".encode()
        return _TAG + head + self.hashes

    def covers(self, counter: int) -> bool:
        return self.first <= counter <= self.last

    def hash_of(self, counter: int) -> bytes:
        i = (counter - self.first) * DIGEST
        return self.hashes[i : i + DIGEST]

    def verified_by(self, sign_public: bytes) -> bool:
        try:
            VerifyKey(sign_public).verify(self.message(), self.signature)
        except (BadSignatureError, CryptoError, ValueError, TypeError):
            return False
        return True

    def to_wire(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "first": self.first,
            "last": self.last,
            "hashes": base64.b64encode(self.hashes).decode(),
            "sig": self.signature.hex(),
        }

    def row(self) -> dict[str, Any]:
        wire = self.to_wire()
        return {**wire, "signature": wire.pop("sig")}


def from_wire(data: object) -> Proof:
    """A well-formed proof from decoded JSON, or ``ProofError``."""
    if not isinstance(data, dict) or set(data) != {"origin", "first", "last", "hashes", "sig"}:
        raise ProofError("proof: not a proof object")
    origin, first, last = data["origin"], data["first"], data["last"]
    if not (isinstance(origin, str) and len(origin) == 16 and origin.isascii()):
        raise ProofError("proof: bad origin")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (first, last)):
        raise ProofError("proof: bad run")
    if not 0 < first <= last < first + RUN or last >= 2**53:
        raise ProofError("proof: bad run")
    try:
        hashes = base64.b64decode(str(data["hashes"]).encode("ascii"), validate=True)
        signature = bytes.fromhex(str(data["sig"]))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise ProofError("proof: bad encoding") from None
    if len(hashes) != (last - first + 1) * DIGEST or len(signature) != 64:
        raise ProofError("proof: bad lengths")
    return Proof(origin, first, last, hashes, signature)


def sign_run(signing: SigningKey, origin: str, changes: Sequence[Mapping[str, Any]]) -> Proof:
    """A proof for ``changes``: one origin, consecutive counters, at most ``RUN``."""
    first, last = changes[0]["counter"], changes[-1]["counter"]
    hashes = b"".join(digest(c) for c in changes)
    unsigned = Proof(origin, first, last, hashes, b"")
    return Proof(origin, first, last, hashes, signing.sign(unsigned.message()).signature)


def sign_own(session: Session, signing: SigningKey, origin: str) -> int:
    """Sign this replica's own changes that no proof covers yet (new runs after the last
    one); returns how many proofs were made. Own counters are consecutive."""
    top = session.execute(
        select(func.max(ChangeProof.last)).where(ChangeProof.origin == origin)
    ).scalar()
    rows = session.execute(
        select(_log)
        .where(_log.c.origin == origin, _log.c.counter > (top or 0))
        .order_by(_log.c.counter)
    )
    made, run = 0, list[dict[str, Any]]()
    for row in rows.yield_per(2000):
        change = wire_change(row)
        if run and (len(run) == RUN or change["counter"] != run[-1]["counter"] + 1):
            made += _store_signed(session, signing, origin, run)
            run = []
        run.append(change)
    if run:
        made += _store_signed(session, signing, origin, run)
    return made


def _store_signed(
    session: Session, signing: SigningKey, origin: str, run: Sequence[Mapping[str, Any]]
) -> int:
    store(session, [sign_run(signing, origin, run)])
    return 1


def store(session: Session, proofs: Iterable[Proof]) -> None:
    """Keep proofs (verified ones only) for relaying. Of two runs from the same first
    counter the longer is kept: both are the origin's, and the longer vouches for more."""
    wanted: dict[tuple[str, int], Proof] = {}
    for p in proofs:
        seen = wanted.get((p.origin, p.first))
        if seen is None or seen.last < p.last:
            wanted[(p.origin, p.first)] = p
    if not wanted:
        return
    have: dict[tuple[str, int], int] = {}
    for origin in {o for o, _f in wanted}:
        firsts = [f for o, f in wanted if o == origin]
        for i in range(0, len(firsts), 500):
            for first, last in session.execute(
                select(ChangeProof.first, ChangeProof.last).where(
                    ChangeProof.origin == origin, ChangeProof.first.in_(firsts[i : i + 500])
                )
            ):
                have[(origin, first)] = last
    table = ChangeProof.__table__
    fresh = [p.row() for key, p in wanted.items() if key not in have]
    longer = [p for key, p in wanted.items() if key in have and have[key] < p.last]
    if fresh:
        session.execute(table.insert(), fresh)
    for p in longer:
        session.execute(
            table.update()
            .where(table.c.origin == p.origin, table.c.first == p.first)
            .values(last=p.last, hashes=p.row()["hashes"], signature=p.signature.hex())
        )


def proofs_for(session: Session, wanted: Mapping[str, Iterable[int]]) -> list[Proof]:
    """The stored proofs covering the given counters of each origin (for a relay)."""
    out: dict[tuple[str, int], Proof] = {}
    for origin, counters in wanted.items():
        numbers = sorted(set(counters))
        if not numbers:
            continue
        rows = session.execute(
            select(ChangeProof).where(
                ChangeProof.origin == origin,
                ChangeProof.last >= numbers[0],
                ChangeProof.first <= numbers[-1],
            )
        ).scalars()
        for row in rows:
            if any(row.first <= n <= row.last for n in numbers):
                out[(origin, row.first)] = from_row(row)
    return list(out.values())


def from_row(row: ChangeProof) -> Proof:
    return Proof(
        row.origin, row.first, row.last, base64.b64decode(row.hashes), bytes.fromhex(row.signature)
    )


KeyOf = Callable[[str], bytes | None]


class ProofIndex:
    """Proofs by origin, sorted by first counter: the ones covering a counter are found with
    a bisection and a short walk back (runs are at most ``RUN`` long)."""

    def __init__(self) -> None:
        self.by_origin: dict[str, list[Proof]] = {}
        self._firsts: dict[str, list[int]] = {}

    def add(self, proof: Proof) -> None:
        self.by_origin.setdefault(proof.origin, []).append(proof)
        self._firsts.pop(proof.origin, None)

    def all(self) -> Iterable[Proof]:
        for origin_proofs in self.by_origin.values():
            yield from origin_proofs

    def covering(self, origin: str, counter: int) -> Iterable[Proof]:
        items = self.by_origin.get(origin)
        if not items:
            return
        firsts = self._firsts.get(origin)
        if firsts is None:
            items.sort(key=lambda p: (p.first, p.last))
            firsts = self._firsts[origin] = [p.first for p in items]
        i = bisect.bisect_right(firsts, counter) - 1
        while i >= 0 and items[i].first > counter - RUN:
            if items[i].covers(counter):
                yield items[i]
            i -= 1


@dataclass
class Vouch:
    """Decides, for a batch, whether each change's origin vouches for it.

    ``trusted`` origins need no proof (the sender itself); every other change needs a proof
    naming its digest, signed by the key ``key_of`` returns for its origin. Signatures are
    checked once per proof. ``verified`` collects the proofs that vouched for something, so
    the caller can keep them for relaying."""

    key_of: KeyOf
    trusted: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    proofs: ProofIndex = field(default_factory=ProofIndex)
    verified: dict[tuple[str, int], Proof] = field(default_factory=dict)
    _checked: dict[tuple[str, int], bool] = field(default_factory=dict)

    def add(self, proofs: Iterable[Proof]) -> None:
        for proof in proofs:
            self.proofs.add(proof)

    def __call__(self, change: Change) -> str | None:
        """None when vouched for, else the reason it is not."""
        if change.origin in self.refused:
            return "origin: 不接受以服务器身份提交的变更"
        if change.origin in self.trusted:
            return None
        wanted = digest(change)
        for proof in self.proofs.covering(change.origin, change.counter):
            if proof.hash_of(change.counter) == wanted and self._good(proof):
                return None
        return "origin: 不是本设备的变更，也没有来源设备的签名证明"

    def keep_verified(self) -> list[Proof]:
        """Every proof with a good signature by its origin's known key — those that vouched
        for a change here and the sender's own, which this replica now relays."""
        for proof in self.proofs.all():
            self._good(proof)
        return list(self.verified.values())

    def _good(self, proof: Proof) -> bool:
        key = (proof.origin, proof.first)
        if key not in self._checked:
            public = self.key_of(proof.origin)
            self._checked[key] = public is not None and proof.verified_by(public)
            if self._checked[key]:
                self.verified[key] = proof
        return self._checked[key]


def parse_all(items: Iterable[object], limit: int = MAX_PROOFS) -> list[Proof]:
    """Well-formed proofs among ``items`` (malformed ones vouch for nothing)."""
    out = []
    for n, item in enumerate(items):
        if n >= limit:
            break
        try:
            out.append(from_wire(item))
        except ProofError:
            continue
    return out
