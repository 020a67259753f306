"""``jiceng gui`` (the default): the desktop app."""

from __future__ import annotations

import argparse

from app.cli.common import add_data_dir


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("gui", help="打开桌面程序（默认）")
    add_data_dir(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.ui.main import run_app  # Qt is imported only when the GUI is wanted

    return run_app(args.data_dir)
