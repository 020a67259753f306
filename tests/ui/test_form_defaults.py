"""Sensible defaults in new-record forms: who did the work is the signed-in cadre, nobody is
preselected as the person helped, money is never 0 元, a follow-up's satisfaction and method
are chosen (never defaulted), and the first field has the keyboard."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Issue
from app.schemas.enums import IssueStatus
from app.schemas.issues import TransitionIn
from app.services import issues
from app.ui.forms import editors
from app.ui.forms.dialog import FormDialog
from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from tests.helpers import add_enterprise, add_issue, add_worker, id_with
from tests.ui_helpers import on_modal, pick, wait_idle


def test_who_did_the_work_defaults_to_the_signed_in_cadre(window: MainWindow) -> None:
    for kind, name in editors.SIGNED_IN.items():
        dialog = editors.new_dialog(window.ctx, kind, window)
        assert dialog.fields[name].value() == "张驻点", kind
        dialog.deleteLater()


def test_nobody_is_preselected_and_money_is_never_zero(qtbot: QtBot, window: MainWindow) -> None:
    store = window.ctx.store
    add_worker(store, add_enterprise(store), "陈秀英")
    dialog = editors.new_dialog(window.ctx, "assistance", window)
    dialog.open()
    wait_idle(qtbot, window.ctx)
    assert dialog.fields["worker_id"].value() is None
    assert dialog.fields["kind"].value() is None  # a choice to make, not the first one
    pick(qtbot, dialog, "worker_id")
    dialog.fields["kind"].set_value("cash")
    dialog.fields["funding_source"].set_value("union_funds")
    dialog.submit()
    assert dialog.isVisible()
    assert dialog.errors["amount"].text() == "金额应大于 0" and dialog.errors["amount"].isVisible()
    dialog.fields["kind"].set_value("goods")  # goods may carry no price
    dialog.submit()
    wait_idle(qtbot, window.ctx)
    assert not dialog.isVisible()


def test_new_record_forms_give_the_first_field_the_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    for kind, spec in ((k, e.specs[0]) for k, e in editors.EDITORS.items()):
        dialog = editors.new_dialog(window.ctx, kind, window)
        dialog.show()
        dialog.activateWindow()
        first = dialog.fields[spec.name]
        qtbot.waitUntil(lambda f=first: f.isAncestorOf(QApplication.focusWidget()), timeout=3000)
        dialog.done(0)


def test_a_follow_up_needs_its_method_and_satisfaction_chosen(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.ctx.store
    issue_id = add_issue(store, add_enterprise(store))
    with store.write() as s:
        for to in (IssueStatus.ACCEPTED, IssueStatus.IN_PROGRESS):
            issues.transition(s, issue_id, TransitionIn(to_status=to))
        issues.transition(
            s, issue_id, TransitionIn(to_status=IssueStatus.RESOLVED, resolution="已补发")
        )
    window.go("issues")
    page: IssuesPage = window.pages["issues"]  # type: ignore[assignment]
    page.detail.show_issue(issue_id)

    def verbs() -> dict[str, QPushButton]:
        found = page.detail.findChildren(QPushButton)
        return {b.text(): b for b in found if b.property("target") and b.isVisible()}

    qtbot.waitUntil(lambda: set(verbs()) == {"登记回访", "重新办理"}, timeout=5000)
    seen: dict[str, object] = {}

    def follow_up(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        seen["title"] = dialog.windowTitle()
        seen["blank"] = (dialog.fields["satisfaction"].value(), dialog.fields["method"].value())
        dialog.submit()
        seen["refused"] = dialog.isVisible() and dialog.top_error.text()
        dialog.fields["satisfaction"].set_value("basically")
        dialog.fields["method"].set_value("home_visit")
        dialog.submit()

    on_modal(follow_up)
    qtbot.mouseClick(verbs()["登记回访"], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.ctx)
    assert seen["title"] == "登记回访" and seen["blank"] == (None, None)
    assert "回访须填写满意度" in str(seen["refused"])
    with store.read() as s:
        issue = s.scalars(select(Issue)).one()
    assert (issue.status, issue.satisfaction, issue.follow_up_method) == (
        "followed_up",
        "basically",
        "home_visit",
    )


def test_an_id_number_to_double_check_is_shown_and_a_second_save_goes_ahead(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A region code the national table lacks is a warning under its field, never a refusal:
    the first 保存 shows it (if typing had not already), the second saves."""
    from app.models import Worker

    store = window.ctx.store
    add_enterprise(store)
    for region, presses in (("329999", 2), ("320106", 1)):
        dialog = editors.new_dialog(window.ctx, "worker", window)
        dialog.open()
        wait_idle(qtbot, window.ctx)
        pick(qtbot, dialog, "enterprise_id")
        dialog.fields["name"].set_value(f"职工{region}")
        dialog.fields["id_number"].set_value(id_with(region, date(1990, 1, 1)))
        dialog.submit()
        wait_idle(qtbot, window.ctx)
        warning = dialog.errors["id_number"]
        if presses == 2:
            assert dialog.isVisible() and warning.isVisible()
            assert "请核对" in warning.text() and region in warning.text()
            assert "再次点击" in dialog.top_error.text()
            dialog.submit()
            wait_idle(qtbot, window.ctx)
        assert not dialog.isVisible(), region
        with store.read() as s:
            assert s.scalars(select(Worker).where(Worker.name == f"职工{region}")).one()
