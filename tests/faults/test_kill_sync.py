"""kill -9 of ``jiceng sync`` at random moments — including between the server's commit and the
client's own bookkeeping — and of the server in the middle of requests (fault suite, item 5).

Afterwards one ordinary sync completes, the server holds each change exactly once, and a
second cadre who syncs ends with the same ledger: nothing skipped, nothing doubled.
``JICENG_SYNC_KILLS`` rounds (8 in ``make test``, more in ``make soak``); every third round
the server is killed too and started again. Kills land inside the round: their moments are
drawn from the length of one whole round timed on this machine in the same run, and at least
half must hit a sync still running.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.models import ChangeLog
from app.server.db import server_engine
from app.sync.writer import ChangeWriter
from tests.helpers import (
    PASSPHRASE,
    MakeReplica,
    add_enterprise,
    changes_of,
    dump,
    pushable,
    with_key_file,
)

ROUNDS = int(os.environ.get("JICENG_SYNC_KILLS", "8"))
ENV = {**os.environ, "JICENG_PASSPHRASE": PASSPHRASE}


def jiceng(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class Server:
    """``jiceng server`` in its own process on a fixed loopback port, restartable."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app", "server", "--port", str(self.port),
             "--data-dir", str(self.folder)],
            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise AssertionError("server did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)
            self.proc = None

    def admin(self, *args: str) -> str:
        done = jiceng("server", "admin", "--data-dir", str(self.folder), *args)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def server(tmp_path: Path) -> Server:
    srv = Server(tmp_path / "server")
    srv.start()
    srv.admin("add-district", "鼓楼区总工会")
    yield srv  # type: ignore[misc]
    srv.kill()


def enroll(server: Server, folder: Path) -> None:
    code = server.admin("enroll-code", "--district", "鼓楼区总工会")
    done = jiceng("enroll", "--data-dir", str(folder), "--server", server.url, "--code", code)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_kill_9_of_client_and_server_during_sync(server: Server, make_replica: MakeReplica) -> None:
    a = make_replica("张驻点", district="鼓楼区总工会")
    b = make_replica("李驻点", district="鼓楼区总工会")
    eid = add_enterprise(a)
    with a.write() as s, ChangeWriter(s) as w:
        for i in range(1500):  # several push batches, so kills land between them
            w.create("worker", {"enterprise_id": eid, "name": f"职工{i}"})
    for cadre in (a, b):
        with_key_file(cadre)
        enroll(server, cadre.data_dir)
    rng = random.Random(5)

    def fresh_work(round_: int) -> None:
        with a.write() as s, ChangeWriter(s) as w:
            for i in range(400):
                w.create("worker", {"enterprise_id": eid, "name": f"第{round_}轮职工{i}"})

    # Calibration, on this machine under its load now: how long one whole round takes
    # (start-up, push, pull). The first sync carries the 1,500 workers, the timed one a
    # round's 400, which every killed round carries at least.
    assert jiceng("sync", "--data-dir", str(a.data_dir)).returncode == 0
    fresh_work(-1)
    started = time.monotonic()
    assert jiceng("sync", "--data-dir", str(a.data_dir)).returncode == 0
    whole = time.monotonic() - started
    alive = 0
    for round_ in range(ROUNDS):
        fresh_work(round_)  # fresh work every round
        client = subprocess.Popen(
            [sys.executable, "-m", "app", "sync", "--data-dir", str(a.data_dir)],
            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.3, 0.9) * whole)  # inside the round, start-up included
        alive += client.poll() is None  # still syncing when the kill landed
        if round_ % 3 == 2:
            server.kill()  # the server dies mid-request
        client.send_signal(signal.SIGKILL)
        client.wait(30)
        if server.proc is None:
            server.start()
    assert alive >= ROUNDS // 2, f"{alive} of {ROUNDS} kills hit a running sync ({whole:.1f} s)"
    done = jiceng("sync", "--data-dir", str(a.data_dir))
    assert done.returncode == 0, done.stderr
    assert jiceng("sync", "--data-dir", str(b.data_dir)).returncode == 0
    assert jiceng("sync", "--data-dir", str(a.data_dir)).returncode == 0  # b's own changes
    assert dump(a) == dump(b)
    origin = changes_of(a)[0]["origin"]
    mine = len([c for c in pushable(a) if c["origin"] == origin])
    engine = server_engine(None, server.folder, PASSPHRASE)
    try:
        with engine.connect() as conn:
            stored = conn.execute(
                select(func.count()).select_from(ChangeLog).where(ChangeLog.origin == origin)
            ).scalar_one()
            distinct = conn.execute(
                select(func.count(func.distinct(ChangeLog.counter))).where(
                    ChangeLog.origin == origin
                )
            ).scalar_one()
    finally:
        engine.dispose()
    assert stored == distinct == mine  # each change exactly once
