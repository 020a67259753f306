"""Questions the app asks the user, in one place.

Each function shows a modal question with buttons worded in the UI's language (never Qt's
untranslated Yes/No) and returns the answer. Screens call these instead of building message
boxes themselves, so every question reads the same and a test can answer one by replacing
the function.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.i18n import tr


def confirm(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """True if the user chose ``yes``; Esc or closing the box means ``no``."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept


def discard(parent: QWidget | None) -> bool:
    """Whether to throw away what was typed into a form."""
    return confirm(
        parent,
        tr("Ask", "放弃修改"),
        tr("Ask", "放弃未保存的内容？"),
        tr("Ask", "放弃"),
        tr("Ask", "继续编辑"),
    )
