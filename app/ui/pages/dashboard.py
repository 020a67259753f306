"""工作台: today's and this week's work — what is overdue, due soon, owed a follow-up, and
which hardship workers nobody has visited. Everything is read on the database lane."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.schemas.enums import HardshipLevel
from app.services.dashboard import Entry, Snapshot, snapshot
from app.ui.context import AppContext
from app.ui.i18n import label, tr, tr_fmt
from app.ui.pages.summary_page import SummaryPage

# What each tile counts: the screen that lists it and the queue that screen filters on.
TILE_QUEUES = {
    "overdue": ("issues", "overdue"),
    "due_soon": ("issues", "due_soon"),
    "follow_ups_owed": ("issues", "follow_ups"),
    "hardship_uncontacted": ("workers", "hardship_uncontacted"),
    "hardship_unreviewed": ("workers", "hardship_unreviewed"),
    "needs_review": ("issues", "needs_review"),
    "open_issues": ("issues", "open"),
    "visits_this_week": ("visits", "this_week"),
}
# Each dashboard list is the head of one tile's queue; 查看全部 opens all of it.
LIST_TILES = {
    "overdue": "overdue",
    "due_soon": "due_soon",
    "follow_ups": "follow_ups_owed",
    "hardship": "hardship_uncontacted",
}


def entry_text(entry: Entry) -> str:
    if entry.hardship_level:
        return f"{entry.text}（{label(entry.hardship_level, HardshipLevel)}）"
    due = entry.due_on.isoformat() if entry.due_on else ""  # strftime writes year 1 as "1"
    return f"{due}  {entry.number}  {entry.text}"


class Tile(QFrame):
    clicked = Signal()

    def __init__(self, title: str, colour: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.setStyleSheet(
            f"#tile {{ border-left: 4px solid {colour}; background: white; border-radius: 6px; }}"
        )
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        self.number = QLabel("–")
        self.number.setStyleSheet(f"font-size: 22pt; font-weight: 600; color: {colour};")
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #555;")
        layout.addWidget(self.number)
        layout.addWidget(self.title)

    def set(self, value: int) -> None:
        self.number.setText(str(value))

    def mousePressEvent(self, _event: QMouseEvent) -> None:
        self.clicked.emit()


class DashboardPage(SummaryPage):
    """The tiles and lists open what they show: a case, or a list screen filtered on the
    queue a tile counts (signals the main window routes to the screen)."""

    open_issue = Signal(str)
    open_worker = Signal(str, str, str)  # queue, its title, the worker to select
    open_queue = Signal(str, str, str)  # screen, queue, the queue's title for the filter chip
    open_sync = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        greeting = QLabel()
        greeting.setStyleSheet("font-size: 14pt; font-weight: 600;")
        greeting.setText(tr_fmt("Dashboard", "{name}，您好", name=ctx.info.name))
        self.today = QLabel()
        head = QHBoxLayout()
        head.addWidget(greeting)
        head.addStretch(1)
        head.addWidget(self.today)
        refresh = QPushButton(tr("Dashboard", "刷新"))
        refresh.clicked.connect(self.reload)
        head.addWidget(refresh)
        self.tiles = {
            "overdue": Tile(tr("Dashboard", "已超期诉求"), "#b3261e"),
            "due_soon": Tile(tr("Dashboard", "即将到期"), "#b45309"),
            "follow_ups_owed": Tile(tr("Dashboard", "待回访"), "#7c3aed"),
            "hardship_uncontacted": Tile(tr("Dashboard", "一年未帮扶的困难职工"), "#0d9488"),
            "hardship_unreviewed": Tile(tr("Dashboard", "困难档案待复核"), "#0f766e"),
            "needs_review": Tile(tr("Dashboard", "并发修改待核对"), "#92400e"),
            "open_issues": Tile(tr("Dashboard", "办理中的诉求"), "#2563eb"),
            "visits_this_week": Tile(tr("Dashboard", "本周走访"), "#15803d"),
        }
        grid = QGridLayout()
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, i // 4, i % 4)
        for key, tile in self.tiles.items():
            tile.clicked.connect(lambda k=key: self.show_queue(k))
        self.lists = {
            "overdue": self._list(),
            "due_soon": self._list(),
            "follow_ups": self._list(),
            "hardship": self._list(),
        }
        panes = QGridLayout()
        titles = {
            "overdue": tr("Dashboard", "超期诉求（按期限）"),
            "due_soon": tr("Dashboard", "即将到期"),
            "follow_ups": tr("Dashboard", "已办结、待回访"),
            "hardship": tr("Dashboard", "困难职工：一年内未走访或帮扶"),
        }
        self.see_all: dict[str, QPushButton] = {}
        for i, (key, widget) in enumerate(self.lists.items()):
            box = QVBoxLayout()
            heading = QHBoxLayout()
            heading.addWidget(QLabel(f"<b>{titles[key]}</b>"))
            heading.addStretch(1)
            self.see_all[key] = QPushButton(tr("Dashboard", "查看全部"))
            self.see_all[key].clicked.connect(lambda _c=False, k=key: self.show_queue(LIST_TILES[k]))
            heading.addWidget(self.see_all[key])
            box.addLayout(heading)
            box.addWidget(widget)
            panes.addLayout(box, i // 2, i % 2)
        self.sync_line = QLabel()
        self.sync_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(grid)
        layout.addLayout(panes)
        layout.addWidget(self.sync_line)
        ctx.changed.connect(self.reload)
        self.reload()

    def _list(self) -> QListWidget:
        widget = QListWidget()
        widget.itemActivated.connect(self._activated)
        widget.itemDoubleClicked.connect(self._activated)
        return widget

    def show_queue(self, tile: str) -> None:
        screen, queue = TILE_QUEUES[tile]
        self.open_queue.emit(screen, queue, self.tiles[tile].title.text())

    def _activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if not data:
            return  # （无）
        kind, row_id = data
        if kind == "issue":
            self.open_issue.emit(row_id)
        else:
            title = self.tiles["hardship_uncontacted"].title.text()
            self.open_worker.emit("hardship_uncontacted", title, row_id)

    def recompute(self) -> None:
        today = date.today()
        self.today.setText(today.isoformat())
        self.ctx.read(lambda s: snapshot(s, today), self._show)

    def _show(self, snap: Snapshot) -> None:
        for key, tile in self.tiles.items():
            tile.set(getattr(snap.board, key))
        for key, widget in self.lists.items():
            widget.clear()
            kind = "worker" if key == "hardship" else "issue"
            entries = getattr(snap, key)
            for entry in entries:
                item = QListWidgetItem(entry_text(entry))
                item.setData(Qt.ItemDataRole.UserRole, (kind, entry.id))
                widget.addItem(item)
            if not entries:
                widget.addItem(tr("Dashboard", "（无）"))
        b = snap.board
        self.sync_line.setText(
            tr_fmt(
                "Dashboard",
                "等待处理的变更 {pending} 条，隔离 {quarantined} 条",
                pending=b.pending_changes,
                quarantined=b.quarantined_changes,
            )
        )
