"""The monthly work report (工作月报) as a PDF: figures, charts and the open cases.

Rendered by Qt (QTextDocument → QPdfWriter), so Chinese uses the same fonts as the screen.
Charts are drawn into images first. The list of open cases is capped (the most overdue
first), which keeps the document — and the time to make it — bounded on a large ledger. It
names complainants as the services show them (``app.services.confidential``): （保密） for a
confidential case, always, since the PDF has no full-personal variant. The file is created
readable by its owner only.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from app.schemas.enums import IssueCategory, IssueStatus, VisitKind
from app.services.reports import OpenCase, Report
from app.storage import atomic
from app.ui import charts
from app.ui.fonts import for_print
from app.ui.i18n import label, tr

STYLE = """
body { font-size: 10pt; }
h1 { font-size: 18pt; color: #b3261e; margin-bottom: 0; }
h2 { font-size: 13pt; margin-top: 14px; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; }
th { background: #f3f4f6; text-align: left; }
td, th { padding: 3px 6px; border: 1px solid #d1d5db; }
.num { text-align: right; }
.late { color: #b3261e; }
"""


def percent(value: float | None) -> str:
    """A rate for people: 66.0%, or a dash when there was nothing to count."""
    return "—" if value is None else f"{value * 100:.1f}%"


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _table(
    headers: list[str], rows: list[list[str]], numeric: AbstractSet[int] = frozenset()
) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{escape(c)}</td>" if i in numeric else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table width='100%'><tr>{head}</tr>{body}</table>"


def report_html(report: Report, cases: list[OpenCase], total_open: int, title: str) -> str:
    r = report
    figures = [
        [
            tr("Reports", "走访"),
            f"{sum(n for n, _p in r.visits.values())} 次 / {r.people_reached} 人次",
        ],
        [tr("Reports", "登记诉求"), str(r.issues.received)],
        [tr("Reports", "办结诉求"), str(r.issues.resolved)],
        [tr("Reports", "超期未办结"), str(r.issues.overdue)],
        [tr("Reports", "不予受理"), str(r.issues.declined)],
        [
            tr("Reports", "办结用时（中位数 / 90%分位，天）"),
            f"{days(r.days_median)} / {days(r.days_p90)}",
        ],
        [tr("Reports", "回访率"), percent(r.follow_up_rate)],
        [tr("Reports", "满意率"), percent(r.satisfaction_rate)],
        [
            tr("Reports", "帮扶慰问"),
            f"{r.assistance_total[0]} 人次，{r.assistance_total[1] / 100:,.2f} 元",
        ],
        [tr("Reports", "建会率"), percent(r.union_rate)],
        [
            tr("Reports", "集体合同覆盖率"),
            percent(r.contract_rate),
        ],
        [tr("Reports", "收集好经验好做法"), str(r.practices)],
    ]
    categories = [
        [label(c, IssueCategory), str(f.received), str(f.resolved), str(f.overdue), str(f.declined)]
        for c, f in sorted(r.by_category.items(), key=lambda kv: -kv[1].received)
    ]
    visits = [[label(k, VisitKind), str(n), str(p)] for k, (n, p) in sorted(r.visits.items())]
    open_rows = [
        [
            c.number,
            c.title,
            c.enterprise,
            c.complainant,
            label(c.status, IssueStatus),
            c.due_on.isoformat(),
            str(c.days_overdue) if c.days_overdue else "",
            c.assignee or "",
        ]
        for c in cases
    ]
    more = total_open - len(cases)
    parts = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{tr('Reports', '统计期间')}：{r.period.label()}　{tr('Reports', '生成日期')}：{date.today().isoformat()}</p>",
        f"<h2>{tr('Reports', '主要指标')}</h2>",
        _table([tr("Reports", "指标"), tr("Reports", "数值")], figures, {1}),
        f"<h2>{tr('Reports', '图表')}</h2>",
        "<p><img src='chart:trend' width='560'></p>",
        "<p><img src='chart:category' width='560'></p>",
        "<p><img src='chart:days' width='275'> <img src='chart:satisfaction' width='275'></p>",
        f"<h2>{tr('Reports', '诉求类别')}</h2>",
        _table(
            [
                tr("Reports", "类别"),
                tr("Reports", "登记"),
                tr("Reports", "办结"),
                tr("Reports", "超期"),
                tr("Reports", "不予受理"),
            ],
            categories,
            {1, 2, 3, 4},
        ),
        f"<h2>{tr('Reports', '走访')}</h2>",
        _table(
            [tr("Reports", "类型"), tr("Reports", "次数"), tr("Reports", "接触人次")],
            visits,
            {1, 2},
        ),
        f"<h2>{tr('Reports', '未办结诉求（超期在前）')}</h2>",
        _table(
            [
                tr("Reports", "编号"),
                tr("Reports", "标题"),
                tr("Reports", "企业"),
                tr("Reports", "反映人"),
                tr("Reports", "状态"),
                tr("Reports", "办理期限"),
                tr("Reports", "超期天数"),
                tr("Reports", "承办人"),
            ],
            open_rows,
            {6},
        ),
    ]
    if more > 0:
        parts.append(f"<p>{tr('Reports', '另有 %n 件未列出（见 Excel 台账）', None, more)}</p>")
    return "".join(parts)


def write_pdf(
    report: Report, cases: list[OpenCase], total_open: int, target: Path, title: str
) -> None:
    """Write the PDF atomically (temporary file, then rename). Needs a QApplication."""
    assert QApplication.instance() is not None, "charts need a QApplication"
    document = QTextDocument()
    document.setDefaultFont(for_print(QApplication.font()))
    document.setDefaultStyleSheet(STYLE)
    trend = charts.trend_chart(report)
    category, _codes = charts.category_chart(report)
    images = {
        "trend": charts.image(trend, 1000, 420),
        "category": charts.image(category, 1000, 60 + 34 * max(3, len(report.by_category))),
        "days": charts.image(charts.days_chart(report), 600, 400),
        "satisfaction": charts.image(charts.satisfaction_chart(report), 600, 400),
    }
    for name, picture in images.items():
        document.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"), picture
        )
    document.setHtml(report_html(report, cases, total_open, title))
    with atomic.writing(target) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
        writer.setTitle(title)
        writer.setCreator("jiceng")
        document.print_(writer)
        del writer  # finishes the file
