"""The data file: encrypted, set up the same way on every connection, made by alembic."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import event, text

from app import paths
from app.storage import migrate
from app.storage.engine import CONNECTION_PRAGMAS, make_engine, sqlite_is_safe, sqlite_version
from app.storage.store import Store, StoreError, create_store, open_store
from tests.helpers import PASSPHRASE


def test_new_store_is_encrypted_and_private(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    store = create_store(folder, PASSPHRASE)
    with store.write() as s:
        s.execute(text("INSERT INTO setting (key, value) VALUES ('canary', '王小明13812345678')"))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    db = paths.db_path(folder)
    raw = db.read_bytes()
    assert b"SQLite format 3" not in raw
    assert "王小明".encode() not in raw and b"13812345678" not in raw
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_wrong_passphrase_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    create_store(tmp_path, PASSPHRASE).close()
    before = paths.db_path(tmp_path).read_bytes()
    with pytest.raises(StoreError) as err:
        open_store(tmp_path, "not the passphrase")
    assert err.value.code == "wrong_passphrase"
    assert paths.db_path(tmp_path).read_bytes() == before


def test_plain_sqlite_cannot_read_it(tmp_path: Path) -> None:
    create_store(tmp_path, PASSPHRASE).close()
    plain = sqlcipher3.connect(str(paths.db_path(tmp_path)))  # no key at all
    with pytest.raises(sqlcipher3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_no_passphrase_no_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        create_store(tmp_path, "")
    assert err.value.code == "no_passphrase"
    assert not paths.db_path(tmp_path).exists()


def test_refuses_to_create_over_an_existing_file(tmp_path: Path) -> None:
    create_store(tmp_path, PASSPHRASE).close()
    with pytest.raises(StoreError) as err:
        create_store(tmp_path, PASSPHRASE)
    assert err.value.code == "already_initialised"


def test_open_missing_folder_says_not_initialised(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        open_store(tmp_path / "nothing", PASSPHRASE)
    assert err.value.code == "not_initialised"


def test_every_connection_gets_the_pragmas(store: Store) -> None:
    seen = []

    @event.listens_for(store.engine, "connect")
    def _record(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
        seen.append(dbapi_conn)

    # Force fresh connections beyond the pooled ones.
    store.engine.dispose()
    conns = [store.engine.connect() for _ in range(3)]
    try:
        for conn in conns:
            for name, _value, expected in CONNECTION_PRAGMAS:
                assert conn.exec_driver_sql(f"PRAGMA {name}").scalar() == expected, name
            assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
    finally:
        for conn in conns:
            conn.close()
    assert len(seen) == 3


def test_sqlite_in_use_has_the_wal_reset_fix() -> None:
    assert sqlite_is_safe(sqlite_version())
    assert sqlite_is_safe((3, 51, 3)) and sqlite_is_safe((3, 53, 0))
    assert sqlite_is_safe((3, 50, 7)) and sqlite_is_safe((3, 44, 6))
    assert not sqlite_is_safe((3, 51, 2)) and not sqlite_is_safe((3, 50, 6))
    assert not sqlite_is_safe((3, 44, 5)) and not sqlite_is_safe((3, 40, 1))
    assert not sqlite_is_safe((3, 45, 0))


def test_write_transaction_rolls_back_ddl_and_rows(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as s:
        s.execute(text("CREATE TABLE scratch (x INTEGER)"))
        s.execute(text("INSERT INTO setting (key, value) VALUES ('k', 'v')"))
        raise RuntimeError("boom")
    with store.read() as s:
        assert s.execute(text("SELECT count(*) FROM setting WHERE key='k'")).scalar() == 0
        names = s.execute(text("SELECT name FROM sqlite_master WHERE name='scratch'")).all()
        assert names == []


def test_nested_savepoint_rolls_back_alone(store: Store) -> None:
    with store.write() as s:
        s.execute(text("INSERT INTO setting (key, value) VALUES ('outer', '1')"))
        with pytest.raises(RuntimeError), s.begin_nested():
            s.execute(text("INSERT INTO setting (key, value) VALUES ('inner', '1')"))
            raise RuntimeError("boom")
    with store.read() as s:
        keys = set(s.execute(text("SELECT key FROM setting")).scalars())
    assert "outer" in keys and "inner" not in keys


def test_schema_from_migrations_matches_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        assert migrate.schema_differences(conn) == []


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path) -> None:
    store = create_store(tmp_path, PASSPHRASE)
    writer = store.engine.execution_options(jiceng_begin="IMMEDIATE")
    with writer.begin() as conn:
        migrate.downgrade(conn, "base")
    with store.engine.connect() as conn:
        left = (
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type IN ('table','trigger') "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
            .scalars()
            .all()
        )
        assert left == []
    with writer.begin() as conn:
        migrate.upgrade(conn)
    with store.engine.connect() as conn:
        assert migrate.schema_differences(conn) == []
    store.close()


EXTRA_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("extra_for_test", sa.Column("x", sa.Integer))


def downgrade():
    op.drop_table("extra_for_test")
"""


def test_pending_migration_backs_up_the_file_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    store = create_store(folder, PASSPHRASE)
    with store.write() as s:
        s.execute(text("INSERT INTO setting (key, value) VALUES ('before', 'upgrade')"))
    store.close()
    # A newer jiceng brings one more revision: opening the old file must copy it aside first.
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    extra = EXTRA_REVISION.format(head=migrate.head_revision())
    (scripts / "versions" / "9999_extra.py").write_text(extra)
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    import app.storage.store as store_module

    monkeypatch.setattr(store_module, "SCHEMA_HEAD", "9999")  # as that jiceng would declare

    store = open_store(folder, PASSPHRASE)
    with store.read() as s:
        assert s.execute(text("SELECT count(*) FROM extra_for_test")).scalar() == 0
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    store.close()
    backups = list(paths.backups_dir(folder).glob("jiceng-*-before-9999.db"))
    assert len(backups) == 1
    copy = make_engine(backups[0], PASSPHRASE)
    with copy.connect() as conn:
        value = conn.exec_driver_sql("SELECT value FROM setting WHERE key='before'").scalar()
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
    copy.dispose()
    assert value == "upgrade" and "extra_for_test" not in tables
    assert b"upgrade" not in backups[0].read_bytes()  # the backup is encrypted too


def test_up_to_date_file_makes_no_backup(tmp_path: Path) -> None:
    create_store(tmp_path, PASSPHRASE).close()
    open_store(tmp_path, PASSPHRASE).close()
    assert not paths.backups_dir(tmp_path).exists()


def test_the_fast_start_check_knows_the_newest_migration() -> None:
    """``open_store`` skips alembic when the file is at SCHEMA_HEAD; it must be the head."""
    from app.storage.store import SCHEMA_HEAD

    assert migrate.head_revision() == SCHEMA_HEAD
