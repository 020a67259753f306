"""schemathesis against the server's own OpenAPI spec: no input makes it answer 5xx.

Every operation of the spec gets a bounded number of generated requests — valid ones, and
ones that break the schema on purpose (schemathesis's negative mode) — each sent with a
valid device token and without one, to the real app over a real (encrypted SQLite) database.
Errors must be the server's JSON (``error`` and ``reason``), never a crash.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from sqlalchemy.orm import Session

from app.server import admin, auth
from app.server.api import create_app
from app.server.db import prepare, server_engine, writer
from tests.helpers import PASSPHRASE, enroll_body

EXAMPLES = 40


@pytest.fixture
def app_and_token(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = server_engine(None, tmp_path / "fuzz", PASSPHRASE)
    prepare(engine)
    with Session(writer(engine)) as s, s.begin():
        admin.add_district(s, "鼓楼区总工会")
        code = admin.enroll_code(s, "鼓楼区总工会", timedelta(hours=1))
        body = enroll_body(code, name="fuzz")
        token = auth.enroll(
            s, code, body["replica_id"], "fuzz", "cadre", body["sign_public"], body["key_proof"]
        ).token
    yield create_app(engine), token
    engine.dispose()


def test_no_generated_request_makes_the_server_fail(app_and_token) -> None:  # type: ignore[no-untyped-def]
    app, token = app_and_token
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {
        "/api/v1/enroll",
        "/api/v1/sync/push",
        "/api/v1/sync/pull",
        "/healthz",
    }
    statuses: set[int] = set()
    cases = [(op, mode) for op in operations for mode in schemathesis.GenerationMode]
    for operation, mode in cases:  # valid requests, and requests that break the schema

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:  # type: ignore[no-untyped-def]
            for headers in ({"Authorization": f"Bearer {token}"}, {}):
                response = case.call(headers=headers)
                statuses.add(response.status_code)
                where = f"{case.method} {case.path}"
                assert response.status_code < 500, (where, response.text[:300])
                if response.status_code >= 400:
                    assert set(response.json()) == {"error", "reason"}, where

        try:
            check()
        except Unsatisfiable:  # an operation with no inputs has nothing to break
            assert mode is schemathesis.GenerationMode.NEGATIVE, operation.path
    assert {200, 401, 422} <= statuses  # requests really reached the app
