"""The app's look: calm colours, clear focus, comfortable row heights (Qt style sheet).

``apply(app)`` is the one way to give an application this look (the app, the screenshots
and the GUI tests all use it), because a style sheet alone is not enough for drop-down lists:
once a QComboBox has a background in a style sheet, its default popup delegate paints every
entry with that background and the highlighted entry shows as an empty box. A plain
QStyledItemDelegate on each combo box honours the ``::item:selected`` rule below.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QComboBox, QProxyStyle, QStyledItemDelegate

STYLE = """
QMainWindow, QDialog { background: #f6f7f9; }
QListWidget#nav { background: #1f2a37; color: #e5e7eb; border: none; font-size: 11pt; padding-top: 8px; outline: 0; }
QListWidget#nav::item { padding: 10px 14px; }
QListWidget#nav::item:selected { background: #b91c1c; color: white; }
QListWidget#nav::item:hover:!selected { background: #374151; }
QPushButton { padding: 5px 12px; border: 1px solid #c8ccd2; border-radius: 4px; background: white; }
QPushButton:hover { background: #f0f2f5; }
QPushButton:focus { border: 1px solid #2563eb; }
QPushButton#primary { background: #b91c1c; color: white; border: 1px solid #b91c1c; }
QPushButton#primary:hover { background: #991b1b; }
QPushButton:disabled { color: #9ca3af; }
QLineEdit, QPlainTextEdit, QComboBox, QSpinBox { padding: 4px; border: 1px solid #c8ccd2; border-radius: 4px; background: white; }
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus { border: 1px solid #2563eb; }
QTableView { background: white; alternate-background-color: #f9fafb; gridline-color: #e5e7eb; selection-background-color: #dbeafe; selection-color: #111827; }
QHeaderView::section { background: #eef0f3; padding: 5px; border: none; border-right: 1px solid #dde1e6; font-weight: 600; }
QGroupBox { border: 1px solid #dde1e6; border-radius: 6px; margin-top: 14px; background: white; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; font-weight: 600; }
QStatusBar { background: #eef0f3; }
QListWidget { background: white; border: 1px solid #dde1e6; selection-background-color: #dbeafe; selection-color: #111827; }
QComboBox QAbstractItemView { background: white; color: #111827; border: 1px solid #c8ccd2; outline: 0; selection-background-color: #dbeafe; selection-color: #111827; }
QComboBox QAbstractItemView::item { min-height: 24px; padding: 0 6px; }
QComboBox QAbstractItemView::item:selected { background: #dbeafe; color: #111827; }
QTextBrowser { background: white; border: 1px solid #dde1e6; }
"""


class _Style(QProxyStyle):
    """The platform's own style, giving every combo box, as Qt polishes it, a delegate that
    follows the style sheet (a style's polish hook sees every widget once, before it shows)."""

    def polish(self, target: Any) -> Any:
        if isinstance(target, QComboBox) and not target.property("jiceng_items"):
            target.setProperty("jiceng_items", True)
            target.setItemDelegate(QStyledItemDelegate(target))
        return super().polish(target)


_KEPT: list[QProxyStyle] = []


def apply(app: QApplication) -> None:
    if not isinstance(app.style(), _Style):
        style = _Style()
        app.setStyle(style)
        _KEPT.append(style)  # Qt holds the style by pointer; Python must keep it alive
    app.setStyleSheet(STYLE)
