"""Running the server: migrations once in the parent, then uvicorn with N workers."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, TypedDict

from fastapi import FastAPI

from app import paths
from app.server.api import ServerLimits, create_app
from app.server.db import prepare, server_engine

ENV_DB = "JICENG_SERVER_DB"


def app_from_env() -> FastAPI:
    """The app factory uvicorn's workers call (configuration comes through the environment)."""
    url = os.environ.get(ENV_DB) or None
    engine = server_engine(url, paths.default_data_dir(), os.environ.get("JICENG_PASSPHRASE", ""))
    return create_app(engine, ServerLimits.from_env())


class ProxyOptions(TypedDict):
    proxy_headers: bool
    forwarded_allow_ips: str
    server_header: bool


def uvicorn_options(forwarded_allow_ips: str = "") -> ProxyOptions:
    """How uvicorn treats ``X-Forwarded-For``: trusted only from the proxies the
    administrator names. uvicorn's own default trusts 127.0.0.1, so a client on the server's
    machine — or any client, behind no proxy at all — could claim any address and slip past
    the per-address enrollment limit."""
    ips = forwarded_allow_ips.strip()
    return {"proxy_headers": bool(ips), "forwarded_allow_ips": ips or "", "server_header": False}


def log_config() -> dict[str, Any]:
    """uvicorn's logging, plus the server's own request lines (``jiceng.server``, from
    ``api.AccessLog``) on the same stream. uvicorn's access log stays off: it prints each
    request's query string, and a client can put anything there."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["jiceng"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(
    url: str | None,
    data_dir: Path,
    passphrase: str,
    host: str,
    port: int,
    workers: int,
    forwarded_allow_ips: str = "",
    limits: ServerLimits | None = None,
) -> None:
    import uvicorn

    engine = server_engine(url, data_dir, passphrase)
    prepare(engine)
    engine.dispose()
    os.environ[ENV_DB] = url or ""
    os.environ["JICENG_DATA_DIR"] = str(data_dir)
    os.environ["JICENG_PASSPHRASE"] = passphrase
    for name, value in vars(limits or ServerLimits.from_env()).items():
        os.environ[f"JICENG_LIMIT_{name.upper()}"] = str(value)
    uvicorn.run(
        "app.server.main:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=log_config(),
        access_log=False,
        **uvicorn_options(forwarded_allow_ips),
    )
