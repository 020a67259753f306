"""统计报表 screen: figures for a chosen period, drill-down to the cases, workbook and PDF."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from app.services.reports import Period, Scope, build_report
from app.ui.main_window import MainWindow
from app.ui.pages.reports import ReportsPage, preset_period
from tests.helpers import add_enterprise, add_issue
from tests.ui.conftest import wait_idle


def reports_page(window: MainWindow) -> ReportsPage:
    window.go("reports")
    return window.pages["reports"]  # type: ignore[return-value]


def test_presets_cover_the_usual_periods() -> None:
    today = date(2026, 11, 20)
    assert preset_period("this_month", today) == Period(date(2026, 11, 1), today)
    assert preset_period("last_month", today) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert preset_period("this_quarter", today) == Period(date(2026, 10, 1), today)
    assert preset_period("last_month", date(2026, 1, 5)).start == date(2025, 12, 1)


def test_figures_drill_down_and_files(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
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
    task = page.export_excel(str(book))
    assert task is not None
    qtbot.waitUntil(lambda: book.exists() and not window.ctx.io.running, timeout=10_000)
    summary = {
        r[0]: r[1] for r in load_workbook(book)["汇总"].iter_rows(values_only=True) if r and r[0]
    }
    assert summary["受理诉求"] == 3

    pdf = tmp_path / "月报.pdf"
    page.export_pdf(str(pdf))
    qtbot.waitUntil(pdf.exists, timeout=10_000)
    document = QPdfDocument()
    document.load(str(pdf))
    assert document.pageCount() >= 1
    # NFKC: the PDF's text layer maps some glyphs to Kangxi radicals (⼯ for 工)
    text = unicodedata.normalize("NFKC", document.getAllText(0).text())
    assert "工会驻点工作月报" in text and "受理诉求" in text
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
