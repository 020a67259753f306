"""The printed case form's layout (``app.ui.case_pdf``): long texts wrap inside their cells,
continue on further pages with the number and the timeline's header repeated, nothing lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from PySide6.QtGui import QFontMetricsF, QPdfWriter
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from app.services.case_form import CaseForm, FormEvent
from app.ui.case_pdf import _Form, write_case_pdf
from app.ui.fonts import load_shipped_font

NUMBER = "GL01-2026-0042"
UNBROKEN = "https://example.org/" + "x" * 300


def form(**changes: object) -> CaseForm:
    base = CaseForm(
        number=NUMBER, received_on=date(2026, 12, 1), enterprise="南京宏达精密机械有限公司",
        workshop="一车间", complainant="李小红", phone="138****5678", id_number="",
        confidential=False, collective=False, people_count=1, category="wages",
        urgency="normal", source="visit", title="反映工资拖欠三个月", description="短",
        assignee="张驻点", due_on=date(2026, 12, 8), status="in_progress", referred_to="",
        resolution="", resolved_on=None, followed_up_on=None, follow_up_method=None,
        satisfaction=None, decline_reason="", events=[],
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def text_of(pdf: Path) -> tuple[int, list[str]]:
    document = QPdfDocument()
    document.load(str(pdf))
    pages = [document.getAllText(n).text() for n in range(document.pageCount())]
    document.close()
    return len(pages), ["".join(p.split()) for p in pages]


def test_wrapped_lines_fit_their_cell(qtbot: QtBot, tmp_path: Path) -> None:
    load_shipped_font()
    writer = QPdfWriter(str(tmp_path / "probe.pdf"))
    writer.setResolution(300)
    layout = _Form(writer, form(), date(2026, 12, 7))
    width = layout.width * 0.45
    metrics = QFontMetricsF(layout.body, writer)
    for text in ("职工反映所在车间工资拖欠三个月未发，" * 20, UNBROKEN, "a b\n\nc"):
        lines = layout.wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
        assert all(metrics.horizontalAdvance(line) <= width - 2 * layout.pad for line in lines)
    del layout, writer


def test_a_long_case_continues_with_its_number_and_header(qtbot: QtBot, tmp_path: Path) -> None:
    load_shipped_font()
    paragraphs = [f"第{n}段：职工反映所在车间工资拖欠三个月未发。" * 6 for n in range(1, 31)]
    events = [
        FormEvent(datetime(2026, 12, 1, 9, n % 60), "note", None, None, None, note, "张驻点")
        for n, note in enumerate((f"第{n}次约谈企业" for n in range(1, 81)), start=1)
    ]
    events[1] = replace(events[1], note=UNBROKEN)
    pdf = tmp_path / "long.pdf"
    pages = write_case_pdf(
        form(description="\n".join(paragraphs), events=events), pdf, date(2026, 12, 7)
    )
    count, texts = text_of(pdf)
    assert count == pages >= 3
    running = [f"职工诉求登记表·办理单（续）编号：{NUMBER}", "（续）"]  # a continued page's heading
    running += [f"打印日期：2026-12-07第{n}页/共{pages}页" for n in range(1, pages + 1)]
    everything = "".join(texts)
    for repeated in running:
        everything = everything.replace(repeated, "")
    for paragraph in paragraphs:
        assert "".join(paragraph.split()) in everything  # nothing cut at a page break
    assert UNBROKEN in everything  # wrapped anywhere, every character kept
    for n in range(3, 81):
        assert f"第{n}次约谈企业" in everything
    for n, text in enumerate(texts, start=1):
        assert NUMBER in text and f"第{n}页/共{pages}页" in text
    timeline_pages = [t for t in texts if "约谈企业" in t]
    assert all("时间事项内容经办人" in t for t in timeline_pages)
    assert pdf.stat().st_mode & 0o777 == 0o600
