"""``jiceng server | server admin | enroll | sync``: the central server and online sync."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

from app.cli.bundles import change_id
from app.cli.common import (
    MAX_COUNT,
    CliError,
    DataDirArg,
    IntRange,
    Text,
    add_data_dir,
    data_dir,
    load_keys,
    open_data,
    passphrase,
    shown,
)
from app.schemas.enums import LABEL, Role
from app.schemas.sync_api import DEVICE_ROLES
from app.ui.messages import SYNC_MESSAGES, for_cli

if TYPE_CHECKING:
    from nacl.signing import SigningKey
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("server", help="运行市总工会同步服务器（或用 admin 管理它）")
    _server_db(p)
    p.add_argument("--host", type=Text("监听地址", limit=253), default="127.0.0.1")
    p.add_argument("--port", type=IntRange(1, 65535), default=8765)
    p.add_argument("--workers", type=IntRange(1, 64), default=1)
    p.add_argument(
        "--forwarded-allow-ips",
        default="",
        type=Text("代理地址", limit=4096, allow_empty=True),
        metavar="IPS",
        help="信任其 X-Forwarded-For 的反向代理地址（逗号分隔；默认不信任任何代理）",
    )
    p.add_argument(
        "--max-skew-seconds",
        type=IntRange(1, 3600),
        default=300,
        help="设备推送的变更时间最多可超前服务器时钟多少秒（默认 300）",
    )
    p.add_argument(
        "--push-per-minute",
        type=IntRange(1, MAX_COUNT),
        default=60_000,
        help="每台设备每分钟最多推送的变更条数（默认 60000）",
    )
    p.set_defaults(handler=serve)
    admin_parser = p.add_subparsers(dest="action").add_parser("admin", help="服务器管理")
    _server_db(admin_parser, inner=True)
    admin = admin_parser.add_subparsers(dest="admin_action", required=True)
    a = admin.add_parser("add-district", help="添加区(县)总工会")
    _server_db(a, inner=True)
    a.add_argument("name", type=Text("区(县)总工会名称"))
    a.set_defaults(handler=add_district)
    a = admin.add_parser("enroll-code", help="发放一次性接入码（最后一行只有接入码）")
    _server_db(a, inner=True)
    a.add_argument("--district", required=True, type=Text("区(县)总工会名称"))
    a.add_argument("--hours", type=IntRange(1, 24 * 30), default=72, help="有效小时数（默认 72）")
    a.add_argument(
        "--role",
        choices=DEVICE_ROLES,
        default="cadre",
        help="接入设备的角色：cadre 驻点干部的电脑（默认），district 区(县)总工会的电脑",
    )
    a.set_defaults(handler=enroll_code)
    a = admin.add_parser("devices", help="列出已接入的设备")
    _server_db(a, inner=True)
    a.set_defaults(handler=devices)
    a = admin.add_parser("revoke", help="撤销设备（此后其凭据立即失效）")
    _server_db(a, inner=True)
    a.add_argument("device", type=Text("设备"))
    a.set_defaults(handler=revoke)
    a = admin.add_parser(
        "quarantine", help="列出因时钟超前被暂存的变更（时间追上后自动放行），或立即放行"
    )
    _server_db(a, inner=True)
    a.add_argument("--district", type=Text("区(县)总工会名称"), help="只看该区(县)总工会的")
    release = a.add_mutually_exclusive_group()
    release.add_argument(
        "--release",
        nargs="+",
        type=change_id,
        metavar="ID",
        help="立即放行这些变更（ID 见列表）：请先核实发送设备的时钟",
    )
    release.add_argument("--release-all", action="store_true", help="立即放行列出的全部变更")
    a.set_defaults(handler=quarantine)

    p = commands.add_parser("enroll", help="用一次性接入码把本机接入服务器")
    add_data_dir(p)
    p.add_argument("--server", required=True, type=server_url, metavar="URL")
    p.add_argument("--code", required=True, type=Text("接入码", limit=100))
    p.set_defaults(handler=enroll)
    p = commands.add_parser("sync", help="与服务器同步一轮（先推送，再拉取）")
    add_data_dir(p)
    p.add_argument("--retries", type=IntRange(1, 100), default=3, help="网络失败时的尝试次数")
    p.add_argument(
        "--retry-rejected",
        action="store_true",
        help="再次发送以前被服务器拒绝的变更（例如服务器的规则已调整）",
    )
    p.set_defaults(handler=sync)


def _server_db(p: argparse.ArgumentParser, *, inner: bool = False) -> None:
    """--db and --data-dir, accepted before or after the admin action. The inner copies
    leave the value alone when absent, so they do not undo the outer one."""
    default = argparse.SUPPRESS if inner else None
    p.add_argument(
        "--db",
        metavar="URL",
        type=database_url,
        default=default,
        help="数据库 URL（默认：数据目录中的加密 SQLite）",
    )
    p.add_argument(
        "--data-dir", metavar="D", type=DataDirArg("服务器数据目录"), default=default, help="服务器数据目录"
    )


def server_url(text: str) -> str:
    """For ``type=`` of ``--server``: an http(s) address, not whatever httpx makes of it."""
    text = Text("服务器地址", limit=2000)(text)
    if not text.lower().startswith(("http://", "https://")) or len(text.split("//", 1)[1]) < 1:
        raise argparse.ArgumentTypeError(f"服务器地址应以 http:// 或 https:// 开头：{shown(text)}")
    return text


def database_url(text: str) -> str:
    """For ``type=`` of ``--db``: a URL SQLAlchemy can read (a malformed one was a traceback)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = Text("数据库 URL", limit=2000)(text)
    try:
        make_url(text)
    except ArgumentError:
        raise argparse.ArgumentTypeError(
            f"不是有效的数据库 URL（形如 postgresql+psycopg://用户@主机/库名）：{shown(text)}"
        ) from None
    return text


