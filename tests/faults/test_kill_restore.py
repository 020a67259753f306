"""kill -9 while a backup is being restored: the data folder holds the current ledger or the
backup's, whole, never a mix; the next start opens it with no manual step, and restoring again
completes. ``JICENG_RESTORE_KILLS`` trials (6 in ``make test``, 60 in ``make soak``), killed at
moments spread across the restore's own work (the child says when its imports are done), and
checked to have hit restores still running, some before they took effect."""

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

from app import paths
from app.services.restore import restore
from app.storage import backup
from app.storage.store import open_store
from app.sync.replica import ReplicaState
from tests.helpers import PASSPHRASE, add_enterprise, demo_ledger, dump, dump_of

KILLS = int(os.environ.get("JICENG_RESTORE_KILLS", "6"))
RESTORE = (
    "from pathlib import Path; import sys; from app.services.restore import restore; "
    "print('ready', flush=True); restore(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])"
)


def start(folder: Path, saved: Path) -> subprocess.Popen[str]:
    """A process restoring ``saved`` into ``folder``, returned once its imports are done."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-c", RESTORE, str(folder), str(saved), PASSPHRASE],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def counter_of(folder: Path) -> int:
    store = open_store(folder, PASSPHRASE)
    try:
        with store.read() as s:
            return ReplicaState.load(s).counter
    finally:
        store.close()


@pytest.mark.slow
def test_kill_during_restore(tmp_path: Path) -> None:
    original = tmp_path / "original"
    store = demo_ledger(original, seed=5)
    saved = backup.snapshot(store.engine, tmp_path / "stick" / "backup.db")
    backed_up = dump(store)
    add_enterprise(store, "备份之后新建的企业")
    store.close()
    current, counter = dump_of(original), counter_of(original)
    calibrate = tmp_path / "calibrate"
    shutil.copytree(original, calibrate)
    proc = start(calibrate, saved)
    began = time.monotonic()
    assert proc.wait(60) == 0
    work = time.monotonic() - began  # the restore itself, start-up excluded
    rng = random.Random(7)
    seen, alive = [], 0
    for trial in range(KILLS):
        folder = tmp_path / f"trial{trial}"
        shutil.copytree(original, folder)
        proc = start(folder, saved)
        # One kill in each slice of the restore's work: early, middle and late all get hit.
        time.sleep((trial + rng.random()) / KILLS * work)
        alive += proc.poll() is None  # still restoring when the kill landed
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        after = dump_of(folder)  # the next start: opens, whatever moment the kill hit
        assert after in (current, backed_up), f"trial {trial}: neither ledger"
        seen.append("backup" if after == backed_up else "current")
        assert not list(folder.glob(".*.tmp-*")), "a killed restore's temporary survived"
        restore(folder, saved, PASSPHRASE)  # and restoring again simply works
        assert dump_of(folder) == backed_up and counter_of(folder) >= counter
        assert not list(paths.backups_dir(folder).glob(".*.tmp-*"))
        shutil.rmtree(folder)
    print(f"ledger after each kill: {seen} (one restore takes {work:.2f} s, {alive} hit it live)")
    assert len(seen) == KILLS
    assert alive >= KILLS // 2, "the kills landed after the restores had finished"
    assert "current" in seen, "no kill interrupted a restore before it took effect"
