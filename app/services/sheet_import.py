"""Enterprise and worker lists from the spreadsheets district offices receive (.xlsx, .csv).

Tolerant of what real lists look like: a title row or two above the header, headers with
spaces, asterisks or different wording (单位名称 for 企业名称), any column order, blank rows,
CSV in UTF-8 or GBK, full-width digits (folded in codes, numbers, phones and yes/no cells;
names keep their full-width brackets, as the registry writes them). Strict about the data:
every row goes through the same pydantic schema as the forms, and each refusal names the
spreadsheet row, the column and the reason; warnings (an ID number whose region code GB/T
2260 does not know) are reported per row without refusing it. Nothing is written while any
row is refused unless the caller asks for the valid rows only. Re-importing updates instead
of duplicating: enterprises match by credit code (or name, （集团） and (集团) alike), workers
by ID number (or name within the enterprise). Writes go through the services, so imported
rows sync like any other.

Read in bounded memory, whatever the file claims. An .xlsx is a zip of XML parts, and 1 MB of
it can inflate to gigabytes, so before openpyxl sees it the archive is inspected with
``zipfile`` and every part streamed once through expat, counting instead of keeping
(``_check_xlsx``): refused are a file over ``MAX_FILE_MB`` MB (CSV too), more than
``MAX_PARTS`` parts, zip64 or encrypted entries, a part inflating past ``MAX_PART_BYTES`` (a
worksheet: it is streamed) or ``MAX_LOADED_PART_BYTES`` (any other part: openpyxl loads those
whole, shared strings and styles), past ``MAX_TOTAL_BYTES`` together, or more than
``MAX_RATIO`` times its compressed size (parts over 1 MiB); an XML part with a DOCTYPE
(entity expansion), a worksheet with a row numbered past ``MAX_SHEET_ROWS``, a row of more
than ``MAX_COLUMNS`` cells or a cell past column ``MAX_COLUMNS``, a cell text longer than
``MAX_CELL_CHARS`` (Excel's own limit, so only a crafted file has one), or more than
``MAX_SHARED_STRINGS`` shared strings. Only then does openpyxl read it, ``read_only`` and
streaming, with the sheet's declared dimension ignored; the same row, column and length caps
are checked again on every row as read, before it is kept. The caps fit a district's biggest
roster (``MAX_ROWS`` = 100 000 data rows, a few dozen columns, a few MB) many times over.

Control characters are refused per cell, as a row refusal naming row and column (code
``row_control_char``), so the other rows still import: C0 except tab, line feed and carriage
return (Alt+Enter in Excel; they become spaces like any run of white space), DEL and C1 —
NUL always. Excel writes such a character as ``_x0000_`` in its XML, which openpyxl leaves as
text; those escapes of control characters are decoded so that they are refused too. Only the
cells the import reads are checked: a stray character in a column it ignores harms nothing.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Enterprise, Worker, Workshop
from app.schemas.base import InputError
from app.schemas.enums import LABEL, Gender, HardshipLevel, WorkshopKind, from_label
from app.schemas.ledger import EnterpriseIn, WorkerIn, WorkshopIn
from app.schemas.validators import fold_width, normalize_text
from app.services import enterprises, workers
from app.services.editing import stored_values
from app.services.errors import ServiceError, Value

MAX_ROWS = 100_000  # data rows (blank ones not counted)
HEADER_SEARCH = 10  # the header is somewhere in the first rows

# Bounds on what a file may make the import read (module docstring). A 100 000-row roster
# is about 10 MB as .xlsx, 40–80 MB of sheet XML and 20 MB of shared strings.
MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 2**20  # the file on disk, .xlsx or .csv
MAX_PARTS = 1_000  # entries in the zip (a workbook has a dozen or two)
MAX_PART_BYTES = 256 * 2**20  # one worksheet, inflated (streamed)
MAX_LOADED_PART_BYTES = 32 * 2**20  # any other part, inflated (openpyxl loads it whole)
MAX_TOTAL_BYTES = 512 * 2**20  # all parts together, inflated
MAX_RATIO = 100  # inflated / compressed, for parts over RATIO_FLOOR (sheet XML: ~10)
RATIO_FLOOR = 2**20
MAX_SHEET_ROWS = 200_000  # the last row's number, blank rows included
MAX_COLUMNS = 1_024  # cells in a row, and the last column (a roster has a few dozen)
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell's text
MAX_SHARED_STRINGS = 1_000_000
_CHUNK = 2**16

# Refused in a cell: C0 but tab, LF and CR; DEL; C1. NUL above all (nothing can store it).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ESCAPED_CONTROL = re.compile("_x(00[01][0-9A-Fa-f]|007[Ff]|00[89][0-9A-Fa-f])_")  # OOXML

ENTERPRISE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "单位名称", "企业", "名称"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
    "industry": ("所属行业", "行业"),
    "headcount": ("职工人数", "人数", "职工数"),
    "union_founded": ("是否建会", "已建会", "建会情况", "建会"),
    "collective_contract": ("是否签订集体合同", "集体合同"),
    "address": ("地址", "企业地址", "单位地址"),
    "contact_name": ("联系人",),
    "contact_phone": ("联系电话", "电话"),
}
WORKER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "职工姓名"),
    "gender": ("性别",),
    "id_number": ("身份证号", "身份证号码", "公民身份号码"),
    "phone": ("手机号", "手机号码", "手机", "联系电话", "电话"),
    "enterprise": ("所在企业", "企业名称", "单位", "企业", "工作单位"),
    "workshop": ("车间", "车间/班组", "班组", "部门"),
    "position": ("岗位", "职务"),
    "member": ("是否会员", "会员", "是否工会会员"),
    "hardship_level": ("困难类别", "困难程度", "困难等级"),
    "hardship_reason": ("困难情况", "困难原因"),
}
REQUIRED = {"enterprises": ("name",), "workers": ("name", "enterprise")}
YES = {"是", "有", "已建", "已建会", "已签", "已签订", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "无", "未建", "未建会", "未签", "未签订", "n", "no", "false", "0", ""}


class SheetError(ServiceError):
    """The file as a whole cannot be read (not a spreadsheet, no header found, too big)."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it
    column: str  # the header as written in the file
    message: str  # the reason, in Chinese (the default wording)
    code: str = ""  # a code of app.services.errors.CODES, or "" when ``message`` is fixed
    values: dict[str, Value] = field(default_factory=dict, hash=False, compare=False)

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.message}"


