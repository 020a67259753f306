"""The server's HTTP API over SQLite and PostgreSQL: enrollment, push, pull, isolation."""

from __future__ import annotations

import gzip
from datetime import timedelta

import httpx
import orjson
import pytest
from nacl.signing import SigningKey
from sqlalchemy import func, select

from app.models import ChangeLog, Device, EnrollCode
from app.schemas.enums import Role
from app.server import admin
from app.sync.hlc import Timestamp, wall_ms
from tests.helpers import (
    MakeReplica,
    add_enterprise,
    add_issue,
    auth,
    changes_of,
    enroll,
    enroll_body,
    pull_all,
    push,
    pushable,
)
from tests.server_helpers import LiveServer


def test_health_and_openapi(live_server: LiveServer) -> None:
    health = httpx.get(f"{live_server.url}/healthz").json()
    assert health["status"] == "ok"
    spec = httpx.get(f"{live_server.url}/openapi.json").json()
    assert {"/api/v1/enroll", "/api/v1/sync/push", "/api/v1/sync/pull"} <= set(spec["paths"])


def test_enrollment_codes_are_single_use_and_expire(live_server: LiveServer) -> None:
    code = live_server.code()
    key = SigningKey.generate()
    body = enroll_body(code, "0123456789abcdef", name="甲", signing=key)
    assert httpx.post(f"{live_server.url}/api/v1/enroll", json=body).status_code == 200
    again = httpx.post(f"{live_server.url}/api/v1/enroll", json=body)
    assert again.status_code == 400 and again.json()["error"] == "enroll_code_invalid"
    with live_server.session() as s, s.begin():
        expired = admin.enroll_code(s, live_server.district, timedelta(hours=-1))
        assert s.execute(select(func.count()).select_from(Device)).scalar_one() == 1
        assert all(len(c.code_hash) == 64 for c in s.execute(select(EnrollCode)).scalars())
    late_body = enroll_body(expired, "0123456789abcdef", signing=key)
    late = httpx.post(f"{live_server.url}/api/v1/enroll", json=late_body)
    assert late.status_code == 400


def test_enrollment_is_rate_limited(live_server: LiveServer) -> None:
    statuses = []
    for i in range(14):
        body = enroll_body(f"WRONG-CODE-{i:02d}", "0123456789abcdef")
        statuses.append(httpx.post(f"{live_server.url}/api/v1/enroll", json=body).status_code)
    assert statuses[:10] == [400] * 10
    assert statuses[-1] == 429
    right = enroll_body(live_server.code(), "0123456789abcdef")
    last = httpx.post(f"{live_server.url}/api/v1/enroll", json=right)
    assert last.status_code == 429 and last.headers["Retry-After"] == "60"


