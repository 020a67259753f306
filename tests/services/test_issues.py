"""Cases: registering, the lifecycle, numbers, deadlines, timeline, links, confidentiality."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.models import Issue
from app.schemas.base import InputError
from app.schemas.enums import FollowUpMethod, IssueCategory, IssueStatus, Satisfaction, Urgency
from app.schemas.issues import IssueEditIn, IssueIn, NoteIn, TransitionIn
from app.services import issues, privacy
from app.services.deadlines import DeadlinePolicy, load_policy, save_policy
from app.services.errors import NotFoundError, RuleError
from app.services.issue_detail import issue_detail
from app.services.issue_list import IssueFilter, count_issues, issue_ids, list_issues
from app.services.replica import replica_info
from app.services.reports import Period, Scope, open_cases
from app.services.workbook import export_workbook
from app.storage.store import Store
from tests.helpers import (
    MakeReplica,
    add_enterprise,
    add_issue,
    add_worker,
    changes_of,
    deliver,
    sync_pair,
)

TODAY = date.today()


def move(store: Store, issue_id: str, to: IssueStatus, **kw: object) -> None:
    with store.write() as s:
        issues.transition(s, issue_id, TransitionIn(to_status=to, **kw))  # type: ignore[arg-type]


def test_full_lifecycle_to_follow_up_with_satisfaction(store: Store) -> None:
    eid = add_enterprise(store)
    iid = add_issue(store, eid)
    move(store, iid, IssueStatus.ACCEPTED)
    move(store, iid, IssueStatus.IN_PROGRESS, note="约谈企业人事")
    move(store, iid, IssueStatus.REFERRED, department="人社局劳动保障监察大队")
    move(store, iid, IssueStatus.RESOLVED, resolution="企业已补发全部工资")
    with pytest.raises(ValueError, match="回访须填写回访方式"):
        move(store, iid, IssueStatus.FOLLOWED_UP, satisfaction=Satisfaction.SATISFIED)
    move(
        store,
        iid,
        IssueStatus.FOLLOWED_UP,
        satisfaction=Satisfaction.SATISFIED,
        method=FollowUpMethod.VISIT,
    )
    with store.read() as s:
        detail = issue_detail(s, iid, TODAY, replica_info(s).replica_id)
        assert s.get(Issue, iid).follow_up_method == "home_visit"  # type: ignore[union-attr]
    assert detail.row.status == "followed_up"
    assert detail.satisfaction == "satisfied" and detail.resolution == "企业已补发全部工资"
    assert detail.referred_to == "人社局劳动保障监察大队"
    assert detail.resolved_on == TODAY == detail.followed_up_on
    assert [e.to_status for e in detail.events] == [
        "registered",
        "accepted",
        "in_progress",
        "referred",
        "resolved",
        "followed_up",
    ]
    assert detail.allowed == [IssueStatus.IN_PROGRESS]  # only re-opening is left


def test_illegal_transition_is_refused_with_a_clear_message(store: Store) -> None:
    iid = add_issue(store, add_enterprise(store))
    with pytest.raises(RuleError) as err:
        move(store, iid, IssueStatus.RESOLVED, resolution="x")
    assert err.value.code == "illegal_transition"
    assert "登记" in err.value.message and "已办结" in err.value.message
    assert "受理" in err.value.message  # says what is allowed instead
    with store.read() as s:
        assert s.get(Issue, iid).status == "registered"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (IssueStatus.REFERRED, "转办部门"),
        (IssueStatus.RESOLVED, "办理结果"),
        (IssueStatus.FOLLOWED_UP, "满意度"),
        (IssueStatus.DECLINED, "理由"),
    ],
)
def test_transitions_ask_for_what_they_need(target: IssueStatus, message: str) -> None:
    with pytest.raises(InputError) as err:
        TransitionIn.parse({"to_status": target})
    assert message in str(err.value)


def test_reopening_clears_the_outcome(store: Store) -> None:
    iid = add_issue(store, add_enterprise(store))
    for step in (IssueStatus.ACCEPTED, IssueStatus.IN_PROGRESS):
        move(store, iid, step)
    move(store, iid, IssueStatus.RESOLVED, resolution="已解决")
    move(store, iid, IssueStatus.IN_PROGRESS, note="回访发现问题反复")
    with store.read() as s:
        issue = s.get(Issue, iid)
        assert issue is not None and issue.resolved_on is None and issue.status == "in_progress"


def test_reopening_a_followed_up_case_clears_every_outcome_field(store: Store) -> None:
    """Back to 办理中 after a follow-up: no 办结日期, 回访日期, 满意度 or 回访方式 is left to
    count it as closed or satisfied in reports; a second resolution replaces the first."""
    iid = add_issue(store, add_enterprise(store))
    for step in (IssueStatus.ACCEPTED, IssueStatus.IN_PROGRESS):
        move(store, iid, step)
    move(store, iid, IssueStatus.RESOLVED, resolution="第一次办结")
    move(
        store,
        iid,
        IssueStatus.FOLLOWED_UP,
        satisfaction=Satisfaction.DISSATISFIED,
        method=FollowUpMethod.PHONE,
    )
    move(store, iid, IssueStatus.IN_PROGRESS, note="职工不满意，重新办理")
    with store.read() as s:
        issue = s.get(Issue, iid)
        assert issue is not None and issue.status == "in_progress"
        outcome = (
            issue.resolved_on,
            issue.followed_up_on,
            issue.satisfaction,
            issue.follow_up_method,
        )
        assert outcome == (None, None, None, None)
    move(store, iid, IssueStatus.RESOLVED, resolution="第二次办结")
    with store.read() as s:
        issue = s.get(Issue, iid)
        assert issue is not None and issue.resolution == "第二次办结"
        assert issue.resolved_on == TODAY and issue.followed_up_on is None


def test_reconsidering_a_declined_case_clears_the_reason(store: Store) -> None:
    iid = add_issue(store, add_enterprise(store))
    move(store, iid, IssueStatus.DECLINED, reason="不属于工会受理范围")
    with store.read() as s:
        assert s.get(Issue, iid).decline_reason == "不属于工会受理范围"  # type: ignore[union-attr]
    move(store, iid, IssueStatus.ACCEPTED, note="经复核予以受理")
    with store.read() as s:
        issue = s.get(Issue, iid)
        assert issue is not None and issue.status == "accepted" and issue.decline_reason is None


@pytest.mark.parametrize("target", [IssueStatus.RESOLVED, IssueStatus.FOLLOWED_UP])
def test_an_outcome_dated_before_registration_is_refused(store: Store, target: IssueStatus) -> None:
    iid = add_issue(store, add_enterprise(store))
    for step in (IssueStatus.ACCEPTED, IssueStatus.IN_PROGRESS):
        move(store, iid, step)
    if target == IssueStatus.FOLLOWED_UP:
        move(store, iid, IssueStatus.RESOLVED, resolution="已解决")
    with store.read() as s:
        registered = s.get(Issue, iid).received_on  # type: ignore[union-attr]
    extra = (
        {"resolution": "太早的办结"}
        if target == IssueStatus.RESOLVED
        else {"satisfaction": Satisfaction.SATISFIED, "method": FollowUpMethod.PHONE}
    )
    with pytest.raises(InputError) as err:
        move(store, iid, target, on=registered - timedelta(days=1), **extra)
    assert err.value.errors[0].field == "on" and "登记日期" in str(err.value)
    move(store, iid, target, on=registered, **extra)  # the same day is allowed
    with store.read() as s:
        assert s.get(Issue, iid).status == target.value  # type: ignore[union-attr]


def test_numbers_are_per_replica_per_year_and_unique(make_replica: MakeReplica) -> None:
    a = make_replica("甲", code="GL01")
    b = make_replica("乙", code="GL02")
    ea, eb = add_enterprise(a), add_enterprise(b)
    numbers = [
        *(add_issue(a, ea) for _ in range(3)),
        add_issue(a, ea, received_on=date(TODAY.year - 1, 12, 30)),
        *(add_issue(b, eb) for _ in range(2)),
    ]
    sync_pair(a, b)
    with a.read() as s:
        got = [s.get(Issue, i).number for i in numbers]  # type: ignore[union-attr]
    y = TODAY.year
    assert got == [
        f"GL01-{y}-0001",
        f"GL01-{y}-0002",
        f"GL01-{y}-0003",
        f"GL01-{y - 1}-0001",
        f"GL02-{y}-0001",
        f"GL02-{y}-0002",
    ]


def test_due_dates_follow_the_policy(store: Store) -> None:
    eid = add_enterprise(store)
    urgent = add_issue(store, eid, urgency=Urgency.URGENT, category=IssueCategory.TRAINING)
    wages = add_issue(store, eid, urgency=Urgency.NORMAL, category=IssueCategory.WAGES)
    normal = add_issue(store, eid, urgency=Urgency.NORMAL, category=IssueCategory.TRAINING)
    with store.write() as s:
        policy = load_policy(s)
        save_policy(
            s,
            policy.model_copy(update={"urgency_days": {**policy.urgency_days, Urgency.NORMAL: 20}}),
        )
    later = add_issue(store, eid, urgency=Urgency.NORMAL, category=IssueCategory.TRAINING)
    with store.read() as s:
        due = {i: s.get(Issue, i).due_on for i in (urgent, wages, normal, later)}  # type: ignore[union-attr]
    assert due[urgent] == TODAY + timedelta(days=3)
    assert due[wages] == TODAY + timedelta(days=7)  # unpaid wages cannot wait 15 days
    assert due[normal] == TODAY + timedelta(days=15)
    assert due[later] == TODAY + timedelta(days=20)
    assert DeadlinePolicy().due_on(
        TODAY, Urgency.PRESSING, IssueCategory.OTHER
    ) == TODAY + timedelta(days=7)


def test_overdue_queue_and_days_open(store: Store) -> None:
    eid = add_enterprise(store)
    old = add_issue(store, eid, received_on=TODAY - timedelta(days=40))
    add_issue(store, eid)
    done = add_issue(store, eid, received_on=TODAY - timedelta(days=40))
    for step in (IssueStatus.ACCEPTED, IssueStatus.IN_PROGRESS):
        move(store, done, step)
    move(store, done, IssueStatus.RESOLVED, resolution="已解决")
    with store.read() as s:
        viewer = replica_info(s).replica_id
        assert count_issues(s, IssueFilter(overdue=True), TODAY) == 1
        (row,) = list_issues(s, IssueFilter(overdue=True), TODAY, viewer)
    assert row.id == old and row.overdue and row.days_open == 40


def test_notes_and_assignment_enter_the_timeline(store: Store) -> None:
    iid = add_issue(store, add_enterprise(store))
    with store.write() as s:
        issues.add_note(s, iid, NoteIn(text="已电话联系职工"))
        assert issues.assign(s, iid, "李干事")
        assert not issues.assign(s, iid, "李干事")  # no change, no event
    with store.read() as s:
        detail = issue_detail(s, iid, TODAY, replica_info(s).replica_id)
    kinds = [(e.kind, e.note or e.detail) for e in detail.events]
    assert ("note", "已电话联系职工") in kinds and ("assign", "李干事") in kinds
    assert detail.row.assignee == "李干事"


def test_links_are_symmetric_and_not_duplicated(store: Store) -> None:
    eid = add_enterprise(store)
    a, b = add_issue(store, eid), add_issue(store, eid, title="同一车间欠薪")
    with store.write() as s:
        first = issues.link_issues(s, a, b, "同一批欠薪")
        assert issues.link_issues(s, b, a) == first
        with pytest.raises(RuleError):
            issues.link_issues(s, a, a)
    with store.read() as s:
        viewer = replica_info(s).replica_id
        assert [link.issue_id for link in issue_detail(s, b, TODAY, viewer).links] == [a]


def test_confidential_complainant_is_masked_on_every_replica_and_in_every_file(
    make_replica: MakeReplica, tmp_path: Path
) -> None:
    """（保密） in the list, the detail, the PDF's open cases and the masked workbook, on the
    laptop that registered the case as at the district office; only the full-personal
    workbook names the complainant, and marks the name （保密） there too."""
    cadre, district = make_replica("张驻点"), make_replica("区总工会", role="district")
    eid = add_enterprise(cadre)
    wid = add_worker(cadre, eid, "赵保密")
    iid = add_issue(cadre, eid, worker_id=wid, confidential=True)
    add_issue(cadre, eid, "公开的诉求", worker_id=add_worker(cadre, eid, "钱公开"))
    deliver(district, changes_of(cadre))
    period = Period(TODAY - timedelta(days=30), TODAY)
    for store in (cadre, district):
        with store.read() as s:
            viewer = replica_info(s).replica_id
            shown = {r.title: r.complainant for r in list_issues(s, IssueFilter(), TODAY, viewer)}
            assert shown == {"反映工资拖欠三个月": "（保密）", "公开的诉求": "钱公开"}
            detail = issue_detail(s, iid, TODAY, viewer)
            assert detail.row.complainant == "（保密）" and detail.worker_id is None
            assert detail.confidential
            cases, _total = open_cases(s, Scope(), TODAY)
            assert {c.title: c.complainant for c in cases} == shown
            export_workbook(s, period, Scope(), tmp_path / "masked.xlsx", today=TODAY)
        names = [r[3] for r in load_workbook(tmp_path / "masked.xlsx")["职工诉求"].iter_rows(
            min_row=2, values_only=True)]  # fmt: skip
        assert sorted(names) == ["钱公开", "（保密）"]
        with store.write() as s:
            permit = privacy.permit_export(s, "workbook", "full.xlsx", "核对保密诉求")
            export_workbook(s, period, Scope(), tmp_path / "full.xlsx", today=TODAY, permit=permit)
        names = [r[3] for r in load_workbook(tmp_path / "full.xlsx")["职工诉求"].iter_rows(
            min_row=2, values_only=True)]  # fmt: skip
        assert sorted(names) == ["赵保密（保密）", "钱公开"]


def test_collective_issues_need_several_people() -> None:
    base = {
        "enterprise_id": "0" * 36,
        "title": "集体欠薪",
        "category": "wages",
        "received_on": TODAY,
    }
    with pytest.raises(InputError, match="不少于2人"):
        IssueIn.parse({**base, "collective": True, "people_count": 1})
    with pytest.raises(InputError, match="个人诉求"):
        IssueIn.parse({**base, "people_count": 5})
    assert IssueIn.parse({**base, "collective": True, "people_count": 30}).people_count == 30


def test_input_errors_name_the_field_in_chinese() -> None:
    with pytest.raises(InputError) as err:
        IssueIn.parse(
            {
                "enterprise_id": "0" * 36,
                "title": "",
                "category": "nonsense",
                "received_on": TODAY + timedelta(days=2),
            }
        )
    text = str(err.value)
    assert "诉求标题：" in text and "诉求类别：不是有效的选项" in text
    assert "登记日期：不能晚于今天" in text
    fields = {e.field for e in err.value.errors}
    assert {"title", "category", "received_on"} <= fields


def test_editing_a_deleted_issue_is_refused(store: Store) -> None:
    iid = add_issue(store, add_enterprise(store))
    with store.write() as s:
        issues.delete_issue(s, iid)
    with pytest.raises(NotFoundError), store.write() as s:
        issues.add_note(s, iid, NoteIn(text="x"))


def test_edit_writes_only_changed_fields(store: Store) -> None:
    iid = add_issue(store, add_enterprise(store))
    with store.read() as s:
        issue = s.get(Issue, iid)
        assert issue is not None
        data = IssueEditIn(
            title=issue.title,
            description=issue.description,
            category=issue.category,
            urgency=Urgency.URGENT,
            due_on=issue.due_on,
            assignee=issue.assignee,
        )
    with store.write() as s:
        assert issues.edit_issue(s, iid, data)
        assert not issues.edit_issue(s, iid, data)
    last = changes_of(store)[-1]
    assert last["fields"] == {"urgency": "urgent"}


def test_text_search_finds_chinese_substrings(store: Store) -> None:
    eid = add_enterprise(store)
    hit = add_issue(store, eid, title="工资问题", description="反映工资拖欠三个月")
    add_issue(
        store,
        eid,
        title="社保问题",
        description="社保未缴纳",
        category=IssueCategory.SOCIAL_INSURANCE,
    )
    two = add_issue(
        store, eid, title="欠薪", description="老板跑路", category=IssueCategory.OTHER
    )
    with store.read() as s:
        assert issue_ids(s, IssueFilter(text="工资拖欠"), TODAY) == [hit]
        assert set(issue_ids(s, IssueFilter(text="欠薪"), TODAY)) == {hit, two}  # + category
        assert issue_ids(s, IssueFilter(text="工资 三个月"), TODAY) == [hit]  # every term
        assert issue_ids(s, IssueFilter(text='"%_'), TODAY) == []  # no injection, no wildcards
        number = s.get(Issue, hit).number  # type: ignore[union-attr]
        assert issue_ids(s, IssueFilter(text=number), TODAY) == [hit]


def test_search_finds_what_cadres_type(store: Store) -> None:
    """Complainant names, enterprise names, case numbers and category words (with their usual
    synonyms) find cases their text does not mention; a confidential complainant's name
    finds nothing, or the search would tell who complained."""
    eid = add_enterprise(store, "南京宏达精密机械有限公司")
    other = add_enterprise(store, "南京恒远物流有限公司")
    named = add_worker(store, eid, "陈秀英")
    secret = add_worker(store, other, "赵保密")
    wages = add_issue(store, eid, title="反映待遇问题", description="车间职工反映待遇偏低",
                      worker_id=named)  # fmt: skip
    insurance = add_issue(store, other, title="反映缴费问题", description="单位未按时缴费",
                          category=IssueCategory.SOCIAL_INSURANCE)  # fmt: skip
    hidden = add_issue(store, other, title="反映食堂问题", description="食堂饭菜不卫生",
                       category=IssueCategory.OTHER, worker_id=secret,
                       confidential=True)  # fmt: skip

    def found(text: str) -> set[str]:
        with store.read() as s:
            return set(issue_ids(s, IssueFilter(text=text), TODAY))

    assert found("陈秀英") == {wages} and found("秀英") == {wages}
    assert found("赵保密") == set() and found("保密") == set()
    assert found("宏达") == {wages} and found("恒远物流") == {insurance, hidden}
    assert found("欠薪") == {wages} and found("工资报酬") == {wages} and found("工资") == {wages}
    assert found("社保") == {insurance} and found("五险一金") == {insurance}
    assert found("工伤") == {insurance}  # safety or social insurance
    assert found("恒远 社保") == {insurance}  # every term, each in its own way
    with store.read() as s:
        number = s.get(Issue, hidden).number  # type: ignore[union-attr]
    assert found(number) == {hidden} and found(number[-4:]) >= {hidden}
    assert found("拖欠工资三个月") == set()  # a sentence is text, not a category


def test_list_filters_and_paging(store: Store) -> None:
    eid = add_enterprise(store)
    other = add_enterprise(store, "南京恒远物流有限公司")
    ids = [add_issue(store, eid, received_on=TODAY - timedelta(days=i)) for i in range(5)]
    add_issue(store, other, category=IssueCategory.SAFETY)
    with store.read() as s:
        assert issue_ids(s, IssueFilter(enterprise_id=eid), TODAY) == ids
        assert issue_ids(s, IssueFilter(enterprise_id=eid), TODAY, limit=2, offset=2) == ids[2:4]
        assert count_issues(s, IssueFilter(categories=(IssueCategory.SAFETY,)), TODAY) == 1
        assert count_issues(s, IssueFilter(statuses=(IssueStatus.REGISTERED,)), TODAY) == 6
        oldest_first = issue_ids(s, IssueFilter(enterprise_id=eid), TODAY, descending=False)
        assert oldest_first == ids[::-1]
