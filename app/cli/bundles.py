"""``jiceng keys | peers | bundle | quarantine``: trust between replicas, and USB-stick sync."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import orjson

from app.cli.common import (
    CliError,
    IntRange,
    PathArg,
    Text,
    add_data_dir,
    load_keys,
    open_data,
    shown,
    shown_json,
)
from app.schemas.enums import LABEL, Role
from app.schemas.vocabulary import in_report_order, noun
from app.ui.messages import BUNDLE_MESSAGES, PEER_MESSAGES, for_cli, local_time

if TYPE_CHECKING:
    from app.sync.bundle import ImportReport


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    keys = commands.add_parser("keys", help="本机公钥").add_subparsers(dest="sub", required=True)
    p = keys.add_parser("export", help="导出本机公钥文件，交给区总工会或其他干部")
    add_data_dir(p)
    p.add_argument("--out", required=True, type=PathArg("公钥文件"), metavar="FILE")
    p.set_defaults(handler=keys_export)

    trusted = commands.add_parser("peers", help="受信任的其他副本").add_subparsers(
        dest="sub", required=True
    )
    p = trusted.add_parser("trust", help="信任一个公钥文件（请先核对指纹）")
    add_data_dir(p)
    p.add_argument("file", type=PathArg("公钥文件或同步包"), help="对方的公钥文件，或对方导出的同步包（.jcb）")
    p.add_argument(
        "--fingerprint",
        type=Text("指纹"),
        help="从同步包信任时必填：与对方核对一致的指纹（空格可省略）",
    )
    p.set_defaults(handler=peers_trust)
    p = trusted.add_parser("list", help="列出已知的副本及其指纹")
    add_data_dir(p)
    p.set_defaults(handler=peers_list)
    p = trusted.add_parser("revoke", help="撤销对某副本的信任")
    add_data_dir(p)
    p.add_argument("peer", type=Text("副本"), help="副本编号、名称或指纹前缀")
    p.set_defaults(handler=peers_revoke)

    bundle = commands.add_parser("bundle", help="同步包（U 盘同步）").add_subparsers(
        dest="sub", required=True
    )
    p = bundle.add_parser("export", help="为某个副本导出同步包")
    add_data_dir(p)
    p.add_argument("--to", required=True, type=Text("收件方", limit=4096), metavar="PEER_OR_KEYFILE")
    p.add_argument(
        "--out", required=True, type=PathArg("同步包文件"), metavar="FILE", help="同步包文件，或文件夹（按发送方和时间命名）"
    )
    p.set_defaults(handler=bundle_export)
    p = bundle.add_parser("import", help="导入同步包（可一次给出多个文件或文件夹）")
    add_data_dir(p)
    p.add_argument(
        "file", nargs="+", type=PathArg("同步包"), help="同步包文件，或存放同步包（*.jcb）的文件夹"
    )
    p.add_argument("--dry-run", action="store_true", help="只显示将会发生的变化，不做改动")
    p.set_defaults(handler=bundle_import)
    p = bundle.add_parser("history", help="导入记录，以及 14 天未收到同步包的驻点干部")
    add_data_dir(p)
    p.add_argument("--limit", type=IntRange(1, 10_000), default=50, help="最多列出几条（默认 50）")
    p.set_defaults(handler=bundle_history)
    p = bundle.add_parser("inspect", help="显示同步包清单（不解密）")
    p.add_argument("file", type=PathArg("同步包"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=bundle_inspect)

    held = commands.add_parser("quarantine", help="时钟异常而被隔离的变更").add_subparsers(
        dest="sub", required=True
    )
    p = held.add_parser("list")
    add_data_dir(p)
    p.set_defaults(handler=quarantine_list)
    p = held.add_parser("release", help="放行被隔离的变更")
    add_data_dir(p)
    p.add_argument("ids", nargs="+", type=change_id, metavar="CHANGE_ID")
    p.set_defaults(handler=quarantine_release)


# origin:counter, as ``quarantine list`` shows them
CHANGE_ID = re.compile(r"[0-9A-Za-z_-]{1,64}:[0-9]{1,18}")


def change_id(text: str) -> str:
    """For ``type=``: a held change's id. A malformed one was silently ignored (已放行 0 条)."""
    if not CHANGE_ID.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"不是有效的变更编号（形如 0123456789abcdef:42，见 jiceng quarantine list）：{shown(text)}"
        )
    return text


def changes_phrase(by_entity: dict[str, int]) -> str:
    """``诉求 415 条、走访 201 条…``: changes per kind of record, in words."""
    return "、".join(f"{noun(k)} {by_entity[k]} 条" for k in in_report_order(by_entity))


def role_label(role: str) -> str:
    return LABEL[Role(role)] if role in {r.value for r in Role} else shown(role)


STATES = {"trusted": "已信任", "revoked": "已撤销", "untrusted": "未信任"}


def bundle_error(err: Exception) -> CliError:
    code, detail = getattr(err, "code", "damaged"), getattr(err, "detail", "")
    fingerprint = getattr(err, "fingerprint", None)  # an unknown sender's, to compare
    if fingerprint:
        from app.services.peers import display_fingerprint

        detail += f"，指纹 {display_fingerprint(fingerprint)}"
    return CliError(for_cli(BUNDLE_MESSAGES, code, detail, "同步包无法导入：{detail}"))


