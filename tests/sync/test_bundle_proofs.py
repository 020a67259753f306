"""Origin proofs on the bundle path: a cadre cannot slip another replica's change ids into a
district office by USB, and genuine relayed work still reaches everyone with its proofs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.models import ChangeLog
from app.sync.merge import apply_changes
from app.sync.replica import ReplicaState
from tests.helpers import add_enterprise, add_issue, changes_of, dump, export, imp


def _held(node, origin: str) -> int:  # type: ignore[no-untyped-def]
    with node.store.read() as s:
        return int(
            s.execute(
                select(func.count()).select_from(ChangeLog).where(ChangeLog.origin == origin)
            ).scalar_one()
        )


def test_forged_origin_in_a_bundle_is_refused(trio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b, d = trio
    victim = b.info.replica_id
    with b.store.read() as s:
        next_counter = ReplicaState.load(s).counter + 1
    add_enterprise(a, "南京甲方有限公司")
    forged = [
        {**c, "origin": victim, "counter": next_counter + i, "hlc": c["hlc"][:16] + victim}
        for i, c in enumerate(c for c in changes_of(a) if c["entity"] == "enterprise")
    ]
    with a.store.write() as s:  # the attacker's own file holds them (any tool could write it)
        apply_changes(s, forged, state=ReplicaState.load(s))
    report = imp(d, export(a, d, tmp_path / "a.jcb"))
    assert len(report.result.rejected) == len(forged)
    assert all("签名证明" in reason for _id, reason in report.result.rejected)
    assert _held(d, victim) == 0
    # the victim's genuine work under those ids arrives whole
    add_issue(b, add_enterprise(b, "南京乙方有限公司"))
    genuine = imp(d, export(b, d, tmp_path / "b.jcb"))
    assert genuine.result.rejected == []
    assert _held(d, victim) == len(changes_of(b))


def test_relayed_work_carries_its_proofs(trio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """b knows only the district; a's changes reach it with a's proofs and a's key."""
    a, b, d = trio
    add_issue(a, add_enterprise(a))
    imp(d, export(a, d, tmp_path / "a.jcb"))
    relayed = imp(b, export(d, b, tmp_path / "d-b.jcb"))
    assert relayed.result.rejected == []
    assert _held(b, a.info.replica_id) == len(changes_of(a))
    imp(d, export(b, d, tmp_path / "b-d.jcb"))
    imp(a, export(d, a, tmp_path / "d-a.jcb"))
    assert dump(a) == dump(b) == dump(d)


def test_a_tampered_relayed_change_is_refused(trio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b, d = trio
    add_enterprise(a, "南京真名有限公司")
    imp(d, export(a, d, tmp_path / "a.jcb"))
    with d.store.write() as s:  # the district office's copy altered behind the merge's back
        row = s.execute(
            select(ChangeLog).where(
                ChangeLog.origin == a.info.replica_id, ChangeLog.entity == "enterprise"
            )
        ).scalar_one()
        row.fields = row.fields.replace("南京真名有限公司", "南京假名有限公司")
    report = imp(b, export(d, b, tmp_path / "d-b.jcb"))
    assert any(cid == f"{a.info.replica_id}:{row.counter}" for cid, _r in report.result.rejected)