class _Refused(ValueError):
    """Why a row's cell or the row is refused: ``code`` and ``values`` for the UI's wording
    (none for a fixed message), ``message`` the Chinese default."""

    def __init__(self, code: str, message: str, values: dict[str, Value] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.values = code, message, dict(values or {})


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    workshops_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # to check; the row is imported
    written: bool = False


# ---- reading ----------------------------------------------------------------------------------


def read_table(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) for every row of the first sheet or the CSV file, within the
    module's bounds: a row past ``MAX_SHEET_ROWS``, a value past column ``MAX_COLUMNS`` or a
    text longer than ``MAX_CELL_CHARS`` stops the reading before the row is kept."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    elif suffix == ".csv":
        rows = _read_csv(path)
    else:
        if not suffix:
            raise SheetError(
                "sheet_no_suffix", "只能导入 .xlsx 或 .csv 文件，而不是 无扩展名的文件"
            )
        raise SheetError(
            "sheet_type",
            f"只能导入 .xlsx 或 .csv 文件，而不是 {suffix}",
            values={"suffix": suffix},
        )
    for number, cells in rows:
        _check_row(number, cells)
        yield number, cells


def _check_row(number: int, cells: list[Any]) -> None:
    if number > MAX_SHEET_ROWS:
        raise _too_many_rows(MAX_SHEET_ROWS)
    while cells and cells[-1] in (None, ""):
        cells.pop()  # styled but empty cells at the end of a row
    if len(cells) > MAX_COLUMNS:
        raise _too_many_columns(number)
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise _cell_too_long(number, _column_letter(index + 1))


def _too_many_rows(limit: int) -> SheetError:
    return SheetError(
        "sheet_too_many_rows", f"超过 {limit} 行，请分成几个文件导入", values={"limit": limit}
    )


def _too_many_columns(row: int) -> SheetError:
    return SheetError(
        "sheet_too_many_columns",
        f"第 {row} 行超过 {MAX_COLUMNS} 列，请删去多余的列后重新导入",
        values={"row": row, "limit": MAX_COLUMNS},
    )


def _cell_too_long(row: int, column: str) -> SheetError:
    return SheetError(
        "sheet_cell_too_long",
        f"第 {row} 行 {column} 列的内容超过 {MAX_CELL_CHARS} 个字符（Excel 的上限），"
        "文件可能已损坏",
        values={"row": row, "column": column, "limit": MAX_CELL_CHARS},
    )


def _bomb(part: str) -> SheetError:
    return SheetError(
        "sheet_bomb",
        f"文件中的 {part} 解压后过大或结构异常，可能是恶意构造的文件，已拒绝导入",
        values={"part": part},
    )


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index) if 1 <= index <= 18_278 else str(index)


