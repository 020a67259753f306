"""职工诉求 screen, as a cadre uses it: register a case, move it to a follow-up visit with the
buttons the lifecycle allows, search in Chinese, see overdue cases and concurrent edits."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Conflict, Issue, IssueEvent
from app.schemas.enums import IssueStatus
from app.schemas.issues import TransitionIn
from app.services import issues
from app.sync.writer import ChangeWriter
from app.ui.forms.dialog import FormDialog
from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from tests.helpers import MakeNode, add_enterprise, add_issue, changes_of, deliver, sync_pair
from tests.ui_helpers import (
    Asked,
    close_window,
    field,
    on_modal,
    open_window,
    pick,
    type_text,
    wait_idle,
)


def issues_page(window: MainWindow) -> IssuesPage:
    window.go("issues")
    return window.pages["issues"]  # type: ignore[return-value]


def titles(qtbot: QtBot, page: IssuesPage) -> list[str]:
    wait_idle(qtbot, page.ctx)
    for r in range(page.model.rowCount()):
        page.model.index(r, 1).data()
    wait_idle(qtbot, page.ctx)
    return [str(page.model.index(r, 1).data()) for r in range(page.model.rowCount())]


def buttons(page: IssuesPage) -> dict[str, QPushButton]:
    found = page.detail.findChildren(QPushButton)
    return {b.property("target"): b for b in found if b.property("target") and b.isVisible()}


def move(qtbot: QtBot, page: IssuesPage, target: IssueStatus, **values: str) -> None:
    """Click the transition button and fill its dialog like a user."""
    qtbot.waitUntil(lambda: target.value in buttons(page), timeout=5000)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        for name, value in values.items():
            if name in ("satisfaction", "method"):
                dialog.fields[name].set_value(value)
            else:
                type_text(qtbot, field(dialog, name), value)
        dialog.submit()

    before = page.detail.detail.row.status if page.detail.detail else None
    on_modal(fill)
    qtbot.mouseClick(buttons(page)[target.value], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page.ctx)
    qtbot.waitUntil(
        lambda: page.detail.detail is not None and page.detail.detail.row.status != before,
        timeout=5000,
    )


def test_register_and_follow_a_case_to_its_follow_up(qtbot: QtBot, window: MainWindow) -> None:
    store = window.ctx.store
    add_enterprise(store, "福州闽江纺织有限公司")
    window.ctx.changed.emit(frozenset({"enterprise"}))
    page = issues_page(window)

    def register(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        assert dialog.fields["enterprise_id"].value() is None  # a choice, never defaulted
        assert dialog.fields["category"].value() is None
        pick(qtbot, dialog, "enterprise_id")
        dialog.fields["category"].set_value("wages")
        type_text(qtbot, field(dialog, "title"), "反映工资拖欠三个月")
        type_text(qtbot, field(dialog, "description"), "织造车间职工反映工资拖欠三个月未发")
        dialog.submit()

    on_modal(register)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert titles(qtbot, page) == ["反映工资拖欠三个月"]
    qtbot.waitUntil(lambda: set(buttons(page)) == {"accepted", "declined"}, timeout=5000)

    move(qtbot, page, IssueStatus.ACCEPTED)
    move(qtbot, page, IssueStatus.IN_PROGRESS)
    move(qtbot, page, IssueStatus.RESOLVED, resolution="企业已补发全部工资")
    move(qtbot, page, IssueStatus.FOLLOWED_UP, satisfaction="satisfied", method="call")
    qtbot.waitUntil(lambda: set(buttons(page)) == {"in_progress"}, timeout=5000)

    with store.read() as s:
        issue = s.scalars(select(Issue)).one()
        assert issue.status == IssueStatus.FOLLOWED_UP
        assert issue.resolution == "企业已补发全部工资"
        steps = s.scalars(
            select(IssueEvent.to_status)
            .where(IssueEvent.issue_id == issue.id, IssueEvent.to_status.is_not(None))
            .order_by(IssueEvent.occurred_at)
        ).all()
    assert steps == ["registered", "accepted", "in_progress", "resolved", "followed_up"]


def test_a_transition_without_its_required_field_is_refused_inline(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.ctx.store
    issue_id = add_issue(store, add_enterprise(store))
    with store.write() as s:
        for to in (IssueStatus.ACCEPTED, IssueStatus.IN_PROGRESS):
            issues.transition(s, issue_id, TransitionIn(to_status=to))
    page = issues_page(window)
    page.detail.show_issue(issue_id)
    qtbot.waitUntil(lambda: "resolved" in buttons(page), timeout=5000)
    seen: dict[str, str] = {}

    def submit_empty(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        dialog.submit()
        seen["error"] = dialog.top_error.text() + "".join(e.text() for e in dialog.errors.values())
        dialog.reject()

    on_modal(submit_empty)
    qtbot.mouseClick(buttons(page)["resolved"], Qt.MouseButton.LeftButton)
    assert "办结须填写办理结果" in seen["error"]
    with store.read() as s:
        assert s.get(Issue, issue_id).status == "in_progress"  # type: ignore[union-attr]


def test_chinese_substring_search_and_overdue_filter(qtbot: QtBot, window: MainWindow) -> None:
    store = window.ctx.store
    eid = add_enterprise(store)
    add_issue(store, eid, "反映工资拖欠三个月")
    add_issue(store, eid, "食堂卫生问题", description="职工反映食堂饭菜不卫生")
    long_ago = date.today() - timedelta(days=90)
    add_issue(
        store,
        eid,
        "夜班无安全防护",
        description="冲压车间夜班安全防护缺失",
        received_on=long_ago,
        due_on=long_ago + timedelta(days=15),
    )
    window.ctx.changed.emit(frozenset({"issue"}))
    page = issues_page(window)
    assert len(titles(qtbot, page)) == 3
    page.search.setFocus()
    type_text(qtbot, page.search, "工资拖欠")
    qtbot.waitUntil(lambda: titles(qtbot, page) == ["反映工资拖欠三个月"], timeout=5000)
    page.search.clear()
    type_text(qtbot, page.search, "饭菜")  # in the description only
    qtbot.waitUntil(lambda: titles(qtbot, page) == ["食堂卫生问题"], timeout=5000)
    page.search.clear()
    page.overdue.setChecked(True)
    qtbot.waitUntil(lambda: titles(qtbot, page) == ["夜班无安全防护"], timeout=5000)
    brush = page.model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert brush is not None and brush.color().name() == "#b3261e"


def test_concurrent_edits_show_both_values_until_someone_decides(
    qtbot: QtBot, make_node: MakeNode
) -> None:
    a = make_node("张驻点", district="鼓楼区总工会")
    b = make_node("李驻点", district="鼓楼区总工会")
    issue_id = add_issue(a.store, add_enterprise(a.store))
    deliver(b.store, changes_of(a.store))
    with a.store.write() as s, ChangeWriter(s) as w:
        w.update("issue", issue_id, {"assignee": "张三"})
    with b.store.write() as s, ChangeWriter(s) as w:
        w.update("issue", issue_id, {"assignee": "李四"})
    sync_pair(a.store, b.store)
    window = open_window(qtbot, a)
    page = issues_page(window)
    page.review.setChecked(True)
    assert titles(qtbot, page) == ["反映工资拖欠三个月"]
    page.table.selectRow(0)
    qtbot.waitUntil(
        lambda: any(b.property("choice") for b in page.detail.findChildren(QPushButton)),
        timeout=5000,
    )
    text = " ".join(w.text() for w in page.detail.findChildren(type(page.count)))
    assert "张三" in text and "李四" in text
    other = next(
        b for b in page.detail.findChildren(QPushButton) if b.property("choice") == "other"
    )
    qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)  # no longer for review
    with a.store.read() as s:
        assert s.scalars(select(Conflict.resolved)).all() == [True]
    close_window(window)


def test_assigning_asks_for_the_name_starting_from_the_current_one(
    qtbot: QtBot, asked: Asked, window: MainWindow
) -> None:
    """指派: the name starts as the current assignee; cancelled or blank changes nothing;
    删除 asks first."""
    store = window.ctx.store
    issue_id = add_issue(store, add_enterprise(store))
    page = issues_page(window)
    page.detail.show_issue(issue_id)
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=5000)
    first = page.detail.detail.row.assignee or ""  # type: ignore[union-attr]
    asked.answer("text", None, "  ", "王科长")
    for _ in range(3):
        page.detail.assign()
        wait_idle(qtbot, window.ctx)
    with store.read() as s:
        assert s.get(Issue, issue_id).assignee == "王科长"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.detail.detail.row.assignee == "王科长", timeout=5000)  # type: ignore[union-attr]
    asked.answer("text", None)
    page.detail.assign()
    texts = asked.of("text")
    assert [q.options["value"] for q in texts] == [first, first, first, "王科长"]
    assert {(q.title, q.text) for q in texts} == {("指派", "承办人：")}
    asked.answer("confirm", False)
    page.detail.delete()
    wait_idle(qtbot, window.ctx)
    (question,) = asked.of("confirm")
    assert question.title == "确认删除" and question.text.startswith("删除诉求 ")
    with store.read() as s:
        assert s.get(Issue, issue_id).deleted is False  # type: ignore[union-attr]
