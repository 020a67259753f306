"""Changes stamped by a clock that ran ahead: held by the server, shown as held, released.

A laptop whose clock ran two hours fast leaves its hybrid clock two hours ahead (it never
goes back), so its next changes carry that stamp. The server holds them (not merged, not
served to anyone), every pull reply tells the laptop how many, and the laptop keeps that
figure instead of counting them delivered. Once the server's time has caught up — here: a
server restarted allowing three hours of skew, which is the same comparison — the next
request of that district merges them, and the district sees them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from app.models import Replica, SyncState
from app.server import held
from app.server.api import ServerLimits
from app.storage.store import Store
from app.sync.hlc import Timestamp, wall_ms
from tests.helpers import MakeReplica, add_enterprise, enroll, join, pull_all, sync
from tests.server_helpers import LiveServer, serving

AHEAD_MS = 2 * 3600 * 1000


def fast_clock(store: Store) -> None:
    """Leave the replica's clock two hours ahead, as a laptop set two hours fast does."""
    with store.write() as s:
        row = s.get(Replica, 1)
        assert row is not None
        s.execute(
            update(Replica).values(hlc=Timestamp(wall_ms() + AHEAD_MS, 0, row.replica_id).encode())
        )


def held_by_server(server: LiveServer, laptop: Store, enterprise: str) -> str:
    """Join ``laptop``, set its clock fast and give it an enterprise its next sync pushes;
    returns the token of a colleague in its district, to see what the district is served."""
    join(server, laptop)
    reader = enroll(server)
    fast_clock(laptop)
    add_enterprise(laptop, enterprise)
    return reader


def names(changes: list[dict[str, object]]) -> set[object]:
    return {c["fields"].get("name") for c in changes if isinstance(c["fields"], dict)}


def test_held_not_delivered_then_released(
    server_url_for_db: str | None, tmp_path: Path, make_replica: MakeReplica
) -> None:
    laptop = make_replica("快钟驻点")
    folder = tmp_path / "server"
    with serving(server_url_for_db, folder) as (server, _thread):
        reader = held_by_server(server, laptop, "时钟超前的企业")
        first = sync(laptop)
        assert first.quarantined >= 1 and first.pushed == 0
        assert first.server_held == first.quarantined
        again = sync(laptop)  # nothing new to push: still held, still not delivered
        assert again.server_held == first.quarantined
        with laptop.read() as s:
            assert s.query(SyncState).one().server_held == first.quarantined
        assert "时钟超前的企业" not in names(pull_all(server, reader))
        with server.session() as s:
            rows = held.held_rows(s)
        assert len(rows) == first.quarantined
        assert {r.device for r in rows} == {"快钟驻点"} and {r.entity for r in rows} >= {
            "enterprise"
        }
    caught_up = ServerLimits(max_skew_s=3 * 3600)
    with serving(server_url_for_db, folder, caught_up) as (server, _thread):
        after = sync(laptop, server.url)  # its pull is the district's next request: released there
        assert after.server_held == 0
        with laptop.read() as s:
            assert s.query(SyncState).one().server_held == 0
        assert "时钟超前的企业" in names(pull_all(server, reader))
        with server.session() as s:
            assert held.held_rows(s) == []


def test_admin_lists_and_releases(
    server_url_for_db: str | None, tmp_path: Path, make_replica: MakeReplica
) -> None:
    laptop = make_replica("快钟驻点")
    folder = tmp_path / "server"
    with serving(server_url_for_db, folder) as (server, _thread):
        reader = held_by_server(server, laptop, "管理员放行的企业")
        held_now = sync(laptop).server_held
        assert held_now
        admin = [sys.executable, "-m", "app", "server", "admin", "--data-dir", str(folder)]
        admin += ["--db", server_url_for_db] if server_url_for_db else []
        listed = subprocess.run([*admin, "quarantine"], capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0, listed.stderr
        assert listed.stdout.count("快钟驻点") == held_now
        released = subprocess.run(
            [*admin, "quarantine", "--release-all"], capture_output=True, text=True, timeout=120
        )
        assert released.returncode == 0, released.stderr
        assert (
            f"已放行 {held_now} 条变更" in released.stdout and "没有被暂存的变更" in released.stdout
        )
        assert "管理员放行的企业" in names(pull_all(server, reader))
        assert sync(laptop).server_held == 0
