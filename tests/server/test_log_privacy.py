"""Nothing personal in any log, ever (issue 20): canary personal data pushed through every
refusal path the server has, on SQLite and PostgreSQL, with every logger at its most verbose
(SQLAlchemy's statements and rows, uvicorn's protocol traces, the server's own lines), and
then searched for in every captured record and on both output streams.

Each path is checked to have been taken (by the status and error code or change status it
answers with), so a path that quietly stopped refusing cannot pass as "nothing logged"."""

from __future__ import annotations

import gzip
import json
import logging
import os
import secrets
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import orjson
import pytest
import uvicorn
from nacl.signing import SigningKey
from sqlalchemy import select

from app.models import Device
from app.schemas.sync_api import MAX_BODY_BYTES, MAX_ROW_CHANGES
from app.server import exchange, main
from app.server.auth import digest
from app.storage.store import Store
from app.sync import proofs
from app.sync.hlc import Timestamp, wall_ms
from app.sync.writer import ChangeWriter
from tests.helpers import (
    PASSPHRASE,
    MakeReplica,
    add_enterprise,
    auth,
    changes_of,
    enroll,
    enroll_body,
    free_port,
    pushable,
    replica_of,
)
from tests.server_helpers import LiveServer, serving

NAME = "金丝雀张三"
PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"
CANARIES = (NAME, PHONE, ID_NUMBER)
# How a canary looks once it has passed through a URL, a JSON encoder or a repr.
FORMS = tuple(
    {c, quote(c), quote(c).lower(), orjson.dumps(c).decode()[1:-1], c.encode().hex(), repr(c)}
    for c in CANARIES
)
PERSONAL = {"name": NAME, "phone": PHONE, "id_number": ID_NUMBER}
CLIENT_LOGGERS = ("httpx", "httpcore")  # the test's own HTTP client, not the server


@dataclass
class Paths:
    """What each refusal path answered, to check that it was taken."""

    server: LiveServer
    taken: dict[str, str] = field(default_factory=dict)

    def post(self, path: str, name: str, **kw: Any) -> httpx.Response:
        reply = httpx.post(f"{self.server.url}{path}", timeout=60, **kw)
        self.taken[name] = _answer(reply)
        return reply

    def get(self, path: str, name: str, **kw: Any) -> httpx.Response:
        reply = httpx.get(f"{self.server.url}{path}", timeout=60, **kw)
        self.taken[name] = _answer(reply)
        return reply

    def push(self, name: str, token: str, changes: list[Any], **body: Any) -> httpx.Response:
        """A push, its body escaped to ASCII as ``json`` does (so it can carry a lone
        surrogate, which UTF-8 cannot)."""
        return self.post(
            "/api/v1/sync/push",
            name,
            content=json.dumps({"changes": changes, **body}).encode(),
            headers={**_bearer(token), "Content-Type": "application/json"},
        )


def _bearer(token: str) -> dict[str, str | bytes]:
    """The token header, in UTF-8 when the token is not ASCII (a forged one); none if empty."""
    return {"Authorization": f"Bearer {token}".encode()} if token else {}


def _answer(reply: httpx.Response) -> str:
    """``status error`` for a refusal, ``status`` and each change's status for a push."""
    try:
        body = reply.json()
    except ValueError:
        return f"{reply.status_code} (not JSON)"
    if reply.status_code == 200 and "results" in body:
        return "200 " + " ".join(r["status"] for r in body["results"])
    return f"{reply.status_code} {body.get('error', '')}".strip()


def _worker(store: Store, **fields: Any) -> list[dict[str, Any]]:
    """A new enterprise and a worker with the canary's personal data (and ``fields``), as the
    replica pushes them: enterprise first, worker last."""
    before = len(pushable(store))
    eid = add_enterprise(store)
    with store.write() as s, ChangeWriter(s) as w:
        w.create("worker", {"enterprise_id": eid, **PERSONAL, **fields})
    return pushable(store)[before:]


