"""Every endpoint × method × identity, generated from the route table: a new endpoint cannot
skip authorization without this test failing."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.routing import APIRoute
from sqlalchemy import func, select

from app.models import ChangeLog, Device
from app.server import admin
from app.server.api import create_app, router
from tests.helpers import MakeReplica, add_enterprise, auth, enroll, pushable
from tests.server_helpers import LiveServer

PUBLIC = {("GET", "/healthz"), ("POST", "/api/v1/enroll")}
# A valid request for each protected endpoint, so that only the identity decides the answer.
REQUESTS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/sync/push"): {"json": {"changes": []}},
    ("GET", "/api/v1/sync/pull"): {"params": {"after": 0, "limit": 10}},
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def routes() -> list[tuple[str, str]]:
    """Every endpoint the server answers: the API router's routes (what ``create_app``
    mounts), checked against the app's OpenAPI paths so no route is missed."""
    found = sorted(
        (method, route.path)
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    )
    app = create_app(engine=None)  # type: ignore[arg-type]  # the table only, no requests
    assert {path for _m, path in found} == set(app.openapi()["paths"])
    return found


def test_every_protected_endpoint_is_listed_here() -> None:
    protected = {r for r in routes() if r not in PUBLIC}
    assert protected == set(REQUESTS), "add a request for the new endpoint to REQUESTS"


def test_identity_matrix(live_server: LiveServer) -> None:
    revoked = enroll(live_server)
    with live_server.session() as s, s.begin():
        (device,) = s.scalars(select(Device)).all()
        admin.revoke(s, device.id)
    good = enroll(live_server)
    identities = {
        "none": {},
        "garbage": auth("not-a-token"),
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
        "token in query": {},
        "revoked": auth(revoked),
    }
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        for method, path in routes():
            if (method, path) in PUBLIC:
                continue
            request = REQUESTS[(method, path)]
            for who, headers in identities.items():
                extra = (
                    {"params": {**request.get("params", {}), "token": good}}
                    if who == "token in query"
                    else {}
                )
                reply = client.request(method, path, headers=headers, **{**request, **extra})
                assert reply.status_code == 401, (method, path, who, reply.status_code)
                assert reply.json()["error"] == "unauthorized"
            ok = client.request(method, path, headers=auth(good), **request)
            assert ok.status_code == 200, (method, path, ok.text)
        known = {path for _m, path in routes()}
        for path in known:
            allowed = {m for m, p in routes() if p == path}
            for method in set(METHODS) - allowed:
                reply = client.request(method, path, headers=auth(good))
                assert reply.status_code == 405, (method, path, reply.status_code)


# Which origin a write may carry, for every protected endpoint that takes changes. A new
# write endpoint must be added here and answer this matrix like push does.
WRITES = {("POST", "/api/v1/sync/push")}
ORIGINS = ("self", "district-mate", "other district", "server", "unknown")


def test_every_write_endpoint_is_in_the_origin_matrix() -> None:
    posts = {r for r in routes() if r not in PUBLIC and r[0] != "GET"}
    assert posts == WRITES, "add the new write endpoint to WRITES and to the origin matrix"


def test_origin_and_ownership_matrix(live_server: LiveServer, make_replica: MakeReplica) -> None:
    """Device identity × claimed origin × entity: a device writes only as itself, never a
    district row, and a refusal stores nothing."""
    from app.sync.replica import ReplicaState

    me = make_replica("本人")
    mate = make_replica("同区")
    other = make_replica("外区", district="玄武区总工会")
    office = make_replica("区总", district="鼓楼区总工会")
    tokens = {
        "cadre": enroll(live_server, store=me),
        "district": enroll(live_server, store=office, role="district"),
    }
    enroll(live_server, store=mate)
    enroll(live_server, "玄武区总工会", store=other)
    with live_server.session() as s:
        server_id = ReplicaState.load(s).replica_id
    add_enterprise(me)
    template = pushable(me)[-1]
    origin_of = {
        "district-mate": _rid(mate),
        "other district": _rid(other),
        "server": server_id,
        "unknown": "0f" * 8,
    }
    counter = 1000
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        for who, token in tokens.items():
            mine = _rid(me) if who == "cadre" else None
            for claimed in ORIGINS:
                origin = mine if claimed == "self" else origin_of.get(claimed)
                if origin is None:
                    continue
                for entity in ("enterprise", "district"):
                    counter += 1
                    change = _change(template, origin, counter, entity)
                    reply = client.post(
                        "/api/v1/sync/push", json={"changes": [change]}, headers=auth(token)
                    )
                    assert reply.status_code == 200, (who, claimed, entity, reply.text)
                    status = reply.json()["results"][0]["status"]
                    allowed = (claimed, entity) == ("self", "enterprise")
                    expected = "accepted" if allowed else "rejected"
                    assert status == expected, (who, claimed, entity, reply.json())
                    with live_server.session() as s:
                        stored = s.scalar(
                            select(func.count())
                            .select_from(ChangeLog)
                            .where(ChangeLog.origin == origin, ChangeLog.counter == counter)
                        )
                    assert stored == (1 if expected == "accepted" else 0), (who, claimed, entity)


def _rid(store: Any) -> str:
    from app.sync.replica import ReplicaState

    with store.read() as s:
        return ReplicaState.load(s).replica_id


def _change(template: dict[str, Any], origin: str, counter: int, entity: str) -> dict[str, Any]:
    from app.ids import uuid7
    from app.services.replica import district_id_for

    if entity == "district":
        return {
            **template,
            "origin": origin,
            "counter": counter,
            "entity": "district",
            "row_id": district_id_for(f"新区{counter}"),
            "fields": {"name": f"新区{counter}", "created_at": "2026-01-01T00:00:00.000"},
            "hlc": template["hlc"][:16] + origin,
            "base_hlc": None,
        }
    return {
        **template,
        "origin": origin,
        "counter": counter,
        "row_id": uuid7(),
        "hlc": template["hlc"][:16] + origin,
    }
