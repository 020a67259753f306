"""The 台账 workbook a district office sends upward: a summary sheet and ledger sheets.

Chinese headers, frozen header rows, filters, column widths, date and money formats.
Personal data (ID numbers, phones, hardship details, names of complainants who asked for
confidentiality) is masked unless the caller holds an ``ExportPermit`` (a stated reason,
already written to the audit chain by ``privacy.permit_export``), and the workbook says which.

What goes into a cell is data, never code, and never breaks the file:

* Every text is written as a string cell, never parsed (``strings_to_formulas=False``). Text
  a spreadsheet would take for a formula when the cell is next edited (starting with ``=``,
  ``+``, ``-``, ``@`` or a tab) also gets Excel's quote prefix, so it stays text then too; the
  value itself is unchanged.
* Characters XML cannot carry are replaced, never an error: a carriage return, CR LF, a
  vertical tab or a form feed (Word's manual line break) becomes a line feed, a cell's own
  line break; other control characters (``\x00``–``\x1f`` but tab and line feed) are
  removed; lone surrogates and U+FFFE/U+FFFF become U+FFFD. Text longer than a cell's 32,767
  characters is cut there.
* A date before 1900-01-01 (a district-mate may send 0001-01-01) has no serial number in a
  spreadsheet: it is written as its ISO text instead of a date cell Excel shows as an error.

Written with xlsxwriter in ``constant_memory`` mode (rows stream to disk: a 100,000-row ledger
in a few seconds and bounded memory; ``make bench`` measures it against openpyxl), to a
temporary file created readable by the owner only (0600), fsynced and renamed, so a failed
export leaves no torn file and no copy that other users of the computer can read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from app.models import Assistance, Enterprise, Issue, Practice, Visit, Worker
from app.schemas.enums import (
    LABEL,
    AssistanceKind,
    FundingSource,
    IssueCategory,
    IssueStatus,
    PracticeStatus,
    Satisfaction,
    Urgency,
    VisitKind,
)
from app.schemas.validators import mask_id_number, mask_phone
from app.services.confidential import complainant_label
from app.services.privacy import ExportPermit
from app.services.reports import (
    CLOSED,
    Period,
    Report,
    Scope,
    build_report,
    in_period,
    scoped,
)
from app.storage import atomic

DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"
HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#B3261E", "valign": "vcenter"}
TITLE = {"bold": True, "font_size": 14}
HIDDEN = "（已隐藏）"
MAX_CELL = 32_767
FORMULA_START = ("=", "+", "-", "@", "\t")
EXCEL_EPOCH = date(1900, 1, 1)  # serial 1: a spreadsheet has no date cell for earlier days

_LINE_BREAKS = {0x0B: "\n", 0x0C: "\n", 0x0D: "\n"}
_DROPPED = {cp: None for cp in range(0x20) if cp not in (0x09, 0x0A, 0x0D, 0x0B, 0x0C)}
_CELL_TEXT = {**_DROPPED, **_LINE_BREAKS, 0xFFFE: "\ufffd", 0xFFFF: "\ufffd"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def label(value: str | None, enum: Any) -> str:
    if value is None:
        return ""
    return LABEL.get(enum(value), value)


def cell_text(value: str) -> str:
    """``value`` as a cell can hold it (see the module docstring for what is replaced)."""
    text = _SURROGATE.sub("\ufffd", value.replace("\r\n", "\n").translate(_CELL_TEXT))
    return text[:MAX_CELL]


def export_workbook(
    session: Session,
    period: Period,
    scope: Scope,
    target: Path,
    *,
    today: date,
    permit: ExportPermit | None = None,
    title: str = "基层工作台账",
) -> Report:
    """Write the workbook to ``target``: masked, or with full personal data when given the
    ``permit`` that ``privacy.permit_export`` returned for this file."""
    if permit is not None and (permit.kind, permit.name) != ("workbook", target.name):
        raise ValueError("the export permit is for another file")
    include_personal = permit is not None
    report = build_report(session, period, scope, today)
    with atomic.writing(target) as temporary:
        book = _Book(temporary)
        book.summary(report, title, include_personal)
        book.sheet("走访记录", *_visits(session, period, scope))
        book.sheet("职工诉求", *_issues(session, period, scope, include_personal))
        book.sheet("帮扶慰问", *_assistance(session, period, scope, include_personal))
        book.sheet("好经验好做法", *_practices(session, period, scope))
        book.close()
    return report


# ---- writing --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    header: str
    width: int
    kind: str  # text (typed by people), label (an enum's name), code, number, money, date

    @property
    def number_format(self) -> str | None:
        return {"date": DATE, "money": MONEY}.get(self.kind)


Columns = list[Column]

# The ledger sheets' columns, declared once: the writer and the tests both go by them.
VISIT_COLUMNS: Columns = [
    Column("走访日期", 12, "date"), Column("企业", 28, "text"), Column("类型", 10, "label"),
    Column("干部", 10, "text"), Column("接触人数", 10, "number"),
    Column("情况摘要", 50, "text"), Column("发现问题", 40, "text"), Column("后续工作", 40, "text"),
]  # fmt: skip
ISSUE_COLUMNS: Columns = [
    Column("编号", 20, "code"), Column("登记日期", 12, "date"), Column("企业", 28, "text"),
    Column("反映人", 10, "text"), Column("标题", 30, "text"), Column("类别", 14, "label"),
    Column("紧急程度", 10, "label"), Column("状态", 10, "label"), Column("办理期限", 12, "date"),
    Column("承办人", 10, "text"), Column("办结日期", 12, "date"), Column("办理结果", 40, "text"),
    Column("满意度", 10, "label"),
]  # fmt: skip
ASSISTANCE_COLUMNS: Columns = [
    Column("日期", 12, "date"), Column("职工", 10, "text"), Column("身份证号", 22, "code"),
    Column("手机号", 14, "code"), Column("企业", 28, "text"), Column("方式", 10, "label"),
    Column("金额（元）", 12, "money"), Column("资金来源", 14, "label"),
    Column("困难情况", 40, "text"), Column("经办人", 10, "text"),
]  # fmt: skip
PRACTICE_COLUMNS: Columns = [
    Column("收集日期", 12, "date"), Column("标题", 30, "text"), Column("企业", 28, "text"),
    Column("内容", 60, "text"), Column("收集人", 10, "text"), Column("状态", 10, "label"),
]  # fmt: skip
SHEETS = {
    "走访记录": VISIT_COLUMNS,
    "职工诉求": ISSUE_COLUMNS,
    "帮扶慰问": ASSISTANCE_COLUMNS,
    "好经验好做法": PRACTICE_COLUMNS,
}


class _Book:
    """xlsxwriter's workbook with the formats the sheets share, written row by row."""

    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "remove_timezone": True,
            },
        )
        self.formats: dict[tuple[str | None, bool], Format] = {}
        self.header = self.book.add_format(HEADER)
        self.title = self.book.add_format(TITLE)

    def format(self, number: str | None, quoted: bool = False) -> Format | None:
        if number is None and not quoted:
            return None
        key = (number, quoted)
        if key not in self.formats:
            spec: dict[str, Any] = {"num_format": number} if number else {}
            if quoted:
                spec["quote_prefix"] = True
            self.formats[key] = self.book.add_format(spec)
        return self.formats[key]

    def write(self, ws: Worksheet, row: int, col: int, value: Any, number: str | None) -> None:
        if value is None or value == "":
            return
        if isinstance(value, str):
            text = cell_text(value)
            ws.write_string(row, col, text, self.format(number, text.startswith(FORMULA_START)))
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value)
        elif isinstance(value, int | float | Decimal):
            ws.write_number(row, col, float(value), self.format(number))
        elif isinstance(value, datetime) and value.date() < EXCEL_EPOCH:
            self.write(ws, row, col, value.replace(tzinfo=None).isoformat(sep=" "), None)
        elif isinstance(value, date) and not isinstance(value, datetime) and value < EXCEL_EPOCH:
            self.write(ws, row, col, value.isoformat(), None)  # no serial number for it
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value.replace(tzinfo=None), self.format(number))
        elif isinstance(value, date):
            ws.write_datetime(row, col, value, self.format(number or DATE))
        else:
            self.write(ws, row, col, str(value), number)

    def headers(self, ws: Worksheet, row: int, names: Sequence[str]) -> None:
        for col, name in enumerate(names):
            ws.write_string(row, col, name, self.header)

    def summary(self, r: Report, title: str, personal: bool) -> None:
        ws = self.book.add_worksheet("汇总")
        for column, width in enumerate((26, 14, 12, 12, 12)):
            ws.set_column(column, column, width)
        ws.write_string(0, 0, cell_text(title), self.title)
        ws.write_string(1, 0, f"统计期间：{r.period.label()}")
        ws.write_string(2, 0, "个人信息：" + ("已包含（注意保密）" if personal else "已隐藏"))
        figures: list[tuple[str, Any, str | None]] = [
            ("走访次数", sum(n for n, _p in r.visits.values()), None),
            ("走访接触职工人次", r.people_reached, None),
            ("登记诉求", r.issues.received, None),
            ("办结诉求", r.issues.resolved, None),
            ("超期未办结", r.issues.overdue, None),
            ("不予受理", r.issues.declined, None),
            ("办结用时中位数（天）", r.days_median, "0.0"),
            ("办结用时 90% 分位（天）", r.days_p90, "0.0"),
            ("回访率", r.follow_up_rate, "0.0%"),
            ("满意率", r.satisfaction_rate, "0.0%"),
            ("帮扶慰问人次", r.assistance_total[0], None),
            ("帮扶慰问金额（元）", r.assistance_total[1] / 100, MONEY),
            ("企业数", r.enterprises, None),
            ("已建会企业", r.union_founded, None),
            ("建会率", r.union_rate, "0.0%"),
            ("签订集体合同企业", r.collective_contract, None),
            ("集体合同覆盖率", r.contract_rate, "0.0%"),
            ("收集好经验好做法", r.practices, None),
        ]
        row = self.table(ws, 4, ["指标", "数值"], [(n, v) for n, v, _f in figures],
                         [None, None], [f for _n, _v, f in figures])  # fmt: skip
        categories = [
            (LABEL.get(IssueCategory(c), c), f.received, f.resolved, f.overdue, f.declined)
            for c, f in sorted(r.by_category.items())
        ]
        row = self.table(ws, row + 1, ["诉求类别", "登记", "办结", "超期", "不予受理"], categories)
        visits = [(label(k, VisitKind), n, p) for k, (n, p) in sorted(r.visits.items())]
        row = self.table(ws, row + 1, ["走访类型", "次数", "接触人次"], visits)
        aid = [
            (label(k, AssistanceKind), label(s, FundingSource), n, fen / 100)
            for (k, s), (n, fen) in sorted(r.assistance.items())
        ]
        row = self.table(ws, row + 1, ["帮扶方式", "资金来源", "人次", "金额（元）"], aid,
                         [None, None, None, MONEY])  # fmt: skip
        self.table(ws, row + 1, ["月份", "登记", "办结"], r.trend)

    def table(
        self,
        ws: Worksheet,
        row: int,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        column_formats: Sequence[str | None] = (),
        row_formats: Sequence[str | None] = (),
    ) -> int:
        """A header and its rows from ``row``; returns the row after the last one written."""
        self.headers(ws, row, headers)
        for i, values in enumerate(rows):
            row += 1
            for col, value in enumerate(values):
                number = column_formats[col] if col < len(column_formats) else None
                if col == 1 and i < len(row_formats):
                    number = row_formats[i] or number
                self.write(ws, row, col, value, number)
        return row + 1

    def sheet(self, title: str, columns: Columns, rows: Iterable[Sequence[Any]]) -> None:
        ws = self.book.add_worksheet(title)
        for col, column in enumerate(columns):
            ws.set_column(col, col, column.width)
        ws.freeze_panes(1, 0)
        self.headers(ws, 0, [c.header for c in columns])
        count = 0
        for count, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                self.write(ws, count, col, value, columns[col].number_format)
        ws.autofilter(0, 0, count, len(columns) - 1)

    def close(self) -> None:
        self.book.close()


