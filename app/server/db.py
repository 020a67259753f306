"""The server's database: PostgreSQL when a URL is given, else SQLCipher in the data folder."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.ids import new_replica_id
from app.models import Replica
from app.schemas.enums import Role
from app.server import signing
from app.storage import migrate
from app.storage.engine import make_engine, write_engine
from app.sync.hlc import Clock
from app.sync.writer import utc_now

SERVER_DB = "server.db"
SERVER_NAME = "市总工会服务器"


def server_engine(url: str | None, data_dir: Path, passphrase: str) -> Engine:
    """An engine for ``url``; ``None`` or a ``sqlite`` URL means an encrypted SQLite file."""
    if url is None:
        data_dir.mkdir(parents=True, exist_ok=True)
        return make_engine(data_dir / SERVER_DB, passphrase, pool_size=8)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or data_dir / SERVER_DB)
        return make_engine(path, passphrase, pool_size=8)
    # Prepared statements, but planned for their actual values every time: after five runs
    # PostgreSQL would otherwise switch a statement to a generic plan, and for the batch
    # lookups (``row_id IN (…)`` with 500 values) that plan scans whole tables — 0.8 s a
    # batch at 100,000 rows, found with ``make bench``.
    return create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        hide_parameters=True,  # workers' personal data never reaches a log or a traceback
        connect_args={"options": "-c plan_cache_mode=force_custom_plan"},
    )


def writer(engine: Engine) -> Engine:
    """Write transactions: BEGIN IMMEDIATE on SQLite; PostgreSQL's default elsewhere."""
    return write_engine(engine) if engine.dialect.name == "sqlite" else engine


def prepare(engine: Engine) -> str:
    """Upgrade the schema to head and make sure the server has its replica identity.
    Run once, before any worker starts. Returns the server's replica id."""
    with writer(engine).begin() as conn:
        if engine.dialect.name == "postgresql":  # two starting servers must not race
            conn.execute(text("SELECT pg_advisory_xact_lock(7242001)"))
        migrate.upgrade(conn)
    with Session(writer(engine)) as session, session.begin():
        row = session.execute(select(Replica).where(Replica.id == 1)).scalar_one_or_none()
        if row is None:
            replica_id = new_replica_id()
            row = Replica(
                id=1,
                replica_id=replica_id,
                name=SERVER_NAME,
                role=Role.SERVER.value,
                district_id="",
                district_name="",
                code="SRV",
                counter=0,
                hlc=Clock(replica_id).last.encode(),
                created_at=utc_now(),
            )
            session.add(row)
        signing.ensure_key(session, row)
        signing.sign_own(session)  # what a server made before it had a key
        return row.replica_id
