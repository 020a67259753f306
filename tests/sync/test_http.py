"""The sync transport against misbehaving servers on loopback: portals, redirects, 5xx, 429."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.schemas.sync_api import PullReply
from app.sync.http import WORDED_REFUSALS, RetryPolicy, SyncError, Transport
from app.ui.i18n_catalog import HAS_CHINESE
from app.ui.messages import SYNC_MESSAGES

GOOD = b'{"protocol": "jiceng-sync/1", "changes": [], "next": 0, "more": false, "server_time": "x"}'


class Script:
    """The stub server's answers, one per request: (status, content type, body, headers)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, str, bytes, dict[str, str]]] = []
        self.requests = 0


@pytest.fixture
def stub() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            script.requests += 1
            status, kind, body, headers = (
                script.answers.pop(0) if script.answers else (200, "application/json", GOOD, {})
            )
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", script
    server.shutdown()
    thread.join(timeout=5)


def transport(url: str, sleeps: list[float], attempts: int = 4) -> Transport:
    return Transport(
        url,
        "token",
        timeout=5,
        retry=RetryPolicy(attempts=attempts, sleep=sleeps.append, jitter=lambda: 1.0),
    )


def test_a_captive_portal_page_is_not_an_answer(stub) -> None:  # type: ignore[no-untyped-def]
    url, script = stub
    portal = (200, "text/html", "<html>请登录 Wi-Fi</html>".encode(), {})
    script.answers = [portal, portal]
    sleeps: list[float] = []
    reply = transport(url, sleeps).get("/api/v1/sync/pull", PullReply)
    assert reply.more is False and script.requests == 3 and len(sleeps) == 2
    script.answers = [portal] * 5
    with pytest.raises(SyncError) as err:
        transport(url, []).get("/api/v1/sync/pull", PullReply)
    assert err.value.code == "invalid_reply"


def test_json_that_is_not_the_protocol_is_not_an_answer(stub) -> None:  # type: ignore[no-untyped-def]
    url, script = stub
    script.answers = [(200, "application/json", b'{"ok": true}', {})] * 4
    with pytest.raises(SyncError) as err:
        transport(url, []).get("/api/v1/sync/pull", PullReply)
    assert err.value.code == "invalid_reply"
    script.answers = [(200, "application/json", GOOD[:-20], {})] * 4  # truncated JSON
    with pytest.raises(SyncError):
        transport(url, []).get("/api/v1/sync/pull", PullReply)


def test_redirects_are_not_followed(stub) -> None:  # type: ignore[no-untyped-def]
    url, script = stub
    script.answers = [(302, "text/html", b"", {"Location": "http://portal.example/login"})] * 4
    with pytest.raises(SyncError) as err:
        transport(url, []).get("/api/v1/sync/pull", PullReply)
    assert err.value.code == "invalid_reply" and script.requests == 4


def test_server_errors_are_retried_with_backoff_and_retry_after(stub) -> None:  # type: ignore[no-untyped-def]
    url, script = stub
    script.answers = [
        (503, "application/json", b'{"error": "busy", "reason": "x"}', {}),
        (
            429,
            "application/json",
            b'{"error": "rate_limited", "reason": "x"}',
            {"Retry-After": "7"},
        ),
        (500, "text/plain", b"boom", {}),
    ]
    sleeps: list[float] = []
    transport(url, sleeps, attempts=5).get("/api/v1/sync/pull", PullReply)
    assert sleeps == [2.0, 7.0, 8.0]  # full jitter (here 1.0 × ceiling), Retry-After honoured


def test_refusals_are_not_retried(stub) -> None:  # type: ignore[no-untyped-def]
    url, script = stub
    script.answers = [
        (401, "application/json", b'{"error": "unauthorized", "reason": "revoked"}', {})
    ]
    with pytest.raises(SyncError) as err:
        transport(url, []).get("/api/v1/sync/pull", PullReply)
    assert err.value.code == "unauthorized" and script.requests == 1
    script.answers = [
        (422, "application/json", b'{"error": "invalid_request", "reason": "bad"}', {})
    ]
    with pytest.raises(SyncError) as err:
        transport(url, []).get("/api/v1/sync/pull", PullReply)
    assert err.value.code == "refused" and "bad" in err.value.detail


@pytest.mark.parametrize("code", sorted(WORDED_REFUSALS))
def test_a_refusal_the_user_is_told_in_words_keeps_its_code(stub, code: str) -> None:  # type: ignore[no-untyped-def]
    """The server's own code reaches the user's message (``role_mismatch`` was once
    "refused" with the server's English reason); one the client has no words for is
    "refused", its reason kept."""
    url, script = stub
    script.answers = [
        (400, "application/json", f'{{"error": "{code}", "reason": "why"}}'.encode(), {}),
        (400, "application/json", b'{"error": "something_new", "reason": "why"}', {}),
    ]
    for expected in (code, "refused"):
        with pytest.raises(SyncError) as err:
            transport(url, []).get("/api/v1/sync/pull", PullReply)
        assert (err.value.code, err.value.detail, err.value.status) == (expected, "why", 400)
    assert script.requests == 2  # neither retried


def test_every_worded_refusal_has_its_words() -> None:
    for code in WORDED_REFUSALS:
        assert code in SYNC_MESSAGES, code
        assert HAS_CHINESE.search(SYNC_MESSAGES[code])


def test_unreachable_server_gives_up_after_bounded_attempts() -> None:
    sleeps: list[float] = []
    with pytest.raises(SyncError) as err:
        transport("http://127.0.0.1:9", sleeps, attempts=3).get("/x", PullReply)  # discard port
    assert err.value.code == "unreachable" and len(sleeps) == 2


def test_full_jitter_stays_within_its_ceiling() -> None:
    policy = RetryPolicy(base=2.0, cap=600.0)
    for attempt in range(12):
        for _ in range(50):
            assert 0 <= policy.delay(attempt, None) <= min(600.0, 2.0 * 2**attempt)
    assert policy.delay(0, 30.0) >= 30.0


def test_recovery_after_a_restore_needs_a_server_that_knows_mine(stub, store) -> None:  # type: ignore[no-untyped-def]
    """A server from before ``?mine`` answers an ordinary (here empty, final) page. Taking
    that as "nothing of mine" would end the recovery for good; it is refused instead."""
    from app.models import Setting, SyncState
    from app.sync.client import RECOVER_OWN, SyncRound

    url, _script = stub
    with store.write() as s:
        s.add(SyncState(server_url=url, server_replica_id="0" * 16, token="t", pull_cursor=0))
        s.add(Setting(key=RECOVER_OWN, value='{"from_counter": 1}'))
    sync = SyncRound(store, transport=transport(url, [], attempts=1))
    with pytest.raises(SyncError) as err:
        sync._pull_all(mine=True)  # the step of a round that fetches own changes back
    assert err.value.code == "invalid_reply" and "?mine" in err.value.detail
    with store.read() as s:
        assert s.get(Setting, RECOVER_OWN) is not None  # still asked for at the next sync
