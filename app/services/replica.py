"""Setting up this replica: who it is, which district it works for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.ids import new_replica_id, stable_id
from app.models import District, Replica
from app.schemas.base import InputError
from app.schemas.enums import Role
from app.schemas.validators import fold_width, normalize_text
from app.sync.hlc import Clock
from app.sync.keys import PublicKeys
from app.sync.replica import ReplicaState
from app.sync.writer import ChangeWriter, utc_now

DEFAULT_DISTRICT = "本区总工会"
_CODE = re.compile(r"^[A-Z0-9]{2,10}$")


@dataclass(frozen=True)
class ReplicaInfo:
    replica_id: str
    name: str
    role: str
    district_id: str
    district_name: str
    code: str
    keys: PublicKeys | None = None

    @property
    def fingerprint(self) -> str | None:
        return self.keys.fingerprint if self.keys else None


def district_id_for(name: str) -> str:
    """Every replica names the same district with the same id, without coordination.

    Folded (full-width to half-width), as every version so far has: the id must not change
    with how the brackets in a name were typed."""
    return stable_id("district", fold_width(name))


def init_replica(
    session: Session,
    *,
    name: str,
    role: Role,
    district: str | None = None,
    code: str | None = None,
    keys: PublicKeys | None = None,
) -> ReplicaInfo:
    """Give a new data file its identity and make sure its district exists."""
    role = Role(role)
    name = normalize_text(name or "")
    if not 1 <= len(name) <= 50:
        raise InputError.single("name", "名称", "不能为空，且不超过50个字")
    district_name = normalize_text(
        district or (name if role == Role.DISTRICT else DEFAULT_DISTRICT)
    )
    if len(district_name) > 100:
        raise InputError.single("district", "所属区总工会", "不能超过100个字")
    replica_id = new_replica_id()
    code = (code or replica_id[:6]).upper()
    if not _CODE.match(code):
        raise InputError.single("code", "编号前缀", "应为2–10位大写字母或数字")
    district_id = district_id_for(district_name)
    session.add(
        Replica(
            id=1,
            replica_id=replica_id,
            name=name,
            role=role.value,
            district_id=district_id,
            district_name=district_name,
            code=code,
            counter=0,
            hlc=Clock(replica_id).last.encode(),
            sign_public=keys.sign_hex if keys else None,
            enc_public=keys.enc_hex if keys else None,
            created_at=utc_now(),
        )
    )
    session.flush()
    with ChangeWriter(session) as writer:
        if session.get(District, district_id) is None:
            writer.create("district", {"name": district_name}, row_id=district_id)
    return replica_info(session)


def replica_info(session: Session) -> ReplicaInfo:
    state = ReplicaState.load(session)
    row = session.get(Replica, 1)
    keys = None
    if row is not None and row.sign_public and row.enc_public:
        keys = PublicKeys.from_hex(row.sign_public, row.enc_public)
    return ReplicaInfo(
        replica_id=state.replica_id,
        name=state.name,
        role=state.role,
        district_id=state.district_id,
        district_name=state.district_name,
        code=state.code,
        keys=keys,
    )


def rehome_district(session: Session, district_id: str, district_name: str) -> int:
    """Join the district a server enrolled this replica into.

    The replica's own district becomes that one, and enterprises filed under the district it
    had before (often the placeholder "本区总工会" of an offline set-up) move with it, as
    ordinary changes that sync like any edit. Returns how many enterprises moved.
    """
    from app.models import Enterprise

    state = ReplicaState.load(session)
    old = state.district_id
    replica = session.get(Replica, 1)
    assert replica is not None
    replica.district_id, replica.district_name = district_id, district_name
    session.flush()
    moved = 0
    with ChangeWriter(session) as writer:
        if session.get(District, district_id) is None:
            writer.create("district", {"name": district_name}, row_id=district_id)
        if old != district_id:
            ids = (
                session.execute(select(Enterprise.id).where(Enterprise.district_id == old))
                .scalars()
                .all()
            )
            for enterprise_id in ids:
                moved += writer.update("enterprise", enterprise_id, {"district_id": district_id})
    return moved
