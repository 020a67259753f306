"""Every argument of every ``jiceng`` command given a value it cannot take: refused with a
message that names the argument, exit 2 (usage) or 1 (refused), never a traceback.

The commands are walked from the parser, so a command or argument added later is covered
the day it is added; an argument whose ``type=`` this test does not know fails
``test_every_argument_is_typed`` until it gets one of ``app.cli.common``'s. The CLI runs in
this process (as in test_bundle_cli.py): some 500 runs as subprocesses would take minutes.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli import build_parser
from app.cli import main as cli_main
from app.cli.bundles import change_id
from app.cli.common import DataDirArg, IntRange, PathArg, Text, parse_date
from app.cli.online import database_url, server_url
from tests.helpers import PASSPHRASE

HUGE = "9" * 10_000  # more digits than int() takes
LONG = "名" * 10_000
ESCAPE = "\x1b[31m"  # argv cannot hold NUL; an escape sequence is what a paste brings
NOT_UTF8 = "\udcff"  # a byte that was not UTF-8, as Python hands it over

# Where a refusal by the program (exit 1) words the argument otherwise than its type does.
LABELS = {"file": ("文件",), "source": ("备份文件",), "data_dir": ("数据目录",)}
# Commands that create a missing data folder rather than refuse it (restore: a new machine).
CREATES_FOLDER = {"gui", "init", "restore"}
# Baseline values of required arguments, so that only the argument under test is wrong.
OUT_SUFFIX = {"report xlsx": ".xlsx", "report pdf": ".pdf", "bundle export": ".jcb"}


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    parser: argparse.ArgumentParser

    @property
    def name(self) -> str:
        return " ".join(self.words)

    def arguments(self) -> list[argparse.Action]:
        """The arguments that take a value (flags like ``--json`` cannot be wrong)."""
        return [a for a in self.parser._actions if a.nargs != 0 and not _is_subparsers(a)]


def _is_subparsers(action: argparse.Action) -> bool:
    return isinstance(action, argparse._SubParsersAction)


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every runnable command: each parser, however deep, with a handler of its own."""
    if parser.get_default("handler") is not None and words:
        yield Command(words, parser)
    for action in parser._actions:
        if _is_subparsers(action):
            assert isinstance(action, argparse._SubParsersAction)
            for word, child in action.choices.items():
                yield from commands(child, (*words, word))


COMMANDS = list(commands(build_parser()))


@dataclass(frozen=True)
class Case:
    """One wrong value for one argument; ``setup`` names a file-system shape to build."""

    value: str
    setup: str = ""  # "", "missing", "file" (a file where a folder goes), "folder"


def int_cases(kind: IntRange) -> list[Case]:
    values = {str(kind.low - 1), str(kind.high + 1), "-1", str(2**63), "abc", "1.5", "", HUGE}
    inside = {str(v) for v in (-1, 2**63) if kind.low <= v <= kind.high}
    return [Case(v) for v in sorted(values - inside)]


def text_cases(kind: Text) -> list[Case]:
    values = [ESCAPE, NOT_UTF8, "a\nb"]
    if not kind.allow_empty:
        values += ["", "   "]
    if kind.limit < len(LONG):
        values.append(LONG)
    return [Case(v) for v in values]


def path_cases(action: argparse.Action, command: Command) -> list[Case]:
    cases = [Case(""), Case(ESCAPE), Case(NOT_UTF8), Case(LONG), Case("x" * 300)]
    if isinstance(action.type, DataDirArg):
        cases.append(Case("", setup="file"))
        if command.words[0] not in CREATES_FOLDER and action.type.what == "数据目录":
            cases.append(Case("", setup="missing"))
    elif action.dest in ("file", "source"):  # read, not written
        cases += [Case("", setup="missing"), Case("", setup="folder")]
    return cases


def cases_for(action: argparse.Action, command: Command) -> list[Case]:
    """The wrong values for ``action``, by its ``type=``; ``[]`` for a type not known here."""
    kind = action.type
    if action.choices is not None:
        return [Case("boss"), Case(""), Case(str(next(iter(action.choices))).upper())]
    if kind is parse_date:
        return [Case(v) for v in ("0000-01-01", "9999-12-31", "2026-02-30", "yesterday", "")]
    if isinstance(kind, IntRange):
        return int_cases(kind)
    if isinstance(kind, Text):
        return text_cases(kind)
    if isinstance(kind, PathArg | DataDirArg):
        return path_cases(action, command)
    if kind is change_id:
        return [Case(v) for v in ("abc", "", "abc:", ":1", ESCAPE, LONG)]
    if kind is server_url:
        return [Case(v) for v in ("", "ftp://x", "127.0.0.1:8765", ESCAPE, LONG)]
    if kind is database_url:
        return [Case(v) for v in ("", "abc", "://", ESCAPE, LONG)]
    return []


