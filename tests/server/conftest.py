"""Real servers for tests: uvicorn on 127.0.0.1, over SQLite and over PostgreSQL (the servers
themselves are in tests/server_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server_helpers import LiveServer, serving


@pytest.fixture(params=["sqlite", "postgresql"])
def server_url_for_db(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """The ``--db`` value: None (embedded SQLite) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("pg_database")


@pytest.fixture
def live_server(server_url_for_db: str | None, tmp_path: Path) -> Iterator[LiveServer]:
    with serving(server_url_for_db, tmp_path / "server") as (server, _thread):
        yield server
