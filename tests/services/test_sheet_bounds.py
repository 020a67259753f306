"""Spreadsheet import in bounded memory: real bomb files on disk, each imported by the command
line in a child process whose peak RSS is measured (``os.wait4``), must be refused with the
right wording while the child stays small; a cell with NUL or another control character
refuses its row, naming row and column, while the other rows import.

The bombs are what the red team sent: a sheet part that inflates a thousandfold, a million
empty rows, a million shared strings, a row of twenty thousand cells, cells past Excel's
32 767 characters — and the zip tricks (zip64, encryption flags, thousands of parts).
"""

from __future__ import annotations

import csv
import os
import random
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select

from app.models import Enterprise
from app.services import sheet_import
from app.services.sheet_import import RowError, SheetError, import_sheet
from app.storage.store import Store
from app.ui.messages import row_message, service_message
from tests.child_memory import jiceng_measured
from tests.helpers import write_xlsx
from tests.sheet_helpers import (
    HEAD,
    HEADER_ROW,
    NS,
    SHEET,
    SST,
    TAIL,
    build_xlsx,
    cell,
    nul_workbook,
    sheet,
)

BOUND_MIB = 200  # a refused bomb never needs more than this (python + the app: ~75 MiB)
# ---- the child and its peak memory --------------------------------------------------------


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bounds") / "ledger"
    code, _out, err, _rss = jiceng_measured(
        folder.parent,
        "init", "--data-dir", str(folder), "--role", "cadre", "--name", "张驻点",
        "--district", "鼓楼区总工会", "--code", "GL01",
    )  # fmt: skip
    assert code == 0, err
    return folder


def import_cli(ledger: Path, file: Path, *extra: str) -> tuple[int, str, str, float]:
    return jiceng_measured(
        file.parent, "import", "xlsx", "--data-dir", str(ledger), "--kind", "enterprises",
        *extra, str(file),
    )  # fmt: skip


def refused_with(ledger: Path, file: Path, code: str, **values: object) -> float:
    """Imports ``file`` by the command line; it must be refused with ``code``'s Chinese
    wording and no traceback, by a child that stayed under ``BOUND_MIB``. Its peak, in MiB."""
    exit_code, _out, err, peak = import_cli(ledger, file)
    print(f"{file.name}: {file.stat().st_size / 2**20:.2f} MB on disk, child peak {peak:.0f} MiB")
    wording = service_message(code, values, "")
    assert exit_code == 1 and "Traceback" not in err, err
    assert f"jiceng: {wording}" in err, (err, wording)
    assert peak < BOUND_MIB, peak
    return peak


# ---- bombs ---------------------------------------------------------------------------------


def test_a_sheet_that_inflates_a_thousandfold_is_refused_before_parsing(
    ledger: Path, tmp_path: Path
) -> None:
    """300 MiB of one inline string in 300 KB: openpyxl would hold it all (and more)."""
    mib = "A" * 2**20
    body = [HEAD, HEADER_ROW, '<row r="2"><c r="A2" t="inlineStr"><is><t>', *[mib] * 300]
    bomb = build_xlsx(tmp_path / "膨胀.xlsx", {SHEET: [*body, "</t></is></c></row>", TAIL]})
    assert bomb.stat().st_size < 2**20
    refused_with(ledger, bomb, "sheet_bomb", part=SHEET)


def test_a_million_empty_rows_are_refused_at_the_row_cap(ledger: Path, tmp_path: Path) -> None:
    """A hand-written sheet1.xml of a header and a million styled empty rows: it compresses
    only ~20-fold (row numbers differ), so the zip checks pass and the row cap stops it."""
    rows = (f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(2, 1_000_002))
    bomb = build_xlsx(tmp_path / "百万行.xlsx", {SHEET: sheet([HEADER_ROW, *rows])})
    refused_with(ledger, bomb, "sheet_too_many_rows", limit=sheet_import.MAX_SHEET_ROWS)


def test_a_row_numbered_past_the_cap_is_refused(ledger: Path, tmp_path: Path) -> None:
    """One row at 1 048 576 (and a dimension claiming the whole sheet): openpyxl would hand
    back a million filler rows."""
    last = '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    body = [HEAD.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')]
    bomb = build_xlsx(tmp_path / "末行.xlsx", {SHEET: [*body, HEADER_ROW, last, TAIL]})
    refused_with(ledger, bomb, "sheet_too_many_rows", limit=sheet_import.MAX_SHEET_ROWS)


