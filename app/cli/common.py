"""What every command shares: the data folder, the passphrase, and clear refusals."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import paths
from app.storage import keychain
from app.storage.store import Store, StoreError, open_store
from app.sync import keys as keyfiles
from app.sync.keys import KeyPairs
from app.ui.messages import ISOLATED_NOTICE, STORE_MESSAGES, fill, for_cli

PASSPHRASE_ENV = "JICENG_PASSPHRASE"


class CliError(Exception):
    """A refusal: printed to stderr as is, exit code 1."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


Handler = Callable[[argparse.Namespace], int]

# Characters a terminal acts on instead of showing: C0/C1 controls (ESC starts the sequences
# that clear the screen, move the cursor or retitle the window; BEL rings; CR overwrites the
# line), format characters (bidi overrides U+202A-U+202E and isolates U+2066-U+2069 reorder
# what follows, zero-width ones hide text), lone surrogates, and line/paragraph separators.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in _UNSAFE


def shown(text: object, limit: int | None = None) -> str:
    """``text`` safe to print on a terminal: every control or format character replaced by a
    visible escape (``\\x1b``, ``\\u202e``, ``\\n``), everything else as it is.

    Names, file names and reasons come from other people's data (a device's enrollment, a
    bundle's sender, a server's reply, a spreadsheet): printed raw, an ESC sequence in one
    could clear an administrator's screen or forge lines of ``server admin devices``, and a
    right-to-left override could make a file name or fingerprint read differently. Every
    text the CLI prints that did not come from this program goes through here. ``limit`` cuts
    an echoed argument short (a 10,000-character value in a usage error helps nobody)."""
    value = str(text)
    if not value.isprintable():  # nearly every name is: nothing to do
        value = "".join(_escape(ch) if _unsafe(ch) else ch for ch in value)
    return value if limit is None or len(value) <= limit else f"{value[:limit]}…"


def shown_json(document: str) -> str:
    """A JSON document made by ``orjson`` safe for a terminal, and still the same JSON.

    orjson escapes C0 controls inside strings but writes C1 controls and format characters
    as they are; these can only stand inside strings, where ``\\uXXXX`` means the same
    character. Raw newlines are the indentation's, so they stay."""
    if document.replace("\n", "").isprintable():
        return document
    return "".join(_json_escape(ch) if ch != "\n" and _unsafe(ch) else ch for ch in document)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="D",
        type=DataDirArg(),
        help="数据目录（默认：JICENG_DATA_DIR 或系统用户数据目录）",
    )


def data_dir(args: argparse.Namespace) -> Path:
    return paths.resolve_data_dir(getattr(args, "data_dir", None))


def passphrase(*, confirm: bool = False, folder: Path | None = None) -> str:
    """The passphrase from ``JICENG_PASSPHRASE``, else the one the app remembered for
    ``folder`` in the OS keyring, else asked for on a terminal."""
    return _passphrase(confirm=confirm, folder=folder)[0]


def _passphrase(*, confirm: bool, folder: Path | None) -> tuple[str, bool]:
    """``passphrase()``, and whether it came from the keyring."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value, False
    remembered = keychain.recall(folder) if folder is not None else None
    if remembered:
        return remembered, True
    return _asked(confirm=confirm), False


def _asked(*, confirm: bool) -> str:
    if not sys.stdin.isatty():
        raise CliError(f"需要口令：请设置环境变量 {PASSPHRASE_ENV}，或在终端中运行以输入口令")
    value = getpass.getpass("口令：")
    if not value:
        raise CliError("口令不能为空")
    if confirm and getpass.getpass("再次输入口令：") != value:
        raise CliError("两次输入的口令不一致")
    return value


def add_personal(p: argparse.ArgumentParser) -> None:
    """``--include-personal --reason TEXT``: full personal data in an export, on the record."""
    p.add_argument(
        "--include-personal",
        action="store_true",
        help="包含完整身份证号、手机号、困难情况和要求保密的反映人姓名（默认隐藏；须同时给出 --reason）",
    )
    p.add_argument("--reason", metavar="TEXT", type=Text("导出原因"), help="导出完整个人信息的原因（记入审计日志）")
    p.set_defaults(parser=p)


def check_personal(args: argparse.Namespace) -> None:
    """Refuse (exit 2) full personal data without an acceptable reason, or a stray reason."""
    from app.schemas.base import InputError
    from app.services.privacy import check_reason

    if args.include_personal:
        if not (args.reason or "").strip():
            args.parser.error("--include-personal 须同时用 --reason TEXT 说明导出原因（记入审计日志）")
        try:
            check_reason(args.reason)
        except InputError as err:
            args.parser.error(f"--reason：{err.errors[0].message}")
    elif args.reason:
        args.parser.error("--reason 只用于 --include-personal")


def store_error(err: StoreError) -> CliError:
    return CliError(for_cli(STORE_MESSAGES, err.code, err.detail, "无法打开数据目录：{detail}"))


def open_data(args: argparse.Namespace) -> Store:
    folder = data_dir(args)
    if not paths.db_path(folder).exists():
        raise store_error(StoreError("not_initialised", str(folder)))
    # Kept for the key file, so nobody is asked twice.
    args.passphrase, from_keyring = _passphrase(confirm=False, folder=folder)
    try:
        store = open_store(folder, args.passphrase)
    except StoreError as err:
        if err.code == "wrong_passphrase" and from_keyring:
            keychain.forget(folder)  # stale: the next run asks on the terminal
        raise store_error(err) from None
    _check_stored(store)
    return store


def _check_stored(store: Store) -> None:
    """The ledger check, before any command reads the ledger (app.services.stored_check)."""
    from app.services.stored_check import check_due, check_stored

    with store.read() as session:
        if not check_due(session):
            return
    with store.write() as session:
        count = check_stored(session)
    if count:
        print(fill(ISOLATED_NOTICE, count=count) + "（jiceng check 列出）", file=sys.stderr)


def load_keys(args: argparse.Namespace) -> KeyPairs:
    """This replica's private keys (after ``open_data`` checked the passphrase)."""
    try:
        return keyfiles.load(data_dir(args), args.passphrase)
    except keyfiles.KeyFileError as err:
        messages = {
            "missing": "找不到本机密钥文件（keys/replica.key）：该数据目录不完整",
            "damaged": "本机密钥文件已损坏",
            "wrong_passphrase": "口令无法打开本机密钥文件",
        }
        raise CliError(messages.get(err.code, "无法读取本机密钥")) from None


EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)  # what a union ledger can mean


def parse_date(text: str) -> date:
    """For ``type=`` in argparse: ``2026-01-31``; a bad value is a usage error (exit 2).
    Dates outside 1900–2999 are refused too: periods are computed month by month, and a
    year 9999 once ended in a traceback."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效的日期（格式：2026-01-31）：{shown(text, 60)}") from None
    if not EARLIEST <= value <= LATEST:
        raise argparse.ArgumentTypeError(
            f"日期超出范围（{EARLIEST.isoformat()} 至 {LATEST.isoformat()}）：{text}"
        )
    return value


MAX_COUNT = 2**31 - 1  # what any count in the ledger can be, and SQLite's INTEGER holds


@dataclass(frozen=True)
class IntRange:
    """For ``type=``: a whole number within ``low``–``high``. Unbounded numbers once reached
    the services (``--issues 2**63`` overflowed SQLite); a value out of range is a usage error
    (exit 2) naming the argument, since argparse puts the flag before the message."""

    low: int
    high: int

    def __call__(self, text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:  # also a number of over 4300 digits
            raise argparse.ArgumentTypeError(f"应为整数：{shown(text, 60)}") from None
        if value < 0 <= self.low:
            raise argparse.ArgumentTypeError(f"不能为负数：{shown(text, 60)}")
        if not self.low <= value <= self.high:
            raise argparse.ArgumentTypeError(
                f"应在 {self.low} 到 {self.high} 之间：{shown(text, 60)}"
            )
        return value


positive_int = IntRange(0, MAX_COUNT)  # a count: zero is fine, a negative one is not


@dataclass(frozen=True)
class Text:
    """For ``type=``: a name, code or URL typed on the command line. Refused: empty (unless
    ``allow_empty``), longer than ``limit``, or holding control characters (an escape sequence
    would repaint the terminal when echoed, and no name has one); a surrogate (bytes that were
    not UTF-8) would end in a traceback when printed."""

    what: str  # the Chinese label of the value, for the message
    limit: int = 200
    allow_empty: bool = False

    def __call__(self, text: str) -> str:
        if not text.strip() and not self.allow_empty:
            raise argparse.ArgumentTypeError(f"{self.what}不能为空")
        _refuse_odd_characters(self.what, text)
        if len(text) > self.limit:
            raise argparse.ArgumentTypeError(
                f"{self.what}不能超过 {self.limit} 个字符（现为 {len(text)} 个）"
            )
        return text


@dataclass(frozen=True)
class PathArg:
    """For ``type=``: a file or folder. Refused before any work starts: empty, control
    characters, or a name no file system takes (over 255 bytes a part, 4096 in all), which
    otherwise surfaced as an ``OSError`` deep inside an export."""

    what: str

    def __call__(self, text: str) -> Path:
        return checked_path(self.what, text)


@dataclass(frozen=True)
class DataDirArg:
    """For ``type=`` of ``--data-dir``: a :class:`PathArg` that, if it exists, is a folder.
    Kept as text, as the GUI's ``run_app`` takes it."""

    what: str = "数据目录"

    def __call__(self, text: str) -> str:
        path = checked_path(self.what, text)
        if path.expanduser().exists() and not path.expanduser().is_dir():
            raise argparse.ArgumentTypeError(f"{self.what}不是文件夹：{shown(text, 60)}")
        return text


def checked_path(what: str, text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{what}不能为空")
    _refuse_odd_characters(what, text)
    path = Path(text)
    if len(text) > 4096 or any(_name_too_long(part) for part in path.parts):
        raise argparse.ArgumentTypeError(f"{what}的路径过长：{shown(text, 60)}")
    return path


def _name_too_long(part: str) -> bool:
    """Over what a file system takes for one name: 255 UTF-16 units on Windows (NTFS), 255
    bytes on ext4 and most others — 85 Chinese characters there, which is why not ``len``."""
    return len(part) > 255 if os.name == "nt" else len(os.fsencode(part)) > 255


def _refuse_odd_characters(what: str, text: str) -> None:
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise argparse.ArgumentTypeError(f"{what}不能包含控制字符：{shown(text, 60)}")


