"""The HTTP API: enroll, push, pull, health, and JSON errors throughout
(docs/sync-protocol.md#http-api).

Every handler runs its database work in one transaction that commits *before* the reply is
built, so a device is never told "accepted" about something that was not stored. District and
owner always come from the token, never from the body.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import traceback
import uuid
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, FastAPI, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from app import __version__
from app.models import Device
from app.schemas.sync_api import (
    MAX_BODY_BYTES,
    MAX_PULL_LIMIT,
    EnrollReply,
    EnrollRequest,
    ErrorReply,
    PullReply,
    PushReply,
    PushRequest,
    printable,
)
from app.server import auth, exchange, held, locks
from app.server.db import writer
from app.server.limits import ASGIApp, BodyLimit, Message, Receive, Scope, Send
from app.sync.writer import utc_now

T = TypeVar("T")


@dataclass(frozen=True)
class ServerLimits:
    """What one client may cost the server (per minute unless said otherwise).

    Enrollment is limited per address and per district — never by one city-wide count that
    a single client could use up for everyone. ``max_skew_s`` is how far ahead of the
    server's clock a pushed change may be: the server's clock is everyone's reference, so a
    device must not be able to move it far."""

    enroll_per_address: int = 10
    enroll_per_district: int = 30
    push_changes_per_device: int = 60_000
    max_skew_s: int = 300

    @classmethod
    def from_env(cls) -> ServerLimits:
        """Overrides from ``JICENG_LIMIT_<FIELD>`` (the CLI sets them for its workers)."""
        values = {}
        for name in cls.__dataclass_fields__:
            raw = os.environ.get(f"JICENG_LIMIT_{name.upper()}", "")
            if raw.isdigit():
                values[name] = int(raw)
        return cls(**values)


bearer = HTTPBearer(auto_error=False, description="the device token from enrollment")
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorReply},
    401: {"model": ErrorReply},
    413: {"model": ErrorReply},
    422: {"model": ErrorReply},
    429: {"model": ErrorReply},
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, reason: str, retry_after: int | None = None):
        super().__init__(reason)
        self.status, self.code, self.reason, self.retry_after = status, code, reason, retry_after


def server_time() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def create_app(engine: Engine, limits: ServerLimits | None = None) -> FastAPI:
    app = FastAPI(
        title="jiceng sync server",
        version=__version__,
        description="市总工会同步服务器: device enrollment, change push and pull.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.limits = limits or ServerLimits()
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(AccessLog)  # outermost of ours: it sees what the others refuse
    _errors(app)
    quiet_sql_rows()
    app.include_router(router)
    return app


@contextmanager
def transaction(request: Request) -> Iterator[Session]:
    engine = writer(request.app.state.engine)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def _device(
    request: Request, session: Session, creds: HTTPAuthorizationCredentials | None
) -> Device:
    """The device behind the request's token, as the server stored it: its district and
    its role (from its enrollment code) are the server's, never anything the request says.
    Its id goes on the request's access line (``AccessLog``); its token never does."""
    header = f"Bearer {creds.credentials}" if creds else None
    try:
        device = auth.device_for(session, header)
    except auth.AuthError as err:
        raise ApiError(401, err.code, err.reason) from None
    device.last_seen_at = utc_now()
    request.state.device_id = device.id
    return device


def _wire_int(digits: str) -> int | float:
    """A JSON integer as Python reads it, except one too long to convert (over 4,300 digits):
    infinity, a number no field or key takes, so its change is refused alone rather than the
    whole body (Python's reader would give up on it)."""
    try:
        return int(digits)
    except ValueError:
        return math.inf


class _WireRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = json.loads(await self.body(), parse_int=_wire_int)
        return self._json