def test_a_million_shared_strings_are_refused(ledger: Path, tmp_path: Path) -> None:
    """Distinct strings (random digits, so the ratio is ordinary and the part under 32 MiB):
    openpyxl loads the whole table before the first row."""
    rng = random.Random(21)
    count = sheet_import.MAX_SHARED_STRINGS + 1
    strings = (f"<si><t>{rng.randrange(10**9)}</t></si>" for _ in range(count))
    sst = [f'<sst xmlns="{NS}">', *strings, "</sst>"]
    bomb = build_xlsx(tmp_path / "共享串.xlsx", {SST: sst})
    with zipfile.ZipFile(bomb) as z:
        info = z.getinfo(SST)
    assert info.file_size < sheet_import.MAX_LOADED_PART_BYTES
    assert info.file_size < sheet_import.MAX_RATIO * info.compress_size
    refused_with(ledger, bomb, "sheet_bomb", part=SST)


@pytest.mark.parametrize("where", ["many", "far"])
def test_a_huge_column_count_is_refused(ledger: Path, tmp_path: Path, where: str) -> None:
    """Twenty thousand cells in row 2, or one cell at column XFD."""
    from openpyxl.utils import get_column_letter

    if where == "many":
        cells = "".join(f"<c><v>{n}</v></c>" for n in range(20_000))
    else:
        cells = '<c r="XFD2"><v>1</v></c>'
    bomb = build_xlsx(
        tmp_path / f"{where}.xlsx", {SHEET: sheet([HEADER_ROW, f'<row r="2">{cells}</row>'])}
    )
    assert get_column_letter(sheet_import.MAX_COLUMNS) == "AMJ"
    refused_with(ledger, bomb, "sheet_too_many_columns", row=2, limit=sheet_import.MAX_COLUMNS)


def test_a_cell_past_excels_limit_is_refused_inline_or_shared(ledger: Path, tmp_path: Path) -> None:
    """Random letters (no ratio to catch): in an inline string the scan stops at the limit;
    in the shared strings the row as read is checked before it is kept."""
    rng = random.Random(7)
    long_text = "".join(rng.choice("甲乙丙丁戊己庚辛壬癸") for _ in range(40_000))
    inline = build_xlsx(
        tmp_path / "长内联.xlsx",
        {
            SHEET: sheet(
                [HEADER_ROW, f'<row r="2">{cell("A2", "好公司")}{cell("B2", long_text)}</row>']
            )
        },
    )
    limit = sheet_import.MAX_CELL_CHARS
    refused_with(ledger, inline, "sheet_cell_too_long", row=2, column="B", limit=limit)
    sst = [f'<sst xmlns="{NS}"><si><t>{long_text}</t></si></sst>']  # openpyxl would cut it
    row = f'<row r="2">{cell("A2", "好公司")}<c r="B2" t="s"><v>0</v></c></row>'
    shared = build_xlsx(tmp_path / "长共享.xlsx", {SHEET: sheet([HEADER_ROW, row]), SST: sst})
    refused_with(ledger, shared, "sheet_cell_too_long", row=2, column="B", limit=limit)


def test_zip_tricks_are_refused(ledger: Path, tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [["企业名称"], ["福州闽江纺织有限公司"]])

    zip64 = tmp_path / "zip64.xlsx"
    with mock.patch.object(zipfile, "ZIP_FILECOUNT_LIMIT", 0):
        build_xlsx(zip64, {}, template=good)
    refused_with(ledger, zip64, "sheet_bomb", part="zip64.xlsx")

    locked = bytearray(good.read_bytes())
    at = locked.find(b"PK\x01\x02")  # the first entry of the central directory
    while at != -1:
        locked[at + 8] |= 0x01  # general purpose flag: encrypted
        at = locked.find(b"PK\x01\x02", at + 4)
    encrypted = tmp_path / "加密.xlsx"
    encrypted.write_bytes(bytes(locked))
    refused_with(ledger, encrypted, "sheet_encrypted")

    parts = {f"xl/media/{n}.bin": [b"x"] for n in range(sheet_import.MAX_PARTS)}
    refused_with(
        ledger, build_xlsx(tmp_path / "千件.xlsx", parts), "sheet_too_many_parts",
        limit=sheet_import.MAX_PARTS,
    )  # fmt: skip

    body = [HEAD[HEAD.index("<worksheet") :], HEADER_ROW, TAIL]
    laughs = '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    for n, doctype in enumerate([laughs, "<!DOCTYPE worksheet>"]):  # entities, or any DTD
        declared = build_xlsx(
            tmp_path / f"实体{n}.xlsx", {SHEET: ['<?xml version="1.0"?>', doctype, *body]}
        )
        refused_with(ledger, declared, "sheet_bomb", part=SHEET)


def test_a_file_over_the_size_cap_is_refused_unread(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_import, "MAX_FILE_BYTES", 2**16)
    big = tmp_path / "大.csv"
    big.write_bytes(b"\xe4\xbc\x81\xe4\xb8\x9a\xe5\x90\x8d\xe7\xa7\xb0,x\n" + b"a,b\n" * 2**15)
    padded = build_xlsx(tmp_path / "大.xlsx", {"xl/media/noise.bin": [os.urandom(2**17)]})
    for file in (big, padded):
        with store.write() as s, pytest.raises(SheetError) as refused:
            import_sheet(s, file, "enterprises")
        assert refused.value.code == "sheet_too_large"
        assert refused.value.values == {"limit": sheet_import.MAX_FILE_MB}
        assert refused.value.message == "文件超过 50 MB，请分成几个文件导入"


