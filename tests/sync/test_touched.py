"""The core reports what a transaction wrote (``app.sync.touched``): the kinds of record a
service's write or a received batch really changed, and nothing for a write that changed
nothing. The GUI refreshes its screens from this alone (tests/ui/test_edit_forms.py checks
every form against the rows that changed)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import Worker
from app.schemas.ledger import EnterpriseIn, WorkerIn
from app.services import enterprises, privacy, workers
from app.services.common import get_live
from app.services.deadlines import load_policy, save_policy
from app.storage.store import Store
from app.sync import touched
from app.sync.client import forget_refusals
from app.sync.merge import apply_changes
from app.sync.replica import ReplicaState
from tests.helpers import MakeNode, changes_of


def _ledger(store: Store) -> tuple[str, str]:
    with store.write() as s:
        enterprise_id = enterprises.create_enterprise(s, EnterpriseIn(name="星火机械厂"))
        worker_id = workers.create_worker(
            s, WorkerIn(enterprise_id=enterprise_id, name="王建国", phone="13800001111")
        )
    return enterprise_id, worker_id


def _written(store: Store, work, *, watched: bool = False) -> frozenset[str]:  # type: ignore[no-untyped-def]
    with store.write() as s:
        if watched:
            touched.watch(s)
        work(s)
    return touched.seen(s)


def test_a_service_write_reports_the_kinds_it_wrote(store: Store) -> None:
    def create(s: Session) -> None:
        enterprise_id = enterprises.create_enterprise(s, EnterpriseIn(name="红旗纺织厂"))
        workers.create_worker(s, WorkerIn(enterprise_id=enterprise_id, name="李秀英"))

    assert _written(store, create) == {"enterprise", "worker"}


def test_a_write_that_changes_nothing_reports_nothing(store: Store) -> None:
    enterprise_id, worker_id = _ledger(store)
    same = WorkerIn(enterprise_id=enterprise_id, name="王建国", phone="13800001111")
    assert _written(store, lambda s: workers.update_worker(s, worker_id, same)) == frozenset()
    assert _written(store, lambda s: save_policy(s, load_policy(s)), watched=True) == frozenset()


def test_an_edit_reports_its_kind_only(store: Store) -> None:
    enterprise_id, worker_id = _ledger(store)
    moved = WorkerIn(enterprise_id=enterprise_id, name="王建国", phone="13900002222")
    assert _written(store, lambda s: workers.update_worker(s, worker_id, moved)) == {"worker"}


def test_a_watched_session_also_reports_local_tables(store: Store) -> None:
    _enterprise_id, worker_id = _ledger(store)
    # An ORM object flushed (the audit entry of a reveal), and a DML statement (a DELETE).
    reveal = _written(
        store, lambda s: privacy.reveal_worker(s, worker_id, "核对联系方式"), watched=True
    )
    assert reveal == {"audit_log"}
    assert _written(store, forget_refusals, watched=True) == {"sync_rejection"}
    # Unwatched, only what went through the merge is reported.
    assert _written(store, lambda s: privacy.reveal_worker(s, worker_id, "再次核对")) == set()


def test_a_received_batch_reports_what_it_changed(make_node: MakeNode) -> None:
    zhang, li = make_node("张"), make_node("李")
    _ledger(zhang.store)
    received = changes_of(zhang.store)

    def merge(s: Session) -> None:
        apply_changes(s, received, state=ReplicaState.load(s))

    assert _written(li.store, merge) == {"enterprise", "worker"}
    assert _written(li.store, merge) == frozenset()  # the same batch again: all duplicates


def test_a_row_read_again_after_a_write_in_the_same_transaction_is_current(
    store: Store,
) -> None:
    """The merge writes rows with plain SQL; an ORM copy the session already holds must not
    go stale, or a service passing a row it read (``ChangeWriter.update(stored=…)``) would
    compare against old values."""
    enterprise_id, worker_id = _ledger(store)
    with store.write() as s:
        held = get_live(s, Worker, worker_id)  # held, so the session keeps its copy
        assert held.phone == "13800001111"
        workers.update_worker(
            s, worker_id, WorkerIn(enterprise_id=enterprise_id, name="王建国", phone="13900002222")
        )
        assert get_live(s, Worker, worker_id) is held
        assert held.phone == "13900002222"

