"""The shipped fallback font draws the app's Chinese on a machine without a Chinese font."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QRawFont

from app.ui.fonts import SHIPPED, SHIPPED_FAMILY, load_shipped_font

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_font_covers_every_character_of_the_app_and_of_gb2312() -> None:
    assert load_shipped_font()
    assert SHIPPED_FAMILY in QFontDatabase.families()
    raw = QRawFont(str(SHIPPED), 12)
    assert raw.isValid() and raw.familyName() == SHIPPED_FAMILY
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "app").rglob("*.py"))
    hanzi = {c for c in text if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"}
    assert len(hanzi) > 1000  # the app really speaks Chinese
    # By code point: PySide6's str-to-QChar overload answers False for some present glyphs.
    missing = sorted(c for c in hanzi if not raw.supportsCharacter(ord(c)))
    assert missing == []
    for name in ("鑫", "璐", "淼", "（集团）有限公司"):  # common in names and firm names
        assert all(raw.supportsCharacter(ord(c)) for c in name)


def test_the_app_font_lists_the_shipped_font_last() -> None:
    from app.ui.fonts import CJK_FAMILIES

    assert CJK_FAMILIES[-1] == SHIPPED_FAMILY
    font = QFont()
    font.setFamilies(list(CJK_FAMILIES))
    assert font.families()[-1] == SHIPPED_FAMILY
