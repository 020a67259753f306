"""``jiceng report xlsx|pdf`` and ``jiceng import xlsx``: the district office's paperwork."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.cli.common import (
    CliError,
    PathArg,
    Text,
    add_data_dir,
    add_personal,
    check_personal,
    open_data,
    parse_date,
    shown,
)
from app.services.reports import Period, Scope


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="统计报表：导出 Excel 台账")
    kinds = report.add_subparsers(dest="format", metavar="FORMAT", required=True)
    p = kinds.add_parser("xlsx", help="导出汇总表和走访、诉求、帮扶、经验台账（.xlsx）")
    add_data_dir(p)
    _period_and_scope(p)
    add_personal(p)
    p.add_argument(
        "--out", required=True, type=PathArg("输出文件"), help="输出文件（.xlsx），或文件夹（按发送方和期间命名）"
    )
    p.set_defaults(handler=report_xlsx, parser=p)

    p = kinds.add_parser("pdf", help="工作月报：指标、图表和未办结诉求（.pdf）")
    add_data_dir(p)
    _period_and_scope(p)
    p.add_argument("--title", type=Text("报告标题", limit=100), help="报告标题（默认“工会驻点工作月报”）")
    p.add_argument(
        "--out", required=True, type=PathArg("输出文件"), help="输出文件（.pdf），或文件夹（按发送方和期间命名）"
    )
    p.set_defaults(handler=report_pdf)

    imp = commands.add_parser("import", help="从 Excel 或 CSV 导入企业或职工名单")
    kinds = imp.add_subparsers(dest="format", metavar="FORMAT", required=True)
    p = kinds.add_parser("xlsx", help="导入 .xlsx 或 .csv（UTF-8 或 GBK）")
    add_data_dir(p)
    p.add_argument("--kind", required=True, choices=["enterprises", "workers"])
    p.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    p.add_argument("--valid-only", action="store_true", help="有错误的行跳过，只导入正确的行")
    p.add_argument("file", type=PathArg("文件"))
    p.set_defaults(handler=import_xlsx)


def _period_and_scope(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", type=parse_date, help="起始日期（默认本月1日）")
    p.add_argument("--to", dest="end", type=parse_date, help="截止日期（默认今天）")
    p.add_argument("--enterprise", type=Text("企业"), help="只统计这家企业（名称或统一社会信用代码）")
    p.add_argument("--cadre", type=Text("驻点干部", limit=50), help="只统计这位干部承办或经手的工作")


def _period(args: argparse.Namespace, suffix: str) -> Period:
    today = date.today()
    period = Period(args.start or today.replace(day=1), args.end or today)
    if period.end < period.start:
        raise CliError("--to 不能早于 --from")
    if not args.out.is_dir() and args.out.suffix.lower() != suffix:
        raise CliError(f"--out 应为 {suffix} 文件或文件夹")
    return period


def _target(session: Session, args: argparse.Namespace, kind: str, period: Period) -> Path:
    """``--out``, or in a folder given as ``--out`` the same default name the app offers."""
    out: Path = args.out
    if not out.is_dir():
        return out
    from app.services.files import default_name
    from app.services.replica import replica_info

    return out / default_name(kind, replica_info(session).name, period=period)


def _scope(session: Session, args: argparse.Namespace) -> Scope:
    from app.services.enterprises import find_enterprise

    enterprise_id = None
    if args.enterprise:
        ref = find_enterprise(session, args.enterprise)
        if ref is None:
            raise CliError(f"找不到企业：{args.enterprise}")
        enterprise_id = ref.id
    return Scope(enterprise_id=enterprise_id, cadre=args.cadre)


def report_xlsx(args: argparse.Namespace) -> int:
    from app.services.privacy import permit_export
    from app.services.workbook import export_workbook

    check_personal(args)
    today = date.today()
    period = _period(args, ".xlsx")
    store = open_data(args)
    with store.read() as session:
        scope = _scope(session, args)
        target = _target(session, args, "workbook", period)
    permit = None
    if args.include_personal:  # on the record (committed) before any row is read
        with store.write() as session:
            permit = permit_export(session, "workbook", target.name, args.reason)
    with store.read() as session:
        try:
            report = export_workbook(session, period, scope, target, today=today, permit=permit)
        except OSError as err:
            raise CliError(f"无法写入 {target}：{err.strerror or err}") from None
    print(
        f"已导出 {shown(target)}（{period.label()}）：登记诉求 {report.issues.received} 件，"
        f"办结 {report.issues.resolved} 件，走访 {sum(n for n, _ in report.visits.values())} 次"
        + ("；含完整个人信息，请妥善保管" if args.include_personal else "")
    )
    return 0


def report_pdf(args: argparse.Namespace) -> int:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server, a script, CI
    from PySide6.QtWidgets import QApplication

    from app.services.reports import build_report, open_cases
    from app.ui.fonts import apply_app_font
    from app.ui.report_pdf import write_pdf

    today = date.today()
    period = _period(args, ".pdf")
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(["jiceng"])
    apply_app_font(app)
    store = open_data(args)
    with store.read() as session:
        scope = _scope(session, args)
        target = _target(session, args, "pdf", period)
        report = build_report(session, period, scope, today)
        cases, total = open_cases(session, scope, min(period.end, today))
    title = args.title or "工会驻点工作月报"
    try:
        write_pdf(report, cases, total, target, title)
    except OSError as err:
        raise CliError(f"无法写入 {target}：{err.strerror or err}") from None
    print(f"已导出 {shown(target)}（{period.label()}）：未办结诉求 {total} 件")
    return 0


def import_xlsx(args: argparse.Namespace) -> int:
    from app.services.sheet_import import SheetError, import_sheet
    from app.ui.messages import row_message, service_message

    if not args.file.is_file():
        raise CliError(f"找不到文件：{args.file}")
    store = open_data(args)
    try:
        with store.write() as session:
            result = import_sheet(
                session, args.file, args.kind, dry_run=args.dry_run, valid_only=args.valid_only
            )
    except SheetError as err:
        raise CliError(service_message(err.code, err.values, err.message)) from None
    for error in result.errors:
        print(f"jiceng: {shown(row_message(error))}", file=sys.stderr)
    for warning in result.warnings:
        print(f"jiceng: 警告：{shown(row_message(warning))}（已{'导入' if result.written else '检查'}，请核对）", file=sys.stderr)
    verb = "将" if not result.written else "已"
    summary = (
        f"共 {result.rows} 行：{verb}新增 {result.created}，{verb}更新 {result.updated}，"
        f"未变 {result.unchanged}，有误 {len(result.errors)}"
    )
    if result.workshops_created:
        summary += f"，{verb}新建车间 {result.workshops_created} 个"
    if result.warnings:
        summary += f"，需核对 {len(result.warnings)}"
    print(summary)
    if result.errors and not result.written:
        print(
            "jiceng: 有错误的行，未导入任何数据；改正后重新导入，或加 --valid-only 只导入正确的行",
            file=sys.stderr,
        )
    return 1 if result.errors else 0