class _WireRoute(APIRoute):
    """Request bodies read with ``_wire_int``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            return await handler(_WireRequest(request.scope, request.receive))

        return route


router = APIRouter(route_class=_WireRoute)  # the endpoints; create_app mounts them


@router.get("/healthz", tags=["health"])
def healthz(request: Request) -> dict[str, str]:
    with Session(request.app.state.engine) as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok", "protocol": "jiceng-sync/1", "server_time": server_time()}


@router.post("/api/v1/enroll", response_model=EnrollReply, responses=ERRORS, tags=["devices"])
def enroll(body: EnrollRequest, request: Request) -> EnrollReply:
    _rate_limit(request)
    done, server_replica = _retried(lambda: _enroll(request, body))
    return EnrollReply(
        device_id=done.device.id,
        token=done.token,
        server_replica_id=server_replica,
        district_id=done.device.district_id,
        district_name=done.district_name,
        server_time=server_time(),
    )


@router.post("/api/v1/sync/push", response_model=PushReply, responses=ERRORS, tags=["sync"])
def push(
    body: PushRequest,
    request: Request,
    creds: HTTPAuthorizationCredentials | None = Security(bearer),  # noqa: B008
) -> PushReply:
    limits: ServerLimits = request.app.state.limits
    with transaction(request) as session:
        device = _device(request, session, creds)
        try:
            exchange.check_row_quota(body.changes)
            # The device's pushes run one at a time, so its quota window never races.
            locks.lock_district(session, device.district_id)
            quota = auth.rate_key("push", device.id)
            if not auth.allow(
                session, quota, limits.push_changes_per_device, utc_now(), len(body.changes)
            ):
                raise exchange.QuotaExceeded(
                    f"more than {limits.push_changes_per_device} changes a minute"
                )
        except exchange.QuotaExceeded as err:
            raise ApiError(429, "quota_exceeded", err.reason, retry_after=60) from None
        results = exchange.push(
            session,
            device,
            body.changes,
            raw_proofs=body.proofs,
            keys=body.keys,
            max_skew_ms=limits.max_skew_s * 1000,
        )
    return PushReply(results=results, server_time=server_time())


@router.get("/api/v1/sync/pull", response_model=PullReply, responses=ERRORS, tags=["sync"])
def pull(
    request: Request,
    after: int = Query(0, ge=0, le=2**62, description="the cursor from the last pull"),
    limit: int = Query(500, ge=1, le=MAX_PULL_LIMIT),
    mine: bool = Query(
        False, description="only this device's own changes (after it restored a backup)"
    ),
    creds: HTTPAuthorizationCredentials | None = Security(bearer),  # noqa: B008
) -> PullReply:
    limits: ServerLimits = request.app.state.limits
    with transaction(request) as session:
        device = _device(request, session, creds)
        held.release_due(session, device.district_id, limits.max_skew_s * 1000)
        changes, cursor, more = exchange.pull(session, device, after, limit, mine=mine)
        relayed, keys = exchange.relay_extras(session, device, changes)
        held_count, held_ids = held.held_for(session, device)
    return PullReply(
        changes=changes,
        next=cursor,
        more=more,
        server_time=server_time(),
        mine=mine,
        proofs=relayed,
        keys=keys,
        held=held_count,
        held_ids=held_ids,
    )


def _enroll(request: Request, body: EnrollRequest) -> tuple[auth.Enrolled, str]:
    """Redeem the code; successful enrollments are also counted per district (a leaked
    batch of codes cannot flood one district with devices), in the same transaction."""
    limits: ServerLimits = request.app.state.limits
    with transaction(request) as session:
        try:
            provisional = (
                (body.district_id, body.district_name)
                if body.district_id and body.district_name
                else None
            )
            done = auth.enroll(
                session,
                body.code,
                body.replica_id,
                body.name,
                body.role,  # checked against the code's role, which the device gets
                body.sign_public,
                body.key_proof,
                provisional,
            )
        except auth.AuthError as err:
            raise ApiError(400, err.code, err.reason) from None
        key = auth.rate_key("enroll-district", done.device.district_id)
        if not auth.allow(session, key, limits.enroll_per_district, utc_now()):
            raise ApiError(
                429, "rate_limited", "too many enrollments in this district", retry_after=60
            )
        return done, exchange.server_replica_id(session)


def _retried(work: Callable[[], T]) -> T:
    """Run a short transaction again when two workers opened the same rate window at once."""
    for attempt in range(3):
        try:
            return work()
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _rate_limit(request: Request) -> None:
    """Enrollment guesses are limited per address, in the shared database. The address is
    the connection's peer; uvicorn replaces it with a forwarded one only for the proxies the
    administrator named (``--forwarded-allow-ips``)."""
    address = request.client.host if request.client else "unknown"
    limits: ServerLimits = request.app.state.limits

    def count() -> bool:
        with transaction(request) as session:
            key = auth.rate_key("enroll", address)
            return auth.allow(session, key, limits.enroll_per_address, utc_now())

    if not _retried(count):
        raise ApiError(429, "rate_limited", "too many enrollment attempts", retry_after=60)


# ---- errors: every answer is JSON, whatever went wrong ---------------------------------
#
# Nothing personal in any log (issue 20): what the server logs about a request is its id, its
# route, its status, the error code and, once its token is known, the device's id — never a
# query string, a header (the token least of all), a body, a validation error's input or an
# exception's message. A refusal's reason goes to the caller alone (it may quote what the
# caller sent, which the caller knows already).

log = logging.getLogger("jiceng.server")
_CODE = re.compile(r"[a-z0-9_]{1,40}")
_DEVICE_ID = re.compile(r"[0-9a-f-]{36}")  # a device's id is a UUID the server made


def _refused(request: Request, code: str) -> None:
    """Note the error code for the request's access line (``AccessLog``)."""
    request.state.error_code = code


