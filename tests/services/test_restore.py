"""``jiceng restore``: a backup put back in place, the replaced file kept, the replica's
counters never rewound, and every refusal leaving the data folder exactly as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app import paths
from app.models import Setting
from app.services.restore import COUNTER_MARGIN, NUMBER_MARGIN, restore
from app.storage import backup, migrate
from app.storage.backup import CARRIED_KEY_FILE
from app.storage.engine import make_engine
from app.storage.lock import USE_LOCK, FolderLock
from app.storage.store import SCHEMA_HEAD, Store, StoreError, open_store, stored_revision
from app.sync import keys
from app.sync.client import RECOVER_OWN
from app.sync.replica import ReplicaState
from tests.helpers import PASSPHRASE, MakeNode, MakeReplica, add_enterprise, add_issue, dump, jiceng


def marks(store: Store) -> tuple[int, str, int]:
    with store.read() as s:
        state = ReplicaState.load(s)
        return state.counter, state.clock.last.encode(), state.issue_seq


def numbers(store: Store) -> set[str]:
    return {line for line in dump(store) if '"number"' in line}


def take_backup(store: Store, folder: Path) -> Path:
    return backup.snapshot(store.engine, folder / "backup.db")


def reopen(store: Store) -> Store:
    return open_store(store.data_dir, PASSPHRASE)


def test_restore_keeps_the_current_file_and_never_rewinds(store: Store, tmp_path: Path) -> None:
    eid = add_enterprise(store)
    add_issue(store, eid, title="备份之前的诉求")
    saved = take_backup(store, tmp_path)
    at_backup, backed_up = marks(store), dump(store)
    add_issue(store, eid, title="备份之后的诉求")
    before_restore, current = marks(store), dump(store)
    store.close()

    report = restore(store.data_dir, saved, PASSPHRASE)

    assert report.current_readable and report.backup_counter == at_backup[0]
    assert report.kept is not None and report.kept.parent == paths.backups_dir(store.data_dir)
    restored = reopen(store)
    try:
        assert dump(restored) == backed_up  # the ledger is the backup's
        counter, hlc, seq = marks(restored)
        assert (counter, hlc, seq) == before_restore  # … but nothing already issued again
        add_issue(restored, eid, title="恢复之后的诉求")
        assert marks(restored)[0] > before_restore[0]
        assert not numbers(restored) & (set(current) - set(backed_up))  # no case number reused
        with restored.read() as s:  # the next sync, whenever there is one, fetches own work
            assert s.get(Setting, RECOVER_OWN) is not None
    finally:
        restored.close()
    kept = Path(report.kept).parent / "kept"
    kept.mkdir()
    (kept / paths.DB_NAME).write_bytes(Path(report.kept).read_bytes())
    with open_store(kept, PASSPHRASE) as old:
        assert dump(old) == current  # the replaced file, whole, in backups/


def test_restore_over_a_damaged_file_jumps_ahead(store: Store, tmp_path: Path) -> None:
    eid = add_enterprise(store)
    saved = take_backup(store, tmp_path)
    at_backup = marks(store)
    for _ in range(3):
        add_issue(store, eid)
    store.close()
    db = paths.db_path(store.data_dir)
    db.write_bytes(b"\x00" * 4096 + db.read_bytes()[4096:])  # the first page destroyed
    damaged = hashlib.sha256(db.read_bytes()).hexdigest()

    report = restore(store.data_dir, saved, PASSPHRASE)

    assert not report.current_readable and report.counter == at_backup[0] + COUNTER_MARGIN
    assert report.kept is not None and "damaged" in report.kept.name
    assert hashlib.sha256(report.kept.read_bytes()).hexdigest() == damaged  # kept, raw
    restored = reopen(store)
    try:
        assert marks(restored)[0] == at_backup[0] + COUNTER_MARGIN
        assert marks(restored)[2] == at_backup[2] + NUMBER_MARGIN
    finally:
        restored.close()


def test_restore_into_an_empty_folder(make_node: MakeNode, tmp_path: Path) -> None:
    """The laptop was lost: a new machine, a backup from the stick, nothing else. The backup
    carries the key file, so the new folder can sign and open bundles as before."""
    node = make_node("张驻点")
    keys.save(node.store.data_dir, node.keys, PASSPHRASE)
    add_issue(node.store, add_enterprise(node.store))
    saved = backup.snapshot(node.store.engine, tmp_path / "stick.db", data_dir=node.store.data_dir)
    expected = dump(node.store)
    fresh = tmp_path / "new-laptop"
    report = restore(fresh, saved, PASSPHRASE)
    assert report.kept is None and not report.current_readable and report.keys_restored
    assert keys.load(fresh, PASSPHRASE).public == node.keys.public
    assert oct(paths.keys_dir(fresh).stat().st_mode & 0o777) == "0o700"
    with open_store(fresh, PASSPHRASE) as restored:
        assert dump(restored) == expected
        with restored.read() as s:
            assert s.get(Setting, CARRIED_KEY_FILE) is None  # carried, not kept in the ledger
    with open_store(node.store.data_dir, PASSPHRASE) as live, live.read() as s:
        assert s.get(Setting, CARRIED_KEY_FILE) is None  # only the copy carried it


def test_keys_carried_by_a_backup_must_be_this_replicas(
    make_node: MakeNode, tmp_path: Path
) -> None:
    node, stranger = make_node("张驻点"), make_node("王陌生")
    keys.save(stranger.store.data_dir, stranger.keys, PASSPHRASE)
    saved = backup.snapshot(  # node's ledger, carrying the stranger's key file
        node.store.engine, tmp_path / "odd.db", data_dir=stranger.store.data_dir
    )
    fresh = tmp_path / "new-laptop"
    with pytest.raises(StoreError) as err:
        restore(fresh, saved, PASSPHRASE)
    assert (err.value.code, err.value.detail) == ("restore_damaged", "keys")
    assert not paths.db_path(fresh).exists() and not paths.key_file(fresh).exists()


def folder_state(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".lock"  # the empty lock files are not data
    }


def test_refusals_change_nothing(store: Store, make_replica: MakeReplica, tmp_path: Path) -> None:
    add_issue(store, add_enterprise(store))
    saved = take_backup(store, tmp_path)
    other = make_replica("李驻点")
    theirs = backup.snapshot(other.engine, tmp_path / "theirs.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    store.close()
    before = folder_state(store.data_dir)
    cases = [
        (saved, "另一个口令", "wrong_passphrase"),
        (theirs, PASSPHRASE, "restore_other_replica"),
        (junk, PASSPHRASE, "wrong_passphrase"),
        (tmp_path / "missing.db", PASSPHRASE, "restore_missing"),
        (saved, "", "no_passphrase"),
    ]
    for source, phrase, code in cases:
        with pytest.raises(StoreError) as err:
            restore(store.data_dir, source, phrase)
        assert err.value.code == code, (source, err.value)
        assert folder_state(store.data_dir) == before, code
    with FolderLock(store.data_dir), pytest.raises(StoreError) as err:  # the app is running
        restore(store.data_dir, saved, PASSPHRASE)
    assert err.value.code == "in_use"
    with open_store(store.data_dir, PASSPHRASE), pytest.raises(StoreError) as err:  # jiceng sync
        restore(store.data_dir, saved, PASSPHRASE)
    assert err.value.code == "in_use"
    assert folder_state(store.data_dir) == before


def test_nobody_opens_the_folder_while_a_restore_runs(store: Store) -> None:
    store.close()
    with FolderLock(store.data_dir, USE_LOCK), pytest.raises(StoreError) as err:
        open_store(store.data_dir, PASSPHRASE)  # as restore holds it
    assert err.value.code == "in_use"
    open_store(store.data_dir, PASSPHRASE).close()  # and once it is done, opening works


def test_an_orphaned_wal_is_kept_not_replayed(store: Store, tmp_path: Path) -> None:
    """The data file is gone but its WAL is still there: restoring must not let SQLite
    replay that WAL into the backup."""
    add_issue(store, add_enterprise(store))
    saved, expected = take_backup(store, tmp_path), dump(store)
    add_enterprise(store, "只在 WAL 里的企业")  # committed, still in the WAL
    db = paths.db_path(store.data_dir)
    wal = db.with_name(db.name + "-wal")
    orphan = wal.read_bytes()
    assert orphan
    store.close()
    db.unlink()  # the data file is lost; its WAL is not
    wal.write_bytes(orphan)
    report = restore(store.data_dir, saved, PASSPHRASE)
    assert report.kept is not None and "damaged" in report.kept.name
    assert report.kept.with_name(report.kept.name + "-wal").read_bytes() == orphan
    with open_store(store.data_dir, PASSPHRASE) as restored:
        assert dump(restored) == expected


def test_two_restores_in_one_second_keep_both_files(store: Store, tmp_path: Path) -> None:
    add_issue(store, add_enterprise(store))
    saved = take_backup(store, tmp_path)
    add_enterprise(store, "第一次恢复之前才有的企业")
    original = dump(store)
    store.close()
    first = restore(store.data_dir, saved, PASSPHRASE).kept
    second = restore(store.data_dir, saved, PASSPHRASE).kept
    assert first is not None and second is not None and first != second
    kept = tmp_path / "kept"
    kept.mkdir()
    paths.db_path(kept).write_bytes(first.read_bytes())
    with open_store(kept, PASSPHRASE) as old:
        assert dump(old) == original  # the only copy of the pre-restore ledger survived


def test_restore_from_the_command_line(store: Store, tmp_path: Path) -> None:
    add_issue(store, add_enterprise(store))
    saved, expected = take_backup(store, tmp_path), dump(store)
    add_enterprise(store, "南京恒远物流有限公司")
    store.close()
    folder = str(store.data_dir)
    asked = jiceng("restore", "--data-dir", folder, "--from", str(saved))
    assert asked.returncode == 1 and "--yes" in asked.stderr  # no terminal, no confirmation
    wrong = jiceng("restore", "--data-dir", folder, "--from", str(saved), "--yes", passphrase="x")
    assert wrong.returncode == 1 and "口令错误" in wrong.stderr
    done = jiceng("restore", "--data-dir", folder, "--from", str(saved), "--yes")
    assert done.returncode == 0, done.stderr
    assert "已从" in done.stdout and "before-restore" in done.stdout
    with open_store(store.data_dir, PASSPHRASE) as restored:
        assert dump(restored) == expected


def test_an_older_backup_is_upgraded_and_a_newer_one_refused(store: Store, tmp_path: Path) -> None:
    add_issue(store, add_enterprise(store))
    expected = dump(store)
    older = take_backup(store, tmp_path)
    newer = backup.snapshot(store.engine, tmp_path / "newer.db")
    store.close()
    with _raw(older) as engine, engine.execution_options(jiceng_begin="IMMEDIATE").begin() as conn:
        migrate.downgrade(conn, "0002")  # a backup made by the previous jiceng
    with _raw(newer) as engine, engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    before = folder_state(store.data_dir)
    with pytest.raises(StoreError) as err:
        restore(store.data_dir, newer, PASSPHRASE)
    assert (err.value.code, err.value.detail) == ("restore_newer", "0099")
    assert folder_state(store.data_dir) == before
    restore(store.data_dir, older, PASSPHRASE)
    with open_store(store.data_dir, PASSPHRASE) as restored:
        assert dump(restored) == expected
        assert stored_revision(restored.engine) == SCHEMA_HEAD


@contextmanager
def _raw(path: Path) -> Iterator[Engine]:
    engine = make_engine(path, PASSPHRASE)
    try:
        yield engine
    finally:
        engine.dispose()
