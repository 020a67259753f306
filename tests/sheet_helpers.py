"""Hand-built workbooks for the spreadsheet-import bounds (tests/services/test_sheet_bounds.py
and the import dialog's GUI test): worksheet XML written part by part into openpyxl's own
skeleton, so a hostile file (a bomb, a control character) is built without holding it."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from tests.helpers import write_xlsx

SHEET = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{NS}"><sheetData>'
TAIL = "</sheetData></worksheet>"
SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>职工人数</t></is></c></row>'
)


# ---- building files -----------------------------------------------------------------------


def cell(ref: str, text: str) -> str:
    """A cell holding ``text`` inline (no shared string)."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def build_xlsx(
    path: Path, parts: dict[str, Iterable[str | bytes]], *, template: Path | None = None
) -> Path:
    """A workbook from openpyxl's own one-sheet skeleton with ``parts`` replaced, each part
    written as a stream of chunks (so a bomb is built without holding it in memory)."""
    skeleton = template or write_xlsx(path.with_name(f".{path.stem}-skeleton.xlsx"), [["x"]])
    with (
        zipfile.ZipFile(skeleton) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                data = source.read(info)
                if info.filename == "[Content_Types].xml" and SST in parts:
                    data = data.replace(b"</Types>", SST_TYPE + b"</Types>")
                out.writestr(info, data)
        for name, chunks in parts.items():
            with out.open(name, "w", force_zip64=False) as stream:
                for chunk in chunks:
                    stream.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return path


def sheet(rows: Iterable[str]) -> Iterator[str]:
    """A worksheet part around ``rows``, as chunks for ``build_xlsx``."""
    yield HEAD
    yield from rows
    yield TAIL


def nul_workbook(path: Path) -> Path:
    """Excel writes a control character as ``_xHHHH_``; a DEL and a C1 go in as they are."""
    dele, nel, soh = "8\x7f5", "泉州\u0085石化", "漳州_x0001_食品"
    rows = [
        HEADER_ROW,
        f'<row r="2">{cell("A2", "福州闽江纺织有限公司")}<c r="B2"><v>320</v></c></row>',
        f'<row r="3">{cell("A3", "坏_x0000_公司")}<c r="B3"><v>12</v></c></row>',
        f'<row r="4">{cell("A4", "厦门海沧电子厂")}{cell("B4", dele)}</row>',
        f'<row r="5">{cell("A5", nel)}<c r="B5"><v>40</v></c></row>',
        f'<row r="6">{cell("A6", soh)}{cell("C6", "备注" + dele)}</row>',
        f'<row r="7">{cell("A7", "莆田鞋业" + chr(9) + "有限公司")}<c r="B7"><v>70</v></c></row>',
    ]
    return build_xlsx(path, {SHEET: sheet(rows)})
