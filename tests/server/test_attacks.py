"""Issue 18's attacks, one by one, against a real server on SQLite and PostgreSQL (loopback):
an enrolled device's token tries to write as others, to take server-owned records, to swamp
a district; each is refused with nothing stored and no other device affected."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.cli import main as cli_main
from app.models import (
    ChangeLog,
    Conflict,
    Device,
    District,
    EnrollCode,
    RateWindow,
    ReplicaKey,
)
from app.server import admin
from app.server.auth import WINDOW_SECONDS, normalise_code
from app.server.auth import digest as auth_digest
from app.services.replica import district_id_for
from app.sync.client import SyncRound, configured_server
from app.sync.hlc import Timestamp, wall_ms
from app.sync.http import RetryPolicy, Transport
from app.sync.replica import ReplicaState
from app.sync.writer import ChangeWriter, utc_now
from tests.helpers import (
    MakeNode,
    MakeReplica,
    add_enterprise,
    add_issue,
    auth,
    enroll,
    enroll_body,
    join,
    move_owner,
    pull_all,
    push,
    pushable,
    replica_of,
    signing_of,
    sync,
)
from tests.server_helpers import LiveServer

FAST = RetryPolicy(attempts=1, sleep=lambda _s: None)


def _clock(origin: str, ahead_ms: int = 0) -> str:
    return Timestamp(wall_ms() + ahead_ms, 0, origin).encode()


def _forge(change: dict[str, Any], origin: str, counter: int) -> dict[str, Any]:
    """``change`` re-labelled as ``origin``'s ``counter``-th change."""
    return {**change, "origin": origin, "counter": counter, "hlc": change["hlc"][:16] + origin}


def _log_count(server: LiveServer, **where: Any) -> int:
    with server.session() as s:
        stmt = select(func.count()).select_from(ChangeLog)
        for key, value in where.items():
            stmt = stmt.where(getattr(ChangeLog, key) == value)
        return int(s.execute(stmt).scalar_one())


def _next_counter(store: Any) -> int:
    with store.read() as s:
        return ReplicaState.load(s).counter + 1


def _server_replica(server: LiveServer) -> str:
    with server.session() as s:
        return ReplicaState.load(s).replica_id


