"""Small helpers for tests: moving changes between replicas, seeding records, dumping."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.schemas.enums import IssueCategory, Role, Urgency, VisitKind
from app.schemas.issues import IssueIn
from app.schemas.ledger import EnterpriseIn, VisitIn, WorkerIn
from app.services import enterprises, issues, visits, workers
from app.services.demo import DemoSpec, generate
from app.services.dump import dump_lines
from app.services.replica import init_replica
from app.storage.store import Store, create_store, open_store
from app.sync.log import all_changes
from app.sync.merge import MergeResult, apply_changes
from app.sync.replica import ReplicaState


def changes_of(store: Store) -> list[dict[str, Any]]:
    with store.read() as s:
        return all_changes(s)


def deliver(store: Store, changes: list[dict[str, Any]], **kw: Any) -> MergeResult:
    with store.write() as s:
        return apply_changes(s, changes, state=ReplicaState.load(s), **kw)


def sync_pair(a: Store, b: Store) -> None:
    deliver(b, changes_of(a))
    deliver(a, changes_of(b))


def dump(store: Store) -> list[str]:
    with store.read() as s:
        return list(dump_lines(s))


def dump_of(folder: Path) -> list[str]:
    """Open a data folder as the next start would (leftovers cleaned), check its integrity,
    and dump it."""
    from tests.conftest import PASSPHRASE

    store = open_store(folder, PASSPHRASE)
    try:
        with store.read() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        return dump(store)
    finally:
        store.close()


def demo_ledger(folder: Path, seed: int) -> Store:
    """A new cadre's data folder with a 1,500-case demo ledger, for the kill -9 tests."""
    from tests.conftest import PASSPHRASE

    store = create_store(folder, PASSPHRASE)
    with store.write() as s:
        init_replica(s, name="张驻点", role=Role.CADRE, district="鼓楼区总工会")
        generate(s, DemoSpec(enterprises=4, workers=400, visits=200, issues=1500, seed=seed))
    return store


def add_enterprise(store: Store, name: str = "南京宏达精密机械有限公司") -> str:
    with store.write() as s:
        return enterprises.create_enterprise(s, EnterpriseIn(name=name, headcount=120))


def add_worker(store: Store, enterprise_id: str, name: str = "李小红") -> str:
    with store.write() as s:
        return workers.create_worker(
            s, WorkerIn(enterprise_id=enterprise_id, name=name, phone="13812345678")
        )


def add_issue(
    store: Store, enterprise_id: str, title: str = "反映工资拖欠三个月", **kw: Any
) -> str:
    data = {
        "enterprise_id": enterprise_id,
        "title": title,
        "description": kw.pop("description", "职工反映所在车间工资拖欠三个月未发"),
        "category": kw.pop("category", IssueCategory.WAGES),
        "urgency": kw.pop("urgency", Urgency.NORMAL),
        "received_on": kw.pop("received_on", date.today()),
        **kw,
    }
    with store.write() as s:
        return issues.open_issue(s, IssueIn(**data))


def add_visit(store: Store, enterprise_id: str, **kw: Any) -> str:
    data = {
        "enterprise_id": enterprise_id,
        "visited_on": kw.pop("visited_on", date.today()),
        "kind": kw.pop("kind", VisitKind.SURVEY),
        "summary": kw.pop("summary", "到一车间了解职工工资发放情况"),
        **kw,
    }
    with store.write() as s:
        return visits.record_visit(s, VisitIn(**data))


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A one-sheet workbook with ``rows``, as a district office would receive it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
