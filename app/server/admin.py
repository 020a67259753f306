"""Administration on the server's database: districts, enrollment codes, devices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Device, District
from app.schemas.base import InputError
from app.schemas.sync_api import DeviceRole
from app.schemas.validators import normalize_text
from app.server import auth, locks, scope, signing
from app.services.replica import district_id_for
from app.sync.writer import ChangeWriter, utc_now


def add_district(session: Session, name: str) -> tuple[str, bool]:
    """The district's id, and whether it was new. Its id is derived from its name, so a
    replica set up offline for the same district already uses the same id."""
    name = normalize_text(name)
    if not 1 <= len(name) <= 100:
        raise InputError.single("name", "区(县)总工会名称", "不能为空，且不超过100个字")
    district_id = district_id_for(name)
    existing = session.get(District, district_id)
    if existing is not None and not existing.deleted:
        return district_id, False
    locks.lock_district(session, district_id)
    with ChangeWriter(session, district_id=district_id) as w:
        if existing is None:
            w.create("district", {"name": name}, row_id=district_id)
        else:
            w.restore("district", district_id)
    scope.own(session, [("district", district_id)], district_id)  # a district owns itself
    signing.sign_own(session)
    return district_id, True


def provisional_district(session: Session, row_id: str, name: str, district_id: str) -> bool:
    """Make sure the row a laptop's offline district id names exists (written by the server,
    deleted, filed under the district it enrolled into); False when id and name disagree."""
    name = normalize_text(name)
    if not 1 <= len(name) <= 100 or district_id_for(name) != row_id:
        return False
    if session.get(District, row_id) is None:
        locks.lock_district(session, district_id)
        with ChangeWriter(session, district_id=district_id) as w:
            w.create("district", {"name": name, "deleted": True}, row_id=row_id)
        signing.sign_own(session)
    return True


def find_district(session: Session, name: str) -> District | None:
    row = session.get(District, district_id_for(name))
    return None if row is None or row.deleted else row


def enroll_code(
    session: Session, district_name: str, ttl: timedelta, role: DeviceRole = "cadre"
) -> str:
    """A one-time code that enrolls a device of ``role`` into the district: a cadre's
    laptop unless the administrator says the device is a district office's."""
    district = find_district(session, district_name)
    if district is None:
        raise InputError.single(
            "district", "区(县)总工会", f"服务器上没有“{district_name}”，请先 add-district"
        )
    return auth.new_enroll_code(session, district.id, ttl, role)


@dataclass(frozen=True)
class DeviceRow:
    id: str
    name: str
    role: str
    district: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


def devices(session: Session) -> list[DeviceRow]:
    rows = session.execute(
        select(Device, District.name)
        .join(District, District.id == Device.district_id, isouter=True)
        .order_by(Device.enrolled_at)
    ).all()
    return [
        DeviceRow(
            d.id, d.name, d.role, name or d.district_id, d.enrolled_at, d.last_seen_at, d.revoked_at
        )
        for d, name in rows
    ]


def revoke(session: Session, key: str) -> DeviceRow | None:
    """Revoke a device by id or a unique id prefix (≥ 6 characters); its token stops working
    at its next request."""
    key = key.strip()
    matches = [
        d for d in devices(session) if d.id == key or (len(key) >= 6 and d.id.startswith(key))
    ]
    if len(matches) != 1:
        return None
    device = session.get(Device, matches[0].id)
    assert device is not None
    if device.revoked_at is None:
        device.revoked_at = utc_now()
    session.flush()
    return devices_by_id(session, device.id)


def devices_by_id(session: Session, device_id: str) -> DeviceRow | None:
    return next((d for d in devices(session) if d.id == device_id), None)
