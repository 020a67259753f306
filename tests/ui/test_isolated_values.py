"""The window on a ledger that held values its screens cannot show (a case status "bogus"
from an unchecked district-mate): the ledger check runs before any screen reads, every
screen opens without an error, the user is told, and repairs from the list on 设置."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.services.demo import DemoSpec, generate
from app.services.stored_check import isolated
from app.sync.registry import ENTITIES, VOCABULARIES
from app.ui.forms.dialog import FormDialog
from app.ui.forms.fields import EnumField
from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from app.ui.pages.settings import SettingsPage
from tests.helpers import MakeNode, Node
from tests.ui_helpers import Asked, close_window, on_modal, open_window, wait_idle, words

UUID = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")


@pytest.fixture
def node(make_node: MakeNode) -> Node:
    """A demo ledger with "bogus" in one row of every vocabulary field."""
    node = make_node("张驻点", district="鼓楼区总工会")
    with node.store.write() as s:
        generate(s, DemoSpec(enterprises=3, workers=60, visits=30, issues=60))
        for entity, field in VOCABULARIES:
            table = ENTITIES[entity].table.name
            row = s.execute(text(f'SELECT id FROM "{table}" ORDER BY id DESC LIMIT 1')).scalar()
            if row is not None:
                s.execute(text(f'UPDATE "{table}" SET "{field}" = \'bogus\' WHERE id = :id'),
                          {"id": row})
    return node


@pytest.fixture
def win(qtbot: QtBot, node: Node) -> Iterator[MainWindow]:
    window = open_window(qtbot, node)
    wait_idle(qtbot, window.ctx)
    yield window
    close_window(window)


def bogus_issue(node: Node) -> str:
    with node.store.read() as s:
        return next(e.row_id for e in isolated(s) if (e.entity, e.field) == ("issue", "status"))


def test_every_screen_opens_and_the_user_is_told(
    qtbot: QtBot, asked: Asked, win: MainWindow, node: Node
) -> None:
    errors: list[object] = []
    win.ctx.error.connect(errors.append)
    assert win.isolated_count >= len({e for e, _f in VOCABULARIES}) - 1
    assert "数据检查" in win.statusBar().currentMessage()
    for key in win.pages:
        win.go(key)
        wait_idle(qtbot, win.ctx)
    win.go("issues")
    page: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
    issue_id = bogus_issue(node)
    qtbot.waitUntil(lambda: page.model.row_of(issue_id) >= 0, timeout=10_000)
    page.table.selectRow(page.model.row_of(issue_id))
    qtbot.waitUntil(lambda: page.detail.issue_id == issue_id, timeout=5000)
    wait_idle(qtbot, win.ctx)
    assert errors == []


def test_a_value_is_repaired_from_the_list(
    qtbot: QtBot, asked: Asked, win: MainWindow, node: Node
) -> None:
    win.go("settings")
    settings: SettingsPage = win.pages["settings"]  # type: ignore[assignment]
    wait_idle(qtbot, win.ctx)
    assert settings.check_box.isVisible()
    listed = settings.isolated_list
    before = listed.count()
    issue_id = bogus_issue(node)
    keys = [listed.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listed.count())]
    assert ("issue", issue_id, "status") in keys
    assert all("不是规定的选项" in listed.item(i).text() for i in range(listed.count()))
    for i in range(listed.count()):  # worded for the user: no code or null leaks in
        text = UUID.sub("", listed.item(i).text()).replace("“bogus”", "")
        assert words(text) == set(), listed.item(i).text()
    # Every vocabulary field of the last case was planted; its category is a form field
    # (its status moves only by transitions).
    row = keys.index(("issue", issue_id, "category"))
    listed.setCurrentRow(row)

    def repair(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        field = dialog.fields["category"]
        assert isinstance(field, EnumField)
        codes = [field.combo.itemData(i) for i in range(field.combo.count())]
        field.set_value(next(c for c in codes if c and c != field.value()))
        dialog.submit()

    on_modal(repair)
    qtbot.mouseClick(settings.repair_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win.ctx)
    qtbot.waitUntil(lambda: listed.count() == before - 1, timeout=5000)
