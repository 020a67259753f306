"""The "which enterprise" filter the list screens share: 全部企业 and then every enterprise."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app.services import pick_lists
from app.ui.context import AppContext
from app.ui.i18n import tr


class EnterpriseFilter(QComboBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setMinimumContentsLength(14)
        # Every screen's filter follows the ledger by itself: an enterprise added by a form,
        # a spreadsheet or a bundle import appears in it without a restart (统计报表 once
        # kept the list it started with).
        ctx.changed.connect(self._changed)

    def _changed(self, touched: frozenset[str]) -> None:
        if ("*" in touched or "enterprise" in touched) and not self.isHidden():
            self.load()

    def load(self) -> None:
        """Refill from the ledger on the database lane, keeping the current choice."""
        self.ctx.read(lambda s: pick_lists.enterprise_choices(s, limit=100_000), self._fill)

    def _fill(self, page: pick_lists.ChoicePage) -> None:
        current = self.currentData()
        self.blockSignals(True)  # refilling is not the user choosing
        self.clear()
        self.addItem(tr("Records", "全部企业"), None)
        for c in page.choices:
            self.addItem(c.label, c.id)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)
