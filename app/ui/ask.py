"""Everything the app asks the user in a standard dialog, in one place.

Why this module exists: it is the one seam between the screens and Qt's modal dialogs.
GUI code never calls ``QMessageBox``/``QInputDialog``/``QFileDialog`` itself (no static
helper, no message box built on the spot for a yes/no question): it calls a function here,
and gets a plain answer back (``bool``, ``str | None``, ``Path | None``). So every question
reads the same, and a test answers one by replacing the function (``tests/ui/conftest.py``'s
``asked`` fixture scripts the answers and records what was asked) instead of polling for a
modal window, and slots need no parameters that only tests pass.

The dialogs are exactly what the screens showed before: Qt's standard buttons, worded in
the UI's language by the Qt translations ``app.ui.i18n.install`` loads (是/否, 确定/取消),
or buttons worded by the caller; file dialogs are ``QFileDialog`` objects (the platform's
native dialog where there is one). Remembering the last folder and proposing a file's name
is ``app.ui.files``' work, on top of these.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from app.ui.i18n import tr


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    yes: str | None = None,
    no: str | None = None,
) -> bool:
    """True if the user said yes. Without ``yes``/``no``: Qt's standard 是/否 buttons (是 the
    default). With them: buttons worded so, 否 the default; Esc or closing the box is no."""
    if yes is None or no is None:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes
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
        yes=tr("Ask", "放弃"),
        no=tr("Ask", "继续编辑"),
    )


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something (one 确定 button)."""
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user what went wrong or was refused (one 确定 button)."""
    QMessageBox.warning(parent, title, text)


def text(parent: QWidget | None, title: str, label: str, *, value: str = "") -> str | None:
    """A line of text, starting as ``value``; None if cancelled. The text is returned as
    typed (not stripped): the caller decides what blank means."""
    typed, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, value)
    return typed if ok else None


def open_file(parent: QWidget | None, title: str, start: Path, name_filter: str) -> Path | None:
    """An existing file, the dialog opening in the folder ``start``; None if cancelled."""
    dialog = QFileDialog(parent, title, str(start), name_filter)
    dialog.setObjectName("open-file")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _chosen(dialog)


def save_file(parent: QWidget | None, title: str, start: Path, name_filter: str) -> Path | None:
    """Where to save: the dialog opens in ``start``'s folder proposing ``start``'s name (whose
    suffix is added to a name typed without one); None if cancelled."""
    dialog = QFileDialog(parent, title, str(start.parent), name_filter)
    dialog.setObjectName("save-file")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    if start.suffix:
        dialog.setDefaultSuffix(start.suffix.lstrip("."))
    dialog.selectFile(start.name)
    return _chosen(dialog)


def folder(parent: QWidget | None, title: str, start: Path) -> Path | None:
    """An existing folder, the dialog opening at ``start``; None if cancelled."""
    dialog = QFileDialog(parent, title, str(start))
    dialog.setObjectName("choose-folder")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _chosen(dialog)


def printer(parent: QWidget | None, title: str, document: str) -> QPrinter | None:
    """A printer set up in the system's print dialog (A4 proposed) for ``document`` (the
    name the print queue shows); None if cancelled."""
    chosen = QPrinter(QPrinter.PrinterMode.HighResolution)
    chosen.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    chosen.setDocName(document)
    dialog = QPrintDialog(chosen, parent)
    dialog.setWindowTitle(title)
    return chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def _chosen(dialog: QFileDialog) -> Path | None:
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])
