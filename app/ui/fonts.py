"""An explicit CJK font, so Chinese never renders as boxes and looks the same everywhere.

The system's own Chinese fonts come first (they cover every character, and users know them);
the last fallback is the font jiceng ships, ``resources/fonts/JicengSansSC-Regular.otf``, a
subset of Noto Sans CJK SC (GB 2312 and every character of the app's own text, see
``tools/make_font.py``), so a machine without any Chinese font still shows and prints Chinese.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "JicengSansSC-Regular.otf"
SHIPPED_FAMILY = "Jiceng Sans SC"

# In order of preference: Debian/Ubuntu (fonts-noto-cjk), Windows, macOS, older Linux, ours.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    SHIPPED_FAMILY,
)


def load_shipped_font() -> bool:
    """Make the shipped font known to Qt (once per process); False if it cannot be read."""
    if SHIPPED_FAMILY in QFontDatabase.families():
        return True
    return SHIPPED.exists() and QFontDatabase.addApplicationFont(str(SHIPPED)) >= 0


def available_cjk_family() -> str | None:
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), None)


def apply_app_font(app: QApplication, point_size: int = 10) -> str | None:
    """Use the first installed CJK family, with the rest as fallbacks; return the chosen one."""
    load_shipped_font()
    font = QFont()
    font.setFamilies(list(CJK_FAMILIES))
    font.setPointSize(point_size)
    app.setFont(font)
    return available_cjk_family()


def for_print(font: QFont) -> QFont:
    """``font`` for a PDF or a printer. Its OpenType ``locl`` feature is off: under it the
    shipped font draws Latin digits with glyphs no character maps to, which Qt's PDF text
    layer then leaves out (a case number in a PDF could not be searched for or copied)."""
    printed = QFont(font)
    printed.setFeature(QFont.Tag("locl"), 0)
    return printed