def _check_size(path: Path) -> None:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SheetError(
            "sheet_too_large",
            f"文件超过 {MAX_FILE_MB} MB，请分成几个文件导入",
            values={"limit": MAX_FILE_MB},
        )


def _check_xlsx(path: Path) -> None:
    """Refuse, before openpyxl opens it, an .xlsx whose parts would inflate or expand past
    the module's bounds (module docstring); reads each part once, in chunks, keeping
    nothing but counts."""
    _check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise SheetError(
                    "sheet_too_many_parts",
                    f"该 Excel 文件由超过 {MAX_PARTS} 个部分组成，不像一份名单，已拒绝导入",
                    values={"limit": MAX_PARTS},
                )
            if _zip64(path, parts):
                raise _bomb(path.name)
            declared = 0
            for part in parts:
                if part.flag_bits & 0x1:
                    raise SheetError(
                        "sheet_encrypted", "该 Excel 文件已加密：请在 Excel 中取消密码后另存再导入"
                    )
                declared += part.file_size
                ratio = part.file_size / max(part.compress_size, 1)
                if (
                    part.file_size > MAX_PART_BYTES
                    or declared > MAX_TOTAL_BYTES
                    or (part.file_size > RATIO_FLOOR and ratio > MAX_RATIO)
                ):
                    raise _bomb(part.filename)
            for part in parts:
                with archive.open(part) as stream:
                    _scan_part(part, stream)
    except (zipfile.BadZipFile, zlib.error, expat.ExpatError, EOFError, NotImplementedError) as err:
        raise SheetError(
            "sheet_unreadable",
            f"无法读取该 Excel 文件（{type(err).__name__}），请确认文件完好",
            values={"error": type(err).__name__},
        ) from None


def _zip64(path: Path, parts: list[zipfile.ZipInfo]) -> bool:
    """Zip64 extensions anywhere: a workbook under the size caps never needs them."""
    for part in parts:
        if max(part.file_size, part.compress_size, part.header_offset) >= 0xFFFFFFFF:
            return True
        extra = part.extra
        while len(extra) >= 4:
            kind, length = struct.unpack("<HH", extra[:4])
            if kind == 0x0001:
                return True
            extra = extra[4 + length :]
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - (2**16 + 22 + 20)))
        tail = file.read()
    end = tail.rfind(b"PK\x05\x06")
    return end >= 20 and tail[end - 20 : end - 16] == b"PK\x06\x07"