# ---- ledger sheets --------------------------------------------------------------------------


def _stream(session: Session, query: Any) -> Iterable[Any]:
    """Rows of plain columns, fetched a thousand at a time: memory stays flat on a large
    ledger (no ORM objects, no buffered result)."""
    return session.execute(query.execution_options(yield_per=1000))


def _visits(session: Session, period: Period, scope: Scope) -> tuple[Columns, Iterable[Any]]:
    query = select(
        Visit.visited_on, Enterprise.name, Visit.kind, Visit.cadre, Visit.people_count,
        Visit.summary, Visit.findings, Visit.follow_ups,
    ).join(Enterprise, Enterprise.id == Visit.enterprise_id)  # fmt: skip
    query = scoped(query, Visit, scope, Visit.cadre).where(in_period(Visit.visited_on, period))
    found = _stream(session, query.order_by(Visit.visited_on, Visit.id))
    return VISIT_COLUMNS, ((r[0], r[1], label(r[2], VisitKind), *r[3:]) for r in found)


def _issues(
    session: Session, period: Period, scope: Scope, personal: bool
) -> tuple[Columns, Iterable[Any]]:
    """Cases received in the period, and older ones still open, with their latest state."""
    complainant = aliased(Worker)
    query = (
        select(
            Issue.number, Issue.received_on, Enterprise.name.label("enterprise"),
            complainant.name.label("worker"), Issue.confidential, Issue.collective,
            Issue.people_count, Issue.title, Issue.category, Issue.urgency, Issue.status,
            Issue.due_on, Issue.assignee, Issue.resolved_on, Issue.resolution,
            Issue.satisfaction,
        )
        .join(Enterprise, Enterprise.id == Issue.enterprise_id)
        .outerjoin(complainant, complainant.id == Issue.worker_id)
    )
    open_ = Issue.status.not_in(CLOSED)
    query = scoped(query, Issue, scope, Issue.assignee).where(
        in_period(Issue.received_on, period) | (open_ & (Issue.received_on < period.start))
    )

    def row(i: Any) -> tuple[Any, ...]:
        return (
            i.number,
            i.received_on,
            i.enterprise,
            complainant_label(i, i.worker, reveal=personal),
            i.title,
            label(i.category, IssueCategory),
            label(i.urgency, Urgency),
            label(i.status, IssueStatus),
            i.due_on,
            i.assignee,
            i.resolved_on,
            i.resolution,
            label(i.satisfaction, Satisfaction),
        )

    found = _stream(session, query.order_by(Issue.received_on, Issue.number))
    return ISSUE_COLUMNS, (row(r) for r in found)


