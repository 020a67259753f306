"""统计报表 screen: figures for a chosen period, drill-down to the cases, workbook and PDF."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import AuditEntry
from app.services.reports import Period, Scope, build_report
from app.ui import prefs as prefs_file
from app.ui.main_window import MainWindow
from app.ui.pages.reports import ReportsPage, preset_period
from tests.helpers import add_enterprise, add_issue, add_worker
from tests.ui_helpers import Asked, wait_idle


def reports_page(window: MainWindow) -> ReportsPage:
    window.go("reports")
    return window.pages["reports"]  # type: ignore[return-value]


def test_presets_cover_the_usual_periods() -> None:
    today = date(2026, 11, 20)
    assert preset_period("this_month", today) == Period(date(2026, 11, 1), today)
    assert preset_period("last_month", today) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert preset_period("this_quarter", today) == Period(date(2026, 10, 1), today)
    assert preset_period("last_month", date(2026, 1, 5)).start == date(2025, 12, 1)


def test_figures_drill_down_and_files(
    qtbot: QtBot, asked: Asked, window: MainWindow, tmp_path: Path
) -> None:
    store = window.ctx.store
    eid = add_enterprise(store)
    today = date.today()
    for days in (1, 2, 3):
        add_issue(store, eid, f"反映工资拖欠{days}", received_on=today - timedelta(days=days))
    add_issue(store, eid, "很早以前的", received_on=today - timedelta(days=400))
    window.ctx.changed.emit(frozenset({"issue"}))
    page = reports_page(window)
    page.preset.setCurrentIndex(page.preset.findData("custom"))
    start = today - timedelta(days=30)
    page.start.setDate(QDate(start.year, start.month, start.day))
    wait_idle(qtbot, window.ctx)
    with store.read() as s:
        expected = build_report(s, Period(start, today), Scope(), today)
    qtbot.waitUntil(lambda: page.tiles["received"].number.text() == "3", timeout=5000)
    assert page.tiles["overdue"].number.text() == str(expected.issues.overdue)
    assert "走访 0 次" in page.facts.text()

    dialog = page.drill("received")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)
    wait_idle(qtbot, window.ctx)
    titles = {dialog.model.index(r, 1).data() for r in range(3)}
    assert titles == {"反映工资拖欠1", "反映工资拖欠2", "反映工资拖欠3"}
    dialog.close()

    book = tmp_path / "台账.xlsx"
    asked.answer("save_file", book)
    task = page.export_excel()
    assert task is not None
    qtbot.waitUntil(lambda: book.exists() and not window.ctx.io.running, timeout=10_000)
    summary = {
        r[0]: r[1] for r in load_workbook(book)["汇总"].iter_rows(values_only=True) if r and r[0]
    }
    assert summary["登记诉求"] == 3

    pdf = tmp_path / "月报.pdf"
    asked.answer("save_file", pdf)
    page.export_pdf()
    qtbot.waitUntil(pdf.exists, timeout=10_000)
    document = QPdfDocument()
    document.load(str(pdf))
    assert document.pageCount() >= 1
    # NFKC: the PDF's text layer maps some glyphs to Kangxi radicals (⼯ for 工)
    text = unicodedata.normalize("NFKC", document.getAllText(0).text())
    assert "工会驻点工作月报" in text and "登记诉求" in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_ctrl_digits_reach_every_screen(qtbot: QtBot, window: MainWindow) -> None:
    for digit, key in ((8, "reports"), (0, "settings"), (2, "issues")):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{digit}"), Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is window.pages[key]


def test_hidden_summary_screens_recompute_only_when_shown(qtbot: QtBot, window: MainWindow) -> None:
    """A save must not make hidden screens run whole-ledger queries on the database lane."""
    for key in ("reports", "dashboard"):
        page = window.pages[key]
        window.go("issues")
        calls: list[int] = []
        page.recompute = lambda calls=calls: calls.append(1)  # type: ignore[method-assign]
        for _ in range(3):
            window.ctx.changed.emit(frozenset({"issue"}))
        assert calls == [], key
        window.go(key)
        assert calls == [1], key  # stale, so recomputed once on showing
        window.ctx.changed.emit(frozenset({"issue"}))
        assert calls == [1, 1], key


def test_full_personal_excel_asks_why_and_saves_where_the_last_file_went(
    qtbot: QtBot, asked: Asked, window: MainWindow, tmp_path: Path
) -> None:
    """The reason is asked (again while too short), the save dialog opens in the folder last
    used with the sender-and-period name, and the export is on the audit chain, 0600."""
    stick = tmp_path / "U盘"
    stick.mkdir()
    window.ctx.prefs.last_folder = str(stick)
    page = reports_page(window)
    page.preset.setCurrentIndex(page.preset.findData("last_month"))
    page.personal.setChecked(True)
    asked.answer("text", "x", "上报区总工会核对")  # too short, then a reason
    asked.answer("save_file", lambda q: Path(q.text))  # saved under the proposed name
    task = page.export_excel()
    prompts = [q.text for q in asked.of("text")]
    assert task is not None and len(prompts) == 2 and "2–200" in prompts[1]
    assert asked.titles() == ["导出完整个人信息", "导出完整个人信息", "导出 Excel 台账"]
    period = page.period()
    name = f"张驻点-台账-{period.start:%Y-%m}.xlsx"
    assert asked.of("save_file")[0].text == str(stick / name)
    book = stick / name
    qtbot.waitUntil(lambda: book.exists() and not window.ctx.io.running, timeout=10_000)
    assert book.stat().st_mode & 0o777 == 0o600
    with window.ctx.store.read() as s:
        (entry,) = s.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.row_id, entry.reason) == ("export", name, "上报区总工会核对")
    assert prefs_file.load().last_folder == str(stick)  # remembered for the next start


def test_the_pdf_names_no_confidential_complainant(
    qtbot: QtBot, asked: Asked, window: MainWindow, tmp_path: Path
) -> None:
    store = window.ctx.store
    eid = add_enterprise(store)
    secret = add_worker(store, eid, "赵保密")
    add_issue(store, eid, "反映工资拖欠", worker_id=secret, confidential=True)
    add_issue(store, eid, "反映加班费", worker_id=add_worker(store, eid, "钱公开"))
    page = reports_page(window)
    pdf = tmp_path / "月报.pdf"
    asked.answer("save_file", pdf)
    page.export_pdf()
    qtbot.waitUntil(pdf.exists, timeout=10_000)
    document = QPdfDocument()
    document.load(str(pdf))
    text = "".join(
        unicodedata.normalize("NFKC", document.getAllText(i).text())
        for i in range(document.pageCount())
    )
    assert "钱公开" in text and "赵保密" not in text and "(保密)" in text  # NFKC: （）→ ()
    assert pdf.stat().st_mode & 0o777 == 0o600


def test_every_enterprise_filter_follows_imports(qtbot: QtBot, window: MainWindow) -> None:
    """An enterprise that arrives by a bundle or a spreadsheet (a write the screens hear of
    only as "the ledger changed") appears in the 统计报表, 职工诉求 and list filters."""
    filters = {key: window.pages[key].enterprise for key in ("reports", "issues", "workers")}  # type: ignore[attr-defined]
    wait_idle(qtbot, window.ctx)
    assert all(f.findText("南京宏达精密机械有限公司") < 0 for f in filters.values())
    add_enterprise(window.ctx.store)
    window.ctx.changed.emit(frozenset({"*"}))  # what a bundle import tells the window
    for key, combo in filters.items():
        qtbot.waitUntil(lambda c=combo: c.findText("南京宏达精密机械有限公司") > 0, timeout=5000)
        assert combo.itemText(0) == "全部企业", key
