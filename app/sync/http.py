"""The client's HTTP transport: timeouts, retries with full jitter, validated replies.

Factory Wi-Fi drops connections, stalls, and answers with captive-portal pages. So:

* every reply must be the server's own JSON, valid against the protocol's models, or it is
  treated like a network failure (a ``200 OK`` login page acknowledges nothing);
* network failures, 5xx, 408 and 429 are retried with full-jitter exponential backoff
  (a random delay in [0, min(cap, 2 s · 2^attempt)]), honouring ``Retry-After``;
* other 4xx replies are refusals: never retried, reported with the server's reason — and
  with the server's error code when the user is told about it in words of its own
  (``WORDED_REFUSALS``), else as ``refused``.
"""

from __future__ import annotations

import gzip
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import orjson
from pydantic import BaseModel, ValidationError

from app import __version__

T = TypeVar("T", bound=BaseModel)


# The server's refusals that the user is told about in words of their own
# (``app.ui.messages.SYNC_MESSAGES``, a test keeps the two in step): each reaches the user
# under its own code, every other refusal as ``refused`` with the server's reason.
WORDED_REFUSALS = frozenset(
    {"enroll_code_invalid", "key_proof_invalid", "replica_taken", "role_mismatch"}
)


class SyncError(Exception):
    """Sync could not complete. ``code``: unreachable, invalid_reply, refused, unauthorized,
    rate_limited, or one of ``WORDED_REFUSALS``."""

    def __init__(self, code: str, detail: str = "", status: int | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.status = status


@dataclass
class RetryPolicy:
    attempts: int = 6
    base: float = 2.0
    cap: float = 600.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None) -> float:
        ceiling: float = min(self.cap, self.base * 2**attempt)
        wait = self.jitter() * ceiling
        return max(wait, min(retry_after, self.cap)) if retry_after is not None else wait


class Transport:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retry = retry or RetryPolicy()
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": f"jiceng/{__version__}", "Accept-Encoding": "gzip"},
            follow_redirects=False,  # a redirect is a portal or a misconfiguration, not the API
            trust_env=False,
        )

    def close(self) -> None:
        self.client.close()

    def get(self, path: str, reply: type[T], params: dict[str, Any] | None = None) -> T:
        return self._call("GET", path, reply, params=params)

    def post(self, path: str, body: dict[str, Any], reply: type[T]) -> T:
        raw = orjson.dumps(body)
        headers = {"Content-Type": "application/json"}
        if len(raw) > 2048:
            raw = gzip.compress(raw, 6)
            headers["Content-Encoding"] = "gzip"
        return self._call("POST", path, reply, content=raw, headers=headers)

    def probe(self) -> bool:
        """Is the server reachable and itself? One quick try, no retries."""
        try:
            response = self.client.get(f"{self.base_url}/healthz", timeout=5.0)
            return response.status_code == 200 and response.json().get("status") == "ok"
        except (httpx.HTTPError, ValueError, AttributeError):
            return False

    def _call(self, method: str, path: str, reply: type[T], **kw: Any) -> T:
        last: SyncError | None = None
        for attempt in range(self.retry.attempts):
            try:
                return self._once(method, path, reply, **kw)
            except _Retryable as err:
                last = err.error
                if attempt + 1 < self.retry.attempts:
                    self.retry.sleep(self.retry.delay(attempt, err.retry_after))
        assert last is not None
        raise last

    def _once(self, method: str, path: str, reply: type[T], **kw: Any) -> T:
        headers = dict(kw.pop("headers", {}) or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self.client.request(method, f"{self.base_url}{path}", headers=headers, **kw)
        except httpx.HTTPError as err:
            raise _Retryable(SyncError("unreachable", type(err).__name__)) from None
        status = response.status_code
        if status == 429 and _json(response) is not None:  # the server's own limit
            detail = str((_json(response) or {}).get("reason") or "")
            raise _Retryable(SyncError("rate_limited", detail, status), _retry_after(response))
        if status in (408, 429) or status >= 500:
            raise _Retryable(
                SyncError("unreachable", f"HTTP {status}", status), _retry_after(response)
            )
        if 300 <= status < 400:
            raise _Retryable(SyncError("invalid_reply", f"redirect ({status})", status))
        body = _json(response)
        if status >= 400:
            if body is None:  # not the server's own error: a proxy or portal in the way
                raise _Retryable(SyncError("invalid_reply", f"HTTP {status}", status))
            raise SyncError(_refusal(status, body.get("error")), _reason(body), status)
        if body is None:
            raise _Retryable(SyncError("invalid_reply", "not the server's JSON"))
        try:
            return reply.model_validate(body)
        except ValidationError:
            raise _Retryable(
                SyncError("invalid_reply", "the reply does not follow the protocol")
            ) from None


class _Retryable(Exception):
    def __init__(self, error: SyncError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def _refusal(status: int, error: object) -> str:
    if status == 401:
        return "unauthorized"
    return error if isinstance(error, str) and error in WORDED_REFUSALS else "refused"


def _reason(body: dict[str, Any]) -> str:
    return str(body.get("reason") or body.get("error"))


def _json(response: httpx.Response) -> dict[str, Any] | None:
    if "json" not in response.headers.get("content-type", ""):
        return None
    try:
        value = orjson.loads(response.content)
    except (orjson.JSONDecodeError, httpx.DecodingError):
        return None
    return value if isinstance(value, dict) else None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None
