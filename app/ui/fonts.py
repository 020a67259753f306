"""An explicit CJK font, so Chinese never renders as boxes and looks the same everywhere."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# In order of preference: Debian/Ubuntu (fonts-noto-cjk), Windows, macOS, older Linux.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "SimHei",
)


def available_cjk_family() -> str | None:
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), None)


def apply_app_font(app: QApplication, point_size: int = 10) -> str | None:
    """Use the first installed CJK family, with the rest as fallbacks; return the chosen one."""
    font = QFont()
    font.setFamilies(list(CJK_FAMILIES))
    font.setPointSize(point_size)
    app.setFont(font)
    return available_cjk_family()
