"""A device's role comes from its enrollment code (issue 21), on SQLite and PostgreSQL: the
administrator chooses it, a device that declares another is refused with the code left
unused, and what a role is trusted with (introducing the keys of the cadres a district
office relays for) follows the role the server stored, never the device's word."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from nacl.signing import SigningKey
from sqlalchemy import select, text

from app.models import Device, EnrollCode, ReplicaKey
from app.schemas.enums import Role
from app.schemas.sync_api import DeviceRole
from app.server import admin
from app.server.auth import digest, normalise_code
from app.server.db import server_engine, writer
from app.services.replica import district_id_for
from app.services.setup import join_server
from app.storage import migrate
from app.sync import proofs
from app.sync.client import configured_server
from app.sync.http import RetryPolicy, SyncError, Transport
from app.sync.writer import utc_now
from app.ui.messages import SYNC_MESSAGES, for_cli
from tests.helpers import (
    PASSPHRASE,
    MakeNode,
    MakeReplica,
    add_enterprise,
    auth,
    changes_of,
    enroll,
    enroll_body,
    join,
    replica_of,
    signing_of,
)
from tests.server_helpers import LiveServer, serving

ENROLL = "/api/v1/enroll"


def _code_row(server: LiveServer, code: str) -> EnrollCode:
    with server.session() as s:
        row = s.get(EnrollCode, digest(normalise_code(code)))
        assert row is not None
        s.expunge(row)
        return row


def _devices_of(server: LiveServer, replica_id: str) -> list[Device]:
    with server.session() as s:
        rows = s.execute(select(Device).where(Device.replica_id == replica_id)).scalars().all()
        s.expunge_all()
        return list(rows)


@pytest.mark.parametrize(("code_role", "declared"), [("cadre", "district"), ("district", "cadre")])
def test_a_code_of_another_role_is_refused_and_stays_unused(
    live_server: LiveServer, code_role: DeviceRole, declared: DeviceRole
) -> None:
    code = live_server.code(role=code_role)
    replica, key = secrets.token_hex(8), SigningKey.generate()
    url = f"{live_server.url}{ENROLL}"
    refused = httpx.post(url, json=enroll_body(code, replica, role=declared, signing=key))
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"] == "role_mismatch"
    row = _code_row(live_server, code)
    assert row.used_at is None and row.device_id is None and row.role == code_role
    assert _devices_of(live_server, replica) == []
    with live_server.session() as s:
        assert s.get(ReplicaKey, replica) is None  # the refused request bound no key either
    # Nothing was spent: the same code still enrolls the same device in the code's role.
    taken = httpx.post(url, json=enroll_body(code, replica, role=code_role, signing=key))
    assert taken.status_code == 200, taken.text
    [device] = _devices_of(live_server, replica)
    assert device.role == code_role and device.id == taken.json()["device_id"]
    assert _code_row(live_server, code).device_id == device.id


def test_a_district_code_gives_a_district_device_and_a_cadre_code_a_cadre(
    live_server: LiveServer,
) -> None:
    office, laptop = secrets.token_hex(8), secrets.token_hex(8)
    enroll(live_server, replica_id=office, role="district")
    enroll(live_server, replica_id=laptop)  # a code made without a role: a cadre's
    assert [d.role for d in _devices_of(live_server, office)] == ["district"]
    assert [d.role for d in _devices_of(live_server, laptop)] == ["cadre"]
    with live_server.session() as s:
        listed = {d.id: d.role for d in admin.devices(s)}
    assert sorted(listed.values()) == ["cadre", "district"]


def test_an_unknown_role_makes_no_code(live_server: LiveServer) -> None:
    with pytest.raises(ValueError, match="role"):
        live_server.code(role="server")  # type: ignore[arg-type]


def test_a_district_office_given_a_cadre_code_is_told_why_in_chinese(
    live_server: LiveServer, make_node: MakeNode
) -> None:
    """The app's enrollment (``join_server``) with a code of another role: refused under
    its own code, worded for the user (not "the server refused: <English>"), nothing saved
    and the code left unused; a code of its role then enrolls it."""
    office = make_node("鼓楼区总工会", role=Role.DISTRICT, district="鼓楼区总工会")
    code = live_server.code()
    transport = Transport(live_server.url, retry=RetryPolicy(attempts=1, sleep=lambda _s: None))
    with pytest.raises(SyncError) as err:
        join_server(office.store, live_server.url, code, signing_of(office), transport)
    assert (err.value.code, err.value.status) == ("role_mismatch", 400)
    worded = for_cli(SYNC_MESSAGES, err.value.code, err.value.detail, "{detail}")
    assert worded == SYNC_MESSAGES["role_mismatch"] and "接入码" in worded
    with office.read() as s:
        assert configured_server(s) is None
    assert _code_row(live_server, code).used_at is None
    join(live_server, office)  # with a district code, as the administrator makes it
    with office.read() as s:
        assert configured_server(s) is not None


def _relayed(server: LiveServer, token: str, offline: Any) -> list[str]:
    """A push of ``offline``'s new enterprise — a cadre who never goes online, whose work
    reached the pushing device by USB — with its origin proof, introducing its key."""
    before = len(changes_of(offline))
    add_enterprise(offline, "南京恒远物流有限公司")
    theirs = changes_of(offline)[before:]
    key = signing_of(offline)
    origin = replica_of(offline)[0]
    body = {
        "changes": theirs,
        "proofs": [proofs.sign_run(key, origin, theirs).to_wire()],
        "keys": [{"replica_id": origin, "sign_public": key.verify_key.encode().hex()}],
    }
    reply = httpx.post(f"{server.url}/api/v1/sync/push", json=body, headers=auth(token), timeout=60)
    assert reply.status_code == 200, reply.text
    return [r["status"] for r in reply.json()["results"]]


@pytest.mark.parametrize("role", ["cadre", "district"])
def test_only_a_device_the_server_made_a_district_office_introduces_keys(
    live_server: LiveServer, make_replica: MakeReplica, role: DeviceRole
) -> None:
    """A cadre's laptop that calls itself a district office is refused at enrollment;
    enrolled with its cadre code, the key it introduces for another replica is not
    trusted (that replica's relayed changes are refused, its key not bound). A district
    office's device, enrolled with a district code, introduces the same way and is
    trusted. Control: the district case shows the push itself is well formed."""
    carrier = make_replica("鼓楼区总工会" if role == "district" else "张驻点", role=Role(role))
    offline = make_replica("赵驻点")
    if role == "cadre":
        claim = enroll_body(
            live_server.code(), replica_of(carrier)[0], role="district", signing=signing_of(carrier)
        )
        refused = httpx.post(f"{live_server.url}{ENROLL}", json=claim)
        assert refused.status_code == 400 and refused.json()["error"] == "role_mismatch"
    token = enroll(live_server, store=carrier, role=role)
    statuses = _relayed(live_server, token, offline)
    with live_server.session() as s:
        bound = s.get(ReplicaKey, replica_of(offline)[0])
        source = bound.source if bound is not None else None
    [device] = _devices_of(live_server, replica_of(carrier)[0])
    if role == "district":
        assert statuses and set(statuses) == {"accepted"}
        assert source == f"device:{device.id}"
    else:
        assert statuses and set(statuses) == {"rejected"}
        assert source is None


def test_migration_0008_keeps_earlier_codes_usable_as_cadre_codes(
    server_url_for_db: str | None, tmp_path: Path
) -> None:
    """A code made before enrollment codes had a role: after the upgrade it enrolls a
    cadre's device, and refuses one that declares itself a district office."""
    folder = tmp_path / "server"
    engine = server_engine(server_url_for_db, folder, PASSPHRASE)
    old_code = "ABCD-EFGH-JKMN"
    try:
        with writer(engine).begin() as conn:
            migrate.upgrade(conn, "0007")
            now = utc_now()
            conn.execute(
                text(
                    "INSERT INTO enroll_code (code_hash, district_id, created_at, expires_at)"
                    " VALUES (:h, :d, :c, :e)"
                ),
                {
                    "h": digest(normalise_code(old_code)),
                    "d": district_id_for("鼓楼区总工会"),
                    "c": now,
                    "e": now + timedelta(hours=1),
                },
            )
    finally:
        engine.dispose()
    with serving(server_url_for_db, folder) as (server, _thread):  # upgrades to head
        with server.session() as s, s.begin():
            admin.add_district(s, "鼓楼区总工会")
        assert _code_row(server, old_code).role == "cadre"
        replica, key = secrets.token_hex(8), SigningKey.generate()
        url = f"{server.url}{ENROLL}"
        office = httpx.post(url, json=enroll_body(old_code, replica, role="district", signing=key))
        assert office.status_code == 400 and office.json()["error"] == "role_mismatch"
        laptop = httpx.post(url, json=enroll_body(old_code, replica, role="cadre", signing=key))
        assert laptop.status_code == 200, laptop.text
        assert [d.role for d in _devices_of(server, replica)] == ["cadre"]
