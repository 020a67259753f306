"""Save and open dialogs that start where the user last was, with names that say what a file is.

Every file dialog of the app goes through here: it opens in the folder of the last file saved
or opened (remembered in the preferences, so the USB stick a cadre used for the bundle is
where the workbook goes next), falling back to a given folder (the backup folder, say) or the
home folder; a save dialog proposes ``app.services.files.default_name``'s name. Dialogs are
``QFileDialog`` objects rather than the static helpers so that they are still the platform's
native dialogs where there is one, and real Qt dialogs tests can drive offscreen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.ui import prefs as prefs_file
from app.ui.prefs import Prefs


def start_folder(prefs: Prefs, fallback: Path | None = None) -> Path:
    """The folder a dialog opens in: the last one used if it still exists, else ``fallback``
    (if it exists), else the home folder."""
    for candidate in (prefs.last_folder, fallback):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.home()


def remember(prefs: Prefs, path: Path) -> None:
    """Note the folder of ``path`` as the next dialog's start (and keep it across restarts)."""
    prefs.last_folder = str(path.parent)
    prefs_file.save(prefs)


def save_file(
    parent: QWidget | None,
    prefs: Prefs,
    title: str,
    name: str,
    name_filter: str,
    fallback: Path | None = None,
) -> Path | None:
    """Ask where to save, proposing ``name`` in the start folder; None if cancelled. The
    suffix of ``name`` is added when the user types a name without it."""
    dialog = QFileDialog(parent, title, str(start_folder(prefs, fallback)), name_filter)
    dialog.setObjectName("save-file")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    suffix = Path(name).suffix
    if suffix:
        dialog.setDefaultSuffix(suffix.lstrip("."))
    dialog.selectFile(name)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    if suffix and path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
    remember(prefs, path)
    return path


def open_file(
    parent: QWidget | None,
    prefs: Prefs,
    title: str,
    name_filter: str,
    fallback: Path | None = None,
) -> Path | None:
    """Ask for an existing file, starting in the last folder used; None if cancelled."""
    dialog = QFileDialog(parent, title, str(start_folder(prefs, fallback)), name_filter)
    dialog.setObjectName("open-file")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    remember(prefs, path)
    return path


def choose_folder(parent: QWidget | None, title: str, start: Path) -> Path | None:
    """Ask for an existing folder, starting at ``start``; None if cancelled."""
    dialog = QFileDialog(parent, title, str(start))
    dialog.setObjectName("choose-folder")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])
