"""``jiceng print issue NUMBER``: a case's printed form (职工诉求登记表·办理单) as a PDF."""

from __future__ import annotations

import argparse
import os
from datetime import date

from app.cli.common import CliError, PathArg, Text, add_data_dir, open_data, shown


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printing = commands.add_parser("print", help="打印表单：生成 A4 PDF")
    kinds = printing.add_subparsers(dest="form", metavar="FORM", required=True)
    p = kinds.add_parser("issue", help="一件诉求的职工诉求登记表和办理单（含办理记录，.pdf）")
    add_data_dir(p)
    p.add_argument("number", type=Text("诉求编号", limit=32), help="诉求编号，如 GL01-2026-0001")
    p.add_argument("--out", required=True, type=PathArg("输出文件"), help="输出文件（.pdf）")
    p.set_defaults(handler=print_issue)


def print_issue(args: argparse.Namespace) -> int:
    store = open_data(args)  # a wrong data folder is named before anything else
    if args.out.suffix.lower() != ".pdf":
        raise CliError("--out 应为 .pdf 文件")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server, a script, CI
    from PySide6.QtGui import QGuiApplication

    from app.services.case_form import case_form, find_by_number
    from app.ui.case_pdf import write_case_pdf
    from app.ui.fonts import load_shipped_font

    running = QGuiApplication.instance()
    _app = running if isinstance(running, QGuiApplication) else QGuiApplication(["jiceng"])
    load_shipped_font()
    with store.read() as session:
        issue_id = find_by_number(session, args.number)
        if issue_id is None:
            raise CliError(f"找不到编号为 {args.number} 的诉求")
        form = case_form(session, issue_id)
    try:
        pages = write_case_pdf(form, args.out, date.today())
    except OSError as err:
        raise CliError(f"无法写入 {args.out}：{err.strerror or err}") from None
    print(f"已生成 {shown(args.out)}：诉求 {shown(form.number)}，共 {pages} 页")
    return 0