# ---- what still imports ------------------------------------------------------------------


def test_a_real_roster_still_imports_in_bounded_memory(ledger: Path, tmp_path: Path) -> None:
    """3 000 enterprises, written by openpyxl as Excel would (shared strings)."""
    rows: list[list[object]] = [["鼓楼区企业名录"], [], ["序号", "企业名称", "职工人数", "地址"]]
    rows += [
        [n, f"福州第{n}号纺织有限公司", n % 900 + 10, f"鼓楼区湖东路{n}号"] for n in range(1, 3001)
    ]
    roster = write_xlsx(tmp_path / "名录.xlsx", rows)
    exit_code, out, err, peak = import_cli(ledger, roster, "--dry-run")
    print(f"roster of 3000: child peak {peak:.0f} MiB")
    assert exit_code == 0, err
    assert "共 3000 行：将新增 3000" in out and peak < BOUND_MIB


def test_a_nul_row_is_refused_by_row_and_column_and_the_others_import(
    store: Store, tmp_path: Path
) -> None:
    book = nul_workbook(tmp_path / "含控制字符.xlsx")
    with store.write() as s:
        result = import_sheet(s, book, "enterprises", valid_only=True)
    refused = [(e.row, e.column, e.code, e.values) for e in result.errors]
    assert refused == [
        (3, "企业名称", "row_control_char", {"char": "U+0000"}),
        (4, "职工人数", "row_control_char", {"char": "U+007F"}),
        (5, "企业名称", "row_control_char", {"char": "U+0085"}),
        (6, "企业名称", "row_control_char", {"char": "U+0001"}),
    ]
    assert (
        str(result.errors[0])
        == "第 3 行「企业名称」：含有不可见的控制字符（U+0000），请删除后重新导入"
    )
    assert row_message(result.errors[0]) == str(result.errors[0])
    assert result.written and result.created == 2
    with store.read() as s:
        names = sorted(s.scalars(select(Enterprise.name)))
    assert names == ["福州闽江纺织有限公司", "莆田鞋业 有限公司"]  # a tab is white space
    assert not any("\x00" in n for n in names)

    lines = tmp_path / "含控制字符.csv"
    with lines.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["企业名称", "职工人数"], ["好公司", "3"], ["坏\x00公司", "4"]])
    with store.write() as s:
        result = import_sheet(s, lines, "enterprises", dry_run=True)
    assert result.errors == [
        RowError(
            3, "企业名称", "含有不可见的控制字符（U+0000），请删除后重新导入", "row_control_char"
        )
    ]
    assert result.created == 1


def test_a_raw_nul_in_the_xml_refuses_the_file_as_damaged(store: Store, tmp_path: Path) -> None:
    """A NUL byte is not XML at all: the file is damaged, and said so (never a traceback)."""
    nul = cell("A2", "坏" + chr(0))
    raw = build_xlsx(tmp_path / "坏.xlsx", {SHEET: sheet([HEADER_ROW, f'<row r="2">{nul}</row>'])})
    with store.write() as s, pytest.raises(SheetError) as refused:
        import_sheet(s, raw, "enterprises")
    assert refused.value.code == "sheet_unreadable"
    assert refused.value.values == {"error": "ExpatError"}


def test_a_sheet_damaged_past_its_first_rows_is_refused_not_a_traceback(
    store: Store, tmp_path: Path
) -> None:
    """A shared string the file lacks surfaces only as openpyxl reaches that row."""
    row = f'<row r="2">{cell("A2", "好公司")}</row><row r="3"><c r="A3" t="s"><v>9</v></c></row>'
    damaged = build_xlsx(tmp_path / "缺串.xlsx", {SHEET: sheet([HEADER_ROW, row])})
    with store.write() as s, pytest.raises(SheetError) as refused:
        import_sheet(s, damaged, "enterprises")
    assert (refused.value.code, refused.value.values) == (
        "sheet_unreadable",
        {"error": "IndexError"},
    )


def test_the_command_line_names_the_nul_row_in_chinese(ledger: Path, tmp_path: Path) -> None:
    book = nul_workbook(tmp_path / "含控制字符.xlsx")
    exit_code, out, err, _peak = import_cli(ledger, book, "--dry-run")
    assert exit_code == 1 and "Traceback" not in err
    assert "jiceng: 第 3 行「企业名称」：含有不可见的控制字符（U+0000），请删除后重新导入" in err
    assert "jiceng: 第 4 行「职工人数」：含有不可见的控制字符（U+007F），请删除后重新导入" in err
    assert "有误 4" in out
