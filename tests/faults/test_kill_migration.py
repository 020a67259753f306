"""kill -9 while a data file is being upgraded (fault suite, item 8): the file is left at the
old schema or the new one, never a mix, and the next start finishes the job with no manual step.

A ledger is taken back one revision, then a real process opens it — which copies the file
aside and upgrades it — and is killed at random moments across that work.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app import paths
from app.storage import migrate
from app.storage.engine import make_engine
from app.storage.store import SCHEMA_HEAD, open_store
from tests.helpers import PASSPHRASE, demo_ledger, dump

KILLS = int(os.environ.get("JICENG_MIGRATION_KILLS", "6"))
PREVIOUS = "0002"
OPEN = "from pathlib import Path; import sys; from app.storage.store import open_store; " \
    "print('ready', flush=True); open_store(Path(sys.argv[1]), sys.argv[2]).close()"  # fmt: skip


def opening(folder: Path) -> subprocess.Popen[str]:
    """A process opening (and so upgrading) ``folder``, returned once its imports are done."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-c", OPEN, str(folder), PASSPHRASE], env=env, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def revision_and_tables(folder: Path) -> tuple[str, bool]:
    """Read the raw state without upgrading: the stored revision, and whether 0003's table
    exists."""
    engine = make_engine(paths.db_path(folder), PASSPHRASE)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            audit = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='audit_log'")
            ).first()
        return str(rev), audit is not None
    finally:
        engine.dispose()


@pytest.mark.slow
def test_kill_during_upgrade_leaves_old_or_new_schema(tmp_path: Path) -> None:
    original = tmp_path / "original"
    store = demo_ledger(original, seed=3)
    with store.engine.execution_options(jiceng_begin="IMMEDIATE").begin() as conn:
        migrate.downgrade(conn, PREVIOUS)
    store.close()
    # What an uninterrupted upgrade makes of it (a downgrade drops the newer columns' values).
    shutil.copytree(original, tmp_path / "reference")
    reference = open_store(tmp_path / "reference", PASSPHRASE)
    expected = dump(reference)
    reference.close()
    shutil.copytree(original, tmp_path / "calibrate")
    proc = opening(tmp_path / "calibrate")
    began = time.monotonic()
    assert proc.wait(60) == 0
    work = time.monotonic() - began  # copying aside and upgrading, start-up excluded
    rng = random.Random(4)
    seen: list[str] = []
    alive = 0
    for trial in range(KILLS):
        folder = tmp_path / f"trial{trial}"
        shutil.copytree(original, folder)
        proc = opening(folder)
        time.sleep((trial + rng.random()) / KILLS * work)  # one kill in each slice of it
        alive += proc.poll() is None  # still upgrading when the kill landed
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        rev, audit = revision_and_tables(folder)
        assert (rev, audit) in ((PREVIOUS, False), (SCHEMA_HEAD, True)), (rev, audit)
        seen.append(rev)
        reopened = open_store(folder, PASSPHRASE)  # the next start: no manual step
        try:
            assert dump(reopened) == expected
        finally:
            reopened.close()
        assert revision_and_tables(folder) == (SCHEMA_HEAD, True)
        assert not list(paths.backups_dir(folder).glob(".*.tmp-*"))  # no torn copy kept
    print(f"revisions after each kill: {seen} (an upgrade takes {work:.2f} s, {alive} hit live)")
    assert alive >= KILLS // 2, "the kills landed after the upgrades had finished"
    assert PREVIOUS in seen, "no kill interrupted an upgrade before it committed"
