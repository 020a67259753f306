"""A list screen for one kind of record: search as you type, filter, new, edit, delete, undo.

Used for enterprises (with their workshops), workers, visits, assistance and practices.
Slots only start operations; the services do the work on the database lane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.schemas.enums import (
    AssistanceKind,
    FundingSource,
    Gender,
    HardshipLevel,
    PracticeStatus,
    VisitKind,
    WorkshopKind,
)
from app.services import common, privacy, records
from app.services.editing import EditValues
from app.services.records import RecordFilter, RecordRow
from app.ui import ask, keys
from app.ui.context import AppContext
from app.ui.enterprise_filter import EnterpriseFilter
from app.ui.files import open_file
from app.ui.forms import editors
from app.ui.forms.import_dialog import KINDS, ImportDialog, summary
from app.ui.i18n import label, tr, tr_fmt
from app.ui.queue_chip import QueueChip
from app.ui.table_model import Column, PagedModel, record_style


def _v(
    i: int, enum: Any = None, money: bool = False, worded: bool = False
) -> Callable[[RecordRow], Any]:
    if money:
        return lambda r: f"{r.values[i] / 100:,.2f}"
    if enum is not None:
        return lambda r: label(r.values[i], enum)
    if worded:
        return lambda r: yes_no(bool(r.values[i]))
    return lambda r: r.values[i]


def yes_no(value: bool) -> str:
    """A yes-or-no column (建会, 集体合同) in the UI language."""
    return tr("Records", "是") if value else tr("Records", "否")


ENUMS: dict[str, dict[int, Any]] = {
    "workshop": {1: WorkshopKind},
    "worker": {3: Gender, 7: HardshipLevel},
    "visit": {2: VisitKind},
    "assistance": {3: AssistanceKind, 5: FundingSource},
    "practice": {3: PracticeStatus},
}
MONEY = {"assistance": {4}}
YES_NO = {"enterprise": {4, 5}}  # 是/否 in words (other yes-or-no columns show a tick)
WIDTHS = {
    "enterprise": (230, 170, 110, 70, 60, 70),
    "workshop": (200, 80, 60, 100),
    "worker": (90, 210, 110, 50, 110, 150, 50),
    "visit": (90, 210, 80, 80, 70),
    "assistance": (90, 90, 210, 80, 90, 100),
    "practice": (90, 300, 200, 70),
}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def columns_for(kind: str) -> list[Column]:
    headers = records.QUERIES[kind].headers
    out = []
    for i, header in enumerate(headers):
        enum = ENUMS.get(kind, {}).get(i)
        money = i in MONEY.get(kind, set())
        worded = i in YES_NO.get(kind, set())
        align = RIGHT if money or header in ("职工人数", "接触人数") else Column.align
        out.append(Column(tr("Columns", header), _v(i, enum, money, worded), align))
    return out


class RecordsPage(QWidget):
    status = Signal(str)  # a message for the status bar
    undo_offer = Signal(str, object)  # message, undo(done): runs the undo, then done()

    def __init__(
        self,
        ctx: AppContext,
        kind: str,
        with_enterprise_filter: bool = True,
        hardship_filter: bool = False,
    ) -> None:
        super().__init__()
        self.ctx, self.kind = ctx, kind
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Records", "搜索（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.enterprise = EnterpriseFilter(ctx)
        self.enterprise.setVisible(with_enterprise_filter)
        self.hardship = QCheckBox(tr("Records", "仅困难职工"))
        self.hardship.setVisible(hardship_filter)
        self.deleted = QCheckBox(tr("Records", "显示已删除"))
        self.queue = QueueChip()
        self.count = QLabel()
        new = QPushButton(tr("Records", "新建（Ctrl+N）"))
        new.setObjectName("primary")
        self.edit_button = QPushButton(tr("Records", "编辑"))
        self.delete_button = QPushButton(tr("Records", "删除"))
        self.reveal_button = QPushButton(tr("Records", "查看个人信息…"))
        self.reveal_button.setToolTip(
            tr("Records", "身份证号、手机号和困难情况默认隐藏；查看须说明原因，并记入审计日志")
        )
        self.reveal_button.setVisible(kind == "worker")
        self.import_button = QPushButton(tr("Records", "从 Excel 导入…"))
        self.import_button.setToolTip(
            tr("Records", "导入 .xlsx 或 .csv 名单：先检查，再决定是否导入")
        )
        self.import_button.setVisible(kind in KINDS)
        bar = QHBoxLayout()
        for w in (self.search, self.enterprise, self.hardship, self.deleted, self.queue):
            bar.addWidget(w)
        bar.addStretch(1)
        for button in (
            self.count,
            new,
            self.edit_button,
            self.reveal_button,
            self.import_button,
            self.delete_button,
        ):
            bar.addWidget(button)
        self.model = PagedModel(ctx, columns_for(kind), self._ids, self._rows, record_style)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(WIDTHS.get(kind, ())):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.timer = QTimer(self, singleShot=True, interval=200)
        self.timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self.timer.start)
        for box in (self.hardship, self.deleted):
            box.toggled.connect(self.reload)
        self.enterprise.currentIndexChanged.connect(self.reload)
        self.queue.cleared.connect(self.reload)
        self.select_when_loaded: str | None = None
        new.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.reveal_button.clicked.connect(self.reveal)
        self.import_button.clicked.connect(self.import_sheet)
        self.delete_button.clicked.connect(self.delete)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.model.loaded.connect(self._loaded)
        keys.bind(self, "Ctrl+N", self.new)
        keys.bind(self, "Ctrl+F", self.focus_search)
        keys.bind(self.table, QKeySequence.StandardKey.Delete, self.delete)
        ctx.changed.connect(self._changed)
        self.load_enterprises()
        self.reload()

    # ---- queries (run on the database lane) ---------------------------------------------

    def filter(self) -> RecordFilter:
        return RecordFilter(
            text=self.search.text(),
            enterprise_id=self.enterprise.currentData(),
            hardship_only=self.hardship.isChecked(),
            include_deleted=self.deleted.isChecked(),
            queue=self.queue.queue,
        )

    def _ids(self, session: Session) -> list[str]:
        return records.record_ids(session, self.kind, self._filter)

    def _rows(self, session: Session, ids: list[str]) -> list[RecordRow]:
        return records.record_rows(session, self.kind, ids)

    def reload(self) -> None:
        self._filter = self.filter()
        self.model.reload()

    def _loaded(self, n: int) -> None:
        self.count.setText(tr("Records", "共 %n 条", None, n))
        row = self.model.row_of(self.select_when_loaded) if self.select_when_loaded else -1
        self.select_when_loaded = None
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def show_queue(self, queue: str, title: str, select_id: str | None = None) -> None:
        """Used by the dashboard: exactly the rows of one of its queues (named in the chip,
        every other filter and the search cleared), with ``select_id`` selected if given."""
        controls = (self.search, self.enterprise, self.hardship, self.deleted)
        for w in controls:
            w.blockSignals(True)
        self.search.clear()
        self.enterprise.setCurrentIndex(0)
        self.hardship.setChecked(False)
        self.deleted.setChecked(False)
        for w in controls:
            w.blockSignals(False)
        self.timer.stop()
        self.queue.set_queue(queue, title)
        self.select_when_loaded = select_id
        self.reload()

    def load_enterprises(self) -> None:
        if not self.enterprise.isHidden():  # the workshops pane has no filter
            self.enterprise.load()

    def _changed(self, touched: frozenset[str]) -> None:
        if "*" in touched or self.kind in touched or "enterprise" in touched:
            self.reload()

    # ---- actions ------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def new(self) -> None:
        preset = (
            {"enterprise_id": self.enterprise.currentData()}
            if self.enterprise.currentData()
            else None
        )
        dialog = editors.new_dialog(self.ctx, self.kind, self, preset)
        if dialog.exec():
            self.status.emit(tr("Records", "已保存"))

    def edit(self) -> None:
        row_id = self.selected_id()
        if row_id is None:
            return
        editors.load_for_edit(
            self.ctx,
            self.kind,
            row_id,
            lambda current: self._edit(row_id, current),
            self._refused,
            parent=self,
        )

    def import_sheet(self) -> ImportDialog | None:
        path = open_file(
            self, self.ctx.prefs, tr("Records", "选择名单文件"), "Excel / CSV (*.xlsx *.csv)"
        )
        if path is None:
            return None
        dialog = ImportDialog(self.ctx, self.kind, path, self)
        dialog.accepted.connect(
            lambda: self.status.emit(summary(dialog.imported)) if dialog.imported else None
        )
        dialog.open()
        return dialog

    def reveal(self) -> None:
        row_id = self.selected_id()
        if row_id is None or self.kind != "worker":
            return
        reason = editors.ask_reveal_reason(
            self, tr("Records", "将显示该职工的完整身份证号、手机号和困难情况。")
        )
        if reason is None:
            return
        self.ctx.write(
            lambda s: privacy.reveal_worker(s, row_id, reason),
            self._show_revealed,
            self._refused,
        )

    def _show_revealed(self, worker: privacy.RevealedWorker) -> None:
        lines = [
            f"{tr('Fields', '姓名')}：{worker.name}",
            f"{tr('Fields', '身份证号')}：{worker.id_number or '—'}",
            f"{tr('Fields', '手机号')}：{worker.phone or '—'}",
            f"{tr('Fields', '困难情况')}：{worker.hardship_reason or '—'}",
        ]
        box = QMessageBox(QMessageBox.Icon.Information, tr("Records", "个人信息"), "\n".join(lines))
        box.setObjectName("revealed")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setParent(self, box.windowFlags())
        box.exec()

    def _edit(self, row_id: str, current: EditValues) -> None:
        dialog = editors.edit_dialog(self.ctx, self.kind, row_id, current, self)
        if dialog.exec():
            self.status.emit(tr("Records", "已保存"))

    def delete(self) -> None:
        row_id = self.selected_id()
        if row_id is None:
            return
        row = self.model.row_at(self.table.currentIndex().row())
        name = str(row.values[0]) if row is not None else ""
        noun = tr("Nouns", editors.EDITORS[self.kind].noun)
        if not ask.confirm(
            self,
            tr("Records", "确认删除"),
            tr_fmt("Records", "删除这条{noun}：{name}？", noun=noun, name=name),
        ):
            return
        delete = editors.EDITORS[self.kind].delete
        self.ctx.write(
            lambda s: delete(s, row_id),
            lambda _r: self._deleted(row_id, noun),
            self._refused,
        )

    def _deleted(self, row_id: str, noun: str) -> None:
        kind = self.kind
        self.undo_offer.emit(
            tr_fmt("Records", "已删除{noun}", noun=noun),
            lambda done: self.ctx.write(
                lambda s: common.restore(s, kind, row_id),
                lambda _r: done(),
            ),
        )

    def _refused(self, error: BaseException) -> None:
        message = getattr(error, "message", None)
        if message:
            ask.warn(self, tr("Records", "未能完成"), tr("Errors", message))
        else:
            self.ctx.error.emit(error)