def _scan_part(part: zipfile.ZipInfo, stream: IO[bytes]) -> None:
    chunk = stream.read(_CHUNK)
    xml = chunk.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" or chunk[:2] in (
        b"\xff\xfe",
        b"\xfe\xff",
    )
    scan = _PartScan(part.filename) if xml else None
    size = 0
    while chunk:
        size += len(chunk)
        streamed = scan is not None and scan.root == "worksheet"
        if size > (MAX_PART_BYTES if streamed else MAX_LOADED_PART_BYTES):
            raise _bomb(part.filename)
        if scan is not None:
            scan.parser.Parse(chunk, False)
        chunk = stream.read(_CHUNK)
    if scan is not None:
        scan.parser.Parse(b"", True)


class _PartScan:
    """Counts in one XML part as expat reads it: rows and cells of a worksheet, the length
    of each text in a cell, the shared strings; a DOCTYPE is refused (entity expansion)."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.root = ""
        self.row = self.cells = self.text = self.strings = 0
        self.cell = ""  # the reference of the cell being read ("" outside one)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = False
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        self.parser = parser

    def _doctype(self, *_args: object) -> None:
        raise _bomb(self.part)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if not self.root:
            self.root = local
        if self.root == "worksheet":
            if local == "row":
                number = attrs.get("r", "")
                self.row = int(number) if number.isdigit() else self.row + 1
                self.cells = 0
                if self.row > MAX_SHEET_ROWS:
                    raise _too_many_rows(MAX_SHEET_ROWS)
            elif local == "c":
                self.cells += 1
                self.cell = attrs.get("r", "") or _column_letter(self.cells)
                letters = self.cell.rstrip("0123456789").upper()
                column = 0
                for letter in letters[:4]:
                    column = column * 26 + ord(letter) - 64
                if self.cells > MAX_COLUMNS or column > MAX_COLUMNS or len(letters) > 3:
                    raise _too_many_columns(self.row)
            self.text = 0
        elif self.root == "sst" and local == "si":
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise _bomb(self.part)

    def _end(self, name: str) -> None:
        if name.rpartition(" ")[2] == "c":
            self.cell = ""

    def _text(self, data: str) -> None:
        if self.cell:
            self.text += len(data)
            if self.text > MAX_CELL_CHARS:
                letters = self.cell.rstrip("0123456789") or self.cell
                raise _cell_too_long(self.row, letters)


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    _check_xlsx(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise SheetError(
            "sheet_unreadable",
            f"无法读取该 Excel 文件（{type(err).__name__}），请确认文件完好",
            values={"error": type(err).__name__},
        ) from None
    try:
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):  # read_only: the declared size is not trusted
            sheet.reset_dimensions()
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        while True:
            try:
                number, row = next(rows)
            except StopIteration:
                return
            except Exception as err:  # a damaged part is met only as its rows are read
                raise SheetError(
                    "sheet_unreadable",
                    f"无法读取该 Excel 文件（{type(err).__name__}），请确认文件完好",
                    values={"error": type(err).__name__},
                ) from None
            yield number, [_unescape(cell) for cell in row]
    finally:
        book.close()


def _unescape(cell: Any) -> Any:
    """A control character as Excel writes it in XML (``_x0000_``), decoded to be refused."""
    if isinstance(cell, str) and "_x" in cell:
        return _ESCAPED_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), cell)
    return cell


def _read_csv(path: Path) -> Iterator[tuple[int, list[Any]]]:
    _check_size(path)
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise SheetError("sheet_encoding", "无法识别文件编码（应为 UTF-8 或 GBK）")
    del data
    reader = csv.reader(io.StringIO(text, newline=""))  # the csv module splits lines itself
    try:
        for number, row in enumerate(reader, start=1):
            yield number, list(row)
    except csv.Error as err:
        raise SheetError(
            "sheet_csv",
            f"CSV 文件第 {reader.line_num} 行格式有误（{err}）",
            values={"line": reader.line_num, "error": str(err)},
        ) from None


def _clean_header(value: Any) -> str:
    text = fold_width(str(value)) if value is not None else ""
    return text.replace(" ", "").replace("*", "").replace("＊", "").strip("：:")


def _find_header(
    rows: Iterator[tuple[int, list[Any]]], columns: dict[str, tuple[str, ...]]
) -> tuple[dict[str, int], dict[str, str]]:
    """Which cell holds which field, and the header text of each (for messages)."""
    best: tuple[int, dict[str, int], dict[str, str]] = (0, {}, {})
    for _ in range(HEADER_SEARCH):
        try:
            _number, cells = next(rows)
        except StopIteration:
            break
        found: dict[str, int] = {}
        names: dict[str, str] = {}
        for index, cell in enumerate(cells):
            header = _clean_header(cell)
            for name, aliases in columns.items():
                if name not in found and header in aliases:
                    found[name], names[name] = index, str(cell).strip()
                    break
        if len(found) >= 2:
            return found, names
        best = max(best, (len(found), found, names), key=lambda b: b[0])
    wanted = tuple(aliases[0] for aliases in columns.values())
    raise SheetError(
        "sheet_no_header",
        f"在前 {HEADER_SEARCH} 行中找不到表头；应包含这些列中的至少两列：{'、'.join(wanted)}",
        values={"rows": HEADER_SEARCH, "columns": wanted},
    )


# ---- values -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(str(value))


def _folded(value: Any) -> str:
    """A cell where only digits and letters matter (counts, yes/no): full-width folded."""
    return fold_width(_text(value))


def _yes_no(value: Any) -> bool:
    text = _folded(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError("应填“是”或“否”")


def _enum(value: Any, enum: type[StrEnum], none_words: tuple[str, ...] = ()) -> str | None:
    text = _text(value)
    if not text or text in none_words:
        return None
    try:
        return str(from_label(enum, text).value)
    except ValueError:
        pass
    choices = tuple(LABEL.get(m, m.value) for m in enum)  # the words a file may use
    raise _Refused("row_not_one_of", f"应为以下之一：{'、'.join(choices)}", {"choices": choices})


def _long_number(value: Any) -> str:
    """ID numbers and credit codes stored by Excel as numbers have lost their last digits."""
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) > 1e15:
        raise ValueError("被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”后重新填写")
    return _text(value)


# ---- rows → inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What one valid row will do, decided before anything is written."""

    outcome: str  # created | updated | unchanged
    write: Callable[[], object]
    new_workshop: tuple[str, str] | None = None  # (enterprise id, name) this row creates


