"""Running the server: migrations once in the parent, then uvicorn with N workers."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from app import paths
from app.server.api import create_app
from app.server.db import prepare, server_engine

ENV_DB = "JICENG_SERVER_DB"


def app_from_env() -> FastAPI:
    """The app factory uvicorn's workers call (configuration comes through the environment)."""
    url = os.environ.get(ENV_DB) or None
    engine = server_engine(url, paths.default_data_dir(), os.environ.get("JICENG_PASSPHRASE", ""))
    return create_app(engine)


def serve(
    url: str | None, data_dir: Path, passphrase: str, host: str, port: int, workers: int
) -> None:
    import uvicorn

    engine = server_engine(url, data_dir, passphrase)
    prepare(engine)
    engine.dispose()
    os.environ[ENV_DB] = url or ""
    os.environ["JICENG_DATA_DIR"] = str(data_dir)
    os.environ["JICENG_PASSPHRASE"] = passphrase
    uvicorn.run(
        "app.server.main:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=True,
        server_header=False,
    )