def peer_error(err: Exception) -> CliError:
    from app.services.peers import display_fingerprint

    code, detail = getattr(err, "code", ""), getattr(err, "detail", "")
    text = for_cli(PEER_MESSAGES, code, detail, "{detail}")
    listed = "；".join(
        f"{p.replica_id}（指纹 {display_fingerprint(p.fingerprint)}）"
        for p in getattr(err, "matches", ())
    )
    return CliError(f"{text}：{listed}" if listed else text)


def refused(err: Exception) -> CliError:
    """A refusal of the bundle and peer services, in the words both shells use."""
    from app.services.peers import PeerError

    return peer_error(err) if isinstance(err, PeerError) else bundle_error(err)


def keys_export(args: argparse.Namespace) -> int:
    from app.services.peers import PeerError, display_fingerprint, export_own_key

    with open_data(args) as store:
        pairs = load_keys(args)
        try:
            with store.read() as session:
                done = export_own_key(session, pairs, args.out)
        except PeerError as err:
            raise peer_error(err) from None
    print(f"已导出公钥：{shown(done.path)}")
    print(f"指纹：{display_fingerprint(done.fingerprint)}")
    return 0


def peers_trust(args: argparse.Namespace) -> int:
    from app.services.peers import PeerError, display_fingerprint, key_to_trust, trust_key

    if args.file.suffix.lower() == ".jcb":
        return _trust_bundle_sender(args)
    with open_data(args) as store:
        try:
            with store.write() as session:
                peer = trust_key(session, key_to_trust(session, args.file))
        except PeerError as err:
            raise peer_error(err) from None
    print(f"已信任：{shown(peer.name)}（{role_label(peer.role)}，编号 {shown(peer.replica_id)}）")
    print(f"指纹：{display_fingerprint(peer.fingerprint)}　请与对方当面或电话核对")
    return 0


def _trust_bundle_sender(args: argparse.Namespace) -> int:
    """Trust whoever signed a bundle, by the keys it carries, once the user gives the
    fingerprint they compared with the sender's (the same service the import screen uses)."""
    from app.services.bundles import BundleError, bundle_sender, trust_bundle_sender
    from app.services.peers import display_fingerprint

    try:
        sender = bundle_sender(args.file)
        fingerprint = display_fingerprint(sender.fingerprint)
        typed = args.fingerprint or ""
        if not typed.strip():
            raise CliError(
                f"同步包来自 {shown(sender.name)}（{role_label(sender.role)}），指纹 {fingerprint}。"
                "请与对方核对后，用 --fingerprint 给出核对一致的指纹"
            )
        with open_data(args) as store, store.write() as session:
            peer = trust_bundle_sender(session, args.file, typed)
    except BundleError as err:
        raise bundle_error(err) from None
    print(f"已信任：{shown(peer.name)}（{role_label(peer.role)}，编号 {shown(peer.replica_id)}）")
    print(f"指纹：{display_fingerprint(peer.fingerprint)}")
    return 0


def peers_list(args: argparse.Namespace) -> int:
    from app.services.peers import display_fingerprint, list_peers, peer_state

    with open_data(args) as store, store.read() as session:
        known = list_peers(session)
    if not known:
        print("还没有受信任的副本。用 jiceng peers trust FILE 添加。")
    for p in known:
        print(
            f"{shown(p.name)}\t{role_label(p.role)}\t{shown(p.replica_id)}\t{STATES[peer_state(p)]}"
            f"\t{display_fingerprint(p.fingerprint)}"
        )
    return 0


def peers_revoke(args: argparse.Namespace) -> int:
    from app.services.peers import PeerError, revoke_peer

    with open_data(args) as store:
        try:
            with store.write() as session:
                peer = revoke_peer(session, args.peer)
        except PeerError as err:
            raise peer_error(err) from None
    print(f"已撤销对 {shown(peer.name)} 的信任；此后它的同步包将被拒绝")
    return 0


def bundle_export(args: argparse.Namespace) -> int:
    from app.services.bundles import BundleError, export_bundle, record_export
    from app.services.peers import PeerError

    with open_data(args) as store:
        pairs = load_keys(args)
        try:
            with store.read() as session:
                done = export_bundle(session, pairs, args.to, args.out)
        except (BundleError, PeerError) as err:
            raise refused(err) from None
        with store.write() as session:  # what 数据同步 shows as 上次交区总工会
            record_export(session, done)
    print(
        f"已导出同步包：{shown(done.path)}（{done.changes} 条变更，"
        f"收件方：{shown(done.recipient.name)}）"
    )
    return 0