def _assistance(
    session: Session, period: Period, scope: Scope, personal: bool
) -> tuple[Columns, Iterable[Any]]:
    query = (
        select(
            Assistance.given_on, Worker.name, Worker.id_number, Worker.phone, Enterprise.name,
            Assistance.kind, Assistance.amount_fen, Assistance.funding_source,
            Worker.hardship_reason, Assistance.cadre,
        )
        .join(Worker, Worker.id == Assistance.worker_id)
        .join(Enterprise, Enterprise.id == Assistance.enterprise_id)
    )
    query = scoped(query, Assistance, scope, Assistance.cadre)
    query = query.where(in_period(Assistance.given_on, period))

    def row(r: Any) -> tuple[Any, ...]:
        given_on, name, id_number, phone, ent, kind, fen, source, hardship, cadre = r
        if not personal:
            hardship = HIDDEN if hardship else ""
            id_number, phone = mask_id_number(id_number), mask_phone(phone)
        return (given_on, name, id_number, phone, ent, label(kind, AssistanceKind), fen / 100,
                label(source, FundingSource), hardship, cadre)  # fmt: skip

    found = _stream(session, query.order_by(Assistance.given_on, Assistance.id))
    return ASSISTANCE_COLUMNS, (row(r) for r in found)


def _practices(session: Session, period: Period, scope: Scope) -> tuple[Columns, Iterable[Any]]:
    query = select(
        Practice.collected_on, Practice.title, Enterprise.name, Practice.content, Practice.cadre,
        Practice.status,
    ).outerjoin(Enterprise, Enterprise.id == Practice.enterprise_id)  # fmt: skip
    query = scoped(query, Practice, scope, Practice.cadre)
    query = query.where(in_period(Practice.collected_on, period))
    found = _stream(session, query.order_by(Practice.collected_on, Practice.id))
    rows = ((d, t, ent or "", c, who, label(st, PracticeStatus)) for d, t, ent, c, who, st in found)
    return PRACTICE_COLUMNS, rows
