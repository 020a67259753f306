"""Device tokens, one-time enrollment codes, and database-backed rate limits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.ids import uuid7
from app.models import Device, District, EnrollCode, RateWindow
from app.sync.writer import utc_now

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


def new_enroll_code(session: Session, district_id: str, ttl: timedelta) -> str:
    """A one-time code for ``district_id``; only its hash is stored."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = utc_now()
    session.add(
        EnrollCode(
            code_hash=digest(body), district_id=district_id, created_at=now, expires_at=now + ttl
        )
    )
    return "-".join(body[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class Enrolled:
    device: Device
    token: str
    district_name: str


def enroll(session: Session, code: str, replica_id: str, name: str, role: str) -> Enrolled:
    """Redeem ``code`` once: a new device with a fresh token (returned once, stored hashed)."""
    now = utc_now()
    row = session.get(EnrollCode, digest(normalise_code(code)), with_for_update=True)
    if row is None or row.used_at is not None or row.expires_at < now:
        raise AuthError("enroll_code_invalid", "enrollment code is unknown, used or expired")
    district = session.get(District, row.district_id)
    if district is None or district.deleted:
        raise AuthError("enroll_code_invalid", "the code's district no longer exists")
    token = secrets.token_urlsafe(32)
    device = Device(
        id=uuid7(),
        district_id=row.district_id,
        replica_id=replica_id,
        name=name,
        role=role,
        token_hash=digest(token),
        enrolled_at=now,
    )
    session.add(device)
    session.execute(
        update(EnrollCode)
        .where(EnrollCode.code_hash == row.code_hash, EnrollCode.used_at.is_(None))
        .values(used_at=now, device_id=device.id)
    )
    return Enrolled(device, token, district.name)


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


def allow(session: Session, key: str, limit: int, window_seconds: int, now: datetime) -> bool:
    """Count one hit for ``key`` in the current window; False once ``limit`` is passed."""
    window = int(now.timestamp()) // window_seconds
    row = session.get(RateWindow, (key, window), with_for_update=True)
    if row is None:
        session.add(RateWindow(key=key, window=window, hits=1))
        return True
    row.hits += 1
    return row.hits <= limit
