"""``jiceng init | demo | stats | dump``: set up a data folder and look inside it."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

import orjson

from app.cli.common import (
    CliError,
    IntRange,
    Text,
    add_data_dir,
    add_personal,
    check_personal,
    data_dir,
    open_data,
    passphrase,
    shown,
    shown_json,
    store_error,
)
from app.schemas.enums import LABEL, IssueStatus, Role
from app.ui.messages import isolated_line

DEMO_SIZE = IntRange(0, 10_000_000)  # 100 times `make bench`'s ledger, hours to generate


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("init", help="初始化数据目录（生成加密数据文件和本机身份）")
    add_data_dir(p)
    p.add_argument("--role", required=True, choices=["cadre", "district"], help="角色")
    p.add_argument("--name", required=True, type=Text("名称"), help="本机使用者或单位名称")
    p.add_argument("--district", type=Text("所属区(县)总工会名称"), help="所属区(县)总工会名称")
    p.add_argument("--code", type=Text("诉求编号前缀"), help="诉求编号前缀，如 QX01（默认由本机编号生成）")
    p.set_defaults(handler=init)

    p = commands.add_parser("demo", help="生成演示数据，或对现有数据做随机修改")
    add_data_dir(p)
    # every worker, visit and case belongs to one: zero ended in a traceback (empty randrange)
    p.add_argument("--enterprises", type=IntRange(1, DEMO_SIZE.high), default=None)
    p.add_argument("--workers", type=DEMO_SIZE, default=None)
    p.add_argument("--visits", type=DEMO_SIZE, default=None)
    p.add_argument("--issues", type=DEMO_SIZE, default=None)
    p.add_argument("--edits", type=DEMO_SIZE, default=None, help="随机修改的次数")
    p.add_argument("--seed", type=IntRange(0, 2**63 - 1), default=1)
    p.set_defaults(handler=demo)

    p = commands.add_parser("stats", help="统计数据条数")
    add_data_dir(p)
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=stats)

    p = commands.add_parser("check", help="列出数据检查隔离的无效值（已修改的不再列出）")
    add_data_dir(p)
    p.set_defaults(handler=check)

    p = commands.add_parser(
        "dump", help="以规范 JSON Lines 输出全部同步数据（用于比对；个人信息默认隐藏）"
    )
    add_data_dir(p)
    add_personal(p)
    p.set_defaults(handler=dump)


def init(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.setup import initialise
    from app.storage.store import StoreError
    from app.sync.keys import display_fingerprint

    folder = data_dir(args)
    if paths.db_path(folder).exists():
        raise store_error(StoreError("already_initialised", str(folder)))
    try:
        info = initialise(
            folder,
            passphrase(confirm=True),
            name=args.name,
            role=Role(args.role),
            district=args.district,
            code=args.code,
        )
    except StoreError as err:
        raise store_error(err) from None
    print(f"已初始化数据目录：{shown(folder)}")
    print(f"本机编号 {info.replica_id}，角色 {LABEL[Role(info.role)]}，所属 {shown(info.district_name)}")
    print(f"诉求编号形如 {shown(info.code)}-{date.today().year}-0001")
    print(f"本机密钥指纹：{display_fingerprint(info.fingerprint or '')}")
    return 0


def demo(args: argparse.Namespace) -> int:
    from app.services import demo as demo_data
    from app.services.demo_edits import random_edits

    with open_data(args) as store:
        started = time.perf_counter()
        if args.edits is not None:
            sizes = (args.enterprises, args.workers, args.visits, args.issues)
            if any(v is not None for v in sizes):
                raise CliError("--edits 不能与 --enterprises/--workers/--visits/--issues 同时使用")
            with store.write() as session:
                done = random_edits(session, args.edits, seed=args.seed)
            print(f"已完成 {done.total} 次随机修改：{done.describe()}")
        else:
            spec = demo_data.DemoSpec.with_defaults(
                enterprises=args.enterprises,
                workers=args.workers,
                visits=args.visits,
                issues=args.issues,
                seed=args.seed,
            )
            with store.write() as session:
                made = demo_data.generate(session, spec)
            print(f"已生成演示数据：{made.describe()}")
        print(f"用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)
    return 0


def stats(args: argparse.Namespace) -> int:
    from app.services.stats import ledger_stats

    with open_data(args) as store, store.read() as session:
        figures = ledger_stats(session, date.today())
    if args.json:
        print(shown_json(orjson.dumps(figures, option=orjson.OPT_INDENT_2).decode()))
        return 0
    print("数据条数：")
    for entity, n in figures["entities"].items():
        print(f"  {shown(entity):<12} {n}")
    print("诉求状态：")
    for status, n in figures["issues_by_status"].items():
        print(f"  {LABEL[IssueStatus(status)]:<6} {n}")
    print(f"已超期：{figures['overdue']}　即将到期：{figures['due_soon']}")
    print(
        f"变更记录：{figures['changes']}（待处理 {figures['changes_by_status']['pending']}，"
        f"隔离 {figures['changes_by_status']['quarantined']}）"
    )
    return 0


def check(args: argparse.Namespace) -> int:
    """The values the ledger check set aside, one line each; exit 0 either way."""
    from app.services.stored_check import isolated

    with open_data(args) as store, store.read() as session:
        entries = isolated(session)
    if not entries:
        print("数据检查：没有需要修改的无效值")
        return 0
    for e in entries:
        print(shown(isolated_line(e.entity, e.row_id, e.field, e.reason, e.value, e.stand_in)))
    print(f"共 {len(entries)} 处；在程序中打开相应记录修改该字段后即不再列出")
    return 0


def dump(args: argparse.Namespace) -> int:
    from app.services.dump import dump_lines
    from app.services.privacy import permit_export

    check_personal(args)
    out = sys.stdout
    with open_data(args) as store:
        if args.include_personal:  # on the record (committed) before any row is read
            with store.write() as session:
                permit_export(session, "dump", "jiceng dump", args.reason)
        with store.read() as session:
            for line in dump_lines(session, personal=args.include_personal):
                out.write(shown_json(line))  # still the same JSON, safe on a terminal too
                out.write("\n")
    return 0
