"""The real dialogs behind ``app.ui.ask`` (every other GUI test answers them from a script):
each opens offscreen in the zh_CN UI with Chinese buttons, shows what it was given, and
returns what the user did in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.ui import ask
from tests.ui_helpers import latin, on_modal

pytestmark = pytest.mark.real_dialogs

ENGLISH = {"Yes", "No", "OK", "Cancel", "Open", "Save", "Choose", "&Yes", "&No", "&Open"}


def buttons(dialog: QWidget) -> list[str]:
    return [b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()]


def answered(then: Callable[[QWidget], None]) -> dict[str, object]:
    """Run ``then`` on the next dialog once it is up; what the dialog showed is noted."""
    seen: dict[str, object] = {}

    def act(dialog: QWidget) -> None:
        seen["dialog"] = type(dialog).__name__
        seen["title"] = dialog.windowTitle()
        seen["buttons"] = buttons(dialog)
        seen["leaks"] = latin(dialog)
        then(dialog)

    on_modal(act)
    return seen


def chinese(seen: dict[str, object]) -> None:
    assert seen["leaks"] == [], seen
    assert not set(seen["buttons"]) & ENGLISH, seen  # type: ignore[arg-type]


def press(box: QWidget, text: str) -> None:
    next(b for b in box.findChildren(QPushButton) if b.text() == text).click()


def test_confirm_has_yes_and_no_in_chinese(qtbot: QtBot) -> None:
    seen = answered(lambda box: press(box, "是(&Y)"))
    assert ask.confirm(None, "确认删除", "删除这条职工：陈秀英？") is True
    assert seen["dialog"] == "QMessageBox" and seen["title"] == "确认删除"
    assert seen["buttons"] == ["是(&Y)", "否(&N)"]
    chinese(seen)
    answered(lambda box: press(box, "否(&N)"))
    assert ask.confirm(None, "确认删除", "删除？") is False
    answered(lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    assert ask.confirm(None, "确认删除", "删除？") is False


def test_a_worded_question_defaults_to_no(qtbot: QtBot) -> None:
    def look(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        default = box.defaultButton()
        assert default is not None and default.text() == "继续编辑"
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    seen = answered(look)
    assert ask.discard(None) is False
    assert seen["title"] == "放弃修改" and sorted(seen["buttons"]) == ["放弃", "继续编辑"]  # type: ignore[type-var]
    chinese(seen)
    answered(lambda box: press(box, "放弃"))
    assert ask.discard(None) is True


@pytest.mark.parametrize("function", [ask.inform, ask.warn])
def test_messages_have_one_chinese_button(
    qtbot: QtBot, function: Callable[[QWidget | None, str, str], None]
) -> None:
    seen = answered(lambda box: press(box, "确定"))
    function(None, "出错了", "操作没有完成。数据没有改动。")
    assert seen["dialog"] == "QMessageBox" and seen["buttons"] == ["确定"]
    chinese(seen)


def test_text_starts_with_its_value_and_returns_what_was_typed(qtbot: QtBot) -> None:
    def type_name(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        assert dialog.labelText() == "承办人：" and dialog.textValue() == "王科长"
        dialog.setTextValue(" 李干事 ")
        dialog.accept()

    seen = answered(type_name)
    assert ask.text(None, "指派", "承办人：", value="王科长") == " 李干事 "  # as typed
    assert sorted(seen["buttons"]) == ["取消", "确定"]  # type: ignore[type-var]
    chinese(seen)
    answered(lambda dialog: press(dialog, "取消"))
    assert ask.text(None, "指派", "承办人：") is None


def test_save_file_opens_in_its_folder_proposing_the_name(qtbot: QtBot, tmp_path: Path) -> None:
    stick = tmp_path / "U盘"
    stick.mkdir()

    def save(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        assert dialog.directory().absolutePath() == str(stick)
        assert [Path(f).name for f in dialog.selectedFiles()] == ["张驻点-同步包.jcb"]
        dialog.done(QDialog.DialogCode.Accepted)

    seen = answered(save)
    chosen = ask.save_file(None, "导出同步包", stick / "张驻点-同步包.jcb", "基层同步包 (*.jcb)")
    assert chosen == stick / "张驻点-同步包.jcb"
    assert seen["title"] == "导出同步包"
    chinese(seen)
    answered(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert ask.save_file(None, "导出同步包", stick / "a.jcb", "基层同步包 (*.jcb)") is None


def test_open_file_and_folder_open_where_they_are_told(qtbot: QtBot, tmp_path: Path) -> None:
    stick = tmp_path / "U盘"
    stick.mkdir()
    (stick / "鼓楼区总工会.pub").write_text("{}", encoding="utf-8")

    def pick_key(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        assert dialog.directory().absolutePath() == str(stick)
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        name.setText("鼓楼区总工会.pub")  # as a user types the name, then 打开
        dialog.accept()

    seen = answered(pick_key)
    assert ask.open_file(None, "选择公钥文件", stick, "基层公钥文件 (*.pub *.json)") == (
        stick / "鼓楼区总工会.pub"
    )
    chinese(seen)

    def pick_folder(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        assert dialog.directory().absolutePath() == str(tmp_path)
        dialog.setDirectory(str(stick))
        dialog.done(QDialog.DialogCode.Accepted)

    seen = answered(pick_folder)
    assert ask.folder(None, "选择数据目录", tmp_path) == stick
    chinese(seen)
    answered(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert ask.folder(None, "选择数据目录", tmp_path) is None
