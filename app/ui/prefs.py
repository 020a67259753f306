"""The desktop app's own preferences (typed and versioned), kept outside the data file.

Nothing personal goes here: the language, the last data folder, the backup folder, the folder
a file was last saved to or opened from (file dialogs start there: often the USB stick), and
the window's size. ``JICENG_CONFIG_DIR`` moves the file (tests point it at a temporary folder).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from app.storage import atomic

FILE = "jiceng-gui.json"


class Prefs(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: int = 1
    language: Literal["zh_CN", "en"] = "zh_CN"
    data_dir: str | None = None
    backup_dir: str | None = None
    last_folder: str | None = None  # where the last file dialog saved or opened a file
    auto_sync: bool = True
    window_geometry: str | None = None  # QMainWindow.saveGeometry(), base64: size, place, maximised


def config_dir() -> Path:
    override = os.environ.get("JICENG_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("jiceng", appauthor=False))


def load() -> Prefs:
    path = config_dir() / FILE
    try:
        return Prefs.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return Prefs()  # missing or damaged preferences: defaults, never a crash


def save(prefs: Prefs) -> None:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(folder / FILE, prefs.model_dump_json(indent=2).encode("utf-8"))