@dataclass
class _Row:
    number: int
    raw: dict[str, Any]
    problems: list[tuple[str, _Refused]] = field(default_factory=list)  # field, why
    warnings: list[tuple[str, str]] = field(default_factory=list)  # field, message


def _convert(row: _Row, converters: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.raw.items():
        control = CONTROL.search(value) if isinstance(value, str) else None
        if control is not None:  # NUL and the like: a row nothing could store or sync
            char = f"U+{ord(control.group()):04X}"
            why = _Refused(
                "row_control_char",
                f"含有不可见的控制字符（{char}），请删除后重新导入",
                {"char": char},
            )
            row.problems.append((name, why))
            continue
        convert: Callable[[Any], Any] = converters.get(name, _text)
        try:
            out[name] = convert(value)
        except ValueError as err:
            why = err if isinstance(err, _Refused) else _Refused("", str(err))
            row.problems.append((name, why))
    return out


ENTERPRISE_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "credit_code": _long_number,
    "headcount": _folded,
    "union_founded": _yes_no,
    "collective_contract": _yes_no,
}
WORKER_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "id_number": _long_number,
    "phone": _long_number,
    "member": _yes_no,
    "gender": lambda v: _enum(v, Gender),
    "hardship_level": lambda v: _enum(v, HardshipLevel, ("无", "否", "非困难")) or "none",
}


