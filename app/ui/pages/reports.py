"""统计报表: a period's figures with charts, drill-down to the cases behind a figure, and the
workbook and PDF to send upward. Figures come from ``app.services.reports`` on the database
lane; files are written off the GUI thread except the PDF's layout, which is bounded."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCharts import QAbstractBarSeries
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.schemas.base import InputError
from app.schemas.enums import IssueCategory
from app.services import privacy
from app.services.files import default_name
from app.services.issue_list import issue_rows
from app.services.privacy import ExportPermit
from app.services.reports import Period, Report, Scope, build_report, issue_ids_for, open_cases
from app.services.workbook import export_workbook
from app.ui import ask, charts
from app.ui.context import AppContext
from app.ui.enterprise_filter import EnterpriseFilter
from app.ui.files import save_file
from app.ui.i18n import label, tr, tr_fmt
from app.ui.pages.dashboard import Tile
from app.ui.pages.issues import issue_columns
from app.ui.pages.summary_page import SummaryPage
from app.ui.report_pdf import days, percent, write_pdf
from app.ui.table_model import PagedModel, overdue_style
from app.ui.tasks import Task

PRESETS = ("this_month", "last_month", "this_quarter", "this_year", "custom")


def preset_period(name: str, today: date) -> Period:
    if name == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period.month(last.year, last.month)
    if name == "this_quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(first, today)
    if name == "this_year":
        return Period(date(today.year, 1, 1), today)
    return Period(today.replace(day=1), today)


class ReportsPage(SummaryPage):
    status = Signal(str)
    progress = Signal(object)
    open_issue = Signal(str)  # a case double-clicked in a figure's drill-down list

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.report: Report | None = None
        self.preset = QComboBox()
        for key, text in zip(
            PRESETS,
            (tr("Reports", "本月"), tr("Reports", "上月"), tr("Reports", "本季度"),
             tr("Reports", "今年"), tr("Reports", "自定义")),
            strict=True,
        ):  # fmt: skip
            self.preset.addItem(text, key)
        self.start, self.end = QDateEdit(), QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.enterprise = EnterpriseFilter(ctx)
        self.personal = QCheckBox(tr("Reports", "Excel 含完整个人信息"))
        excel = QPushButton(tr("Reports", "导出 Excel 台账…"))
        pdf = QPushButton(tr("Reports", "导出 PDF 月报…"))
        pdf.setObjectName("primary")
        bar = QHBoxLayout()
        for w in (QLabel(tr("Reports", "期间")), self.preset, self.start, QLabel("—"), self.end,
                  self.enterprise):  # fmt: skip
            bar.addWidget(w)
        bar.addStretch(1)
        for button in (self.personal, excel, pdf):
            bar.addWidget(button)
        self.tiles = {
            "received": Tile(tr("Reports", "登记诉求"), "#2563eb"),
            "resolved": Tile(tr("Reports", "办结诉求"), "#15803d"),
            "overdue": Tile(tr("Reports", "超期未办结"), "#b3261e"),
            "declined": Tile(tr("Reports", "不予受理"), "#6b7280"),
        }
        for key, tile in self.tiles.items():
            tile.setToolTip(tr("Reports", "点击查看这些诉求"))
            tile.clicked.connect(lambda k=key: self.drill(k))
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        top = QGridLayout()
        for i, tile in enumerate(self.tiles.values()):
            top.addWidget(tile, 0, i)
        self.chart_grid = QGridLayout()
        # Months on the left, category names and the pie's legend on the right: each chart
        # gets the width its labels need at 1366×768 and 1280×720.
        self.chart_grid.setColumnStretch(0, 3)
        self.chart_grid.setColumnStretch(1, 2)
        self.chart_grid.setRowStretch(0, 1)
        self.chart_grid.setRowStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(top)
        layout.addWidget(self.facts)
        layout.addLayout(self.chart_grid, 1)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._custom)
        self.enterprise.currentIndexChanged.connect(self.reload)
        excel.clicked.connect(self.export_excel)
        pdf.clicked.connect(self.export_pdf)
        ctx.changed.connect(self.reload)
        self.enterprise.load()
        self._preset_changed()

    # ---- period and scope -----------------------------------------------------------------

    def period(self) -> Period:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        return Period(start, end)  # type: ignore[arg-type]  # PySide6 types toPython() as object

    def scope(self) -> Scope:
        return Scope(enterprise_id=self.enterprise.currentData())

    def set_period(self, period: Period) -> None:
        for edit, day in ((self.start, period.start), (self.end, period.end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.reload()

    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        custom = key == "custom"
        for edit in (self.start, self.end):
            edit.setEnabled(custom)
        if not custom:
            self.set_period(preset_period(key, date.today()))

    def _custom(self) -> None:
        if self.preset.currentData() == "custom":
            self.reload()

    def recompute(self) -> None:
        period, scope, today = self.period(), self.scope(), date.today()
        if period.end < period.start:
            self.facts.setText(tr("Reports", "截止日期不能早于起始日期"))
            return
        self.ctx.read(lambda s: build_report(s, period, scope, today), self._show)

    def _show(self, report: Report) -> None:
        self.report = report
        for key, tile in self.tiles.items():
            tile.set(getattr(report.issues, key))
        r = report
        visits = sum(n for n, _p in r.visits.values())

        self.facts.setText(
            tr_fmt(
                "Reports",
                "走访 {visits} 次，接触职工 {people} 人次；"
                "办结用时中位数 {median_days} 天，90%分位 {p90_days} 天；"
                "回访率 {follow_up_rate}，满意率 {satisfaction_rate}；"
                "帮扶慰问 {assisted} 人次、{yuan} 元；"
                "建会率 {union_rate}，集体合同覆盖率 {contract_rate}；"
                "收集好经验好做法 {practices} 条",
                visits=visits,
                people=r.people_reached,
                median_days=days(r.days_median),
                p90_days=days(r.days_p90),
                follow_up_rate=percent(r.follow_up_rate),
                satisfaction_rate=percent(r.satisfaction_rate),
                assisted=r.assistance_total[0],
                yuan=f"{r.assistance_total[1] / 100:,.2f}",
                union_rate=percent(r.union_rate),
                contract_rate=percent(r.contract_rate),
                practices=r.practices,
            )
        )
        self._charts(report)

    def _charts(self, report: Report) -> None:
        while self.chart_grid.count():
            item = self.chart_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget:
                widget.deleteLater()
        category, codes = charts.category_chart(report)
        views = [
            charts.view(charts.trend_chart(report)),
            charts.view(category),
            charts.view(charts.days_chart(report)),
            charts.view(charts.satisfaction_chart(report)),
        ]
        first = category.series()[0] if category.series() else None
        bars = first.barSets()[0] if isinstance(first, QAbstractBarSeries) else None
        if bars is not None:
            bars.clicked.connect(lambda i: self.drill("received", codes[i]))
        for i, widget in enumerate(views):
            self.chart_grid.addWidget(widget, i // 2, i % 2)

    # ---- drill-down -----------------------------------------------------------------------

    def drill(self, figure: str, category: str | None = None) -> DrillDialog:
        period, scope, today = self.period(), self.scope(), date.today()
        title = self.tiles[figure].title.text()
        if category:
            title += f" · {label(category, IssueCategory)}"
        dialog = DrillDialog(
            self.ctx,
            title,
            lambda s: issue_ids_for(s, period, scope, figure, today, category),
            self,
        )
        dialog.open_issue.connect(self.open_issue)
        dialog.show()
        return dialog

    # ---- files ----------------------------------------------------------------------------

    def export_excel(self) -> Task | None:
        """Export the workbook where the save dialog says. With 含完整个人信息 ticked, a
        reason is asked first and put on the audit chain before any row is read."""
        period, scope, personal = self.period(), self.scope(), self.personal.isChecked()
        reason = self.ask_reason() if personal else None
        if personal and reason is None:
            return None
        name = default_name("workbook", self.ctx.info.name, period=period)
        target = save_file(
            self, self.ctx.prefs, tr("Reports", "导出 Excel 台账"), name, "Excel (*.xlsx)"
        )
        if target is None:
            return None
        store = self.ctx.store

        def export(permit: ExportPermit | None) -> Task:
            def job(_task: Task) -> Any:
                with store.read() as session:
                    return export_workbook(
                        session, period, scope, target, today=date.today(), permit=permit
                    )

            task = self.ctx.io.start(
                job,
                lambda _r: self.status.emit(tr_fmt("Reports", "已导出 {path}", path=target)),
                self.ctx.error.emit,
            )
            self.progress.emit(task)
            return task

        if not personal:
            return export(None)
        return self.ctx.write(
            lambda s: privacy.permit_export(s, "workbook", target.name, reason),
            export,
            self.ctx.error.emit,
        )

    def ask_reason(self) -> str | None:
        """Why full personal data must leave the ledger, in 2–200 characters; None if the
        user cancels. Asked again, with the reason, until it is acceptable."""
        prompt = tr(
            "Reports",
            "将导出完整的身份证号、手机号、困难情况和要求保密的反映人姓名。\n请说明原因（将记入审计日志）：",
        )
        shown = prompt
        while True:
            text = ask.text(self, tr("Reports", "导出完整个人信息"), shown)
            if text is None:
                return None
            try:
                return privacy.check_reason(text)
            except InputError:
                shown = tr("Reports", "请说明原因（2–200字）。") + "\n" + prompt

    def export_pdf(self) -> None:
        period, scope, today = self.period(), self.scope(), date.today()
        name = default_name("pdf", self.ctx.info.name, period=period)
        target = save_file(self, self.ctx.prefs, tr("Reports", "导出 PDF 月报"), name, "PDF (*.pdf)")
        if target is None:
            return

        def gather(session: Session) -> tuple[Report, Any]:
            report = build_report(session, period, scope, today)
            return report, open_cases(session, scope, min(period.end, today))

        def write(found: tuple[Report, Any]) -> None:
            report, (cases, total) = found
            write_pdf(report, cases, total, target, tr("Reports", "工会驻点工作月报"))
            self.status.emit(tr_fmt("Reports", "已导出 {path}", path=target))

        self.ctx.read(gather, write)


class DrillDialog(QDialog):
    """The cases behind a figure, in the same paged list as the case screen. A double-click
    (or Enter) on a case opens it on the case screen and closes this list, which would
    otherwise stay on top of the case it opened."""

    open_issue = Signal(str)

    def __init__(
        self, ctx: AppContext, title: str, fetch_ids: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        viewer, today = ctx.info.replica_id, date.today()
        self.model = PagedModel(
            ctx,
            issue_columns(),
            fetch_ids,
            lambda s, ids: issue_rows(s, ids, today, viewer),
            overdue_style,
        )
        self.table = table = QTableView()
        table.setModel(self.model)
        table.activated.connect(self._open)
        table.doubleClicked.connect(self._open)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        for column, width in enumerate((118, 200, 170, 62, 84, 56, 56, 84, 84, 62)):
            table.setColumnWidth(column, width)
        self.count = QLabel()
        self.model.loaded.connect(lambda n: self.count.setText(tr("Reports", "共 %n 件", None, n)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(table)
        self.resize(1000, 560)
        self.model.reload()

    def _open(self, index: Any) -> None:
        issue_id = self.model.id_at(index.row())
        if issue_id:
            self.open_issue.emit(issue_id)
            self.accept()
