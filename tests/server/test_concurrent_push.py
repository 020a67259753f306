"""The same push sent 10 times at once (a client retrying over a bad link): each change is
stored once, accepted exactly once across all answers, and a duplicate everywhere else; a
change id reused with other content is refused and the original kept (fault suite, item 4)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from app.models import ChangeLog
from tests.helpers import MakeReplica, add_enterprise, add_issue, enroll, push, pushable
from tests.server_helpers import LiveServer

SENDS = 10


def test_ten_identical_pushes_at_once(live_server: LiveServer, make_replica: MakeReplica) -> None:
    cadre = make_replica(district="鼓楼区总工会")
    for i in range(5):
        add_issue(cadre, add_enterprise(cadre, f"企业{i}"))
    batch = pushable(cadre)
    token = enroll(live_server, store=cadre)
    start = threading.Barrier(SENDS)

    def send(_i: int) -> list[dict[str, Any]]:
        start.wait(timeout=30)
        return push(live_server, token, batch)

    with ThreadPoolExecutor(SENDS) as pool:
        answers = list(pool.map(send, range(SENDS)))
    ids = [f"{c['origin']}:{c['counter']}" for c in batch]
    accepted: Counter[str] = Counter()
    for answer in answers:
        assert [r["id"] for r in answer] == ids  # every answer names every change, in order
        assert {r["status"] for r in answer} <= {"accepted", "duplicate"}
        accepted.update(r["id"] for r in answer if r["status"] == "accepted")
    assert accepted == Counter(ids)  # exactly once each, whichever request got there first
    forged = {**batch[0], "fields": {**batch[0]["fields"], "name": "冒名企业"}}
    with ThreadPoolExecutor(SENDS) as pool:
        refusals = list(pool.map(lambda _i: push(live_server, token, [forged]), range(SENDS)))
    assert all(r[0]["status"] == "rejected" for r in refusals)
    with live_server.session() as s:
        stored = s.scalar(
            select(func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.origin == batch[0]["origin"])
        )
        assert stored == len(batch)
        kept = s.scalar(
            select(ChangeLog.fields).where(
                ChangeLog.origin == batch[0]["origin"], ChangeLog.counter == batch[0]["counter"]
            )
        )
    assert "冒名企业" not in str(kept)
