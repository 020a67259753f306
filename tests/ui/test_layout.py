"""It fits the laptop it runs on: generated over every form (new and edit, empty and with every
reason showing) and the other dialogs, on the 1280×720 screen the UI tests run on (the smaller
of the two the app is made for), with room left for a taskbar and a title bar.

Also: the window opens maximised and then where the user left it; the highlighted entry of a
drop-down list is drawn highlighted (it once was an empty box); case numbers are not cut.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, QRect
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.editing import values_for_edit
from app.services.issue_list import IssueFilter, issue_ids
from app.services.records import RecordFilter, record_ids
from app.ui.first_run import FirstRunDialog
from app.ui.forms import editors
from app.ui.forms.dialog import FormDialog, rows
from app.ui.main import UnlockDialog
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from tests.helpers import Node
from tests.ui_helpers import close_window, open_window, wait_idle

TASKBAR, TITLE_BAR = 48, 32  # what a desktop takes from the screen's height around a dialog


def screen() -> QRect:
    return QGuiApplication.primaryScreen().availableGeometry()


def misfits(dialog: QWidget) -> list[str]:
    """Why ``dialog`` would not fit the laptop, in words (empty when it fits)."""
    QApplication.processEvents()
    room = screen()
    out = []
    if dialog.width() > room.width():
        out.append(f"{dialog.width()} px wide")
    if dialog.height() + TITLE_BAR > room.height() - TASKBAR:
        out.append(f"{dialog.height()} px tall")
    for scroll in dialog.findChildren(QScrollArea):
        if scroll.verticalScrollBar().isVisible():
            out.append("a scroll bar at its default size")
    for buttons in dialog.findChildren(QDialogButtonBox):
        corner = buttons.mapTo(dialog, QPoint(buttons.width(), buttons.height()))
        if not dialog.rect().contains(corner - QPoint(1, 1)):
            out.append("its buttons outside the dialog")
    return out


def form_cases(node: Node) -> list[tuple[str, str | None]]:
    """Every form kind, as a new record and as the edit form of a stored one."""
    cases: list[tuple[str, str | None]] = [(kind, None) for kind in editors.EDITORS]
    with node.store.read() as s:
        for kind in editors.EDITORS:
            if kind == "issue":
                cases.append((kind, issue_ids(s, IssueFilter(), date.today())[0]))
            else:
                cases.append((kind, record_ids(s, kind, RecordFilter())[0]))
    return cases


def open_form(window: MainWindow, kind: str, row_id: str | None) -> FormDialog:
    ctx = window.ctx
    if row_id is None:
        dialog = editors.new_dialog(ctx, kind, window)
    else:
        with ctx.store.read() as s:
            current = values_for_edit(s, kind, row_id)
        dialog = editors.edit_dialog(ctx, kind, row_id, current, window)
    dialog.show()
    return dialog


@pytest.mark.parametrize("kind", list(editors.EDITORS))
def test_a_long_form_keeps_every_field_once_in_its_order(kind: str) -> None:
    specs = editors.EDITORS[kind].specs
    laid_out = rows(specs)
    assert [spec for row in laid_out for spec in row] == list(specs)
    assert all(len(row) in (1, 2) for row in laid_out)
    assert len(specs) <= 7 or len(laid_out) < len(specs)  # a long form does use both columns


def test_the_tests_run_on_a_laptop_sized_screen() -> None:
    assert (screen().width(), screen().height()) == (1280, 720)


def test_every_form_fits_without_scrolling(
    qtbot: QtBot, demo_node: Node, demo_window: MainWindow
) -> None:
    problems = []
    for kind, row_id in form_cases(demo_node):
        dialog = open_form(demo_window, kind, row_id)
        wait_idle(qtbot, demo_window.ctx)
        what = f"{'edit' if row_id else 'new'} {kind}"
        problems += [f"{what}: {p}" for p in misfits(dialog)]
        for field in dialog.fields.values():
            if field.isEnabled() and hasattr(field, "set_value"):
                field.set_value(None)  # every field emptied: every reason the form can give
        dialog.submit()
        wait_idle(qtbot, demo_window.ctx)
        shown = [n for n, label in dialog.errors.items() if label.isVisible()]
        assert shown, what  # the check below saw a form with its reasons showing
        problems += [f"{what} with {len(shown)} reasons: {p}" for p in misfits(dialog)]
        for name in shown:  # each reason sits under its own field
            label, field = dialog.errors[name], dialog.fields[name]
            below = label.mapTo(dialog, QPoint(0, 0)).y() >= field.mapTo(dialog, QPoint(0, 0)).y()
            assert below and abs(label.x() - field.x()) <= 1, (what, name)
        dialog.done(0)
    assert problems == [], "\n".join(problems)


def test_the_other_dialogs_fit(qtbot: QtBot, demo_window: MainWindow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[tuple[str, QDialog]] = [
        ("first run", FirstRunDialog(tmp_path / "new")),
        ("unlock", UnlockDialog(demo_window.ctx.data_dir)),
    ]
    problems = []
    for name, dialog in dialogs:
        dialog.show()
        problems += [f"{name}: {p}" for p in misfits(dialog)]
        dialog.done(0)
    assert problems == []


def test_the_window_opens_maximised_then_where_it_was_left(
    qtbot: QtBot, demo_node: Node
) -> None:
    first = open_window(qtbot, demo_node)
    first.hide()
    first.place()
    qtbot.waitUntil(first.isMaximized, timeout=5000)
    first.showNormal()
    first.setGeometry(60, 50, 1100, 620)
    QApplication.processEvents()
    prefs = first.ctx.prefs
    close_window(first)
    first.close()
    assert prefs.window_geometry  # remembered on close

    again = open_window(qtbot, demo_node)
    again.hide()
    again.ctx.prefs = Prefs.model_validate(prefs.model_dump())
    again.place()
    QApplication.processEvents()
    assert not again.isMaximized() and (again.width(), again.height()) == (1100, 620)
    close_window(again)
    again.close()


def highlighted_colour(combo: QComboBox, row: int) -> str:
    """The colour most of the popup's entry ``row`` is painted in while it is highlighted."""
    combo.showPopup()
    view = combo.view()
    index = combo.model().index(row, 0)
    view.setCurrentIndex(index)
    view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    rect = view.visualRect(index).intersected(image.rect())
    counts: dict[str, int] = {}
    for x in range(rect.left() + 2, rect.right() - 1, 3):
        for y in range(rect.top() + 2, rect.bottom() - 1, 2):
            name = image.pixelColor(x, y).name()
            counts[name] = counts.get(name, 0) + 1
    combo.hidePopup()
    return max(counts, key=counts.__getitem__)


def test_the_highlighted_entry_of_a_drop_down_is_drawn_highlighted(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    dialog = open_form(demo_window, "issue", None)
    combo = dialog.fields["urgency"].combo  # type: ignore[attr-defined]
    assert combo.count() >= 3
    assert highlighted_colour(combo, 1) == QColor("#dbeafe").name()
    assert highlighted_colour(combo, 2) == QColor("#dbeafe").name()
    dialog.done(0)


def test_case_numbers_are_not_cut(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.go("issues")
    page = demo_window.pages["issues"]
    table = page.table  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)  # type: ignore[attr-defined]
    wait_idle(qtbot, demo_window.ctx)
    number = str(page.model.index(0, 0).data())  # type: ignore[attr-defined]
    needed = table.fontMetrics().horizontalAdvance(number) + 12
    assert table.columnWidth(0) >= needed, (number, table.columnWidth(0), needed)
