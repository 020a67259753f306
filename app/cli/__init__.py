"""``jiceng`` — the command line: thin shells over the services and sync (docs/architecture.md#shells).

Each area's commands live in their own module and register themselves on the parser.
Exit codes: 0 done, 1 refused with a clear message on stderr, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import backup, bundles, gui, ledger, online, printing, reports
from app.cli.common import CliError, shown
from app.schemas.base import InputError
from app.services.errors import ServiceError
from app.ui.messages import service_message

COMMAND_MODULES = (gui, ledger, backup, bundles, online, reports, printing)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiceng",
        description="基层 jiceng — 工会驻点干部的离线工作台账 / an offline ledger for union cadres",
    )
    parser.add_argument("--version", action="version", version=f"jiceng {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or args_list[0].startswith("--data-dir"):
        args_list.insert(0, "gui")  # `jiceng` alone opens the desktop app
    args = parser.parse_args(args_list)
    try:
        return int(args.handler(args))
    except CliError as err:
        print(f"jiceng: {shown(err.message)}", file=sys.stderr)
        return err.code
    except InputError as err:
        for item in err.errors:
            print(f"jiceng: {shown(item)}", file=sys.stderr)
        return 1
    except ServiceError as err:
        text = service_message(err.code, err.values, err.message)
        print(f"jiceng: {shown(text)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("jiceng: 已取消", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `jiceng dump | head`: the reader left, which is fine
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
