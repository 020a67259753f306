"""Automatic sync: nothing happens while the server is away; it syncs when it comes back."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.models import ChangeLog
from app.sync.client import SyncReport, configured_server
from app.sync.http import RetryPolicy, Transport
from app.sync.scheduler import AutoSync, Callbacks
from tests.helpers import MakeReplica, add_enterprise, add_issue, join, pushable
from tests.server.proxy import FlakyProxy
from tests.server_helpers import LiveServer


def test_syncs_when_the_server_becomes_reachable(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    cadre = make_replica(district="鼓楼区总工会")
    join(live_server, cadre)
    add_issue(cadre, add_enterprise(cadre))
    mine = len(pushable(cadre))
    proxy = FlakyProxy(int(live_server.url.rsplit(":", 1)[1]), seed=1, faults=("refuse",))
    states: list[bool] = []
    reports: list[SyncReport] = []
    synced = threading.Event()

    def via_proxy(config):  # type: ignore[no-untyped-def]
        return Transport(
            f"http://127.0.0.1:{proxy.port}",
            config.token,
            timeout=5,
            retry=RetryPolicy(attempts=1, sleep=lambda _s: None),
        )

    def reported(report: SyncReport) -> None:
        reports.append(report)
        synced.set()

    auto = AutoSync(
        cadre,
        Callbacks(online=states.append, report=reported),
        interval=60,
        first_pause=0.05,
        max_pause=0.2,
        transport=via_proxy,
    )
    auto.start()
    try:
        assert not synced.wait(1.0)  # server unreachable: probing, not syncing
        assert states == [False]
        proxy.healthy = True  # connectivity returns
        assert synced.wait(10), "no sync after the server came back"
        assert states == [False, True] and reports[0].pushed == mine
    finally:
        auto.stop()
        proxy.close()
    with live_server.session() as s:
        stored = s.execute(select(func.count()).select_from(ChangeLog)).scalar_one()
    assert stored == mine + 1  # the cadre's changes, and the server's own district row
    with cadre.read() as s:
        assert configured_server(s).last_sync_at is not None  # type: ignore[union-attr]
