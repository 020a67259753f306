"""The printed per-case form: 职工诉求登记表 and 诉求办理单 with the 办理记录, on A4.

Drawn with QPainter on a QPdfWriter (or a QPrinter from the print dialog), in the app's CJK
fonts (``app.ui.fonts``), as a bordered table. Long texts wrap (at word boundaries, or
anywhere in a run without any, so nothing runs past its cell) and a row too tall for what is
left of a page continues on the next; every page after the first repeats the case number,
and within the 办理记录 its column header. Case numbers and dates never wrap. Each page has
a footer with the print date and 第 n 页 / 共 m 页. What the form shows (and masks) is
``app.services.case_form``'s; this module only lays it out.

Safe off the GUI thread (QPainter on a PDF writer, no widgets): the app writes it on the
I/O lane.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextLayout,
    QTextOption,
)

from app.schemas.enums import (
    EventKind,
    FollowUpMethod,
    IssueCategory,
    IssueSource,
    IssueStatus,
    Satisfaction,
    Urgency,
)
from app.services.case_form import CaseForm, FormEvent
from app.storage import atomic
from app.ui.fonts import CJK_FAMILIES, for_print
from app.ui.i18n import label, tr, tr_fmt

RESOLUTION = 300  # dots per inch of the PDF's layout
MARGIN_MM = 15.0
PADDING_MM = 1.6
FOOTER_MM = 8.0
SHADE = QColor("#f0f1f3")


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(list(CJK_FAMILIES))
    font.setPointSizeF(points)
    font.setBold(bold)
    return for_print(font)


@dataclass
class _Cell:
    x: float
    width: float
    lines: list[str]
    shaded: bool = False
    bold: bool = False
    points: float | None = None  # a smaller size, for a one-line value that must fit


@dataclass
class _Row:
    cells: list[_Cell]
    lines: int = field(init=False)

    def __post_init__(self) -> None:
        self.lines = max((len(c.lines) for c in self.cells), default=1) or 1

    def split(self, keep: int) -> tuple[_Row, _Row]:
        """The first ``keep`` lines of every cell, and the rest (labels say 续)."""
        first = [replace(c, lines=c.lines[:keep]) for c in self.cells]
        rest = [replace(c, lines=c.lines[keep:]) for c in self.cells]
        for after in rest:
            if after.shaded and not after.lines:
                after.lines = [tr("CaseForm", "（续）")]
        return _Row(first), _Row(rest)


class _Form:
    """Lays the form out into pages of drawing steps, then paints them."""

    def __init__(self, device: QPagedPaintDevice, form: CaseForm, printed_on: date) -> None:
        self.device = device
        self.form = form
        self.printed_on = printed_on
        self.mm = device.logicalDpiX() / 25.4
        rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
        self.width = float(rect.width())
        self.bottom = float(rect.height()) - FOOTER_MM * self.mm
        self.pad = PADDING_MM * self.mm
        self.body = _font(10)
        self.bold = _font(10, bold=True)
        self.line = QFontMetricsF(self.body, device).lineSpacing()
        self.pages: list[list[Callable[[QPainter], None]]] = [[]]
        self.y = 0.0
        self.page_top = 0.0  # below the repeated heading of a continued page
        self.header: list[_Row] = []  # repeated at the top of a page (the 办理记录's columns)

    # ---- text ---------------------------------------------------------------------------

    def wrap(self, text: str, width: float, font: QFont | None = None) -> list[str]:
        """``text`` in lines that fit ``width``: word boundaries first, anywhere if need be."""
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        out: list[str] = []
        for paragraph in (text or "").replace("\r\n", "\n").split("\n"):
            if not paragraph:
                out.append("")
                continue
            layout = QTextLayout(paragraph, font or self.body, self.device)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width - 2 * self.pad)
                start = line.textStart()
                out.append(paragraph[start : start + line.textLength()].rstrip())
            layout.endLayout()
        while len(out) > 1 and not out[-1]:
            out.pop()
        return out or [""]

    def cell(
        self, x: float, width: float, text: str, *, shaded: bool = False, nowrap: bool = False
    ) -> _Cell:
        if not nowrap:
            return _Cell(
                x, width, self.wrap(text, width, self.bold if shaded else None), shaded, shaded
            )
        advance = QFontMetricsF(self.body, self.device).horizontalAdvance(text)
        room = width - 2 * self.pad
        points = None if advance <= room else max(5.0, 10 * room / advance * 0.98)
        return _Cell(x, width, [text], shaded, shaded, points)

    # ---- placing --------------------------------------------------------------------------

    def height(self, row: _Row) -> float:
        return row.lines * self.line + 2 * self.pad

    def new_page(self) -> None:
        self.pages.append([])
        self.y = 0.0
        f = self.form
        heading = tr_fmt("CaseForm", "职工诉求登记表·办理单（续）　编号：{number}", number=f.number)
        self.text_line(heading, _font(9), Qt.AlignmentFlag.AlignLeft, 1.6)
        for row in self.header:
            self.place(row)
        self.page_top = self.y

    def text_line(
        self, text: str, font: QFont, align: Qt.AlignmentFlag, spacing: float = 1.4
    ) -> None:
        height = QFontMetricsF(font, self.device).lineSpacing() * spacing
        if self.y + height > self.bottom:
            self.new_page()
        rect = QRectF(0, self.y, self.width, height)

        def draw(p: QPainter) -> None:
            p.setFont(font)
            p.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), text)

        self.pages[-1].append(draw)
        self.y += height

    def gap(self, mm: float) -> None:
        self.y = min(self.y + mm * self.mm, self.bottom)

    def place(self, row: _Row) -> None:
        """Put ``row`` on the page, continuing it on the next when it does not fit (whole
        when short, line by line when tall)."""
        while self.height(row) > self.bottom - self.y:
            fits = int((self.bottom - self.y - 2 * self.pad) // self.line)
            if (row.lines <= 8 or fits < 2) and self.y > self.page_top:
                self.new_page()  # a short row moves whole to the next page
                continue
            first, row = row.split(max(fits, 1))
            self._draw_row(first)
            self.new_page()
        self._draw_row(row)

    def _draw_row(self, row: _Row) -> None:
        top, height, line, pad = self.y, self.height(row), self.line, self.pad

        def draw(p: QPainter) -> None:
            for c in row.cells:
                rect = QRectF(c.x, top, c.width, height)
                if c.shaded:
                    p.fillRect(rect, SHADE)
                p.drawRect(rect)
                if c.points is not None:
                    p.setFont(_font(c.points))
                else:
                    p.setFont(self.bold if c.bold else self.body)
                for i, text in enumerate(c.lines):
                    box = QRectF(c.x + pad, top + pad + i * line, c.width - 2 * pad, line)
                    p.drawText(box, int(Qt.AlignmentFlag.AlignVCenter), text)

        self.pages[-1].append(draw)
        self.y += height

    # ---- the form -------------------------------------------------------------------------

    def pairs(self, items: list[tuple[str, str]], nowrap: frozenset[str] = frozenset()) -> None:
        """Label/value pairs, two to a row."""
        w = self.width
        widths = (0.14 * w, 0.36 * w, 0.14 * w, 0.36 * w)
        xs = (0.0, widths[0], widths[0] + widths[1], widths[0] + widths[1] + widths[2])
        for i in range(0, len(items), 2):
            cells: list[_Cell] = []
            for j, (name, value) in enumerate(items[i : i + 2]):
                cells.append(self.cell(xs[2 * j], widths[2 * j], name, shaded=True))
                last = j == 1 or i + 1 == len(items)
                width = (w - xs[2 * j + 1]) if last else widths[2 * j + 1]
                cells.append(self.cell(xs[2 * j + 1], width, value, nowrap=name in nowrap))
            self.place(_Row(cells))

    def wide(self, name: str, value: str, min_lines: int = 1) -> None:
        w = self.width
        text = self.cell(0.14 * w, 0.86 * w, value)
        text.lines += [""] * (min_lines - len(text.lines))
        self.place(_Row([self.cell(0, 0.14 * w, name, shaded=True), text]))

    def lay_out(self) -> None:
        f = self.form
        self.text_line(
            tr("CaseForm", "职工诉求登记表"),
            _font(16, bold=True),
            Qt.AlignmentFlag.AlignHCenter,
            1.8,
        )
        number = tr_fmt("CaseForm", "编号：{number}", number=f.number)
        self.text_line(number, _font(9), Qt.AlignmentFlag.AlignRight)
        complainant = f.complainant or tr("CaseForm", "（未填）")
        hidden = tr("CaseForm", "（保密）")
        people = (
            tr_fmt("CaseForm", "集体诉求，{count}人", count=f.people_count)
            if f.collective
            else tr("CaseForm", "个人诉求")
        )
        self.pairs(
            [
                (tr("CaseForm", "编号"), f.number),
                (tr("CaseForm", "登记日期"), f.received_on.isoformat()),
                (tr("CaseForm", "企业"), f.enterprise),
                (tr("CaseForm", "车间/班组"), f.workshop),
                (tr("CaseForm", "反映人"), complainant),
                (tr("CaseForm", "联系方式"), hidden if f.confidential else f.phone),
                (tr("CaseForm", "身份证号"), hidden if f.confidential else f.id_number),
                (tr("CaseForm", "集体/人数"), people),
                (tr("CaseForm", "类别"), label(f.category, IssueCategory)),
                (tr("CaseForm", "紧急程度"), label(f.urgency, Urgency)),
                (tr("CaseForm", "来源"), label(f.source, IssueSource)),
                (tr("CaseForm", "办理期限"), f.due_on.isoformat()),
            ],
            nowrap=frozenset({tr("CaseForm", "编号")}),
        )
        self.wide(tr("CaseForm", "诉求标题"), f.title)
        self.wide(tr("CaseForm", "诉求内容"), f.description, min_lines=4)

        self.gap(6)
        self.text_line(
            tr("CaseForm", "诉求办理单"), _font(14, bold=True), Qt.AlignmentFlag.AlignHCenter, 1.8
        )
        self.pairs(
            [
                (tr("CaseForm", "承办人"), f.assignee),
                (tr("CaseForm", "状态"), label(f.status, IssueStatus)),
                (tr("CaseForm", "转办单位"), f.referred_to),
                (tr("CaseForm", "办结日期"), _day(f.resolved_on)),
                (tr("CaseForm", "回访日期"), _day(f.followed_up_on)),
                (tr("CaseForm", "回访方式"), label(f.follow_up_method, FollowUpMethod)),
                (tr("CaseForm", "满意度"), label(f.satisfaction, Satisfaction)),
                (tr("CaseForm", "打印日期"), self.printed_on.isoformat()),
            ]
        )
        self.wide(tr("CaseForm", "办理结果"), f.resolution, min_lines=2)
        if f.decline_reason:
            self.wide(tr("CaseForm", "不予受理理由"), f.decline_reason)

        self.gap(4)
        self.text_line(
            tr("CaseForm", "办理记录"), _font(12, bold=True), Qt.AlignmentFlag.AlignLeft, 1.6
        )
        w = self.width
        widths = (0.2 * w, 0.2 * w, 0.45 * w, 0.15 * w)
        xs = (0.0, widths[0], widths[0] + widths[1], widths[0] + widths[1] + widths[2])
        heads = (
            tr("CaseForm", "时间"),
            tr("CaseForm", "事项"),
            tr("CaseForm", "内容"),
            tr("CaseForm", "经办人"),
        )
        head = _Row(
            [self.cell(x, wd, h, shaded=True) for x, wd, h in zip(xs, widths, heads, strict=True)]
        )
        if self.y + 2 * self.height(head) > self.bottom:
            self.new_page()  # the column header never stands alone at the foot of a page
        self.place(head)
        self.header = [head]
        if not f.events:
            self.place(_Row([self.cell(0, w, tr("CaseForm", "（暂无办理记录）"))]))
        for e in f.events:
            values = (e.occurred_at.strftime("%Y-%m-%d %H:%M"), _what(e), _text(e), e.actor or "")
            self.place(
                _Row(
                    [
                        self.cell(x, wd, v, nowrap=i == 0)
                        for i, (x, wd, v) in enumerate(zip(xs, widths, values, strict=True))
                    ]
                )
            )
        self.header = []
        self.gap(8)
        self.text_line(
            tr("CaseForm", "承办人（签字）：＿＿＿＿＿＿　　　　　日期：＿＿＿＿＿＿"),
            self.body,
            Qt.AlignmentFlag.AlignLeft,
            2.0,
        )

    def paint(self, painter: QPainter, new_page: Callable[[], object]) -> None:
        total = len(self.pages)
        footer_font = _font(8)
        for n, steps in enumerate(self.pages, start=1):
            if n > 1:
                new_page()
            painter.setPen(QPen(QColor("#000000"), max(1.0, 0.2 * self.mm)))
            for step in steps:
                step(painter)
            painter.setFont(footer_font)
            rect = QRectF(
                0, self.bottom + 2 * self.mm, self.width, FOOTER_MM * self.mm - 2 * self.mm
            )
            painter.drawText(
                rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                tr_fmt("CaseForm", "打印日期：{date}", date=self.printed_on.isoformat()),
            )
            painter.drawText(
                rect,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                tr_fmt("CaseForm", "第 {page} 页 / 共 {pages} 页", page=n, pages=total),
            )


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _what(e: FormEvent) -> str:
    if e.kind == EventKind.TRANSITION:
        if e.from_status is None:
            return label(e.to_status, IssueStatus)
        return f"{label(e.from_status, IssueStatus)} → {label(e.to_status, IssueStatus)}"
    return label(e.kind, EventKind)


def _text(e: FormEvent) -> str:
    detail = e.detail
    if detail and detail in {m.value for m in Satisfaction}:
        detail = label(detail, Satisfaction)
    return " · ".join(x for x in (detail, e.note) if x)


def draw_form(device: QPagedPaintDevice, form: CaseForm, printed_on: date) -> int:
    """Paint the form on ``device`` (a PDF writer or a printer); return the page count."""
    layout = _Form(device, form, printed_on)
    layout.lay_out()
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("cannot paint on the print device")
    try:
        layout.paint(painter, device.newPage)
    finally:
        painter.end()
    return len(layout.pages)


def write_case_pdf(form: CaseForm, target: Path, printed_on: date | None = None) -> int:
    """Write the form to ``target`` atomically, owner-only; return the page count."""
    with atomic.writing(target) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(RESOLUTION)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
        )
        writer.setTitle(tr_fmt("CaseForm", "职工诉求登记表·办理单 {number}", number=form.number))
        writer.setCreator("jiceng")
        pages = draw_form(writer, form, printed_on or date.today())
        del writer  # finishes the file
    return pages