def test_push_is_idempotent_and_answers_per_change(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    cadre = make_replica(district="鼓楼区总工会")
    add_issue(cadre, add_enterprise(cadre))
    batch = pushable(cadre)
    token = enroll(live_server, store=cadre)
    first = push(live_server, token, batch)
    assert [r["status"] for r in first] == ["accepted"] * len(batch)
    assert [r["id"] for r in first] == [f"{c['origin']}:{c['counter']}" for c in batch]
    again = push(live_server, token, batch)
    assert {r["status"] for r in again} == {"duplicate"}
    forged = {**batch[-1], "fields": {**batch[-1]["fields"], "note": "篡改"}}
    broken = {**batch[-1], "counter": 99_999, "fields": {"headcount": "很多"}}
    mixed = push(live_server, token, [forged, broken])
    assert mixed[0]["status"] == "rejected" and "different content" in mixed[0]["reason"]
    assert mixed[1]["status"] == "rejected" and "headcount" in mixed[1]["reason"]
    with live_server.session() as s:
        stored = s.execute(
            select(func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.origin == batch[0]["origin"])
        ).scalar_one()
    assert stored == len(batch)  # each change once, the original kept


def test_unknown_parent_is_deferred_not_refused(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    cadre = make_replica(district="鼓楼区总工会")
    add_issue(cadre, add_enterprise(cadre))
    batch = pushable(cadre)
    token = enroll(live_server, store=cadre)
    children = [c for c in batch if c["entity"] in ("issue", "issue_event")]
    assert {r["status"] for r in push(live_server, token, children)} == {"deferred"}
    assert {r["status"] for r in push(live_server, token, batch)} == {"accepted"}


def test_districts_are_isolated(live_server: LiveServer, make_replica: MakeReplica) -> None:
    a = make_replica("甲", district="鼓楼区总工会")
    b = make_replica("乙", district="玄武区总工会")
    eid = add_enterprise(a)
    token_a = enroll(live_server, "鼓楼区总工会", store=a)
    token_b = enroll(live_server, "玄武区总工会", store=b)
    push(live_server, token_a, pushable(a))
    add_enterprise(b, "南京玄武物流有限公司")
    assert {r["status"] for r in push(live_server, token_b, pushable(b))} == {"accepted"}
    seen_by_b = pull_all(live_server, token_b)
    assert eid not in {c["row_id"] for c in seen_by_b}
    assert all(c["fields"].get("district_id") in (None, _district(b)) for c in seen_by_b)
    # b forges an edit of a's enterprise, and a worker inside it: both refused.
    origin = changes_of(b)[0]["origin"]
    now = Timestamp(wall_ms(), 0, origin).encode()
    base = changes_of(a)[-1]["hlc"]
    edit = {
        "origin": origin,
        "counter": 500,
        "entity": "enterprise",
        "row_id": eid,
        "fields": {"name": "被篡改"},
        "hlc": now,
        "base_hlc": base,
        "schema_rev": 1,
    }
    graft = {
        "origin": origin,
        "counter": 501,
        "entity": "worker",
        "row_id": _uuid(),
        "fields": {"enterprise_id": eid, "name": "冒充", "created_at": "2026-01-01T00:00:00.000"},
        "hlc": now,
        "base_hlc": None,
        "schema_rev": 1,
    }
    answers = push(live_server, token_b, [edit, graft])
    assert [r["status"] for r in answers] == ["rejected", "rejected"]
    assert all("forbidden" in r["reason"] for r in answers)
    assert _district(b) not in {c["row_id"] for c in pull_all(live_server, token_a)}


def test_auth_is_required_and_revocation_is_immediate(live_server: LiveServer) -> None:
    token = enroll(live_server)
    pull = f"{live_server.url}/api/v1/sync/pull"
    assert httpx.get(pull).status_code == 401
    assert httpx.get(pull, headers=auth("not-a-token")).status_code == 401
    assert httpx.get(pull, headers=auth(token)).status_code == 200
    with live_server.session() as s, s.begin():
        device = s.execute(select(Device)).scalar_one()
        assert admin.revoke(s, device.id[:8]) is not None
    refused = httpx.get(pull, headers=auth(token))
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    assert refused.headers["content-type"].startswith("application/json")


def test_limits_gzip_and_json_errors(live_server: LiveServer) -> None:
    token = enroll(live_server)
    url = f"{live_server.url}/api/v1/sync/push"
    too_many = httpx.post(url, json={"changes": [{}] * 501}, headers=auth(token))
    assert too_many.status_code == 422 and too_many.json()["error"] == "invalid_request"
    huge = b'{"changes": [' + b",".join([b'{"x": "' + b"a" * 1000 + b'"}'] * 1100) + b"]}"
    assert (
        httpx.post(
            url, content=huge, headers={**auth(token), "Content-Type": "application/json"}
        ).status_code
        == 413
    )
    bomb = gzip.compress(b'{"changes": [], "pad": "' + b" " * (3 << 20) + b'"}')
    assert (
        httpx.post(
            url,
            content=bomb,
            headers={**auth(token), "Content-Encoding": "gzip", "Content-Type": "application/json"},
        ).status_code
        == 413
    )
    small = gzip.compress(orjson.dumps({"changes": []}))
    ok = httpx.post(
        url,
        content=small,
        headers={**auth(token), "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert ok.status_code == 200 and ok.json()["results"] == []
    extra = httpx.post(url, json={"changes": [], "district_id": "x"}, headers=auth(token))
    assert extra.status_code == 422  # unknown fields refused: district comes from the token
    missing = httpx.get(f"{live_server.url}/nowhere")
    assert missing.status_code == 404 and missing.json()["error"] == "http_404"
    big_pull = httpx.get(
        f"{live_server.url}/api/v1/sync/pull", params={"limit": 10**6}, headers=auth(token)
    )
    assert big_pull.status_code == 422


def test_replies_are_gzipped_when_asked(live_server: LiveServer, make_replica: MakeReplica) -> None:
    cadre = make_replica(district="鼓楼区总工会")
    eid = add_enterprise(cadre)
    for _ in range(20):
        add_issue(cadre, eid)
    token = enroll(live_server, store=cadre)
    push(live_server, token, pushable(cadre))
    other = enroll(live_server)
    reply = httpx.get(
        f"{live_server.url}/api/v1/sync/pull", headers={**auth(other), "Accept-Encoding": "gzip"}
    )
    assert reply.headers.get("content-encoding") == "gzip"
    # everything the cadre pushed, and the district row the server made at add-district
    assert len(reply.json()["changes"]) == len(pushable(cadre)) + 1


def _district(store) -> str:  # type: ignore[no-untyped-def]
    from app.services.replica import replica_info

    with store.read() as s:
        return replica_info(s).district_id


def _uuid() -> str:
    from app.ids import uuid7

    return uuid7()


@pytest.mark.parametrize("role", [Role.CADRE, Role.DISTRICT])
def test_enroll_reply_names_the_server(live_server: LiveServer, role: Role) -> None:
    body = enroll_body(live_server.code(role=role.value), role=role.value)
    reply = httpx.post(f"{live_server.url}/api/v1/enroll", json=body).json()
    assert len(reply["server_replica_id"]) == 16 and reply["token"]
