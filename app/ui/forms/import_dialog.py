"""从 Excel 导入: check a spreadsheet first, show every refused row, then import on request."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.sheet_import import ImportResult, SheetError, import_sheet
from app.ui.context import AppContext
from app.ui.i18n import fill, service_error, tr, tr_fmt
from app.ui.messages import row_message

KINDS = {"enterprise": "enterprises", "worker": "workers"}


def summary(result: ImportResult) -> str:
    template = (
        tr("Import", "共 {rows} 行：已新增 {created}，已更新 {updated}，未变 {unchanged}，有误 {errors}")
        if result.written
        else tr(
            "Import", "共 {rows} 行：将新增 {created}，将更新 {updated}，未变 {unchanged}，有误 {errors}"
        )
    )
    text = fill(
        template,
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        errors=len(result.errors),
    )
    if result.warnings:
        text += tr_fmt("Import", "，需核对 {count}", count=len(result.warnings))
    if result.workshops_created:
        text += tr_fmt("Import", "，新建车间 {count} 个", count=result.workshops_created)
    return text


class ImportDialog(QDialog):
    """Shows the dry run's outcome; the user imports everything, only the valid rows, or
    nothing. The real import runs on the database lane through the services."""

    def __init__(self, ctx: AppContext, kind: str, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.kind, self.path = ctx, KINDS[kind], path
        self.setWindowTitle(tr_fmt("Import", "从 Excel 导入：{file}", file=path.name))
        self.summary = QLabel(tr("Import", "正在检查…"))
        self.summary.setWordWrap(True)
        self.errors = QListWidget()
        self.buttons = QDialogButtonBox()
        self.import_all = QPushButton(tr("Import", "导入"))
        self.import_valid = QPushButton(tr("Import", "只导入正确的行"))
        cancel = QPushButton(tr("Import", "取消"))
        for button, role in (
            (self.import_all, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.import_valid, QDialogButtonBox.ButtonRole.AcceptRole),
            (cancel, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            self.buttons.addButton(button, role)
            button.setEnabled(button is cancel)
        cancel.clicked.connect(self.reject)
        self.import_all.clicked.connect(lambda: self.run(valid_only=False))
        self.import_valid.clicked.connect(lambda: self.run(valid_only=True))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.resize(640, 420)
        self.imported: ImportResult | None = None
        kind_, file = self.kind, path
        ctx.read(lambda s: import_sheet(s, file, kind_, dry_run=True), self._checked, self._failed)

    def _checked(self, result: ImportResult) -> None:
        self.summary.setText(summary(result))
        self.errors.clear()
        self.errors.addItems([row_message(e, tr) for e in result.errors])
        # Rows to double-check (an ID region code the national table lacks) are imported, and
        # listed after the refusals in amber so the clerk can look at them afterwards.
        for warning in result.warnings:
            item = QListWidgetItem(tr_fmt("Import", "需核对：{warning}", warning=row_message(warning, tr)))
            item.setForeground(QColor("#92400e"))
            self.errors.addItem(item)
        self.errors.setVisible(bool(result.errors or result.warnings))
        valid = result.created + result.updated
        self.import_all.setEnabled(not result.errors and valid > 0)
        self.import_valid.setEnabled(bool(result.errors) and valid > 0)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, SheetError):
            self.summary.setText(
                tr_fmt("Import", "无法导入：{reason}", reason=service_error(error))
            )
            self.errors.hide()
        else:
            self.ctx.error.emit(error)

    def run(self, valid_only: bool) -> None:
        for button in (self.import_all, self.import_valid):
            button.setEnabled(False)
        kind_, file = self.kind, self.path
        self.ctx.write(
            lambda s: import_sheet(s, file, kind_, valid_only=valid_only),
            self._done,
            self._failed,
        )

    def _done(self, result: ImportResult) -> None:
        self.imported = result
        self.accept()
