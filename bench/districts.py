"""One district's small push while another district pushes the largest batches allowed.

A cadre of district B pushes one change per request; its latency is measured first with the
server otherwise idle (the baseline, same run), then while a device of district A pushes
batches of 500 changes back to back. On PostgreSQL pushes of different districts run side by
side (``app.server.locks``): B's latency under load should stay near its idle figure. SQLite
writes one transaction at a time, so there B waits behind A's batches — printed for contrast.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from app.models import ChangeLog
from app.storage.store import open_store
from app.sync import enroll_proof, keys
from app.sync.log import wire_change
from bench.common import PASSPHRASE, jiceng, report
from bench.server import _drop_pg, _fresh_pg, _start

A, B = "鼓楼区总工会", "台江区总工会"
SAMPLES = 60
BATCH = 500


# (replica id, its pushable changes in log order, its signing key)
Laptop = tuple[str, list[dict[str, Any]], Any]


def _laptop(folder: Path, district: str, issues: int) -> Laptop:
    """A cadre's data folder with demo data: (replica id, its pushable changes, signing key)."""
    shutil.rmtree(folder, ignore_errors=True)
    jiceng(
        "init",
        "--data-dir",
        str(folder),
        "--role",
        "cadre",
        "--name",
        "压测",
        "--district",
        district,
    )
    jiceng("demo", "--data-dir", str(folder), "--issues", str(issues))
    store = open_store(folder, PASSPHRASE)
    with store.read() as s:
        rows = s.execute(select(ChangeLog.__table__).order_by(ChangeLog.seq)).all()
        changes = [wire_change(r) for r in rows if r.entity != "district"]
    store.close()
    return changes[0]["origin"], changes, keys.load(folder, PASSPHRASE).signing


def _enroll(url: str, admin: list[str], district: str, replica: str, signing: Any) -> str:
    code = jiceng(*admin, "enroll-code", "--district", district)[2].strip().splitlines()[-1]
    public, proof = enroll_proof.sign(signing, code, replica)
    body = {"code": code, "replica_id": replica, "name": "压测", "role": "cadre",
            "sign_public": public, "key_proof": proof}  # fmt: skip
    reply = httpx.post(f"{url}/api/v1/enroll", json=body, timeout=30)
    reply.raise_for_status()
    return str(reply.json()["token"])


def _push(client: httpx.Client, url: str, token: str, changes: list[dict[str, Any]]) -> None:
    reply = client.post(
        f"{url}/api/v1/sync/push",
        json={"changes": changes},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    reply.raise_for_status()


def _small_pushes(url: str, token: str, changes: list[dict[str, Any]]) -> list[float]:
    seconds = []
    with httpx.Client() as client:
        for change in changes:
            start = time.perf_counter()
            _push(client, url, token, [change])
            seconds.append(time.perf_counter() - start)
    return seconds


def _flood(url: str, token: str, changes: list[dict[str, Any]], stop: threading.Event) -> int:
    sent = 0
    with httpx.Client() as client:
        for i in range(0, len(changes), BATCH):
            if stop.is_set():
                break
            _push(client, url, token, changes[i : i + BATCH])
            sent += len(changes[i : i + BATCH])
    return sent


def _figures(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"


def run(folder: Path) -> None:
    issues = int(os.environ.get("BENCH_FLOOD_ISSUES", "3000"))
    a = _laptop(folder / "district-a", A, issues)
    b = _laptop(folder / "district-b", B, 20)
    assert len(b[1]) >= 2 * SAMPLES, "district B's laptop has too few changes"
    for backend in ("sqlite", "postgresql"):
        pg = _fresh_pg() if backend == "postgresql" else None
        db = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg}" if pg else None
        srv = folder / f"districts-{backend}"
        shutil.rmtree(srv, ignore_errors=True)
        try:
            _one(backend, db, srv, a, b)
        finally:
            if pg:
                _drop_pg(pg)


def _one(backend: str, db: str | None, srv: Path, a: Laptop, b: Laptop) -> None:
    admin = ["server", "admin", "--data-dir", str(srv)] + (["--db", db] if db else [])
    for district in (A, B):
        jiceng(*admin, "add-district", district)
    proc, url = _start(db, srv, workers=2)
    try:
        token_a = _enroll(url, admin, A, a[0], a[2])
        token_b = _enroll(url, admin, B, b[0], b[2])
        idle = _small_pushes(url, token_b, b[1][:SAMPLES])
        stop = threading.Event()
        sent: list[int] = []
        started = time.perf_counter()
        flooding = threading.Thread(target=lambda: sent.append(_flood(url, token_a, a[1], stop)))
        flooding.start()
        time.sleep(1.0)  # A's first batch is under way
        loaded = _small_pushes(url, token_b, b[1][SAMPLES : 2 * SAMPLES])
        stop.set()
        flooding.join(timeout=600)
        flood_s = time.perf_counter() - started
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    alone = statistics.median(idle)
    report(
        f"districts on {backend} (2 workers): B's one-change pushes while A floods",
        [
            ("B alone (baseline)", _figures(idle)),
            ("B while A pushes", _figures(loaded)),
            ("A's batches of 500", f"{sum(sent):,} changes in {flood_s:.1f} s"),
            ("B's p50 loaded / alone", f"{statistics.median(loaded) / alone:.1f}×"),
            ("B's max loaded / p50 alone", f"{max(loaded) / alone:.1f}×"),
        ],
    )
