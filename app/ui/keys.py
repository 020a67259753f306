"""Keyboard shortcuts for screens.

Several screens are alive at once (the stacked pages, the enterprise and workshop lists on
one page), so their Ctrl+N and Ctrl+F must only answer where the keyboard focus is. Qt makes
a shortcut window-wide unless told otherwise, and PySide6's constructor ignores a
``context=`` keyword given alongside a slot; this sets the context explicitly.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

LOCAL = Qt.ShortcutContext.WidgetWithChildrenShortcut


def bind(
    parent: QWidget,
    keys: str | QKeySequence.StandardKey,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = LOCAL,
) -> QShortcut:
    shortcut = QShortcut(QKeySequence(keys), parent)
    shortcut.setContext(context)
    shortcut.activated.connect(slot)
    return shortcut
