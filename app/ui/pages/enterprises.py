"""企业 / 车间: enterprises above, the selected enterprise's workshops and teams below."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from app.services.records import RecordFilter
from app.ui.context import AppContext
from app.ui.forms import editors
from app.ui.i18n import tr
from app.ui.pages.records import RecordsPage


class WorkshopsPane(RecordsPage):
    """Workshops of one enterprise; the enterprise comes from the list above."""

    def __init__(self, ctx: AppContext) -> None:
        self.enterprise_id: str | None = None
        super().__init__(ctx, "workshop", with_enterprise_filter=False)

    def filter(self) -> RecordFilter:
        return RecordFilter(
            text=self.search.text(),
            enterprise_id=self.enterprise_id or "-",
            include_deleted=self.deleted.isChecked(),
        )

    def show_enterprise(self, enterprise_id: str | None) -> None:
        self.enterprise_id = enterprise_id
        self.reload()

    def new(self) -> None:
        preset = {"enterprise_id": self.enterprise_id} if self.enterprise_id else None
        editors.new_dialog(self.ctx, "workshop", self, preset).exec()


class EnterprisesPage(QWidget):
    status = Signal(str)
    undo_offer = Signal(str, object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.enterprises = RecordsPage(ctx, "enterprise", with_enterprise_filter=False)
        self.workshops = WorkshopsPane(ctx)
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(f"<b>{tr('Enterprises', '车间 / 班组')}</b>"))
        column.addWidget(self.workshops)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.enterprises)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.enterprises.table.selectionModel().selectionChanged.connect(
            lambda *_: self.workshops.show_enterprise(self.enterprises.selected_id())
        )
        for page in (self.enterprises, self.workshops):
            page.status.connect(self.status)
            page.undo_offer.connect(self.undo_offer)