def label(action: argparse.Action) -> str:
    return action.option_strings[0] if action.option_strings else action.dest


PARAMS = [
    pytest.param(command, action, case, id=f"{command.name} {label(action)} {i}")
    for command in COMMANDS
    for action in command.arguments()
    for i, case in enumerate(cases_for(action, command))
]


def test_every_argument_is_typed() -> None:
    """A new argument gets a bounded ``type=`` from app.cli.common, or this test a case."""
    untyped = [
        f"{c.name} {label(a)}" for c in COMMANDS for a in c.arguments() if not cases_for(a, c)
    ]
    assert not untyped, f"arguments without a checked type=: {untyped}"
    assert {"init", "demo", "server", "server admin enroll-code", "report pdf"} <= {
        c.name for c in COMMANDS
    }


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised data folder for the whole module: initialising takes a second."""
    folder = tmp_path_factory.mktemp("arguments") / "ledger"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JICENG_PASSPHRASE", PASSPHRASE)
        assert cli_main(["init", "--data-dir", str(folder), "--role", "cadre", "--name", "张"]) == 0
    return folder


@pytest.fixture(autouse=True)
def _nothing_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a wrong value get through, the desktop app and the server must not start."""

    def started(*_args: object, **_kw: object) -> int:
        raise AssertionError("a wrong value got through to the GUI or the server")

    monkeypatch.setattr("app.ui.main.run_app", started)
    monkeypatch.setattr("app.server.main.serve", started)


def valid(action: argparse.Action, command: Command, ledger: Path, tmp: Path) -> str:
    """A value ``action`` takes, for the arguments not under test."""
    kind = action.type
    if action.choices is not None:
        return str(next(iter(action.choices)))
    if isinstance(kind, DataDirArg):
        return str(ledger if kind.what == "数据目录" else tmp / "server")
    if isinstance(kind, PathArg):
        if action.dest in ("file", "source"):
            existing = tmp / "some-file.xlsx"
            existing.write_bytes(b"not what it should be")
            return str(existing)
        return str(tmp / f"out{OUT_SUFFIX.get(command.name, '')}")
    if kind is change_id:
        return "0123456789abcdef:1"
    if kind is server_url:
        return "http://127.0.0.1:9"
    if kind is database_url:
        return "sqlite://"
    return "鼓楼区总工会"


def wrong(case: Case, tmp: Path) -> str:
    if case.setup == "missing":
        return str(tmp / "nowhere" / "at-all")
    if case.setup == "file":
        (tmp / "a-file").write_text("x")
        return str(tmp / "a-file")
    if case.setup == "folder":
        return str(tmp)
    return case.value


def argv(
    command: Command, tested: argparse.Action, value: str, ledger: Path, tmp: Path
) -> list[str]:
    """The command with every required argument valid, and ``tested`` set to ``value``."""
    options: list[str] = []
    positionals: list[str] = []
    for action in command.arguments():
        if action is tested:
            given = value
        elif action.required or isinstance(action.type, DataDirArg):
            given = valid(action, command, ledger, tmp)
        else:
            continue
        if action.option_strings:
            options += [f"{action.option_strings[0]}={given}"]  # "=": a value may start with -
        else:
            positionals.append(given)
    return [*command.words, *options, *(["--", *positionals] if positionals else [])]


def names(action: argparse.Action) -> list[str]:
    found = [*action.option_strings, action.dest, *LABELS.get(action.dest, ())]
    if isinstance(action.metavar, str):
        found.append(action.metavar)
    what = getattr(action.type, "what", None)
    return [*found, what] if isinstance(what, str) else found


@pytest.mark.parametrize(("command", "action", "case"), PARAMS)
def test_a_wrong_value_is_refused_by_name(
    command: Command,
    action: argparse.Action,
    case: Case,
    ledger: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = argv(command, action, wrong(case, tmp_path), ledger, tmp_path)
    try:
        code = cli_main(args)
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code if isinstance(exit_.code, int) else 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" not in err
    assert code in (1, 2), f"{args!r} exited {code}: {err}"
    named = names(action)
    assert any(name in err for name in named), f"{args!r}: {err} names none of {named}"