def _server_passphrase(args: argparse.Namespace) -> str:
    return "" if args.db and not args.db.startswith("sqlite") else passphrase()


def _engine(args: argparse.Namespace) -> Engine:
    from app.server.db import prepare, server_engine

    engine = server_engine(args.db, data_dir(args), _server_passphrase(args))
    try:
        prepare(engine)
    except Exception as err:
        engine.dispose()
        raise CliError(
            f"无法打开服务器数据库：{type(err).__name__}: {str(err).splitlines()[0][:200]}"
        ) from None
    return engine


def serve(args: argparse.Namespace) -> int:
    from app.server.api import ServerLimits
    from app.server.main import serve as run

    limits = ServerLimits(
        max_skew_s=args.max_skew_seconds, push_changes_per_device=args.push_per_minute
    )
    run(
        args.db,
        data_dir(args),
        _server_passphrase(args),
        args.host,
        args.port,
        args.workers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        limits=limits,
    )
    return 0


def _admin_session(args: argparse.Namespace) -> tuple[Engine, Session]:
    from sqlalchemy.orm import Session

    from app.server.db import writer

    engine = _engine(args)
    return engine, Session(writer(engine), expire_on_commit=False)


def add_district(args: argparse.Namespace) -> int:
    from app.server import admin

    engine, session = _admin_session(args)
    with session, session.begin():
        district_id, new = admin.add_district(session, args.name)
    engine.dispose()
    print(f"{'已添加' if new else '已存在'}：{shown(args.name)}（{district_id}）")
    return 0


def enroll_code(args: argparse.Namespace) -> int:
    from app.server import admin

    engine, session = _admin_session(args)
    with session, session.begin():
        code = admin.enroll_code(
            session, args.district, timedelta(hours=args.hours), role=args.role
        )
    engine.dispose()
    print(
        f"{shown(args.district)} 的一次性接入码（接入的设备角色为{LABEL[Role(args.role)]}），"
        f"{args.hours} 小时内有效，只能使用一次："
    )
    print(code)
    return 0


def devices(args: argparse.Namespace) -> int:
    from app.server import admin

    engine, session = _admin_session(args)
    with session, session.begin():
        rows = admin.devices(session)
    engine.dispose()
    if not rows:
        print("还没有接入的设备")
    for d in rows:
        state = f"已撤销 {d.revoked_at:%Y-%m-%d}" if d.revoked_at else "有效"
        seen = f"{d.last_seen_at:%Y-%m-%d %H:%M}" if d.last_seen_at else "从未同步"
        print(
            "\t".join(shown(v) for v in (d.id, d.name, d.role, d.district))
            + f"\t{state}\t最近同步 {seen}"
        )
    return 0


def revoke(args: argparse.Namespace) -> int:
    from app.server import admin

    engine, session = _admin_session(args)
    with session, session.begin():
        row = admin.revoke(session, args.device)
    engine.dispose()
    if row is None:
        raise CliError(f"找不到唯一匹配的设备：{args.device}")
    print(f"已撤销设备 {shown(row.name)}（{shown(row.id)}）：它的凭据从下一次请求起失效")
    return 0