def _edit(origin: str, counter: int, entity: str, row_id: str, **fields: Any) -> dict[str, Any]:
    """An edit as another replica would send it, clocked now."""
    now = wall_ms()
    return {
        "origin": origin,
        "counter": counter,
        "entity": entity,
        "row_id": row_id,
        "fields": fields,
        "hlc": Timestamp(now, 0, origin).encode(),
        "base_hlc": Timestamp(now - 1000, 0, origin).encode(),
        "schema_rev": 2,
    }


@pytest.fixture
def verbose(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger — SQLAlchemy's engine and pool, uvicorn's, the server's — at its lowest
    level, into ``caplog`` (the live server runs in a thread of this process)."""
    caplog.set_level(1)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(1, logger=name)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "uvicorn.error", "jiceng.server"):
        caplog.set_level(1, logger=name)
    yield caplog


@contextmanager
def as_served() -> Iterator[None]:
    """uvicorn's access log off, as ``serve`` runs the server (the test below checks). pytest
    hangs its capture handler on every logger that does not propagate, uvicorn's access
    logger too, which turns it back on (uvicorn logs access when the logger has a handler);
    it is taken off for the block, and put back for pytest to remove."""
    access = logging.getLogger("uvicorn.access")
    saved, access.handlers = access.handlers, []
    try:
        yield
    finally:
        access.handlers = saved


def test_serve_runs_uvicorn_without_its_access_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uvicorn's access log prints query strings; the server's own request lines
    (``jiceng.server``) get a handler in its place."""
    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **kw: ran.update(kw))
    monkeypatch.setattr(os, "environ", dict(os.environ))  # serve sets its workers' variables
    main.serve(None, tmp_path, PASSPHRASE, "127.0.0.1", free_port(), 1)
    assert ran["access_log"] is False
    assert ran["log_config"]["loggers"]["jiceng"]["handlers"] == ["default"]


