"""职工诉求: the main work screen — a filterable list of cases beside the selected case."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.schemas.enums import CLOSED_STATUSES, IssueCategory, IssueStatus, Urgency
from app.services.issue_list import IssueFilter, IssueRow, issue_ids, issue_rows
from app.ui import keys
from app.ui.context import AppContext
from app.ui.enterprise_filter import EnterpriseFilter
from app.ui.forms import editors
from app.ui.i18n import label, tr
from app.ui.pages.issue_detail import IssueDetailPane
from app.ui.queue_chip import QueueChip
from app.ui.table_model import Column, PagedModel, overdue_style

OPEN = "open"


def issue_columns() -> list[Column]:
    return [
        Column(tr("Columns", "编号"), lambda r: r.number),
        Column(tr("Columns", "标题"), lambda r: r.title),
        Column(tr("Columns", "企业"), lambda r: r.enterprise_name),
        Column(tr("Columns", "反映人"), lambda r: r.complainant),
        Column(tr("Columns", "类别"), lambda r: label(r.category, IssueCategory)),
        Column(tr("Columns", "状态"), lambda r: label(r.status, IssueStatus)),
        Column(tr("Columns", "紧急程度"), lambda r: label(r.urgency, Urgency)),
        Column(tr("Columns", "登记日期"), lambda r: r.received_on),
        Column(tr("Columns", "办理期限"), lambda r: r.due_on),
        Column(tr("Columns", "承办人"), lambda r: r.assignee),
    ]


class IssuesPage(QWidget):
    status = Signal(str)
    undo_offer = Signal(str, object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Issues", "搜索编号、标题、反映人、企业、类别（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(230)
        self.state = QComboBox()
        self.state.addItem(tr("Issues", "全部状态"), None)
        self.state.addItem(tr("Issues", "未办结"), OPEN)
        for s in IssueStatus:
            self.state.addItem(label(s), s.value)
        self.category = QComboBox()
        self.category.addItem(tr("Issues", "全部类别"), None)
        for c in IssueCategory:
            self.category.addItem(label(c), c.value)
        self.enterprise = EnterpriseFilter(ctx)
        self.overdue = QCheckBox(tr("Issues", "仅超期"))
        self.review = QCheckBox(tr("Issues", "待核对"))
        self.queue = QueueChip()
        self.count = QLabel()
        new = QPushButton(tr("Issues", "登记诉求（Ctrl+N）"))
        new.setObjectName("primary")
        bar = QHBoxLayout()
        for w in (
            self.search,
            self.state,
            self.category,
            self.enterprise,
            self.overdue,
            self.review,
            self.queue,
        ):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.count)
        bar.addWidget(new)
        self.model = PagedModel(ctx, issue_columns(), self._ids, self._rows, overdue_style)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The case number is never cut: its column is as wide as the widest number in this
        # font; the others start at widths that fit 1366×768 beside the detail pane, eliding
        # (with the whole text as a tooltip) what is longer.
        number = self.table.fontMetrics().horizontalAdvance("D0D0D0-2026-0000") + 18
        for column, width in enumerate((number, 170, 150, 62, 84, 56, 56, 84, 84, 62)):
            self.table.setColumnWidth(column, width)
        self.detail = IssueDetailPane(ctx)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([720, 480])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split)
        self.timer = QTimer(self, singleShot=True, interval=150)
        self.timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self.timer.start)
        for combo in (self.state, self.category, self.enterprise):
            combo.currentIndexChanged.connect(self.reload)
        for box in (self.overdue, self.review):
            box.toggled.connect(self.reload)
        self.queue.cleared.connect(self.reload)
        new.clicked.connect(self.new)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.model.loaded.connect(self._loaded)
        for signal in (self.detail.status,):
            signal.connect(self.status)
        self.detail.undo_offer.connect(self.undo_offer)
        keys.bind(self, "Ctrl+N", self.new)
        keys.bind(self, "Ctrl+F", self.focus_search)
        ctx.changed.connect(self._changed)
        self.enterprise.load()
        self.reload()

    def filter(self) -> IssueFilter:
        state = self.state.currentData()
        if state == OPEN:
            statuses = tuple(s for s in IssueStatus if s not in CLOSED_STATUSES)
        else:
            statuses = (IssueStatus(state),) if state else ()
        category = self.category.currentData()
        return IssueFilter(
            statuses=statuses,
            categories=(IssueCategory(category),) if category else (),
            enterprise_id=self.enterprise.currentData(),
            overdue=self.overdue.isChecked(),
            needs_review=self.review.isChecked(),
            text=self.search.text(),
            queue=self.queue.queue,
        )

    def _ids(self, session: Session) -> list[str]:
        return issue_ids(session, self._filter, date.today())

    def _rows(self, session: Session, ids: list[str]) -> list[IssueRow]:
        return issue_rows(session, ids, date.today(), self.ctx.info.replica_id)

    def reload(self) -> None:
        self._filter = self.filter()
        self.model.reload()

    def _loaded(self, n: int) -> None:
        self.count.setText(tr("Issues", "共 %n 条", None, n))
        row = self.model.row_of(self.detail.issue_id) if self.detail.issue_id else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.detail.show_issue(self.model.id_at(rows[0].row()) if rows else None)

    def _changed(self, touched: frozenset[str]) -> None:
        if {"*", "issue", "conflict"} & touched:
            self.reload()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new(self) -> None:
        preset = {"enterprise_id": self.enterprise.currentData()}
        dialog = editors.new_dialog(self.ctx, "issue", self, preset)
        if dialog.exec():
            self.detail.show_issue(dialog.result_value)
            self.status.emit(tr("Issues", "已登记"))

    def clear_filters(self) -> None:
        """Back to every case: no search text, no filter (one reload, by the caller)."""
        controls = (self.search, self.state, self.category, self.enterprise, self.overdue,
                    self.review)  # fmt: skip
        for w in controls:
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.state, self.category, self.enterprise):
            combo.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self.review.setChecked(False)
        self.queue.set_queue("", "")
        for w in controls:
            w.blockSignals(False)
        self.timer.stop()  # a search typed just before must not reload after this

    def show_queue(self, queue: str, title: str) -> None:
        """Used by the dashboard: every case of one of its queues, and nothing else. A queue
        an ordinary filter expresses is shown in that filter; the others in the chip."""
        self.clear_filters()
        widgets = {"overdue": self.overdue, "needs_review": self.review}
        states = {"open": OPEN, "follow_ups": IssueStatus.RESOLVED.value}
        for w in (self.overdue, self.review, self.state):
            w.blockSignals(True)
        if queue in widgets:
            widgets[queue].setChecked(True)
        elif queue in states:
            self.state.setCurrentIndex(self.state.findData(states[queue]))
        else:
            self.queue.set_queue(queue, title)
        for w in (self.overdue, self.review, self.state):
            w.blockSignals(False)
        self.reload()

    def open_issue(self, issue_id: str) -> None:
        """Used by the dashboard: show the case in an unfiltered list, so it is in the list
        beside its detail (a search left from earlier would hide it)."""
        self.clear_filters()
        self.reload()
        self.detail.show_issue(issue_id)
