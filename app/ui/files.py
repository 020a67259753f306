"""Save and open dialogs that start where the user last was, with names that say what a file is.

Every file save and open of the app goes through here: the dialog opens in the folder of the
last file saved or opened (remembered in the preferences, so the USB stick a cadre used for
the bundle is where the workbook goes next), falling back to a given folder (the backup
folder, say) or the home folder; a save dialog proposes ``app.services.files.default_name``'s
name. The dialogs themselves are ``app.ui.ask``'s, the seam tests answer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.ui import ask
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
    path = ask.save_file(parent, title, start_folder(prefs, fallback) / name, name_filter)
    if path is None:
        return None
    suffix = Path(name).suffix
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
    path = ask.open_file(parent, title, start_folder(prefs, fallback), name_filter)
    if path is not None:
        remember(prefs, path)
    return path
