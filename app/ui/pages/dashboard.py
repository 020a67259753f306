"""工作台: today's and this week's work — what is overdue, due soon, owed a follow-up, and
which hardship workers nobody has visited. Everything is read on the database lane."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
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
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Issue, Worker
from app.schemas.enums import HardshipLevel
from app.services.dashboard import Dashboard, dashboard
from app.services.deadlines import (
    hardship_uncontacted,
    is_due_soon,
    is_overdue,
    load_policy,
    owes_follow_up,
)
from app.ui.context import AppContext
from app.ui.i18n import label, tr
from app.ui.pages.summary_page import SummaryPage


@dataclass(frozen=True)
class Snapshot:
    board: Dashboard
    overdue: list[tuple[str, str]]
    due_soon: list[tuple[str, str]]
    follow_ups: list[tuple[str, str]]
    hardship: list[tuple[str, str]]


def snapshot(session: Session, today: date) -> Snapshot:
    policy = load_policy(session)

    def cases(condition, order) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
        rows = session.execute(
            select(Issue.id, Issue.number, Issue.title, Issue.due_on, Issue.status)
            .where(condition)
            .order_by(order)
            .limit(8)
        )
        return [(r.id, f"{r.due_on:%Y-%m-%d}  {r.number}  {r.title}") for r in rows]

    hardship = session.execute(
        select(Worker.id, Worker.name, Worker.hardship_level)
        .where(hardship_uncontacted(today, policy))
        .order_by(Worker.name)
        .limit(8)
    )
    return Snapshot(
        board=dashboard(session, today),
        overdue=cases(is_overdue(today), Issue.due_on),
        due_soon=cases(is_due_soon(today, policy), Issue.due_on),
        follow_ups=cases(owes_follow_up(), Issue.resolved_on),
        hardship=[
            (r.id, f"{r.name}（{label(r.hardship_level, HardshipLevel)}）") for r in hardship
        ],
    )


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

    def mousePressEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        self.clicked.emit()


class DashboardPage(SummaryPage):
    open_issue = Signal(str)
    open_overdue = Signal()
    open_sync = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        greeting = QLabel()
        greeting.setStyleSheet("font-size: 14pt; font-weight: 600;")
        greeting.setText(tr("Dashboard", "%1，您好").replace("%1", ctx.info.name))
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
        self.tiles["overdue"].clicked.connect(self.open_overdue)
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
        for i, (key, widget) in enumerate(self.lists.items()):
            box = QVBoxLayout()
            box.addWidget(QLabel(f"<b>{titles[key]}</b>"))
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

    def _activated(self, item: QListWidgetItem) -> None:
        kind, row_id = item.data(Qt.ItemDataRole.UserRole)
        if kind == "issue":
            self.open_issue.emit(row_id)

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
            for row_id, text in entries:
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (kind, row_id))
                widget.addItem(item)
            if not entries:
                widget.addItem(tr("Dashboard", "（无）"))
        b = snap.board
        self.sync_line.setText(
            tr("Dashboard", "等待处理的变更 %1 条，隔离 %2 条")
            .replace("%1", str(b.pending_changes))
            .replace("%2", str(b.quarantined_changes))
        )
