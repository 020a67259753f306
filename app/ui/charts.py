"""Charts of a period's statistics (QtCharts), shared by the 统计报表 screen and the PDF.

Each function turns figures from ``app.services.reports`` into a ``QChart``; nothing here
queries the database. Labels use the application font, which names a CJK family first.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsScene

from app.schemas.enums import IssueCategory, Satisfaction
from app.services.reports import Report
from app.ui.i18n import label, tr, tr_fmt

RED, GREEN, BLUE, AMBER = "#b3261e", "#15803d", "#2563eb", "#b45309"


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(QApplication.font())
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 18, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(QApplication.font())
    return chart


def _axes(
    chart: QChart, series: QBarSeries | QHorizontalBarSeries, names: list[str], top: int
) -> None:
    categories = QBarCategoryAxis()
    categories.append(names)
    categories.setTruncateLabels(False)  # category names are the point; never "…"
    categories.setLabelsFont(QApplication.font())
    values = QValueAxis()
    values.setRange(0, max(4, top))  # whole numbers on the ticks even for tiny counts
    values.setLabelFormat("%d")
    values.applyNiceNumbers()
    horizontal = isinstance(series, QHorizontalBarSeries)
    chart.addAxis(
        categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
    )
    chart.addAxis(
        values, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
    )
    series.attachAxis(categories)
    series.attachAxis(values)


def trend_chart(report: Report) -> QChart:
    chart = _chart(tr("Reports", "近12个月诉求登记与办结"))
    received = QBarSet(tr("Reports", "登记"))
    resolved = QBarSet(tr("Reports", "办结"))
    received.setColor(QColor(BLUE))
    resolved.setColor(QColor(GREEN))
    for _month, got, done in report.trend:
        received.append(got)
        resolved.append(done)
    series = QBarSeries()
    series.append(received)
    series.append(resolved)
    chart.addSeries(series)
    top = max([0, *(max(g, d) for _m, g, d in report.trend)])
    months = [tr_fmt("Reports", "{month}月", month=int(m[5:])) for m, _g, _d in report.trend]
    _axes(chart, series, months, top)
    return chart


def category_chart(report: Report) -> tuple[QChart, list[str]]:
    """Cases received by category; also the category codes in bar order (for drill-down)."""
    chart = _chart(tr("Reports", "诉求类别（登记）"))
    chart.legend().hide()
    ordered = sorted(report.by_category.items(), key=lambda kv: kv[1].received)
    codes = [code for code, f in ordered if f.received]
    bars = QBarSet(tr("Reports", "登记"))
    bars.setColor(QColor(RED))
    for code in codes:
        bars.append(report.by_category[code].received)
    series = QHorizontalBarSeries()
    series.append(bars)
    chart.addSeries(series)
    top = max([0, *(report.by_category[c].received for c in codes)])
    _axes(chart, series, [label(c, IssueCategory) for c in codes], top)
    return chart, codes


def days_chart(report: Report) -> QChart:
    chart = _chart(tr("Reports", "办结用时分布（天）"))
    chart.legend().hide()
    bars = QBarSet(tr("Reports", "件数"))
    bars.setColor(QColor(AMBER))
    for _name, n in report.day_buckets:
        bars.append(n)
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    _axes(
        chart,
        series,
        [name for name, _n in report.day_buckets],
        max([0, *(n for _b, n in report.day_buckets)]),
    )
    return chart


def satisfaction_chart(report: Report) -> QChart:
    chart = _chart(tr("Reports", "回访满意度"))
    series = QPieSeries()
    colours = {"satisfied": GREEN, "basically": BLUE, "dissatisfied": RED}
    total = sum(report.satisfaction.values())
    for value in Satisfaction:
        n = report.satisfaction.get(value.value, 0)
        if n:
            share = tr_fmt(
                "Reports",
                "{label} {count}（{percent}%）",
                label=label(value),
                count=n,
                percent=f"{100 * n / total:.0f}",
            )
            piece = series.append(share, n)
            piece.setColor(QColor(colours[value.value]))
    # The words go in the legend beside the pie, not on leader lines that a small chart
    # clips (不满意 was cut off at 1366×768).
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    series.setPieSize(0.75)
    if not series.count():
        chart.setTitle(tr("Reports", "回访满意度（本期无回访）"))
    chart.addSeries(series)
    return chart


def view(chart: QChart) -> QChartView:
    widget = QChartView(chart)
    widget.setRenderHint(QPainter.RenderHint.Antialiasing)
    widget.setMinimumHeight(220)
    return widget


def image(chart: QChart, width: int = 900, height: int = 420) -> QImage:
    """The chart drawn into an image (for the PDF), without a window: a chart is a graphics
    item, so it is laid out at the wanted size in a scene of its own and the scene drawn."""
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    picture = QImage(width, height, QImage.Format.Format_ARGB32)
    picture.fill(QColor("white"))
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(0, 0, width, height), QRectF(0, 0, width, height))
    painter.end()
    scene.removeItem(chart)
    return picture
