"""kill -9 of a process that is saving, at random moments (fault suite, item 1).

``JICENG_SAVE_KILLS`` kills (30 in ``make test``, 200 in ``make soak``). After each one the
data folder opens with no manual step, passes SQLite's integrity check, holds every save the
process reported committed, and holds no half save: each enterprise has its case, each case its
registration event, and every row its change in the change log (so it will sync).
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.models import ChangeLog, Enterprise, Issue, IssueEvent
from app.storage.store import open_store
from tests.helpers import PASSPHRASE, MakeReplica, committed, start_saver, wait_for_saves

KILLS = int(os.environ.get("JICENG_SAVE_KILLS", "30"))
def check(folder: Path, reported: set[str]) -> int:
    store = open_store(folder, PASSPHRASE)  # no manual step: opening is recovery
    try:
        with store.read() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            names = set(s.scalars(select(Enterprise.name)))
            titles = set(s.scalars(select(Issue.title)))
            saved = {n.removeprefix("企业") for n in names}
            missing = reported - saved
            assert not missing, f"saves reported committed but gone: {sorted(missing)[:5]}"
            assert {t.removeprefix("诉求") for t in titles} == saved, "half a save"
            no_event = s.scalar(
                select(func.count())
                .select_from(Issue)
                .where(~select(IssueEvent.id).where(IssueEvent.issue_id == Issue.id).exists())
            )
            assert no_event == 0, "a case without its registration event"
            for model, name in ((Enterprise, "enterprise"), (Issue, "issue")):
                unlogged = s.scalar(
                    select(func.count())
                    .select_from(model)
                    .where(
                        ~select(ChangeLog.seq)
                        .where(ChangeLog.entity == name, ChangeLog.row_id == model.id)
                        .exists()
                    )
                )
                assert unlogged == 0, f"{name} rows without their change"
            return len(saved)
    finally:
        store.close()


@pytest.mark.slow
def test_kill_9_while_saving_loses_nothing_reported(
    make_replica: MakeReplica, tmp_path: Path
) -> None:
    folder = make_replica().data_dir
    log = tmp_path / "committed.log"
    rng = random.Random(1)
    rows = 0
    for _ in range(KILLS):
        proc = start_saver(folder, log)
        try:
            wait_for_saves(log, len(committed(log)), proc)
            time.sleep(rng.uniform(0, 0.25))  # somewhere inside a later save
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        now = check(folder, committed(log))
        assert now >= rows
        rows = now
    assert rows >= KILLS
