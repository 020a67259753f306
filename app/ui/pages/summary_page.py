"""Screens whose figures cost a whole-ledger query (工作台, 统计报表).

Every save announces a change, and a hidden screen that recomputed its figures each time would
hold the single database lane for most of a second per save on a 100,000-case ledger (and
twice that at start-up). Such a screen only notes that it is stale while hidden, and
recomputes when it is next shown.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class SummaryPage(QWidget):
    _stale = True

    def reload(self, *_why: object) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self.recompute()

    def recompute(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()
