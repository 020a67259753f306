"""The "which enterprise" filter the list screens share: 全部企业 and then every enterprise."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app.services import records
from app.ui.context import AppContext
from app.ui.i18n import tr


class EnterpriseFilter(QComboBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setMinimumContentsLength(14)

    def load(self) -> None:
        """Refill from the ledger on the database lane, keeping the current choice."""
        self.ctx.read(records.enterprise_choices, self._fill)

    def _fill(self, choices: list[records.Choice]) -> None:
        current = self.currentData()
        self.blockSignals(True)  # refilling is not the user choosing
        self.clear()
        self.addItem(tr("Records", "全部企业"), None)
        for c in choices:
            self.addItem(c.label, c.id)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)
