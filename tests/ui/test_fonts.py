"""The shipped fallback font draws the app's Chinese on a machine without a Chinese font."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QFontDatabase, QPdfWriter, QRawFont, QTextDocument
from PySide6.QtPdf import QPdfDocument

from app.ui.fonts import SHIPPED, SHIPPED_FAMILY, for_print, load_shipped_font

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


def test_digits_stay_in_a_pdfs_text_layer(tmp_path: Path) -> None:
    """Outside a Chinese locale (the command line on a server, the English UI) the shipped
    font's ``locl`` digits made Qt's PDF drop the digits of 962BB6-2026-0001 from its text
    layer (``for_print`` turns the feature off)."""
    assert load_shipped_font()
    font = QFont()
    font.setFamilies([SHIPPED_FAMILY])
    before = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    try:
        document = QTextDocument()
        document.setDefaultFont(for_print(font))
        document.setHtml("<table><tr><td>962BB6-2026-0001</td><td>工会</td></tr></table>")
        pdf = tmp_path / "digits.pdf"
        writer = QPdfWriter(str(pdf))
        document.print_(writer)
        del writer
    finally:
        QLocale.setDefault(before)
    reader = QPdfDocument()
    reader.load(str(pdf))
    assert "962BB6-2026-0001" in reader.getAllText(0).text()
    reader.close()
