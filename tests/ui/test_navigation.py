"""No dead ends between screens: a figure's cases open on double-click, Ctrl+N answers right
after Ctrl+digit, and the status bar's undo offer shows its message beside its button."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Visit
from app.ui.forms.dialog import FormDialog
from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from app.ui.pages.records import RecordsPage
from app.ui.pages.reports import ReportsPage
from tests.helpers import add_enterprise, add_issue, add_visit
from tests.ui_helpers import Asked, dismiss, on_modal, wait_idle


def test_a_case_in_a_figures_drill_down_opens_on_double_click(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.ctx.store
    eid = add_enterprise(store)
    today = date.today()
    for days in (1, 2, 3):
        add_issue(store, eid, f"反映工资拖欠{days}", received_on=today - timedelta(days=days))
    window.go("reports")
    page: ReportsPage = window.pages["reports"]  # type: ignore[assignment]
    page.preset.setCurrentIndex(page.preset.findData("this_year"))
    wait_idle(qtbot, window.ctx)
    dialog = page.drill("received")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)
    wait_idle(qtbot, window.ctx)
    wanted = dialog.model.id_at(1)
    centre = dialog.table.visualRect(dialog.model.index(1, 1)).center()
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    issues: IssuesPage = window.pages["issues"]  # type: ignore[assignment]
    assert window.stack.currentWidget() is issues
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: issues.detail.issue_id == wanted, timeout=5000)
    wait_idle(qtbot, window.ctx)
    assert issues.detail.detail is not None and issues.detail.detail.row.id == wanted


def press_ctrl_n_and_see(qtbot: QtBot, target: QWidget) -> QWidget:
    seen = on_modal(dismiss)
    qtbot.keyClick(target, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    return seen[0]


@pytest.mark.parametrize(("digit", "title"), [(2, "诉求"), (5, "新建走访记录")])
def test_ctrl_n_works_right_after_ctrl_digit(
    qtbot: QtBot, window: MainWindow, digit: int, title: str
) -> None:
    add_enterprise(window.ctx.store)
    window.nav.setFocus()  # where the focus is when the window opens
    qtbot.keyClick(window.nav, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)  # 帮扶慰问
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, getattr(Qt.Key, f"Key_{digit}"), Qt.KeyboardModifier.ControlModifier)
    focus = QApplication.focusWidget()
    assert focus is not None and window.stack.currentWidget().isAncestorOf(focus)
    dialog = press_ctrl_n_and_see(qtbot, focus)
    assert isinstance(dialog, FormDialog)
    assert title in dialog.windowTitle()


def test_ctrl_n_works_with_the_focus_on_the_navigation(qtbot: QtBot, window: MainWindow) -> None:
    window.nav.setCurrentRow(4)  # 走访记录, as a click on the navigation does
    window.nav.setFocus()
    dialog = press_ctrl_n_and_see(qtbot, window.nav)
    assert isinstance(dialog, FormDialog) and "走访" in dialog.windowTitle()


def test_the_undo_offer_shows_its_message_and_says_when_it_is_done(
    qtbot: QtBot, asked: Asked, window: MainWindow
) -> None:
    store = window.ctx.store
    add_visit(store, add_enterprise(store))
    window.ctx.changed.emit(frozenset({"visit"}))
    window.go("visits")
    page: RecordsPage = window.pages["visits"]  # type: ignore[assignment]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page.table.selectRow(0)
    asked.answer("confirm", True)
    page.delete()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and window.undo.isVisible(), timeout=5000)
    message = window.undo_message
    assert message.isVisible() and message.text() == "已删除走访记录"
    bar = window.statusBar()
    assert bar.currentMessage() == ""  # no second copy drawn under the button
    button = window.undo.geometry().translated(window.undo.parentWidget().pos())
    shown = message.geometry().translated(message.parentWidget().pos())
    assert not button.intersects(shown)
    assert message.width() >= message.fontMetrics().horizontalAdvance(message.text())
    assert bar.childAt(shown.center()) is message

    qtbot.mouseClick(window.undo, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    wait_idle(qtbot, window.ctx)
    assert not window.undo.isVisible() and not message.isVisible()
    assert bar.currentMessage() == "已撤销"
    with store.read() as s:
        assert s.scalar(select(Visit.deleted)) is False
    assert QApplication.activeModalWidget() is None
