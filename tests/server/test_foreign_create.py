"""A "create" of a row that already belongs to another district is refused like an edit.

A create carries every field of its row, so accepting one under an existing id would rename
(or re-parent) another district's enterprise outright. The server checks ownership for
creates as for edits, on SQLite and on PostgreSQL, and the row stays as its district has it.
"""

from __future__ import annotations

from sqlalchemy import select

from app.models import Enterprise
from tests.helpers import MakeReplica, add_enterprise, enroll, join, push, pushable, sync
from tests.server_helpers import LiveServer

A, B = "鼓楼区总工会", "台江区总工会"


def test_a_create_under_another_districts_row_id_is_refused(
    live_server: LiveServer, make_replica: MakeReplica
) -> None:
    owner = make_replica("甲", district=A)
    eid = add_enterprise(owner, "鼓楼甲方精密机械有限公司")
    join(live_server, owner)
    assert sync(owner).rejected == []
    intruder = make_replica("乙", district=B)
    add_enterprise(intruder, "冒名改写的企业")
    own_create = next(c for c in pushable(intruder) if c["entity"] == "enterprise")
    assert own_create["base_hlc"] is None  # a create
    forged = {**own_create, "row_id": eid}
    token = enroll(live_server, B, store=intruder)
    answer = push(live_server, token, [forged])[0]
    assert answer["status"] == "rejected" and "forbidden" in (answer["reason"] or "")
    with live_server.session() as s:
        name = s.scalar(select(Enterprise.name).where(Enterprise.id == eid))
    assert name == "鼓楼甲方精密机械有限公司"