def quarantine(args: argparse.Namespace) -> int:
    from app.server import admin, held

    engine, session = _admin_session(args)
    released = 0
    with session, session.begin():
        district_id = None
        if args.district:
            found = admin.find_district(session, args.district)
            if found is None:
                raise CliError(f"--district：服务器上没有“{args.district}”")
            district_id = found.id
        if args.release or args.release_all:
            released = held.release(session, None if args.release_all else args.release, district_id)
        rows = held.held_rows(session, district_id)
    engine.dispose()
    if args.release or args.release_all:
        print(f"已放行 {released} 条变更")
    if not rows:
        print("没有被暂存的变更")
    for r in rows:
        print(
            f"{r.id}\t{shown(r.district)}\t{shown(r.device)}\t{r.entity}\t时钟 {r.clock_time:%Y-%m-%d %H:%M}"
            f"\t收到 {r.received_at:%Y-%m-%d %H:%M}"
        )
    return 0


def enroll(args: argparse.Namespace) -> int:
    from app.services.setup import join_server
    from app.sync.http import RetryPolicy, SyncError, Transport

    with open_data(args) as store:
        try:
            joined = join_server(
                store,
                args.server,
                args.code,
                load_keys(args).signing,
                Transport(args.server, retry=RetryPolicy(attempts=2)),
            )
        except SyncError as err:
            raise sync_error(err) from None
    print(
        f"已接入服务器 {shown(args.server)}，所属 {shown(joined.district_name)}"
        f"（设备 {shown(joined.device_id)}）"
    )
    if joined.enterprises_moved:
        print(f"已将 {joined.enterprises_moved} 家企业归入 {shown(joined.district_name)}")
    print("现在可以运行 jiceng sync 同步数据")
    return 0


def _signing(args: argparse.Namespace) -> SigningKey | None:
    """This replica's signing key for the round; without a readable key file the work
    still goes out (unsigned: the server takes it, but cannot pass it on with proof)."""
    try:
        return load_keys(args).signing
    except CliError as err:
        print(f"jiceng: 警告：{shown(err)}；本次同步的变更不带签名证明", file=sys.stderr)
        return None


def sync(args: argparse.Namespace) -> int:
    from app.sync.client import SyncRound, configured_server, forget_refusals, refusals
    from app.sync.http import RetryPolicy, SyncError, Transport

    with open_data(args) as store:
        with store.read() as session:
            config = configured_server(session)
        if config is None:
            raise sync_error(SyncError("not_enrolled"))
        if args.retry_rejected:
            with store.write() as session:
                forget_refusals(session)
        transport = Transport(
            config.server_url, config.token, retry=RetryPolicy(attempts=max(1, args.retries))
        )
        try:
            report = SyncRound(store, transport=transport, signing=_signing(args)).run()
        except SyncError as err:
            raise sync_error(err) from None
        finally:
            transport.close()
        with store.read() as session:
            earlier = refusals(session).count - len(report.rejected)
    r = report.pulled
    print(
        f"已同步：推送 {report.pushed} 条（重复 {report.duplicates}，待下次 {report.deferred}，"
        f"被拒绝 {len(report.rejected)}）；拉取 {r.received} 条（新增 {r.new_rows}，更新 {r.updated_rows}，冲突 {r.conflicts}）"
    )
    for refused_id, reason in report.rejected[:20]:
        print(f"  被拒绝 {shown(refused_id)}：{shown(reason)}")
    if report.clock_warning:
        print(
            f"注意：本机时钟与服务器相差约 {abs(report.clock_offset_s) / 60:.0f} 分钟，请校正系统时间"
        )
    if report.server_held:  # stored there but not merged: they wait for time to catch up
        print(
            f"注意：服务器暂存了本机 {report.server_held} 条变更（本机时钟超前），尚未送达；"
            "请校正系统时间，服务器时间追上后会自动放行"
        )
    if report.rejected:  # a refused change never reached the server: never a silent success
        raise sync_error(SyncError("rejected", str(len(report.rejected))))
    if earlier > 0:  # refused by an earlier sync and not resent: still not on the server
        raise sync_error(SyncError("rejected", str(earlier)))
    return 0


def sync_error(err: Exception) -> CliError:
    code, detail = getattr(err, "code", "unreachable"), getattr(err, "detail", "")
    return CliError(for_cli(SYNC_MESSAGES, code, detail, "同步失败：{detail}"))