def test_no_refusal_logs_personal_data(
    server_url_for_db: str | None,
    tmp_path: Path,
    make_replica: MakeReplica,
    verbose: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with as_served(), serving(server_url_for_db, tmp_path / "server") as (server, _thread):
        paths, crashed = _refusals(server, make_replica, monkeypatch)
    # The server has stopped: whatever it had still to log about a request is logged.
    assert paths.taken == EXPECTED
    out, err = capfd.readouterr()
    records = [r for r in verbose.records if not r.name.startswith(CLIENT_LOGGERS)]
    logged = "\n".join(_text(r) for r in records)
    # The capture worked: the server's request lines, SQL statements and the bug are there.
    request_id = crashed.headers["x-request-id"]
    assert f"request {request_id} POST /api/v1/sync/push: unexpected RuntimeError" in logged
    assert f"request {request_id} POST /api/v1/sync/push 500 internal" in logged
    assert "POST /api/v1/sync/push 429 quota_exceeded" in logged
    assert "GET (other path) 404 http_404" in logged
    assert "INSERT INTO worker" in logged
    for forms in FORMS:
        for form in forms:
            assert form not in logged, _first(records, form)
            assert form not in out and form not in err


def _refusals(
    live_server: LiveServer, make_replica: MakeReplica, monkeypatch: pytest.MonkeyPatch
) -> tuple[Paths, httpx.Response]:
    """Every refusal path, each with the canary's data; the paths' answers, and the reply to
    the request that met a bug."""
    paths = Paths(live_server)
    cadre, colleague = make_replica(), make_replica()
    token = enroll(live_server, store=cadre)
    colleague_token = enroll(live_server, store=colleague)
    stranger_id = secrets.token_hex(8)
    stranger = enroll(live_server, "玄武区总工会", replica_id=stranger_id)
    origin = replica_of(cadre)[0]

    # Stored: the canary's row is on the server, read back by SQL on every later path.
    stored = _worker(cadre)
    paths.push("accepted", token, stored)
    worker_id = stored[-1]["row_id"]
    pulled = paths.get("/api/v1/sync/pull", "pulled", headers=auth(colleague_token)).json()
    assert NAME in [c["fields"].get("name") for c in pulled["changes"]]  # rows were read

    # Refused per change, the batch answered 200.
    malformed = {"origin": NAME, "counter": PHONE, "fields": PERSONAL}
    paths.push("malformed change", token, [malformed])
    paths.push("change not an object", token, [f"{NAME} {PHONE}"])
    wrong_entity = {**stored[-1], "entity": NAME, "counter": 10_001}
    paths.push("wrong entity", token, [wrong_entity])
    unknown_key = {**stored[-1], NAME: PHONE, "counter": 10_002}
    paths.push("unknown envelope key", token, [unknown_key])
    for name, fields in {
        "field over length": {"name": NAME * 11},
        "integer out of bounds": {"name": NAME, "headcount": 2**31 + int(PHONE)},
        "lone surrogate": {"name": NAME + "\ud800"},
        "NUL": {"name": NAME + "\x00" + PHONE},
        "not writable": {"name": NAME, ID_NUMBER: PHONE},
        "wrong type": {"name": NAME, "member": PHONE},
    }.items():
        bad = _worker(cadre)
        bad[-1]["fields"] = {**bad[-1]["fields"], **fields}
        paths.push(name, token, bad[-1:])
    same_id = {**stored[-1], "fields": {**stored[-1]["fields"], "note": NAME}}
    paths.push("same id, other content", token, [same_id])
    district = next(c for c in changes_of(cadre) if c["entity"] == "district")
    forbidden = _edit(origin, 10_003, "district", district["row_id"], name=NAME)
    paths.push("forbidden district row", token, [forbidden])
    paths.push(
        "row of another district",
        stranger,
        [_edit(stranger_id, 1, "worker", worker_id, name=NAME, phone=PHONE)],
    )
    paths.push(
        "unknown row",
        token,
        [_edit(origin, 10_004, "worker", "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b", name=NAME)],
    )
    paths.push(
        "unknown parent",
        token,
        [
            {
                **_worker(cadre)[-1],
                "fields": {
                    **stored[-1]["fields"],
                    "enterprise_id": "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b",
                },
            }
        ],
    )
    relayed = _worker(colleague)
    forged = proofs.sign_run(SigningKey.generate(), replica_of(colleague)[0], relayed)
    paths.push(
        "bad proof",
        token,
        relayed,
        proofs=[forged.to_wire(), {"origin": NAME, "first": PHONE, "hashes": ID_NUMBER}],
    )

    # Refused whole.
    row = _worker(cadre)[-1]
    many = [{**row, "counter": row["counter"] + 20_000 + i} for i in range(MAX_ROW_CHANGES + 1)]
    paths.push("quota exceeded", token, many)
    huge = {"changes": [{**row, "fields": {"note": NAME * (MAX_BODY_BYTES // 5)}}]}
    paths.post("/api/v1/sync/push", "oversize body", json=huge, headers=auth(token))
    paths.post(
        "/api/v1/sync/push",
        "oversize gzip body",
        content=gzip.compress(orjson.dumps(huge)),
        headers={**auth(token), "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    paths.post(
        "/api/v1/sync/push",
        "invalid JSON",
        content=f'{{"changes": [{{"name": "{NAME}", "phone": {PHONE}'.encode(),
        headers={**auth(token), "Content-Type": "application/json"},
    )
    paths.post(
        "/api/v1/sync/push",
        "invalid body",
        json={"changes": {NAME: PHONE}, ID_NUMBER: NAME},
        headers=auth(token),
    )
    paths.push("bad token", f"{NAME}{PHONE}{ID_NUMBER}", stored)
    paths.push("no token", "", stored)
    paths.post(
        "/api/v1/enroll",
        "enrollment with a bad code",
        json=enroll_body("BAD0-CODE-0000", name=NAME + PHONE),
    )
    paths.post(
        "/api/v1/enroll",
        "enrollment with a bad code and key proof",
        json={**enroll_body("BAD0-CODE-0000", name=NAME), "key_proof": "0" * 128},
    )
    paths.post(
        "/api/v1/enroll",
        "invalid enrollment",
        json={**enroll_body(ID_NUMBER, name=NAME * 30), "role": PHONE},
    )
    paths.get(
        "/api/v1/sync/pull",
        "pull with a bad cursor",
        params={"after": f"{PHONE}{NAME}", "limit": ID_NUMBER},
        headers=auth(token),
    )
    paths.get(f"/api/v1/{NAME}/{PHONE}", "unknown path", params={"id": ID_NUMBER})
    paths.get("/api/v1/sync/pull", "pull with a bad token", headers=_bearer(NAME + PHONE))

    # A bug: an exception whose message quotes a row, as a database driver's does.
    def broken(*_a: Any, **_kw: Any) -> None:
        raise RuntimeError(f"DETAIL: Key (name, phone)=({NAME}, {PHONE}) {ID_NUMBER}")

    with monkeypatch.context() as patched:
        patched.setattr(exchange, "push", broken)
        crashed = paths.push("unexpected exception", token, stored)

    return paths, crashed


EXPECTED = {
    "accepted": "200 accepted accepted",
    "pulled": "200",
    "malformed change": "200 rejected",
    "change not an object": "422 invalid_request",
    "wrong entity": "200 rejected",
    "unknown envelope key": "200 rejected",
    "field over length": "200 rejected",
    "integer out of bounds": "200 rejected",
    "lone surrogate": "200 rejected",
    "NUL": "200 rejected",
    "not writable": "200 rejected",
    "wrong type": "200 rejected",
    "same id, other content": "200 rejected",
    "forbidden district row": "200 rejected",
    "row of another district": "200 rejected",
    "unknown row": "200 deferred",
    "unknown parent": "200 deferred",
    "bad proof": "200 rejected rejected",
    "quota exceeded": "429 quota_exceeded",
    "oversize body": "413 too_large",
    "oversize gzip body": "413 too_large",
    "invalid JSON": "422 invalid_request",
    "invalid body": "422 invalid_request",
    "bad token": "401 unauthorized",
    "no token": "401 unauthorized",
    "enrollment with a bad code": "400 enroll_code_invalid",
    "enrollment with a bad code and key proof": "400 key_proof_invalid",
    "invalid enrollment": "422 invalid_request",
    "pull with a bad cursor": "422 invalid_request",
    "unknown path": "404 http_404",
    "pull with a bad token": "401 unauthorized",
    "unexpected exception": "500 internal",
}


def _text(record: logging.LogRecord) -> str:
    """All a handler could print of a record: its message, exception and stack."""
    parts = [record.name, record.getMessage()]
    if record.exc_info and record.exc_info[1] is not None:
        parts.append("".join(traceback.format_exception(record.exc_info[1])))
    if record.stack_info:
        parts.append(record.stack_info)
    return " ".join(parts)


def _first(records: list[logging.LogRecord], form: str) -> str:
    """The first record that carries ``form``, for the failure message."""
    return next((_text(r)[:400] for r in records if form in _text(r)), "")


def test_the_request_line_names_the_device_and_never_its_token(
    live_server: LiveServer, make_replica: MakeReplica, caplog: pytest.LogCaptureFixture
) -> None:
    """An authenticated request's line names the device's id (what ``jiceng server admin
    devices`` lists), a refused token's names none; no line holds a token or its hash."""
    caplog.set_level(logging.INFO, logger="jiceng.server")
    cadre = make_replica()
    token = enroll(live_server, store=cadre)
    with live_server.session() as s:
        device_id = s.execute(
            select(Device.id).where(Device.token_hash == digest(token))
        ).scalar_one()
    add_enterprise(cadre)
    pushed = httpx.post(
        f"{live_server.url}/api/v1/sync/push",
        json={"changes": pushable(cadre)},
        headers=auth(token),
        timeout=60,
    )
    pulled = httpx.get(f"{live_server.url}/api/v1/sync/pull", headers=auth(token), timeout=60)
    refused = httpx.get(
        f"{live_server.url}/api/v1/sync/pull", headers=auth(token[::-1]), timeout=60
    )
    assert (pushed.status_code, pulled.status_code, refused.status_code) == (200, 200, 401)
    lines = {
        r.getMessage().split()[1]: r.getMessage()
        for r in caplog.records
        if r.name == "jiceng.server" and r.getMessage().startswith("request ")
    }
    for reply in (pushed, pulled):
        line = lines[reply.headers["x-request-id"]]
        assert line.endswith(f" 200 device {device_id}"), line
    assert "device" not in lines[refused.headers["x-request-id"]]
    logged = "\n".join(_text(r) for r in caplog.records)
    for secret in (token, token[::-1], digest(token), quote(token)):
        assert secret not in logged
