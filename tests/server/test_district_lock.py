"""One district's push never waits on another's, and still waits on its own district's.

The log lock of district A is held from outside (as A's largest push would hold it while it
merges); a push from district B goes through and its changes are pullable meanwhile, while
A's next push waits for the lock and lands once it is released. PostgreSQL only: SQLite runs
one write transaction at a time by design, so there is nothing to isolate there.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text

from app.server.locks import LOG_SPACE, district_key
from app.services.replica import district_id_for
from tests.helpers import MakeReplica, add_enterprise, enroll, pull_all, push, pushable
from tests.server_helpers import serving

A, B = "鼓楼区总工会", "台江区总工会"


def test_a_held_district_blocks_only_itself(
    pg_database: str, tmp_path: Path, make_replica: MakeReplica
) -> None:
    cadre_a = make_replica("甲", district=A)
    cadre_b = make_replica("乙", district=B)
    add_enterprise(cadre_a, "甲方企业")
    add_enterprise(cadre_b, "乙方企业")
    with serving(pg_database, tmp_path / "server") as (server, _thread):
        token_a = enroll(server, A, store=cadre_a)
        token_b = enroll(server, B, store=cadre_b)
        reader_b = enroll(server, B)
        with server.engine.connect() as holder, ThreadPoolExecutor(1) as pool:
            holder.execute(
                text("SELECT pg_advisory_xact_lock(:s, :k)"),
                {"s": LOG_SPACE, "k": district_key(district_id_for(A))},
            )
            waiting = pool.submit(push, server, token_a, pushable(cadre_a))
            answers_b = push(server, token_b, pushable(cadre_b))
            assert {r["status"] for r in answers_b} == {"accepted"}
            names = {c["fields"].get("name") for c in pull_all(server, reader_b)}
            assert "乙方企业" in names
            assert not waiting.done(), "district A's push ran while A's log lock was held"
            holder.rollback()  # A's lock released: its push goes on
            answers_a = waiting.result(timeout=60)
        assert {r["status"] for r in answers_a} == {"accepted"}