def test_change_id_preemption_is_refused(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    attacker = make_replica("甲")
    victim = make_replica("乙")
    join(live_server, attacker)
    join(live_server, victim)
    sync(victim)
    b_origin, b_next = _origin(victim), _next_counter(victim)
    add_issue(attacker, add_enterprise(attacker, "南京甲方有限公司"))
    own = [c for c in pushable(attacker) if c["entity"] == "enterprise"]
    forged = [_forge(c, b_origin, b_next + i) for i, c in enumerate(own)]
    token = _token(attacker)
    answers = push(live_server, token, forged)
    assert {a["status"] for a in answers} == {"rejected"}
    assert all("签名证明" in a["reason"] for a in answers)
    assert _log_count(live_server, origin=b_origin) == 0
    # the victim's real work, under those very ids, is accepted whole
    eid = add_enterprise(victim, "南京乙方有限公司")
    add_issue(victim, eid)
    report = _round(victim)
    assert report.rejected == [] and report.pushed == len(pushable(victim))
    assert _log_count(live_server, origin=b_origin) == len(pushable(victim))


def test_the_servers_origin_is_never_accepted(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    cadre = make_replica()
    join(live_server, cadre)
    server_id = _server_replica(live_server)
    with live_server.session() as s:
        top = ReplicaState.load(s).counter
    add_enterprise(cadre)
    forged = [_forge(pushable(cadre)[-1], server_id, top + 1)]
    answers = push(live_server, _token(cadre), forged)
    assert answers[0]["status"] == "rejected" and "服务器" in answers[0]["reason"]
    with live_server.session() as s, s.begin():  # the administrator is not locked out
        _id, new = admin.add_district(s, "玄武区总工会")
    assert new


def test_district_rows_are_the_servers(live_server: LiveServer, make_replica: MakeReplica) -> None:
    cadre = make_replica()
    join(live_server, cadre)
    token = _token(cadre)
    origin = _origin(cadre)
    counter = _next_counter(cadre) + 100
    squat = {
        "origin": origin,
        "counter": counter,
        "entity": "district",
        "row_id": district_id_for("秦淮区总工会"),
        "fields": {"name": "秦淮区总工会", "created_at": "2026-01-01T00:00:00.000"},
        "hlc": _clock(origin),
        "base_hlc": None,
        "schema_rev": 2,
    }
    mine = district_id_for(live_server.district)
    base = _clock(origin, -1000)
    rename = {**squat, "counter": counter + 1, "row_id": mine, "fields": {"name": "改名"}}
    rename["base_hlc"] = base
    delete = {**rename, "counter": counter + 2, "fields": {"deleted": True}}
    answers = push(live_server, token, [squat, rename, delete])
    assert [a["status"] for a in answers] == ["rejected"] * 3
    assert all("服务器" in a["reason"] for a in answers)
    with live_server.session() as s:
        assert s.get(District, district_id_for("秦淮区总工会")) is None
        row = s.get(District, mine)
        assert row is not None and row.name == live_server.district and not row.deleted
    # the district registered later works for its own devices
    other = make_replica("丙", district="秦淮区总工会")
    join(live_server, _with_district(live_server, "秦淮区总工会", other))
    add_enterprise(other, "南京秦淮有限公司")
    assert _round(other).rejected == []


def test_an_offline_district_is_provisional(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    """A laptop set up offline for 己区 and enrolled with 鼓楼's code owns nothing of 己."""
    laptop = make_replica("丁", district="己区总工会")
    eid = add_enterprise(laptop, "南京己方有限公司")
    join(live_server, laptop)
    assert _round(laptop).rejected == []
    with live_server.session() as s:
        assert _log_count(live_server, entity="district", origin=_origin(laptop)) == 0
        row = s.get(District, district_id_for("己区总工会"))
        assert row is not None and row.deleted  # the server's own placeholder
    with live_server.session() as s, s.begin():
        _id, new = admin.add_district(s, "己区总工会")
    assert new
    other = make_replica("戊", district="己区总工会")
    join(live_server, _with_district(live_server, "己区总工会", other))
    add_enterprise(other, "南京己区第二有限公司")
    assert _round(other).rejected == []
    seen = {c["row_id"] for c in pull_all(live_server, _token(other))}
    assert eid not in seen  # the laptop's work went to 鼓楼, where it enrolled


def test_conflicts_grow_linearly_and_pushes_are_bounded(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    cadre = make_replica()
    bystander = make_replica("旁观")
    join(live_server, cadre)
    join(live_server, bystander)
    eid = add_enterprise(cadre)
    sync(cadre)
    origin, start = _origin(cadre), _next_counter(cadre)
    create = next(c for c in pushable(cadre) if c["row_id"] == eid)

    def edits(first: int, n: int) -> list[dict[str, Any]]:
        return [
            {
                "origin": origin,
                "counter": first + i,
                "entity": "enterprise",
                "row_id": eid,
                "fields": {"name": f"并发改名{first + i}"},
                "hlc": Timestamp(wall_ms() + i, 0, origin).encode(),
                "base_hlc": create["hlc"],
                "schema_rev": 2,
            }
            for i in range(n)
        ]

    swamp = httpx.post(
        f"{live_server.url}/api/v1/sync/push",
        json={"changes": edits(start, 500)},
        headers=auth(_token(cadre)),
        timeout=60,
    )
    assert swamp.status_code == 429 and swamp.json()["error"] == "quota_exceeded"
    assert _log_count(live_server, row_id=eid) == 1
    pushed = 0
    for k in range(4):
        batch = edits(start + k * 50, 50)
        assert {a["status"] for a in push(live_server, _token(cadre), batch)} == {"accepted"}
        pushed += len(batch)
    with live_server.session() as s:
        conflicts = s.execute(select(func.count()).select_from(Conflict)).scalar_one()
    assert 0 < conflicts <= pushed  # at most one per change and field, never n²
    sync(bystander)
    with bystander.read() as s:
        assert s.execute(select(func.count()).select_from(Conflict)).scalar_one() <= pushed


def test_push_quota_per_device(live_server: LiveServer, make_replica: MakeReplica) -> None:
    cadre = make_replica()
    join(live_server, cadre)
    with live_server.session() as s, s.begin():
        device = s.execute(select(Device).where(Device.replica_id == _origin(cadre))).scalar_one()
        window = int(utc_now().timestamp()) // WINDOW_SECONDS
        s.add(RateWindow(key=f"push:{device.id}", window=window, hits=60_000))
    add_enterprise(cadre)
    reply = httpx.post(
        f"{live_server.url}/api/v1/sync/push",
        json={"changes": pushable(cadre)},
        headers=auth(_token(cadre)),
    )
    assert reply.status_code == 429 and reply.headers["Retry-After"] == "60"
    assert _log_count(live_server, origin=_origin(cadre)) == 0


def test_enrollment_limits_ignore_forwarded_headers(live_server: LiveServer) -> None:
    body = enroll_body("AAAA-BBBB-CCCC", "0123456789abcdef", name="甲")
    url = f"{live_server.url}/api/v1/enroll"
    statuses = []
    for i in range(12):
        headers = {"X-Forwarded-For": f"10.0.{i}.{i}" + ("x" * 200 if i == 3 else "")}
        statuses.append(httpx.post(url, json=body, headers=headers).status_code)
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]
    # another address (and so another district's cadre) is not locked out
    other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    with other:
        good = enroll_body(live_server.code())
        assert other.post(url, json=good).status_code == 200


def test_long_addresses_and_old_windows(live_server: LiveServer) -> None:
    with live_server.session() as s, s.begin():
        s.add(RateWindow(key="enroll:stale", window=1, hits=5))
        s.add(RateWindow(key="x" * 100, window=2, hits=5))
    reply = httpx.post(
        f"{live_server.url}/api/v1/enroll",
        json=enroll_body(live_server.code(), name="甲"),
    )
    assert reply.status_code == 200
    with live_server.session() as s:
        assert s.execute(select(func.min(RateWindow.window))).scalar_one() > 2


def test_re_enrolling_revokes_the_old_token(live_server: LiveServer, make_node: MakeNode) -> None:
    laptop = make_node("张驻点").store
    old = enroll(live_server, store=laptop)
    new = enroll(live_server, "玄武区总工会", store=laptop)
    reply = httpx.get(f"{live_server.url}/api/v1/sync/pull", headers=auth(old))
    assert reply.status_code == 401
    assert httpx.get(f"{live_server.url}/api/v1/sync/pull", headers=auth(new)).status_code == 200
    # another laptop cannot enroll as this one: not with its own key (the id is bound to
    # another), and not with this laptop's public key (it cannot sign with it)
    url = f"{live_server.url}/api/v1/enroll"
    code = live_server.code()
    impostor = httpx.post(url, json=enroll_body(code, _origin(laptop), name="冒名"))
    assert impostor.status_code == 400 and impostor.json()["error"] == "replica_taken"
    borrowed = enroll_body(code, _origin(laptop), name="冒名")
    borrowed["sign_public"] = replica_of(laptop)[1]
    refused = httpx.post(url, json=borrowed)
    assert refused.status_code == 400 and refused.json()["error"] == "key_proof_invalid"
    replayed = enroll_body(code, _origin(laptop), signing=signing_of(laptop))
    replayed["code"] = live_server.code()  # a proof made for one code is no good for another
    refused = httpx.post(url, json=replayed)
    assert refused.status_code == 400 and refused.json()["error"] == "key_proof_invalid"
    with live_server.session() as s:  # nothing was spent or bound by the refusals
        assert s.get(EnrollCode, auth_digest(normalise_code(code))).used_at is None


def test_a_device_enrolled_without_a_key_cannot_be_taken_over(
    live_server: LiveServer, make_node: MakeNode
) -> None:
    """A laptop enrolled before devices named keys has no key on the server. Whoever knows
    its replica id cannot enroll as it with a key of their own; its next sync binds its own
    key (over its token), and then it can re-enroll and the impostor still cannot."""
    laptop = make_node("张驻点")
    join(live_server, laptop)
    with live_server.session() as s, s.begin():  # as enrolled by an older client
        s.delete(s.get(ReplicaKey, _origin(laptop.store)))
    url = f"{live_server.url}/api/v1/enroll"
    impostor = httpx.post(url, json=enroll_body(live_server.code(), _origin(laptop.store)))
    assert impostor.status_code == 400 and impostor.json()["error"] == "replica_taken"
    add_enterprise(laptop)
    sync(laptop)
    with live_server.session() as s:
        bound = s.get(ReplicaKey, _origin(laptop.store))
        assert bound is not None and bound.sign_public == laptop.keys.public.sign_hex
    impostor = httpx.post(url, json=enroll_body(live_server.code(), _origin(laptop.store)))
    assert impostor.status_code == 400 and impostor.json()["error"] == "replica_taken"
    assert enroll(live_server, store=laptop)  # the laptop itself, with its key


@pytest.mark.parametrize("where", ["field", "origin", "field name", "enroll name"])
def test_lone_surrogates_are_refused_not_500(
    live_server: LiveServer, make_replica: MakeReplica, where: str
) -> None:
    cadre = make_replica()
    token = enroll(live_server, store=cadre)
    add_enterprise(cadre)
    change = dict(pushable(cadre)[-1])
    if where == "enroll name":
        raw = json.dumps({**enroll_body(live_server.code(), "00" * 8), "name": "\ud800"})
        reply = httpx.post(
            f"{live_server.url}/api/v1/enroll",
            content=raw,
            headers={"Content-Type": "application/json"},
        )
        assert reply.status_code == 422
        return
    if where == "field":
        change["fields"] = {**change["fields"], "name": "坏\ud800字"}
    elif where == "origin":
        change["origin"] = "\udfff" * 16
    else:
        change["fields"] = {**change["fields"], "\ud800": 1}
    reply = httpx.post(
        f"{live_server.url}/api/v1/sync/push",
        content=json.dumps({"changes": [change]}),  # ensure_ascii: the surrogate as \\ud800
        headers={**auth(token), "Content-Type": "application/json"},
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["results"][0]["status"] == "rejected"
    assert _log_count(live_server, origin=_origin(cadre)) == 0


def test_clock_skew_is_small(live_server: LiveServer, make_replica: MakeReplica) -> None:
    cadre = make_replica()
    token = enroll(live_server, store=cadre)
    add_enterprise(cadre)
    ahead = dict(pushable(cadre)[-1])
    ahead["hlc"] = _clock(ahead["origin"], 59 * 60_000)
    with live_server.session() as s:
        before = ReplicaState.load(s).clock.last.encode()
    answers = push(live_server, token, [ahead])
    assert answers[0]["status"] == "quarantined"
    with live_server.session() as s:
        after = ReplicaState.load(s).clock.last.encode()
        assert s.get(District, district_id_for(live_server.district)) is not None
    assert Timestamp.decode(after).ms - Timestamp.decode(before).ms < 10 * 60_000
    assert _log_count(live_server, origin=_origin(cadre), status="applied") == 0


def test_a_refused_change_fails_jiceng_sync(
    live_server: LiveServer, make_replica: MakeReplica, capsys: pytest.CaptureFixture[str]
) -> None:
    cadre = make_replica()
    join(live_server, cadre)
    sync(cadre)
    eid = add_enterprise(cadre)
    with live_server.session() as s, s.begin():  # the row now belongs to another district
        admin.add_district(s, "玄武区总工会")
    move_owner(live_server, eid, district_id_for("玄武区总工会"))
    with cadre.write() as s, ChangeWriter(s) as w:
        w.update("enterprise", eid, {"name": "改名后"})
    folder = str(cadre.data_dir)
    cadre.close()
    code = cli_main(["sync", "--data-dir", folder, "--retries", "1"])
    out = capsys.readouterr()
    assert code != 0
    assert "被拒绝" in out.out and "拒绝" in out.err
    # The next sync sends nothing new, but the refused change is still not on the server.
    again = cli_main(["sync", "--data-dir", folder, "--retries", "1"])
    out = capsys.readouterr()
    assert again != 0 and "拒绝了" in out.err
    retried = cli_main(["sync", "--data-dir", folder, "--retries", "1", "--retry-rejected"])
    assert retried != 0  # sent again, refused again: still an error, never exit 0


# ---- helpers ---------------------------------------------------------------------------


def _origin(store: Any) -> str:
    with store.read() as s:
        return ReplicaState.load(s).replica_id


def _token(store: Any) -> str:
    with store.read() as s:
        config = configured_server(s)
        assert config is not None and config.token
        return config.token


def _round(store: Any):  # type: ignore[no-untyped-def]
    with store.read() as s:
        config = configured_server(s)
        assert config is not None
    transport = Transport(config.server_url, config.token, retry=FAST)
    try:
        return SyncRound(store, transport=transport).run()
    finally:
        transport.close()


def _with_district(server: LiveServer, name: str, store: Any) -> Any:
    server.district = name
    return store
