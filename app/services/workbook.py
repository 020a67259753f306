"""The 台账 workbook a district office sends upward: a summary sheet and ledger sheets.

Chinese headers, frozen header rows, filters, column widths, date and money formats.
Personal data (ID numbers, phones, hardship details, names of complainants who asked for
confidentiality) is masked unless the caller asks to include it, and the workbook says which.
The file is written to a temporary name and renamed, so a failed export leaves no torn file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

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
from app.services.reports import (
    CLOSED,
    Period,
    Report,
    Scope,
    build_report,
    in_period,
    scoped,
)

DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="B3261E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
HIDDEN = "（已隐藏）"


def label(value: str | None, enum: Any) -> str:
    if value is None:
        return ""
    return LABEL.get(enum(value), value)


def export_workbook(
    session: Session,
    period: Period,
    scope: Scope,
    target: Path,
    *,
    today: date,
    include_personal: bool = False,
    title: str = "基层工作台账",
) -> Report:
    report = build_report(session, period, scope, today)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "汇总"
    _summary(summary, report, title, include_personal)
    _sheet(book, "走访记录", *_visits(session, period, scope))
    _sheet(book, "职工诉求", *_issues(session, period, scope, include_personal))
    _sheet(book, "帮扶慰问", *_assistance(session, period, scope, include_personal))
    _sheet(book, "好经验好做法", *_practices(session, period, scope))
    _save_atomically(book, target)
    return report


def _save_atomically(book: Workbook, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        book.save(temporary)
        with open(temporary, "rb") as f:
            os.fsync(f.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# ---- summary --------------------------------------------------------------------------------


def _summary(ws: Worksheet, r: Report, title: str, personal: bool) -> None:
    ws.append([title])
    ws["A1"].font = TITLE_FONT
    ws.append([f"统计期间：{r.period.label()}"])
    ws.append(["个人信息：" + ("已包含（注意保密）" if personal else "已隐藏")])
    ws.append([])
    rows: list[tuple[str, Any, str | None]] = [
        ("走访次数", sum(n for n, _p in r.visits.values()), None),
        ("走访接触职工人次", r.people_reached, None),
        ("受理诉求", r.issues.received, None),
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
    _table(ws, ["指标", "数值"], [(name, value) for name, value, _f in rows])
    first = ws.max_row - len(rows) + 1
    for offset, (_n, _v, fmt) in enumerate(rows):
        if fmt:
            ws.cell(first + offset, 2).number_format = fmt
    ws.append([])
    categories = [
        (LABEL.get(IssueCategory(c), c), f.received, f.resolved, f.overdue, f.declined)
        for c, f in sorted(r.by_category.items())
    ]
    _table(ws, ["诉求类别", "受理", "办结", "超期", "不予受理"], categories)
    ws.append([])
    visits = [(label(k, VisitKind), n, p) for k, (n, p) in sorted(r.visits.items())]
    _table(ws, ["走访类型", "次数", "接触人次"], visits)
    ws.append([])
    aid = [
        (label(k, AssistanceKind), label(s, FundingSource), n, fen / 100)
        for (k, s), (n, fen) in sorted(r.assistance.items())
    ]
    _table(ws, ["帮扶方式", "资金来源", "人次", "金额（元）"], aid, money_columns={4})
    ws.append([])
    _table(ws, ["月份", "受理", "办结"], r.trend)
    for column, width in zip("ABCDE", (26, 14, 12, 12, 12), strict=True):
        ws.column_dimensions[column].width = width


def _table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    money_columns: set[int] = frozenset(),  # type: ignore[assignment]
) -> None:
    ws.append(list(headers))
    for cell in ws[ws.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for row in rows:
        ws.append(list(row))
        for column in money_columns:
            ws.cell(ws.max_row, column).number_format = MONEY


# ---- ledger sheets --------------------------------------------------------------------------

Columns = list[tuple[str, int, str | None]]  # header, width, number format


def _sheet(book: Workbook, title: str, columns: Columns, rows: Iterable[Sequence[Any]]) -> None:
    ws = book.create_sheet(title)
    ws.append([c[0] for c in columns])
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    count = 0
    for row in rows:
        ws.append([_cell(v) for v in row])
        count += 1
    for i, (_h, width, fmt) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = width
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def _visits(session: Session, period: Period, scope: Scope) -> tuple[Columns, Iterable[Any]]:
    columns: Columns = [
        ("走访日期", 12, DATE), ("企业", 28, None), ("类型", 10, None), ("干部", 10, None),
        ("接触人数", 10, None), ("情况摘要", 50, None), ("发现问题", 40, None),
        ("后续工作", 40, None),
    ]  # fmt: skip
    query = select(Visit, Enterprise.name).join(Enterprise, Enterprise.id == Visit.enterprise_id)
    query = scoped(query, Visit, scope, Visit.cadre).where(in_period(Visit.visited_on, period))

    def row(v: Visit, name: str) -> tuple[Any, ...]:
        kind = label(v.kind, VisitKind)
        return (v.visited_on, name, kind, v.cadre, v.people_count, v.summary, v.findings,
                v.follow_ups)  # fmt: skip

    found = session.execute(query.order_by(Visit.visited_on, Visit.id))
    return columns, (row(v, name) for v, name in found)


def _issues(
    session: Session, period: Period, scope: Scope, personal: bool
) -> tuple[Columns, Iterable[Any]]:
    """Cases received in the period, and older ones still open, with their latest state."""
    columns: Columns = [
        ("编号", 20, None), ("登记日期", 12, DATE), ("企业", 28, None), ("反映人", 10, None),
        ("标题", 30, None), ("类别", 14, None), ("紧急程度", 10, None), ("状态", 10, None),
        ("办理期限", 12, DATE), ("承办人", 10, None), ("办结日期", 12, DATE),
        ("办理结果", 40, None), ("满意度", 10, None),
    ]  # fmt: skip
    complainant = aliased(Worker)
    query = (
        select(Issue, Enterprise.name, complainant.name)
        .join(Enterprise, Enterprise.id == Issue.enterprise_id)
        .outerjoin(complainant, complainant.id == Issue.worker_id)
    )
    open_ = Issue.status.not_in(CLOSED)
    query = scoped(query, Issue, scope, Issue.assignee).where(
        in_period(Issue.received_on, period) | (open_ & (Issue.received_on < period.start))
    )

    def who(issue: Issue, name: str | None) -> str:
        if issue.collective:
            return f"{issue.people_count}人"
        if issue.confidential and not personal:
            return HIDDEN
        return name or ""

    def row(i: Issue, ent: str, worker: str | None) -> tuple[Any, ...]:
        return (
            i.number,
            i.received_on,
            ent,
            who(i, worker),
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

    found = session.execute(query.order_by(Issue.received_on, Issue.number))
    return columns, (row(*r) for r in found)


def _assistance(
    session: Session, period: Period, scope: Scope, personal: bool
) -> tuple[Columns, Iterable[Any]]:
    columns: Columns = [
        ("日期", 12, DATE), ("职工", 10, None), ("身份证号", 22, None), ("手机号", 14, None),
        ("企业", 28, None), ("方式", 10, None), ("金额（元）", 12, MONEY), ("资金来源", 14, None),
        ("困难情况", 40, None), ("经办人", 10, None),
    ]  # fmt: skip
    query = (
        select(Assistance, Worker, Enterprise.name)
        .join(Worker, Worker.id == Assistance.worker_id)
        .join(Enterprise, Enterprise.id == Assistance.enterprise_id)
    )
    query = scoped(query, Assistance, scope, Assistance.cadre)
    query = query.where(in_period(Assistance.given_on, period))

    def row(a: Assistance, w: Worker, ent: str) -> tuple[Any, ...]:
        hardship = w.hardship_reason if personal else (HIDDEN if w.hardship_reason else "")
        return (
            a.given_on,
            w.name,
            w.id_number if personal else mask_id_number(w.id_number),
            w.phone if personal else mask_phone(w.phone),
            ent,
            label(a.kind, AssistanceKind),
            a.amount_fen / 100,
            label(a.funding_source, FundingSource),
            hardship,
            a.cadre,
        )

    found = session.execute(query.order_by(Assistance.given_on, Assistance.id))
    return columns, (row(*r) for r in found)


def _practices(session: Session, period: Period, scope: Scope) -> tuple[Columns, Iterable[Any]]:
    columns: Columns = [
        ("收集日期", 12, DATE), ("标题", 30, None), ("企业", 28, None), ("内容", 60, None),
        ("收集人", 10, None), ("状态", 10, None),
    ]  # fmt: skip
    query = select(Practice, Enterprise.name).outerjoin(
        Enterprise, Enterprise.id == Practice.enterprise_id
    )
    query = scoped(query, Practice, scope, Practice.cadre)
    query = query.where(in_period(Practice.collected_on, period))
    rows = (
        (p.collected_on, p.title, ent or "", p.content, p.cadre, label(p.status, PracticeStatus))
        for p, ent in session.execute(query.order_by(Practice.collected_on, Practice.id))
    )
    return columns, rows
