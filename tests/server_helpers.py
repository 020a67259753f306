"""A real server for tests: uvicorn on a free loopback port, over SQLite or PostgreSQL
(``serving``; the ``live_server`` fixture in tests/server/conftest.py runs one per test)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import uvicorn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.schemas.sync_api import DeviceRole
from app.server import admin
from app.server.api import ServerLimits, create_app
from app.server.db import prepare, server_engine, writer
from app.server.main import uvicorn_options
from tests.helpers import PASSPHRASE, free_port


@dataclass
class LiveServer:
    url: str
    engine: Engine
    district: str = "鼓楼区总工会"

    def code(self, district: str | None = None, hours: int = 1, role: DeviceRole = "cadre") -> str:
        """A one-time code, as ``jiceng server admin enroll-code [--role]`` makes it."""
        with Session(writer(self.engine)) as s, s.begin():
            admin.add_district(s, district or self.district)
            return admin.enroll_code(
                s, district or self.district, timedelta(hours=hours), role=role
            )

    def session(self) -> Session:
        return Session(writer(self.engine))


class ServerThread:
    def __init__(self, app: object, port: int) -> None:
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            **uvicorn_options(),  # type: ignore[arg-type]  # as `jiceng server` runs it
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@contextmanager
def serving(
    db_url: str | None, folder: Path, limits: ServerLimits | None = None
) -> Iterator[tuple[LiveServer, ServerThread]]:
    """A server on a free loopback port until the block ends (the thread can stop it early)."""
    engine = server_engine(db_url, folder, PASSPHRASE)
    prepare(engine)
    port = free_port()
    thread = ServerThread(create_app(engine, limits), port)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", engine), thread
    finally:
        thread.stop()
        engine.dispose()
