"""Ledger list screens, driven like a user: forms, inline errors, search, delete and undo,
and personal data that stays masked until someone states why they need it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import AuditEntry, Enterprise, Worker
from app.services.privacy import verify_chain
from app.ui.forms.dialog import FormDialog
from app.ui.main_window import MainWindow
from app.ui.pages.enterprises import EnterprisesPage
from app.ui.pages.records import RecordsPage
from tests.helpers import add_enterprise, add_worker, id_with, write_xlsx
from tests.ui_helpers import (
    Asked,
    dismiss,
    field,
    on_modal,
    pick,
    type_text,
    wait_idle,
)

CTRL = Qt.KeyboardModifier.ControlModifier
GOOD_CODE = "91350100M000100Y43"  # GB 32100-2015 check digit valid
BAD_CODE = "91350100M000100Y44"


def cells(page: RecordsPage, column: int = 0) -> list[str]:
    model = page.model
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


def loaded(qtbot: QtBot, page: RecordsPage) -> list[str]:
    """The first column once every visible row has arrived from the database lane."""
    wait_idle(qtbot, page.ctx)
    for r in range(page.model.rowCount()):
        page.model.index(r, 0).data()  # asks for the page
    wait_idle(qtbot, page.ctx)
    return cells(page)


def test_new_enterprise_form_shows_inline_errors_then_saves(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.go("enterprises")
    page: EnterprisesPage = window.pages["enterprises"]  # type: ignore[assignment]
    assert loaded(qtbot, page.enterprises) == []
    outcome: dict[str, object] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        type_text(qtbot, field(dialog, "name"), "福州闽江纺织有限公司")
        type_text(qtbot, field(dialog, "credit_code"), BAD_CODE)
        type_text(qtbot, field(dialog, "headcount"), "320")
        qtbot.keyClick(field(dialog, "name"), Qt.Key.Key_Return, CTRL)
        error = dialog.errors["credit_code"]
        outcome["error"] = error.text() if error.isVisible() else ""
        outcome["still_open"] = dialog.isVisible()
        edit = field(dialog, "credit_code")
        edit.clear()  # type: ignore[attr-defined]
        type_text(qtbot, edit, GOOD_CODE)
        dialog.submit()

    on_modal(fill)
    page.enterprises.table.setFocus()
    qtbot.keyClick(page.enterprises.table, Qt.Key.Key_N, CTRL)
    assert outcome["still_open"] is True
    assert "校验" in str(outcome["error"]) or "统一社会信用代码" in str(outcome["error"])
    assert loaded(qtbot, page.enterprises) == ["福州闽江纺织有限公司"]
    with window.ctx.store.read() as s:
        assert s.scalar(select(Enterprise.credit_code)) == GOOD_CODE


def test_escape_asks_before_discarding_typed_content_and_saves_nothing(
    qtbot: QtBot, asked: Asked, window: MainWindow
) -> None:
    window.go("practices")
    page: RecordsPage = window.pages["practices"]  # type: ignore[assignment]

    def cancel(dialog: QWidget) -> None:
        type_text(qtbot, field(dialog, "title"), "班前十分钟谈心")  # type: ignore[arg-type]
        asked.answer("confirm", False)  # 继续编辑
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert asked.questions and dialog.isVisible()  # the form and its text stay
        assert dialog.fields["title"].value() == "班前十分钟谈心"  # type: ignore[attr-defined]
        asked.answer("confirm", True)  # 放弃
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = on_modal(cancel)
    page.new()
    assert seen and not seen[0].isVisible()
    assert [(q.text, q.options) for q in asked.of("confirm")] == [
        ("放弃未保存的内容？", {"yes": "放弃", "no": "继续编辑"})
    ] * 2
    assert loaded(qtbot, page) == []


def test_escape_on_an_untouched_form_closes_it_without_asking(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.go("practices")
    page: RecordsPage = window.pages["practices"]  # type: ignore[assignment]
    seen = on_modal(lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    page.new()
    assert seen and not seen[0].isVisible()
    assert QApplication.activeModalWidget() is None


def test_chinese_search_narrows_the_list_as_the_user_types(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.ctx.store
    for name in ("福州闽江纺织有限公司", "厦门海沧电子厂", "泉州石狮服装有限公司"):
        add_enterprise(store, name)
    window.ctx.changed.emit(frozenset({"enterprise"}))
    page: EnterprisesPage = window.pages["enterprises"]  # type: ignore[assignment]
    window.go("enterprises")
    assert len(loaded(qtbot, page.enterprises)) == 3
    page.enterprises.table.setFocus()
    qtbot.keyClick(page.enterprises.table, Qt.Key.Key_F, CTRL)
    assert page.enterprises.search.hasFocus()
    type_text(qtbot, page.enterprises.search, "海沧")
    qtbot.waitUntil(lambda: cells(page.enterprises) == ["厦门海沧电子厂"], timeout=5000)


def test_worker_data_stays_masked_until_revealed_with_a_reason(
    qtbot: QtBot, asked: Asked, window: MainWindow
) -> None:
    store = window.ctx.store
    worker_id = add_worker(store, add_enterprise(store), "陈秀英")
    window.ctx.changed.emit(frozenset({"worker"}))
    window.go("workers")
    page: RecordsPage = window.pages["workers"]  # type: ignore[assignment]
    assert loaded(qtbot, page) == ["陈秀英"]
    row_text = " ".join(str(page.model.index(0, c).data()) for c in range(page.model.columnCount()))
    assert "13812345678" not in row_text and "138****5678" in row_text
    page.table.selectRow(0)
    shown: dict[str, str] = {}

    def read_and_close(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown["text"] = box.text()
        box.accept()

    asked.answer("text", "核实困难补助申请")
    on_modal(read_and_close)  # the revealed data: the page's own box, not a question
    page.reveal()
    qtbot.waitUntil(lambda: "text" in shown, timeout=5000)
    assert "13812345678" in shown["text"]
    (question,) = asked.of("text")
    assert question.title == "查看个人信息" and "请说明原因（将记入审计日志）" in question.text
    with store.read() as s:
        entry = s.scalars(select(AuditEntry)).one()
        assert (entry.row_id, entry.reason) == (worker_id, "核实困难补助申请")
        assert verify_chain(s) is None


def test_cancelling_the_reason_reveals_nothing(
    qtbot: QtBot, asked: Asked, window: MainWindow
) -> None:
    store = window.ctx.store
    add_worker(store, add_enterprise(store), "陈秀英")
    window.ctx.changed.emit(frozenset({"worker"}))
    page: RecordsPage = window.pages["workers"]  # type: ignore[assignment]
    assert loaded(qtbot, page) == ["陈秀英"]
    page.table.selectRow(0)
    asked.answer("text", None)
    page.edit()
    wait_idle(qtbot, window.ctx)
    assert QApplication.activeModalWidget() is None
    assert "修改职工信息会显示其完整个人信息" in asked.of("text")[0].text
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_delete_asks_first_and_can_be_undone(
    qtbot: QtBot, asked: Asked, window: MainWindow
) -> None:
    store = window.ctx.store
    add_worker(store, add_enterprise(store), "陈秀英")
    window.ctx.changed.emit(frozenset({"worker"}))
    window.go("workers")
    page: RecordsPage = window.pages["workers"]  # type: ignore[assignment]
    assert loaded(qtbot, page) == ["陈秀英"]
    page.table.selectRow(0)
    asked.answer("confirm", False)
    page.delete()
    assert loaded(qtbot, page) == ["陈秀英"]
    asked.answer("confirm", True)
    page.delete()
    asked_twice = [(q.title, q.text) for q in asked.questions]
    assert asked_twice == [("确认删除", "删除这条职工：陈秀英？")] * 2
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)
    assert window.undo.isVisible()
    qtbot.mouseClick(window.undo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    with store.read() as s:
        assert s.scalar(select(Worker.deleted)) is False


def test_a_refused_save_keeps_what_was_typed(qtbot: QtBot, window: MainWindow) -> None:
    """A worker's gender that contradicts the ID number is refused by the schema, with the
    reason under the field; nothing is written and the dialog stays open."""
    store = window.ctx.store
    add_enterprise(store)
    window.ctx.changed.emit(frozenset({"enterprise"}))
    page: RecordsPage = window.pages["workers"]  # type: ignore[assignment]
    outcome: dict[str, object] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        pick(qtbot, dialog, "enterprise_id")
        type_text(qtbot, field(dialog, "name"), "王建国")
        type_text(qtbot, field(dialog, "id_number"), "11010519491231002X")  # a woman's number
        dialog.fields["gender"].set_value("male")
        dialog.submit()
        outcome["errors"] = dialog.top_error.text() + "".join(
            e.text() for e in dialog.errors.values()
        )
        outcome["name"] = dialog.fields["name"].value()
        outcome["open"] = dialog.isVisible()
        dismiss(dialog)

    on_modal(fill)
    page.new()
    assert outcome["open"] is True and outcome["name"] == "王建国"
    assert "性别与身份证号不符" in str(outcome["errors"])
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Worker)) == 0


def test_a_days_work_workshop_worker_and_visit_through_the_forms(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.ctx.store
    add_enterprise(store, "福州闽江纺织有限公司")
    window.ctx.changed.emit(frozenset({"enterprise"}))
    window.go("enterprises")
    page: EnterprisesPage = window.pages["enterprises"]  # type: ignore[assignment]
    assert loaded(qtbot, page.enterprises) == ["福州闽江纺织有限公司"]
    page.enterprises.table.selectRow(0)

    def workshop(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        pick(qtbot, dialog, "enterprise_id")
        type_text(qtbot, field(dialog, "name"), "织造车间")
        type_text(qtbot, field(dialog, "headcount"), "85")
        dialog.submit()

    on_modal(workshop)
    page.workshops.table.setFocus()
    qtbot.keyClick(page.workshops.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: loaded(qtbot, page.workshops) == ["织造车间"], timeout=5000)

    window.go("workers")
    workers: RecordsPage = window.pages["workers"]  # type: ignore[assignment]

    def worker(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        pick(qtbot, dialog, "enterprise_id")
        pick(qtbot, dialog, "workshop_id")  # the workshops of the enterprise just chosen
        type_text(qtbot, field(dialog, "name"), "陈秀英")
        type_text(qtbot, field(dialog, "phone"), "13912345678")
        type_text(qtbot, field(dialog, "id_number"), "11010519491231002X")
        dialog.fields["hardship_level"].set_value("ordinary")
        type_text(qtbot, field(dialog, "hardship_reason"), "丈夫重病，两个孩子上学")
        qtbot.keyClick(field(dialog, "name"), Qt.Key.Key_Return, CTRL)

    on_modal(worker)
    workers.new()
    assert loaded(qtbot, workers) == ["陈秀英"]
    with store.read() as s:
        saved = s.scalars(select(Worker)).one()
        assert saved.gender == "female" and saved.workshop_id is not None  # gender from the ID
        assert saved.hardship_level == "ordinary" and saved.hardship_status == "filed"

    window.go("visits")
    visits: RecordsPage = window.pages["visits"]  # type: ignore[assignment]

    def visit(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        pick(qtbot, dialog, "enterprise_id")
        dialog.fields["kind"].set_value("talk")
        reached = dialog.fields["worker_ids"].list  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: reached.count() == 1, timeout=5000)
        reached.item(0).setCheckState(Qt.CheckState.Checked)
        type_text(qtbot, field(dialog, "summary"), "到织造车间了解困难职工家庭情况")
        dialog.submit()

    on_modal(visit)
    visits.new()
    assert len(loaded(qtbot, visits)) == 1
    with store.read() as s:
        from app.models import VisitReach

        reach = s.scalars(select(VisitReach.worker_id)).all()
    assert reach == [saved.id]


def test_importing_a_list_from_excel_shows_refused_rows_first(
    qtbot: QtBot, asked: Asked, window: MainWindow, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "名录.xlsx",
        [
            ["鼓楼区企业名录"],
            ["企业名称", "统一社会信用代码", "职工人数"],
            ["福州闽江纺织有限公司", GOOD_CODE, 320],
            ["坏代码公司", BAD_CODE, 10],
        ],
    )
    window.go("enterprises")
    page: EnterprisesPage = window.pages["enterprises"]  # type: ignore[assignment]
    asked.answer("open_file", path)
    dialog = page.enterprises.import_sheet()
    assert dialog is not None
    qtbot.waitUntil(lambda: "有误 1" in dialog.summary.text(), timeout=5000)
    assert dialog.errors.item(0).text().startswith("第 4 行「统一社会信用代码」")
    assert not dialog.import_all.isEnabled() and dialog.import_valid.isEnabled()
    assert loaded(qtbot, page.enterprises) == []  # checking wrote nothing
    qtbot.mouseClick(dialog.import_valid, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=5000)
    assert loaded(qtbot, page.enterprises) == ["福州闽江纺织有限公司"]


def test_a_bomb_and_a_nul_row_are_worded_in_the_import_dialog(
    qtbot: QtBot, asked: Asked, window: MainWindow, tmp_path: Path
) -> None:
    """A file past the caps says why in Chinese and enables nothing; a NUL in a name refuses
    that row by row and column, and the other rows import."""
    from tests.sheet_helpers import HEAD as SHEET_HEAD
    from tests.sheet_helpers import HEADER_ROW, TAIL, build_xlsx, nul_workbook

    last = '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    bomb = build_xlsx(
        tmp_path / "末行.xlsx",
        {"xl/worksheets/sheet1.xml": [SHEET_HEAD, HEADER_ROW, last, TAIL]},
    )
    window.go("enterprises")
    page: EnterprisesPage = window.pages["enterprises"]  # type: ignore[assignment]
    asked.answer("open_file", bomb)
    dialog = page.enterprises.import_sheet()
    assert dialog is not None
    qtbot.waitUntil(lambda: "无法导入" in dialog.summary.text(), timeout=10000)
    assert dialog.summary.text() == "无法导入：超过 200000 行，请分成几个文件导入"
    assert not dialog.import_all.isEnabled() and not dialog.import_valid.isEnabled()
    dialog.reject()

    asked.answer("open_file", nul_workbook(tmp_path / "含控制字符.xlsx"))
    dialog = page.enterprises.import_sheet()
    assert dialog is not None
    qtbot.waitUntil(lambda: "有误 4" in dialog.summary.text(), timeout=10000)
    assert dialog.errors.item(0).text() == (
        "第 3 行「企业名称」：含有不可见的控制字符（U+0000），请删除后重新导入"
    )
    qtbot.mouseClick(dialog.import_valid, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=5000)
    assert sorted(loaded(qtbot, page.enterprises)) == ["福州闽江纺织有限公司", "莆田鞋业 有限公司"]


def test_rows_to_double_check_are_listed_and_still_imported(
    qtbot: QtBot, asked: Asked, window: MainWindow, tmp_path: Path
) -> None:
    """An ID number whose region code the national table lacks: imported, and listed in amber
    as 需核对 so the clerk can look at it (never refused)."""
    add_enterprise(window.ctx.store, "福州闽江纺织有限公司")
    path = write_xlsx(
        tmp_path / "职工.xlsx",
        [
            ["姓名", "身份证号", "所在企业"],
            ["陈秀英", id_with("329999", date(1990, 1, 1)), "福州闽江纺织有限公司"],
            ["林海", id_with("320106", date(1985, 6, 1)), "福州闽江纺织有限公司"],
        ],
    )
    window.go("workers")
    page: RecordsPage = window.pages["workers"]  # type: ignore[assignment]
    asked.answer("open_file", path)
    dialog = page.import_sheet()
    assert dialog is not None
    qtbot.waitUntil(lambda: "将新增 2" in dialog.summary.text(), timeout=5000)
    assert "需核对 1" in dialog.summary.text() and "有误 0" in dialog.summary.text()
    assert dialog.errors.count() == 1 and dialog.errors.isVisibleTo(dialog)
    item = dialog.errors.item(0)
    assert item.text().startswith("需核对：第 2 行「身份证号」") and "329999" in item.text()
    assert item.foreground().color().name() == "#92400e"
    assert dialog.import_all.isEnabled()  # a warning never blocks
    qtbot.mouseClick(dialog.import_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=5000)
    assert dialog.imported.created == 2
