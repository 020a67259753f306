"""Push and pull through the server over loopback, on SQLite and on PostgreSQL.

The baseline for each backend: the same change rows written straight into that backend's
change-log table with raw ``executemany`` in one transaction — no HTTP, no checks, no merge.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import select

from app.models import ChangeLog
from app.server.db import prepare, server_engine
from app.storage.store import open_store
from app.sync.rowio import table_io
from bench.common import PASSPHRASE, jiceng, report, timed

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(
    db: str | None, folder: Path, workers: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    args = [sys.executable, "-m", "app", "server", "--port", str(port), "--data-dir", str(folder)]
    args += ["--workers", str(workers)]
    # Throughput is what is measured: lift the per-device quota (60,000 changes a minute by
    # default) that one benchmark laptop pushing a whole city's ledger would otherwise hit.
    args += ["--push-per-minute", str(10**9)]
    if db:
        args += ["--db", db]
    env = {**os.environ, "JICENG_PASSPHRASE": PASSPHRASE}
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def _baseline(db: str | None, folder: Path, rows: list[dict]) -> float:  # type: ignore[type-arg]
    target = folder / "baseline"
    shutil.rmtree(target, ignore_errors=True)
    engine = server_engine(db, target, PASSPHRASE)
    prepare(engine)
    from sqlalchemy.orm import Session

    with timed() as t, Session(engine) as s, s.begin():
        table_io(s, ChangeLog.__table__).insert(s, rows)
    engine.dispose()
    return t.seconds


def _fresh_pg() -> str:
    name = f"jiceng_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_pg(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(issues: int, folder: Path) -> None:
    cadre = folder / "server-cadre"
    shutil.rmtree(cadre, ignore_errors=True)
    jiceng(
        "init",
        "--data-dir",
        str(cadre),
        "--role",
        "cadre",
        "--name",
        "张驻点",
        "--district",
        "鼓楼区总工会",
    )
    jiceng("demo", "--data-dir", str(cadre), "--issues", str(issues))
    store = open_store(cadre, PASSPHRASE)
    with store.read() as s:
        rows = [dict(r._mapping) for r in s.execute(select(ChangeLog.__table__))]
    store.close()
    for r in rows:
        r.pop("seq")
        r["received_at"] = r["received_at"].isoformat(timespec="milliseconds")
        r["district_id"] = "bench"
    changes = len(rows)
    for backend in ("sqlite", "postgresql"):
        pgs = [_fresh_pg(), _fresh_pg()] if backend == "postgresql" else []
        dbs = [f"postgresql+psycopg://postgres@127.0.0.1:5432/{n}" for n in pgs] or [None, None]
        srv = folder / f"server-{backend}"
        shutil.rmtree(srv, ignore_errors=True)
        try:
            _one(backend, dbs, srv, cadre, folder, changes, rows)
        finally:
            for name in pgs:
                _drop_pg(name)


def _one(
    backend: str,
    dbs: list[str | None],
    srv: Path,
    cadre: Path,
    folder: Path,
    changes: int,
    rows: list[dict],
) -> None:  # type: ignore[type-arg]
    db, base_db = dbs
    admin = ["server", "admin", "--data-dir", str(srv)] + (["--db", db] if db else [])
    jiceng(*admin, "add-district", "鼓楼区总工会")
    proc, url = _start(db, srv)
    try:
        pusher = folder / f"push-{backend}"
        puller = folder / f"pull-{backend}"
        for path in (pusher, puller):
            shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(cadre, pusher)
        jiceng("init", "--data-dir", str(puller), "--role", "district", "--name", "鼓楼区总工会")
        for path in (pusher, puller):
            code = (
                jiceng(*admin, "enroll-code", "--district", "鼓楼区总工会")[2]
                .strip()
                .splitlines()[-1]
            )
            jiceng("enroll", "--data-dir", str(path), "--server", url, "--code", code)
        push_s, push_rss, _ = jiceng("sync", "--data-dir", str(pusher))
        pull_s, pull_rss, _ = jiceng("sync", "--data-dir", str(puller))
        stats = json.loads(jiceng("stats", "--data-dir", str(puller), "--json")[2])
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    base_s = _baseline(base_db, folder / f"server-{backend}-base", rows)
    report(
        f"server on {backend}: {changes:,} changes over loopback",
        [
            (
                "push (one sync)",
                f"{push_s:.1f} s  ({changes / push_s:,.0f} changes/s), client peak {push_rss} MiB",
            ),
            (
                "pull (one sync)",
                f"{pull_s:.1f} s  ({stats['changes'] / pull_s:,.0f} changes/s), client peak {pull_rss} MiB",
            ),
            (
                "raw insert baseline",
                f"{base_s:.1f} s  ({changes / base_s:,.0f} rows/s into {backend})",
            ),
            ("push / baseline", f"{push_s / base_s:.1f}×"),
            ("pull / baseline", f"{pull_s / base_s:.1f}×"),
        ],
    )
