"""打印… on the case detail: the case's printed form saved as a PDF, or sent to a printer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from tests.helpers import add_enterprise, add_issue, add_worker
from tests.ui_helpers import Asked, wait_idle


def button(page: IssuesPage, text: str) -> QPushButton:
    (found,) = [b for b in page.detail.findChildren(QPushButton) if b.text() == text]
    return found


def test_print_saves_the_form_and_sends_it_to_a_printer(
    qtbot: QtBot, asked: Asked, window: MainWindow, tmp_path: Path
) -> None:
    store = window.ctx.store
    eid = add_enterprise(store)
    issue_id = add_issue(store, eid, worker_id=add_worker(store, eid), confidential=True)
    window.go("issues")
    page: IssuesPage = window.pages["issues"]  # type: ignore[assignment]
    page.detail.show_issue(issue_id)
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=5000)
    number = page.detail.detail.row.number  # type: ignore[union-attr]
    said: list[str] = []
    page.detail.status.connect(said.append)

    asked.answer("save_file", None)  # cancelled: nothing written, nothing said
    qtbot.mouseClick(button(page, "打印…"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.ctx)
    assert said == [] and not list(tmp_path.glob("*.pdf"))

    target = tmp_path / "登记表"  # typed without the suffix
    asked.answer("save_file", target)
    qtbot.mouseClick(button(page, "打印…"), Qt.MouseButton.LeftButton)
    pdf = tmp_path / "登记表.pdf"
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    question = asked.of("save_file")[-1]
    assert question.title == "打印诉求登记表"
    assert Path(question.text).name == f"诉求登记表-{number}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_mode & 0o777 == 0o600
    assert said == [f"已生成 {pdf}（共 1 页）"]
    document = QPdfDocument()
    document.load(str(pdf))
    text = document.getAllText(0).text()
    assert number in text and "（保密）" in text and "李小红" not in text
    document.close()

    asked.answer("printer", None)  # the print dialog cancelled
    qtbot.mouseClick(button(page, "送打印机…"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.ctx)
    assert len(said) == 1
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    paper = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(paper))
    asked.answer("printer", printer)
    qtbot.mouseClick(button(page, "送打印机…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(said) == 2, timeout=10_000)
    assert said[1] == f"已送打印机：{number}（共 1 页）"
    assert asked.of("printer")[0].text == number
    assert paper.read_bytes().startswith(b"%PDF")