def import_sheet(
    session: Session,
    path: Path,
    kind: str,
    *,
    dry_run: bool = False,
    valid_only: bool = False,
) -> ImportResult:
    """Validate every row, then (unless refused or a dry run) create or update through the
    services in the caller's transaction."""
    if kind not in REQUIRED:
        raise SheetError("sheet_kind", "kind 应为 enterprises 或 workers")
    columns = ENTERPRISE_COLUMNS if kind == "enterprises" else WORKER_COLUMNS
    rows = read_table(path)
    where, headers = _find_header(rows, columns)
    missing = [columns[name][0] for name in REQUIRED[kind] if name not in where]
    if missing:
        raise SheetError(
            "sheet_missing_columns",
            f"表头缺少必需的列：{'、'.join(missing)}",
            values={"columns": tuple(missing)},
        )
    result = ImportResult(kind)
    plans: list[_Plan] = []
    planner = _plan_enterprise if kind == "enterprises" else _plan_worker
    context: dict[str, Any] = {}
    for number, cells in rows:
        if all(_text(c) == "" for c in cells):
            continue  # blank rows between blocks
        result.rows += 1
        if result.rows > MAX_ROWS:
            raise _too_many_rows(MAX_ROWS)
        raw = {name: cells[i] if i < len(cells) else None for name, i in where.items()}
        row = _Row(number, raw)
        plan = planner(session, row, context)
        for name, why in row.problems:
            column = headers.get(name, name)
            result.errors.append(RowError(number, column, why.message, why.code, why.values))
        for name, message in row.warnings:
            result.warnings.append(RowError(number, headers.get(name, name), message))
        if not row.problems and plan is not None:
            plans.append(plan)
    counts = Counter(plan.outcome for plan in plans)
    result.created, result.updated = counts["created"], counts["updated"]
    result.unchanged = counts["unchanged"]
    result.workshops_created = len({p.new_workshop for p in plans if p.new_workshop})
    if dry_run or (result.errors and not valid_only):
        return result
    for plan in plans:
        plan.write()
    result.written = True
    return result


def _duplicate(row: _Row, context: dict[str, Any], key: tuple[str, Any]) -> bool:
    """The same enterprise or worker twice in one file: the later row is refused by name."""
    seen: dict[tuple[str, Any], int] = context.setdefault("seen", {})
    if key[1] in (None, "", (None, None)):
        return False
    if key in seen:
        first = seen[key]
        row.problems.append(
            (key[0], _Refused("row_duplicate", f"与第 {first} 行重复", {"row": first}))
        )
        return True
    seen[key] = row.number
    return False


def _schema_errors(row: _Row, err: InputError) -> None:
    for item in err.errors:
        row.problems.append((item.field.split(".")[0] or "name", _Refused("", item.message)))


def _plan_enterprise(session: Session, row: _Row, context: dict[str, Any]) -> _Plan | None:
    values = _convert(row, ENTERPRISE_CONVERTERS)
    if row.problems:
        return None
    code = (values.get("credit_code") or "").upper() or None
    if _duplicate(row, context, ("credit_code", code) if code else ("name", values.get("name"))):
        return None
    existing = _enterprise_match(session, code, values.get("name", ""))
    base: dict[str, Any] = {}
    if existing:
        stored = session.get(Enterprise, existing)
        assert stored is not None  # just matched, in this session
        base = stored_values(stored)
    data = {k: base.get(k) for k in EnterpriseIn.model_fields if k in base}
    data.update({k: v for k, v in values.items() if v != "" or k not in data})
    if base and fold_width(str(data.get("name") or "")) == fold_width(base["name"]):
        data["name"] = base["name"]  # (集团) in a list does not undo the ledger's （集团）
    try:
        parsed = EnterpriseIn.parse(data)
    except InputError as err:
        _schema_errors(row, err)
        return None
    if existing is None:
        return _Plan("created", lambda: enterprises.create_enterprise(session, parsed))
    if all(base.get(k) == v for k, v in parsed.model_dump().items() if k in base):
        return _Plan("unchanged", lambda: None)
    return _Plan("updated", lambda: enterprises.update_enterprise(session, existing, parsed))


