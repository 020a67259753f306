"""Shared fixtures: real encrypted data folders, migrated by alembic, one per replica.

Migrating a new file costs a few hundred milliseconds, so the session makes one migrated
template and each test copies it; everything else (key, pragmas, replica identity) is the
real path.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import keyring
import psycopg
import pytest
from keyring.backends import fail

from app import paths
from app.schemas.enums import Role
from app.services.replica import init_replica, replica_info
from app.storage.store import Store, create_store, open_store
from tests.helpers import (
    PASSPHRASE,
    PG_ADMIN,
    PG_URL,
    MakeNode,
    MakeReplica,
    MemoryKeyring,
    Node,
    give_keys,
    require_postgres,
)


@pytest.fixture(autouse=True)
def _today_is_today(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test module's ``TODAY`` is read when the module is collected; a run that crosses
    midnight would then compare yesterday with the services' today (six failures once, in a
    CI run started at 23:58). Each test starts with the date of its own start."""
    if isinstance(getattr(request.module, "TODAY", None), date):
        monkeypatch.setattr(request.module, "TODAY", date.today())


# ---- PostgreSQL: a fresh database per test; skipped with a reason when absent, except that
# under CI=true an unreachable server fails the test instead (tests/helpers.py's
# require_postgres).


@pytest.fixture
def pg_database() -> Iterator[str]:
    require_postgres()
    name = f"jiceng_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.format(db=name)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')




@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JICENG_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("JICENG_DATA_DIR", str(tmp_path / "default-data"))


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    store = create_store(folder, PASSPHRASE)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return folder


@pytest.fixture
def make_replica(tmp_path: Path, template_dir: Path) -> Iterator[MakeReplica]:
    """Factory of initialised replicas, each in its own data folder."""
    opened: list[Store] = []

    def make(
        name: str = "张驻点",
        role: Role = Role.CADRE,
        district: str = "鼓楼区总工会",
        code: str | None = None,
    ) -> Store:
        folder = tmp_path / f"replica-{len(opened)}"
        folder.mkdir(mode=0o700)
        shutil.copy2(paths.db_path(template_dir), paths.db_path(folder))
        store = open_store(folder, PASSPHRASE)
        with store.write() as session:
            init_replica(session, name=name, role=role, district=district, code=code)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_replica: MakeReplica) -> Store:
    return make_replica()



@pytest.fixture
def make_node(make_replica: MakeReplica) -> MakeNode:
    def make(name: str = "张驻点", role: Role = Role.CADRE, **kw: object) -> Node:
        store = make_replica(name, role=role, **kw)
        pairs = give_keys(store)
        with store.read() as s:
            info = replica_info(s)
        return Node(store, pairs, info)

    return make


# ---- the OS keyring ---------------------------------------------------------------------



@pytest.fixture(autouse=True)
def _no_os_keyring() -> Iterator[None]:
    """No test reads or writes the keyring of the machine it runs on."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def os_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
