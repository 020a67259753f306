"""A virtual screen for rendering without a display (tests, screenshots, the CLI's PDF).

Qt's offscreen platform starts with an 800×600 screen; a cadre's laptop is 1366×768 or
1280×720. ``use_virtual_screen`` points the platform at a screen of the given size (through
its JSON configuration file), so windows are laid out, maximised and shot as users see them.
It must run before the QApplication exists and leaves an explicit QT_QPA_PLATFORM alone.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def use_virtual_screen(width: int, height: int) -> None:
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height}
    config = {"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}
    path = Path(tempfile.gettempdir()) / f"jiceng-screen-{width}x{height}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"
