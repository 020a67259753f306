"""The printed per-case form's contents (``app.services.case_form``): what it shows and hides."""

from __future__ import annotations

from datetime import date, timedelta

from app.schemas.enums import EventKind, FollowUpMethod, IssueStatus, Satisfaction
from app.schemas.issues import NoteIn, TransitionIn
from app.schemas.ledger import WorkerIn
from app.services import issues, workers
from app.services.case_form import case_form, find_by_number
from app.storage.store import Store
from tests.helpers import add_enterprise, add_issue

TODAY = date.today()
ID_NUMBER = "11010519491231002X"


def worker(store: Store, enterprise_id: str, name: str = "李小红") -> str:
    with store.write() as s:
        return workers.create_worker(
            s,
            WorkerIn(
                enterprise_id=enterprise_id, name=name, phone="13812345678", id_number=ID_NUMBER
            ),
        )


def move(store: Store, issue_id: str, to: IssueStatus, **kw: object) -> None:
    with store.write() as s:
        issues.transition(s, issue_id, TransitionIn(to_status=to, **kw))  # type: ignore[arg-type]


def test_form_of_a_handled_case(store: Store) -> None:
    eid = add_enterprise(store)
    iid = add_issue(store, eid, worker_id=worker(store, eid), assignee="张驻点")
    move(store, iid, IssueStatus.ACCEPTED)
    move(store, iid, IssueStatus.IN_PROGRESS, note="约谈企业人事")
    with store.write() as s:
        issues.add_note(s, iid, NoteIn(text="企业承诺月底前补发"))
    move(store, iid, IssueStatus.REFERRED, department="人社局劳动保障监察大队")
    move(store, iid, IssueStatus.RESOLVED, resolution="企业已补发全部工资", on=TODAY)
    move(
        store,
        iid,
        IssueStatus.FOLLOWED_UP,
        method=FollowUpMethod.PHONE,
        satisfaction=Satisfaction.SATISFIED,
        on=TODAY,
    )
    with store.read() as s:
        form = case_form(s, iid)
        assert find_by_number(s, form.number) == iid
        assert find_by_number(s, f"  {form.number} ") == iid
        assert find_by_number(s, "XX-0000-0000") is None
    assert form.title == "反映工资拖欠三个月"
    assert form.enterprise == "南京宏达精密机械有限公司"
    assert form.complainant == "李小红"
    assert form.phone == "138****5678" and "12345678" not in form.phone
    assert form.id_number == "1101********002X"
    assert form.received_on == TODAY and form.assignee == "张驻点"
    assert form.status == IssueStatus.FOLLOWED_UP
    assert form.referred_to == "人社局劳动保障监察大队"
    assert form.resolution == "企业已补发全部工资" and form.resolved_on == TODAY
    assert form.followed_up_on == TODAY
    assert form.follow_up_method == FollowUpMethod.PHONE
    assert form.satisfaction == Satisfaction.SATISFIED
    steps = [(e.kind, e.to_status) for e in form.events]
    assert steps == [
        (EventKind.TRANSITION, IssueStatus.REGISTERED),
        (EventKind.TRANSITION, IssueStatus.ACCEPTED),
        (EventKind.TRANSITION, IssueStatus.IN_PROGRESS),
        (EventKind.NOTE, None),
        (EventKind.TRANSITION, IssueStatus.REFERRED),
        (EventKind.TRANSITION, IssueStatus.RESOLVED),
        (EventKind.TRANSITION, IssueStatus.FOLLOWED_UP),
    ]
    assert [e.occurred_at for e in form.events] == sorted(e.occurred_at for e in form.events)
    assert form.events[2].note == "约谈企业人事" and form.events[3].note == "企业承诺月底前补发"


def test_confidential_complainant_is_masked_with_contacts(store: Store) -> None:
    eid = add_enterprise(store)
    iid = add_issue(store, eid, worker_id=worker(store, eid, "王秘密"), confidential=True)
    with store.read() as s:
        form = case_form(s, iid)
    assert form.confidential and form.complainant == "（保密）"
    assert form.phone == "" and form.id_number == ""
    assert "王秘密" not in repr(form) and "5678" not in repr(form)


def test_collective_case_without_a_worker(store: Store) -> None:
    eid = add_enterprise(store)
    iid = add_issue(
        store, eid, collective=True, people_count=37, received_on=TODAY - timedelta(days=2)
    )
    with store.read() as s:
        form = case_form(s, iid)
    assert form.collective and form.people_count == 37 and form.complainant == "37人"
    assert form.phone == "" and form.resolved_on is None and form.events[0].actor