def api_error(request: Request, err: ApiError) -> JSONResponse:
    _refused(request, err.code)
    headers = {"Retry-After": str(err.retry_after)} if err.retry_after else None
    if err.status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return JSONResponse({"error": err.code, "reason": err.reason}, err.status, headers)


def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
    """The caller learns where and why its request is invalid; pydantic's errors also hold
    the offending input, which is left out of the reply and never logged."""
    _refused(request, "invalid_request")
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
        for e in err.errors()[:10]
    )
    return JSONResponse({"error": "invalid_request", "reason": printable(problems, 2000)}, 422)


def crashed(request: Request, _err: Exception) -> JSONResponse:  # a bug: still JSON
    _refused(request, "internal")
    return JSONResponse({"error": "internal", "reason": "internal server error"}, 500)


def http_error(request: Request, err: StarletteHTTPException) -> JSONResponse:
    _refused(request, f"http_{err.status_code}")
    return JSONResponse(
        {"error": f"http_{err.status_code}", "reason": str(err.detail)}, err.status_code
    )


def _errors(app: FastAPI) -> None:
    """Every refusal is JSON ``{"error", "reason"}``, whatever raised it."""
    app.exception_handler(ApiError)(api_error)
    app.exception_handler(RequestValidationError)(invalid)
    app.exception_handler(Exception)(crashed)
    app.exception_handler(StarletteHTTPException)(http_error)


_INTERNAL = b'{"error":"internal","reason":"internal server error"}'


class AccessLog:
    """One log line per request — request id, method, route, status, error code, and the
    device for a request its token authenticated — and the ``X-Request-Id`` header that lets
    an administrator find it from a user's report (``jiceng server admin devices`` names
    the device behind an id).

    It replaces uvicorn's access log, which prints the query string (anything a client puts
    there). It also answers the requests a bug breaks: an exception is logged by its type and
    where it was raised, then answered 500 here. Left to Starlette, it would reach uvicorn,
    which logs its message, and a database driver's message quotes the row it choked on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.routes = frozenset(str(getattr(r, "path", "")) for r in router.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        state = scope.setdefault("state", {})
        seen: dict[str, Any] = {"status": 0, "code": None}

        def line() -> None:
            code = state.get("error_code") or seen["code"]
            device = state.get("device_id")
            log.info(
                "request %s %s %s %s%s%s",
                request_id,
                scope.get("method", "?"),
                self._route(scope),
                seen["status"],
                f" {code}" if code and _CODE.fullmatch(code) else "",
                f" device {device}"
                if isinstance(device, str) and _DEVICE_ID.fullmatch(device)
                else "",
            )

        async def watch(message: Message) -> None:
            """Logged before the reply's last part goes out: once a client has its answer,
            the line is there (and written even if the client has gone)."""
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                if seen["status"] >= 400:
                    seen["code"] = seen["code"] or _error_code(message.get("body", b""))
                if not message.get("more_body"):
                    line()
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as err:  # a bug; the client still gets JSON, the log no data
            log.error(
                "request %s %s %s: unexpected %s at %s",
                request_id,
                scope.get("method", "?"),
                self._route(scope),
                type(err).__name__,
                _where(err),
            )
            if seen["status"] == 0:
                state["error_code"] = "internal"
                start = {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(_INTERNAL)).encode()),
                    ],
                }
                await watch(start)
                await watch({"type": "http.response.body", "body": _INTERNAL})

    def _route(self, scope: Scope) -> str:
        """The path when it is one of the API's routes; any other path is a client's text."""
        path = str(scope.get("path", ""))
        return path if path in self.routes else "(other path)"


def _error_code(body: bytes) -> str | None:
    """The ``error`` of a JSON refusal made outside the handlers (``BodyLimit``'s)."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    code = value.get("error") if isinstance(value, dict) else None
    return code if isinstance(code, str) and _CODE.fullmatch(code) else None


def _where(err: BaseException) -> str:
    """Where an exception was raised: file, line and function of its last frames."""
    frames = traceback.extract_tb(err.__traceback__)[-4:]
    return " < ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames)
    )


class _NoRows(logging.Filter):
    """SQLAlchemy logs every fetched row at DEBUG (``hide_parameters`` hides only the
    statements' parameters): rows hold workers' names and ID numbers."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


_NO_ROWS = _NoRows()


def quiet_sql_rows() -> None:
    """Keep fetched rows out of the log however the server's logging is configured (once)."""
    logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NO_ROWS)
