"""Bounds from the schema to the wire, and no personal data in any log (issue 20), on SQLite
and PostgreSQL: a value a column cannot hold is refused alone with its reason, counters and
cursors are 64-bit, and SQL parameters never reach a log or a traceback."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import ChangeLog, Replica, Setting
from app.server.db import server_engine, writer
from app.storage import migrate
from app.storage.engine import make_engine
from app.sync.writer import ChangeWriter
from tests.helpers import (
    PASSPHRASE,
    MakeReplica,
    add_enterprise,
    auth,
    enroll,
    push,
    pushable,
)
from tests.server_helpers import LiveServer

CANARY_NAME = "金丝雀测试职工"
CANARY_PHONE = "13900001234"


def _worker_changes(cadre: Any, **fields: Any) -> list[dict[str, Any]]:
    eid = add_enterprise(cadre)
    with cadre.write() as s, ChangeWriter(s) as w:
        w.create("worker", {"enterprise_id": eid, "name": CANARY_NAME, "phone": CANARY_PHONE})
    changes = pushable(cadre)
    worker = next(c for c in changes if c["entity"] == "worker")
    worker["fields"] = {**worker["fields"], **fields}
    return changes


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1, 2**52])
def test_an_integer_a_column_cannot_hold_is_refused_alone(
    live_server: LiveServer, make_replica: MakeReplica, value: int
) -> None:
    cadre = make_replica()
    token = enroll(live_server, store=cadre)
    add_enterprise(cadre)
    changes = pushable(cadre)
    bad = next(c for c in changes if c["entity"] == "enterprise")
    bad["fields"] = {**bad["fields"], "headcount": value}
    add_enterprise(cadre, "南京另一家机械有限公司")
    results = push(live_server, token, changes + pushable(cadre)[len(changes) :])
    by_id = {r["id"]: r for r in results}
    refused = by_id[f"{bad['origin']}:{bad['counter']}"]
    assert refused["status"] == "rejected" and "headcount" in refused["reason"]
    assert {r["status"] for r in results if r is not refused} <= {"accepted", "deferred"}


def test_counters_and_cursors_are_64_bit(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    cadre = make_replica()
    token = enroll(live_server, store=cadre)
    with cadre.write() as s:  # a replica that has made (or claims) a great many changes
        row = s.get(Replica, 1)
        assert row is not None
        row.counter = 2**40
    add_enterprise(cadre)
    changes = pushable(cadre)
    assert changes[-1]["counter"] > 2**40
    assert {r["status"] for r in push(live_server, token, changes)} == {"accepted"}
    with live_server.session() as s:
        top = s.execute(select(func.max(ChangeLog.counter))).scalar_one()
    assert top > 2**40
    for after in (2**31, 2**40, 2**62):
        reply = httpx.get(
            f"{live_server.url}/api/v1/sync/pull", params={"after": after}, headers=auth(token)
        )
        assert reply.status_code == 200 and reply.json()["changes"] == []
    reply = httpx.get(
        f"{live_server.url}/api/v1/sync/pull", params={"after": 2**63}, headers=auth(token)
    )
    assert reply.status_code == 422


def test_refusals_log_no_personal_data(
    live_server: LiveServer,
    make_replica: MakeReplica,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Canary personal data pushed through the refusal paths (a bad enum, an integer out of
    range, a foreign district's row, a malformed change, a bad token) appears in no log
    record and on neither output stream."""
    caplog.set_level(logging.DEBUG)
    cadre = make_replica()
    token = enroll(live_server, store=cadre)
    stranger = enroll(live_server, "玄武区总工会")
    bodies = [
        _worker_changes(cadre, gender="bogus"),
        _worker_changes(cadre, hardship_level="很困难"),
        [{"origin": "x", "fields": {"name": CANARY_NAME, "phone": CANARY_PHONE}}],
    ]
    for changes in bodies:
        for who in (token, stranger, "not-a-token"):
            reply = httpx.post(
                f"{live_server.url}/api/v1/sync/push",
                json={"changes": changes},
                headers=auth(who),
                timeout=60,
            )
            assert reply.status_code < 500, reply.text
    out, err = capfd.readouterr()
    logged = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    for canary in (CANARY_NAME, CANARY_PHONE):
        assert canary not in logged and canary not in out and canary not in err


def test_the_apps_sql_errors_never_carry_their_parameters(tmp_path: Path) -> None:
    _refuses_quietly(make_engine(tmp_path / "app.db", PASSPHRASE))


def test_the_servers_sql_errors_never_carry_their_parameters(
    tmp_path: Path, server_url_for_db: str | None
) -> None:
    _refuses_quietly(server_engine(server_url_for_db, tmp_path / "server", PASSPHRASE))


def _refuses_quietly(engine: Engine) -> None:
    """What a failed statement says (in a traceback, a log, a bug report) names the SQL,
    never the values: SQLAlchemy's ``hide_parameters`` on every engine jiceng makes."""
    try:
        with writer(engine).begin() as conn:
            migrate.upgrade(conn)
        row = {"key": "k", "value": CANARY_PHONE}
        table = Setting.__table__
        with Session(writer(engine)) as s, s.begin():
            s.execute(insert(table).values(**row))
        with pytest.raises(IntegrityError) as raised, Session(writer(engine)) as s, s.begin():
            s.execute(insert(table).values(**row))
        assert CANARY_PHONE not in str(raised.value) and "hidden" in str(raised.value)
    finally:
        engine.dispose()


def test_the_servers_schema_from_migrations_matches_the_models(
    tmp_path: Path, server_url_for_db: str | None
) -> None:
    """On PostgreSQL too (64-bit counters come from migration 0006 there)."""
    engine = server_engine(server_url_for_db, tmp_path / "server", PASSPHRASE)
    try:
        with writer(engine).begin() as conn:
            migrate.upgrade(conn)
        with engine.connect() as conn:
            assert migrate.schema_differences(conn) == []
    finally:
        engine.dispose()
