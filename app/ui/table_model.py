"""A table model over ids that fetches rows a page at a time, off the GUI thread.

Opening a list of 100,000 cases costs one query for the ids (on the database lane); rows are
fetched in pages of ``PAGE`` when the view first asks for them, cached, and announced with
``dataChanged``. Every reload gets a token, so results of a superseded query (the user kept
typing) are dropped instead of flashing on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from sqlalchemy.orm import Session

from app.ui.context import AppContext

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
LOADING = "…"


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    width: int = 120


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


Style = Callable[[Any], dict[int, Any]]


class PagedModel(QAbstractTableModel):
    loaded = Signal(int)  # the number of matching rows, after each reload

    def __init__(
        self,
        ctx: AppContext,
        columns: Sequence[Column],
        fetch_ids: Callable[[Session], list[str]],
        fetch_rows: Callable[[Session, list[str]], list[Any]],
        style: Style | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.columns = list(columns)
        self.fetch_ids = fetch_ids
        self.fetch_rows = fetch_rows
        self.style = style
        self.ids: list[str] = []
        self.cache: dict[str, Any] = {}
        self.pending: set[int] = set()
        self.token = 0

    # ---- loading ------------------------------------------------------------------------

    def reload(self, fetch_ids: Callable[[Session], list[str]] | None = None) -> None:
        if fetch_ids is not None:
            self.fetch_ids = fetch_ids
        self.token += 1
        token = self.token
        fetch_ids, fetch_rows = self.fetch_ids, self.fetch_rows

        def first_page(session: Session) -> tuple[list[str], list[Any]]:
            # The ids and the rows the view will ask for first, in one trip to the database
            # lane: the list shows content as soon as it shows its size.
            ids = fetch_ids(session)
            return ids, fetch_rows(session, ids[:PAGE])

        self.ctx.read(first_page, lambda found: self._ids_loaded(token, *found))

    def _ids_loaded(self, token: int, ids: list[str], rows: list[Any]) -> None:
        if token != self.token:
            return
        self.beginResetModel()
        self.ids = ids
        self.cache = {row.id: row for row in rows}
        self.pending.clear()
        self.endResetModel()
        self.loaded.emit(len(ids))

    def _request(self, page: int) -> None:
        if page in self.pending:
            return
        self.pending.add(page)
        token = self.token
        wanted = self.ids[page * PAGE : (page + 1) * PAGE]
        self.ctx.read(
            lambda s: self.fetch_rows(s, wanted), lambda rows: self._rows_loaded(token, page, rows)
        )

    def _rows_loaded(self, token: int, page: int, rows: list[Any]) -> None:
        if token != self.token:
            return
        self.pending.discard(page)
        for row in rows:
            self.cache[row.id] = row
        first = page * PAGE
        last = min(len(self.ids), first + PAGE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    # ---- access -------------------------------------------------------------------------

    def row_at(self, row: int) -> Any | None:
        if 0 <= row < len(self.ids):
            return self.cache.get(self.ids[row])
        return None

    def id_at(self, row: int) -> str | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, row_id: str) -> int:
        try:
            return self.ids.index(row_id)
        except ValueError:
            return -1

    # ---- Qt -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return self.columns[section].title if 0 <= section < len(self.columns) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        row = self.cache.get(self.ids[index.row()])
        if row is None:
            self._request(index.row() // PAGE)
            return LOADING if role == Qt.ItemDataRole.DisplayRole else None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(column.value(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display(column.value(row))
            return text if len(text) > 20 else None
        if self.style is not None:
            return self.style(row).get(role)
        return None


def overdue_style(row: Any) -> dict[int, Any]:
    """Red for overdue cases, grey and struck through for deleted ones, bold for review."""
    if getattr(row, "deleted", False):
        font = QFont()
        font.setStrikeOut(True)
        return {
            Qt.ItemDataRole.ForegroundRole: QBrush(QColor("#9a9a9a")),
            Qt.ItemDataRole.FontRole: font,
        }
    style: dict[int, Any] = {}
    if getattr(row, "overdue", False):
        style[Qt.ItemDataRole.ForegroundRole] = QBrush(QColor("#b3261e"))
        style[Qt.ItemDataRole.BackgroundRole] = QBrush(QColor("#fdecea"))
    if getattr(row, "needs_review", False):
        font = QFont()
        font.setBold(True)
        style[Qt.ItemDataRole.FontRole] = font
    return style


def record_style(row: Any) -> dict[int, Any]:
    """Deleted rows as in ``overdue_style``; hardship workers tinted (深度困难 stronger)."""
    style = overdue_style(row)
    flags: Collection[str] = getattr(row, "flags", frozenset())
    if "extreme" in flags:
        style.setdefault(Qt.ItemDataRole.BackgroundRole, QBrush(QColor("#fde7d9")))
    elif "hardship" in flags:
        style.setdefault(Qt.ItemDataRole.BackgroundRole, QBrush(QColor("#fff4dc")))
    return style
