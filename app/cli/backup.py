"""``jiceng backup``: an encrypted, checked copy of the data file, taken while in use;
``jiceng restore``: put such a copy back, without rewinding this replica (see
``app.services.restore``)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import (
    CliError,
    PathArg,
    add_data_dir,
    data_dir,
    open_data,
    passphrase,
    shown,
    store_error,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("backup", help="备份数据文件（加密的完整副本，可在使用中进行）")
    add_data_dir(p)
    p.add_argument("--out", type=PathArg("备份文件"), help="备份文件或文件夹（默认：数据目录 backups/ 下带时间的文件名）")
    p.set_defaults(handler=backup)

    r = commands.add_parser(
        "restore", help="用备份替换数据文件（当前文件先保存在 backups/ 中，变更编号不会回退）"
    )
    add_data_dir(r)
    r.add_argument("--from", dest="source", type=PathArg("备份文件"), required=True, help="备份文件")
    r.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    r.set_defaults(handler=restore)


def backup(args: argparse.Namespace) -> int:
    from app import paths
    from app.storage.backup import BackupError, snapshot, timestamped_name

    store = open_data(args)
    target = args.out or paths.backups_dir(store.data_dir) / timestamped_name("manual")
    if target.exists() and target.is_dir():  # e.g. a USB stick: named as the app names it
        from app.services.files import default_name
        from app.services.replica import replica_info

        with store.read() as session:
            target = target / default_name("backup", replica_info(session).name)
    try:
        snapshot(store.engine, target, data_dir=store.data_dir)
    except BackupError as err:
        raise CliError(f"备份未完成，原有文件未被替换：{err}") from None
    except OSError as err:
        raise CliError(f"无法写入 {target}：{err.strerror or err}") from None
    finally:
        store.close()
    print(
        f"已备份到 {shown(target)}（{target.stat().st_size / 2**20:.1f} MiB，已通过完整性检查，仍为加密文件）"
    )
    return 0


def restore(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.restore import restore as put_back
    from app.storage.store import StoreError

    folder = data_dir(args)
    if not args.source.is_file():  # before asking to replace anything with it
        raise store_error(StoreError("restore_missing", str(args.source)))
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(
                "恢复会替换当前数据文件：请加 --yes 确认（当前文件会先保存在 backups/ 中）"
            )
        answer = input(
            f"用 {shown(args.source)} 替换 {shown(paths.db_path(folder))}？当前文件会先保存在 backups/ 中。[y/N] "
        )
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("未做任何改动")
            return 1
    try:
        report = put_back(folder, args.source, passphrase(folder=folder))
    except StoreError as err:
        raise store_error(err) from None
    except OSError as err:
        raise CliError(f"恢复未完成，当前数据文件未被替换：{err.strerror or err}") from None
    print(f"已从 {shown(report.source)} 恢复数据文件。")
    if report.kept is not None:
        print(f"被替换的文件已保存为 {shown(report.kept)}")
    if report.keys_restored:
        print("本机密钥已随备份恢复到 keys/。")
    if not report.current_readable:
        print("原数据文件无法读取：变更编号已向前跳过一段，以免与已发出的变更重复。")
    print(
        f"变更计数从 {report.counter} 继续（备份中为 {report.backup_counter}）；下次联网同步会从服务器取回本机在备份之后的变更。"
    )
    return 0
