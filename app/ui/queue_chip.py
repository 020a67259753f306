"""The filter a dashboard tile put on a list, shown where the other filters are.

A list opened from a tile (即将到期, 一年未帮扶的困难职工, 本周走访…) is filtered on a queue
that has no ordinary control; the chip names it and a click clears it, so the list never
shows fewer rows than its count without saying why."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from app.ui.i18n import tr


class QueueChip(QPushButton):
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = ""
        self.setToolTip(tr("Queue", "点击清除此筛选"))
        self.clicked.connect(self.clear)
        self.hide()

    def set_queue(self, queue: str, title: str) -> None:
        self.queue = queue
        self.setText(f"{title} ✕")  # the title is translated by the dashboard
        self.setVisible(bool(queue))

    def clear(self) -> None:
        """Drop the queue (a click on the chip); says so only if there was one."""
        had = bool(self.queue)
        self.queue = ""
        self.hide()
        if had:
            self.cleared.emit()
