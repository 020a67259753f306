"""The Chinese UI speaks Chinese: every screen and dialog, Qt's own included.

The real window, offscreen, in zh_CN with Qt's own translations installed as the app does,
over a demo ledger: every page, every new-record and edit form, the case transitions, the
questions (delete, discard, reveal with a reason), a file dialog, a date field's calendar, a
text field's context menu, the first-run and unlock windows. Every text a user can see
(labels, buttons, group titles, placeholders, tool tips, list and table entries and headers,
menu entries, window titles) is collected, and any Latin-letter word outside a short
allow-list (codes, file suffixes, key names, proper nouns) fails the test. The collecting and
the allow-list are ``latin`` in tests/ui_helpers.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.editing import values_for_edit
from app.services.issue_list import IssueFilter, issue_ids
from app.services.records import RecordFilter, record_ids
from app.ui.first_run import FirstRunDialog
from app.ui.forms import editors
from app.ui.main import UnlockDialog
from app.ui.main_window import MainWindow
from app.ui.pages.records import RecordsPage
from tests.ui_helpers import dismiss, latin, on_modal, wait_idle, words


def test_every_screen_is_chinese(qtbot: QtBot, demo_window: MainWindow) -> None:
    leaks = []
    for key in demo_window.pages:
        demo_window.go(key)
        wait_idle(qtbot, demo_window.ctx)
        qtbot.wait(50)
        leaks += [(key, *leak) for leak in latin(demo_window)]
    issues = demo_window.pages["issues"]
    demo_window.go("issues")
    issues.table.selectRow(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: issues.detail.detail is not None, timeout=5000)  # type: ignore[attr-defined]
    wait_idle(qtbot, demo_window.ctx)
    leaks += [("issue detail", *leak) for leak in latin(demo_window)]
    assert leaks == [], "\n".join(map(str, leaks))


def collect(seen: list[tuple[str, str]], label: str) -> object:
    def action(dialog: QWidget) -> None:
        QApplication.processEvents()
        seen.extend((label, *leak) for leak in latin(dialog))
        dismiss(dialog)

    return action


@pytest.mark.real_dialogs  # the questions as Qt draws them, not the asked script
def test_every_form_and_question_is_chinese(qtbot: QtBot, demo_window: MainWindow) -> None:
    ctx = demo_window.ctx
    leaks: list[tuple[str, str]] = []
    for kind in editors.EDITORS:
        dialog = editors.new_dialog(ctx, kind, demo_window)
        dialog.show()
        wait_idle(qtbot, ctx)
        dialog.submit()  # every field's error shows
        leaks += [(f"new {kind}", *leak) for leak in latin(dialog)]
        dialog.done(0)
    with ctx.store.read() as s:
        for kind in editors.EDITORS:
            row_id = record_ids(s, kind, RecordFilter())[0] if kind != "issue" else None
            row_id = row_id or issue_ids(s, IssueFilter(), date.today())[0]
            dialog = editors.edit_dialog(ctx, kind, row_id, values_for_edit(s, kind, row_id), None)
            dialog.show()
            leaks += [(f"edit {kind}", *leak) for leak in latin(dialog)]
            dialog.done(0)
    for key in ("workers", "visits", "assistance", "practices"):
        page: RecordsPage = demo_window.pages[key]  # type: ignore[assignment]
        demo_window.go(key)
        qtbot.waitUntil(lambda p=page: p.model.rowCount() > 0, timeout=5000)
        page.table.selectRow(0)
        on_modal(collect(leaks, f"delete {key}"))  # type: ignore[arg-type]
        page.delete()
        if key == "workers":
            on_modal(collect(leaks, "reveal reason"))  # type: ignore[arg-type]
            page.reveal()
    # The discard question, Qt's standard buttons, a calendar, a context menu.
    dialog = editors.new_dialog(ctx, "practice", demo_window)
    dialog.show()
    dialog.fields["title"].set_value("班前十分钟谈心")
    on_modal(collect(leaks, "discard question"))  # type: ignore[arg-type]
    dialog.reject()
    calendar = dialog.findChild(QCalendarWidget)
    assert calendar is not None
    calendar.show()
    leaks += [("calendar", *leak) for leak in latin(calendar)]
    month = calendar.findChild(QAbstractButton, "qt_calendar_monthbutton")
    assert month is not None and "月" in month.text()
    menu = dialog.fields["title"].edit.createStandardContextMenu()  # type: ignore[attr-defined]
    assert menu.actions() and any("粘贴" in a.text() for a in menu.actions())
    leaks += [("context menu", "QMenu", a.text()) for a in menu.actions() if words(a.text())]
    dialog.done(0)
    box = QMessageBox(QMessageBox.Icon.Question, "确认", "删除？", parent=demo_window)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.show()
    leaks += [("standard buttons", *leak) for leak in latin(box)]
    box.done(0)
    assert leaks == [], "\n".join(map(str, leaks))


def test_file_dialog_first_run_and_unlock_are_chinese(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    files = QFileDialog(demo_window, "导出同步包", str(tmp_path), "基层同步包 (*.jcb)")
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    files.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    files.show()
    leaks = [("file dialog", *leak) for leak in latin(files)]
    files.done(0)
    first = FirstRunDialog(tmp_path / "new")
    first.show()
    leaks += [("first run", *leak) for leak in latin(first)]
    first.done(0)
    unlock = UnlockDialog(demo_window.ctx.data_dir)
    unlock.show()
    leaks += [("unlock", *leak) for leak in latin(unlock)]
    unlock.done(0)
    assert leaks == [], "\n".join(map(str, leaks))


def test_the_walk_sees_a_leak_when_there_is_one(qtbot: QtBot, demo_window: MainWindow) -> None:
    """The collector is not blind: an English button and Qt's untranslated Cancel are found."""
    box = QDialog(demo_window)
    QLabel("请核对 fingerprint", box)
    box.show()
    assert latin(box) == [("QLabel:", "请核对 fingerprint")]
    box.done(0)