def _enterprise_match(session: Session, code: str | None, name: str) -> str | None:
    query = select(Enterprise.id).where(Enterprise.deleted.is_(False))
    if code:
        found = session.execute(query.where(Enterprise.credit_code == code)).scalar()
        if found:
            return found
    if not name:
        return None
    found = session.execute(query.where(Enterprise.name == name)).scalar()
    return found or enterprises.match_name(session, name)


def _plan_worker(session: Session, row: _Row, context: dict[str, Any]) -> _Plan | None:
    values = _convert(row, WORKER_CONVERTERS)
    if row.problems:
        return None
    where = values.pop("enterprise", "")
    ref = enterprises.find_enterprise(session, where) if where else None
    if ref is None:
        why = _Refused(
            "row_unknown_enterprise",
            f"找不到企业“{where}”：请先导入或新建该企业",
            {"name": where},
        )
        row.problems.append(("enterprise", why))
        return None
    workshop_name = values.pop("workshop", "")
    workshop_id = _workshop(session, ref.id, workshop_name) if workshop_name else None
    id_number = (values.get("id_number") or "").upper() or None
    key = ("id_number", id_number) if id_number else ("name", (ref.id, values.get("name")))
    if _duplicate(row, context, key):
        return None
    existing = _worker_match(session, ref.id, id_number, values.get("name", ""))
    base: dict[str, Any] = {}
    if existing:
        stored = session.get(Worker, existing)
        assert stored is not None  # just matched, in this session
        base = stored_values(stored)
    data = {k: base.get(k) for k in WorkerIn.model_fields if k in base}
    data.update({k: v for k, v in values.items() if v != "" or k not in data})
    data["enterprise_id"] = ref.id
    # A workshop the ledger lacks is made when the rows are written.
    data["workshop_id"] = workshop_id if workshop_name else data.get("workshop_id")
    new_workshop = (ref.id, workshop_name) if workshop_name and workshop_id is None else None
    try:
        parsed = WorkerIn.parse(data)
    except InputError as err:
        _schema_errors(row, err)
        return None
    row.warnings.extend((w.field, w.message) for w in parsed.warnings())
    outcome = "created" if existing is None else "updated"
    if existing is not None and new_workshop is None:
        same = all(base.get(k) == v for k, v in parsed.model_dump().items() if k in base)
        outcome = "unchanged" if same else "updated"

    def write() -> None:
        data_now = parsed
        if new_workshop is not None:
            made = _ensure_workshop(session, new_workshop, context)
            data_now = parsed.model_copy(update={"workshop_id": made})
        if existing is None:
            workers.create_worker(session, data_now)
        elif outcome == "updated":
            workers.update_worker(session, existing, data_now)

    return _Plan(outcome, write, new_workshop)


def _workshop(session: Session, enterprise_id: str, name: str) -> str | None:
    return session.execute(
        select(Workshop.id).where(
            Workshop.enterprise_id == enterprise_id,
            Workshop.name == name,
            Workshop.deleted.is_(False),
        )
    ).scalar()


def _ensure_workshop(session: Session, key: tuple[str, str], context: dict[str, Any]) -> str:
    made: dict[tuple[str, str], str] = context.setdefault("made", {})
    if key not in made:
        enterprise_id, name = key
        made[key] = enterprises.create_workshop(
            session, WorkshopIn(enterprise_id=enterprise_id, name=name, kind=WorkshopKind.WORKSHOP)
        )
    return made[key]


def _worker_match(
    session: Session, enterprise_id: str, id_number: str | None, name: str
) -> str | None:
    query = select(Worker.id).where(Worker.deleted.is_(False))
    if id_number:
        found = session.execute(query.where(Worker.id_number == id_number)).scalar()
        if found:
            return found
        return None
    return session.execute(
        query.where(
            Worker.enterprise_id == enterprise_id, Worker.name == name, Worker.id_number.is_(None)
        )
    ).scalar()