def bundle_import(args: argparse.Namespace) -> int:
    """Each bundle in its own transaction: one refused leaves the ledger as it was and the
    others still import. One file given: its refusal is the command's (exit 1)."""
    from app.services.bundles import BundleError, bundle_files, import_bundle

    files = bundle_files(args.file)
    if not files:
        raise CliError("没有找到同步包（*.jcb）")
    refused = 0
    with open_data(args) as store:
        pairs = load_keys(args)
        for path in files:
            try:
                with store.write() as session:
                    report = import_bundle(session, pairs, path, dry_run=args.dry_run)
            except BundleError as err:
                if len(files) == 1:
                    raise bundle_error(err) from None
                refused += 1
                print(f"{shown(path.name)}：{bundle_error(err)}", file=sys.stderr)
                continue
            if len(files) > 1:
                print(f"{shown(path.name)}：")
            _report_import(report)
    if len(files) > 1:
        print(f"共 {len(files)} 个同步包：导入 {len(files) - refused} 个，拒绝 {refused} 个")
    return 1 if refused else 0


def _report_import(report: ImportReport) -> None:
    m = report.manifest
    if report.already_imported_at is not None:
        print(f"该同步包已于 {report.already_imported_at:%Y-%m-%d %H:%M} 导入，本次没有任何改动")
        return
    r = report.result
    verb = "试导入（未做改动）" if report.dry_run else "已导入"
    print(
        f"{verb}同步包 {shown(m.bundle_id)}，来自 {shown(report.sender_name)}："
        f"{m.counts.get('changes', 0)} 条变更"
    )
    print(
        f"  新增 {r.new_rows}　更新 {r.updated_rows}　未变 {r.unchanged}　重复 {r.duplicates}"
        f"　待处理 {r.pending}　隔离 {r.quarantined}　冲突 {r.conflicts}　拒绝 {len(r.rejected)}"
    )
    print(
        f"  本机变更已送达 {shown(report.sender_name)}："
        f"{report.delivered} 条；仍仅在本机：{report.unsent} 条"
    )
    for change_id, reason in r.rejected[:20]:
        print(f"  拒绝 {shown(change_id)}：{shown(reason)}")


def bundle_history(args: argparse.Namespace) -> int:
    """What came in, newest first, and who has sent nothing for two weeks."""
    from app.services.bundles import QUIET_DAYS, import_history, quiet_cadres

    with open_data(args) as store, store.read() as session:
        history = import_history(session, args.limit)
        quiet = quiet_cadres(session, datetime.now(UTC).replace(tzinfo=None))
    if not history:
        print("尚未导入过同步包")
    for h in history:
        s = h.summary
        print(
            f"{local_time(h.imported_at)}　{shown(h.sender)}　新增 {s.get('new', 0)}"
            f"　更新 {s.get('updated', 0)}　重复 {s.get('duplicates', 0)}"
            f"　待处理 {s.get('pending', 0)}　拒绝 {s.get('rejected', 0)}"
        )
    if quiet:
        print(f"{QUIET_DAYS} 天内未收到同步包的驻点干部：")
        for peer, last in quiet:
            when = f"上次 {local_time(last)}" if last else "从未收到"
            print(f"  {shown(peer.name)}（{when}）")
    return 0


def bundle_inspect(args: argparse.Namespace) -> int:
    from app.services.bundles import EXTRA_COUNTS, BundleError, carried, read_manifest
    from app.services.peers import display_fingerprint

    try:
        m = read_manifest(args.file)
    except BundleError as err:
        raise bundle_error(err) from None
    if args.json:
        print(shown_json(orjson.dumps(m.model_dump(), option=orjson.OPT_INDENT_2).decode()))
        return 0
    print(f"同步包 {shown(m.bundle_id)}（格式 {m.format}，数据版本 {m.schema_rev}）")
    print(f"创建时间：{shown(m.created_at)}")
    print(
        f"发送方：{shown(m.sender.name)}（{role_label(m.sender.role)}，"
        f"{shown(m.sender.replica_id)}）"
    )
    print(f"  指纹 {display_fingerprint(m.sender.fingerprint)}")
    for r in m.recipients:
        print(f"收件方：{shown(r.replica_id)}　指纹 {display_fingerprint(r.fingerprint)}")
    by_entity = {k: v for k, v in m.counts.items() if k not in EXTRA_COUNTS}
    print(f"变更：{m.counts.get('changes', 0)} 条（{changes_phrase(by_entity)}）")
    for origin, changes, runs in carried(m):
        print(f"  来源 {shown(origin)}：{changes} 条（{runs} 段）")
    print(f"载荷：{m.payload.size} 字节，SHA-256 {shown(m.payload.sha256)}")
    return 0


def quarantine_list(args: argparse.Namespace) -> int:
    from app.services.bundles import held_changes

    with open_data(args) as store, store.read() as session:
        held = held_changes(session)
    if not held:
        print("没有被隔离的变更")
    for h in held:
        print(
            f"{shown(h.id)}\t{shown(h.entity)}\t{shown(h.row_id)}"
            f"\t时钟 {h.clock_time:%Y-%m-%d %H:%M}\t来自 {shown(h.source)}"
        )
    return 0


def quarantine_release(args: argparse.Namespace) -> int:
    from app.services.bundles import release_held

    with open_data(args) as store, store.write() as session:
        result = release_held(session, args.ids)
    print(f"已放行 {result.released} 条变更")
    return 0
