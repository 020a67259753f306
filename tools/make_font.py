"""Build the CJK font jiceng ships as its last fallback: a subset of Noto Sans CJK SC.

Why ship one: a machine with no Chinese font (a fresh Linux install, a frozen app on a
trimmed system, CI) would draw every Chinese character as a box, on screen and in the PDF
reports. The app prefers the system's own fonts (Microsoft YaHei, PingFang SC, Noto Sans CJK
SC…) and falls back to this one, so it is small: every character of GB 2312 (6,763 hanzi and
its symbols), the ASCII and Latin-1 ranges, CJK punctuation, full-width forms, and every
character the app's own sources and translations contain. Rarer characters in people's names
still come from the system font where there is one.

The family is renamed to ``Jiceng Sans SC`` so it never shadows an installed Noto Sans CJK SC
(SIL Open Font License 1.1 allows subsetting and, with the new name, redistribution).

    python -m tools.make_font [--source NotoSansCJK-Regular.ttc]

needs ``fonttools`` (``pip install fonttools``) and Debian's ``fonts-noto-cjk`` for the
source; the result is committed, so nothing here runs at build or run time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = ROOT / "resources" / "fonts" / "JicengSansSC-Regular.otf"
FAMILY = "Jiceng Sans SC"


def gb2312() -> set[str]:
    """Every character GB 2312 encodes (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def own_text() -> set[str]:
    """Characters in the app's sources and translations (labels, messages, demo data)."""
    out: set[str] = set()
    for pattern in ("app/**/*.py", "resources/**/*.ts"):
        for path in ROOT.glob(pattern):
            out |= set(path.read_text(encoding="utf-8"))
    return out


def wanted() -> set[str]:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF)]
    chars = {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}
    return {c for c in chars | gb2312() | own_text() if c.isprintable() or c in " \u3000"}


def simplified_chinese(source: Path) -> TTFont:
    for font in TTCollection(str(source)).fonts:
        if font["name"].getDebugName(1) == "Noto Sans CJK SC":
            return font
    raise SystemExit(f"{source} holds no Noto Sans CJK SC")


def rename(font: TTFont) -> None:
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-Regular"
        elif record.nameID == 3:
            record.string = f"jiceng-subset:{FAMILY}"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [FAMILY.replace(" ", "") + "-Regular"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    font = simplified_chinese(args.source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted()])
    subsetter.subset(font)
    rename(font)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(args.out))
    print(f"{args.out}: {args.out.stat().st_size / 2**20:.1f} MiB, {len(wanted())} characters")


if __name__ == "__main__":
    main()
