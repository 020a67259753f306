"""Shared fixtures: real encrypted data folders, migrated by alembic, one per replica.

Migrating a new file costs a few hundred milliseconds, so the session makes one migrated
template and each test copies it; everything else (key, pragmas, replica identity) is the
real path.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app import paths
from app.schemas.enums import Role
from app.services.replica import init_replica
from app.storage.store import Store, create_store, open_store

PASSPHRASE = '测试口令 with spaces & "quotes"'

MakeReplica = Callable[..., Store]


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
