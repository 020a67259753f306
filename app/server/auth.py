"""Device tokens, one-time enrollment codes, and database-backed rate limits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.ids import uuid7
from app.models import Device, District, EnrollCode, RateWindow, ReplicaKey
from app.schemas.sync_api import DEVICE_ROLES, DeviceRole
from app.sync import enroll_proof
from app.sync.writer import utc_now

KEY_LIMIT = 100  # rate_window.key
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


class AuthError(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_enroll_code(
    session: Session, district_id: str, ttl: timedelta, role: DeviceRole = "cadre"
) -> str:
    """A one-time code for ``district_id`` that enrolls a device in ``role``; only its hash
    is stored."""
    if role not in DEVICE_ROLES:
        raise ValueError(f"not a device role: {role!r}")
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = utc_now()
    session.add(
        EnrollCode(
            code_hash=digest(body),
            district_id=district_id,
            role=role,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return "-".join(body[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class Enrolled:
    device: Device
    token: str
    district_name: str


def enroll(
    session: Session,
    code: str,
    replica_id: str,
    name: str,
    declared_role: str,
    sign_public: str,
    key_proof: str,
    provisional: tuple[str, str] | None = None,
) -> Enrolled:
    """Redeem ``code`` once: a new device with a fresh token (returned once, stored hashed).

    A replica enrolls as itself: it signs the code with the key it names (so knowing a
    laptop's id and public key is not enough), and when its replica id is already bound to
    another key the code is refused. A re-enrollment of the same replica revokes its
    earlier tokens, so a laptop moved to another district no longer writes in the old one.

    The device's role is the code's, chosen by the administrator. The role the device
    declares (the one it works in) must be the same, or the code is refused and stays
    unused: a cadre's laptop cannot make itself a district office by saying so, and a
    district office given a cadre's code learns it at once rather than working on as
    something it is not."""
    if not enroll_proof.verified(code, replica_id, sign_public, key_proof):
        raise AuthError("key_proof_invalid", "the request is not signed by the key it names")
    now = utc_now()
    row = session.get(EnrollCode, digest(normalise_code(code)), with_for_update=True)
    if row is None or row.used_at is not None or row.expires_at < now:
        raise AuthError("enroll_code_invalid", "enrollment code is unknown, used or expired")
    district = session.get(District, row.district_id)
    if district is None or district.deleted:
        raise AuthError("enroll_code_invalid", "the code's district no longer exists")
    if declared_role != row.role:
        raise AuthError(
            "role_mismatch",
            f"this code enrolls a {row.role} device, and this device declares {declared_role}:"
            f" ask the administrator for a {declared_role} code (the code is not used up)",
        )
    _bind_key(session, replica_id, sign_public, row.district_id)
    _revoke_earlier(session, replica_id, now)
    token = secrets.token_urlsafe(32)
    device = Device(
        id=uuid7(),
        district_id=row.district_id,
        replica_id=replica_id,
        name=name,
        role=row.role,
        token_hash=digest(token),
        enrolled_at=now,
        provisional_district_id=_provisional(session, provisional, row.district_id),
    )
    session.add(device)
    session.execute(
        update(EnrollCode)
        .where(EnrollCode.code_hash == row.code_hash, EnrollCode.used_at.is_(None))
        .values(used_at=now, device_id=device.id)
    )
    return Enrolled(device, token, district.name)


def _bind_key(session: Session, replica_id: str, sign_public: str, district_id: str) -> None:
    """Bind ``replica_id`` to the enrolling key. A replica whose device enrolled before
    devices named keys (and has not named one since) cannot be taken over by whoever
    claims its id first: its device binds its key at its next push, or the administrator
    revokes it."""
    bound = session.get(ReplicaKey, replica_id, with_for_update=True)
    if bound is not None and bound.source == "enroll":
        if bound.sign_public != sign_public:
            raise AuthError("replica_taken", "this replica id is enrolled with another key")
    elif _keyless_device(session, replica_id):
        raise AuthError(
            "replica_taken",
            "this replica id is enrolled without a key: sync from that device once, "
            "or have the administrator revoke it, before enrolling it again",
        )
    _bind_key_row(session, bound, replica_id, sign_public, district_id)


def _bind_key_row(
    session: Session,
    bound: ReplicaKey | None,
    replica_id: str,
    sign_public: str,
    district_id: str,
) -> None:
    if bound is None:
        session.add(
            ReplicaKey(
                replica_id=replica_id,
                sign_public=sign_public,
                district_id=district_id,
                source="enroll",
                added_at=utc_now(),
            )
        )
    else:  # the device's own word outranks a district's introduction of the same replica
        bound.sign_public, bound.district_id, bound.source = sign_public, district_id, "enroll"
    session.flush()


def _keyless_device(session: Session, replica_id: str) -> bool:
    return (
        session.execute(
            select(Device.id).where(Device.replica_id == replica_id, Device.revoked_at.is_(None))
        ).first()
        is not None
    )


def bind_own_key(session: Session, device: Device, sign_public: str) -> None:
    """A device names its own key over its token (one enrolled before keys were named):
    bound when no enrollment bound one, outranking a district office's introduction."""
    bound = session.get(ReplicaKey, device.replica_id, with_for_update=True)
    if bound is not None and bound.source == "enroll":
        return
    _bind_key_row(session, bound, device.replica_id, sign_public, device.district_id)


def _provisional(
    session: Session, provisional: tuple[str, str] | None, district_id: str
) -> str | None:
    """The laptop's own district, when it is not the one it enrolls into. Its id must be the
    one its name derives (so it cannot name another district's row under a false name).
    When the server has no such row, it writes one itself, deleted, so the laptop's rows
    that name it can be stored until their move to the enrolled district arrives."""
    from app.server.admin import provisional_district

    if provisional is None:
        return None
    pid, name = provisional
    if pid == district_id or not pid:
        return None
    return pid if provisional_district(session, pid, name, district_id) else None


def _revoke_earlier(session: Session, replica_id: str, now: datetime) -> None:
    session.execute(
        update(Device)
        .where(Device.replica_id == replica_id, Device.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def device_for(session: Session, authorization: str | None) -> Device:
    """The live device behind an ``Authorization: Bearer …`` header, or ``AuthError``."""
    if not authorization or not authorization.startswith("Bearer "):
        raise AuthError("unauthorized", "a device token is required")
    device = session.execute(
        select(Device).where(Device.token_hash == digest(authorization[7:].strip()))
    ).scalar_one_or_none()
    if device is None:
        raise AuthError("unauthorized", "unknown device token")
    if device.revoked_at is not None:
        raise AuthError("unauthorized", "this device has been revoked")
    return device


WINDOW_SECONDS = 60  # every limit counts per minute, so old windows can be pruned together


def rate_key(kind: str, value: str) -> str:
    """A window key of bounded length for any value (an address can be anything a client
    claims): short printable values as they are, others by their hash."""
    key = f"{kind}:{value}"
    if len(key) <= KEY_LIMIT and key.isascii() and key.isprintable():
        return key
    return f"{kind}:#{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()[:40]}"


def allow(session: Session, key: str, limit: int, now: datetime, hits: int = 1) -> bool:
    """Count ``hits`` for ``key`` in the current minute; False once ``limit`` is passed.
    Windows older than the previous minute are deleted on the way."""
    window = int(now.timestamp()) // WINDOW_SECONDS
    session.execute(delete(RateWindow).where(RateWindow.window < window - 1))
    row = session.get(RateWindow, (key, window), with_for_update=True)
    if row is None:
        session.add(RateWindow(key=key, window=window, hits=hits))
        session.flush()
        return hits <= limit
    row.hits += hits
    return row.hits <= limit
