"""After a restore from backup, the next sync brings this replica's own later work back from
the server, and its new work is accepted: no change id is issued twice (SQLite and
PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import ChangeLog, Setting, SyncRejection
from app.services.restore import restore
from app.storage import backup
from app.storage.store import Store, open_store
from app.sync.client import RECOVER_OWN
from app.sync.replica import ReplicaState
from app.sync.writer import ChangeWriter
from tests.helpers import (
    PASSPHRASE,
    MakeReplica,
    add_enterprise,
    add_issue,
    dump,
    join,
    pushable,
    sync,
)
from tests.server_helpers import LiveServer


@pytest.mark.parametrize("current", ["readable", "destroyed"])
def test_own_work_after_the_backup_comes_back(
    live_server: LiveServer, make_replica: MakeReplica, tmp_path: Path, current: str
) -> None:
    a = make_replica("张驻点", district="鼓楼区总工会")
    b = make_replica("李驻点", district="鼓楼区总工会")
    join(live_server, a)
    join(live_server, b)
    eid = add_enterprise(a)
    add_issue(a, eid, title="备份之前的诉求")
    sync(a)
    saved = backup.snapshot(a.engine, tmp_path / "daily.db")
    later = add_issue(a, eid, title="备份之后、已同步的诉求")
    with a.write() as s, ChangeWriter(s) as w:
        w.update("issue", later, {"urgency": "urgent"})
    sync(a)
    a.close()
    if current == "destroyed":
        Path(a.data_dir / "jiceng.db").write_bytes(b"\0" * 8192)

    restore(a.data_dir, saved, PASSPHRASE)
    a = open_store(a.data_dir, PASSPHRASE)
    try:
        assert not any("备份之后" in line for line in dump(a))
        add_issue(a, eid, title="恢复之后的诉求")  # work goes on before any sync
        sync(a)
        sync(b)
        after = dump(a)
        assert after == dump(b)
        assert any("备份之后、已同步的诉求" in line for line in after)
        assert any('"urgency":"urgent"' in line for line in after)
        assert any("恢复之后的诉求" in line for line in after)
        with a.read() as s:
            assert s.get(Setting, RECOVER_OWN) is None  # fetched back once, then done
            assert s.execute(select(SyncRejection)).first() is None  # no id clashed
        assert _stored_once(live_server, a)
    finally:
        a.close()


def _stored_once(server: LiveServer, store: Store) -> bool:
    with store.read() as s:
        origin = ReplicaState.load(s).replica_id
    mine = [c for c in pushable(store) if c["origin"] == origin]
    with server.session() as s:
        total, distinct = s.execute(
            select(func.count(), func.count(ChangeLog.counter.distinct())).where(
                ChangeLog.origin == origin
            )
        ).one()
    return total == distinct == len(mine)
