"""Every endpoint × method × identity, generated from the route table: a new endpoint cannot
skip authorization without this test failing."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.routing import APIRoute
from sqlalchemy import select

from app.models import Device
from app.server import admin
from app.server.api import create_app
from tests.server.conftest import LiveServer
from tests.server.test_api import auth, enroll

PUBLIC = {("GET", "/healthz"), ("POST", "/api/v1/enroll")}
# A valid request for each protected endpoint, so that only the identity decides the answer.
REQUESTS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/sync/push"): {"json": {"changes": []}},
    ("GET", "/api/v1/sync/pull"): {"params": {"after": 0, "limit": 10}},
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def routes() -> list[tuple[str, str]]:
    app = create_app(engine=None)  # type: ignore[arg-type]  # the table only, no requests
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    )


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
