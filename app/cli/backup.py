"""``jiceng backup``: an encrypted, checked copy of the data file, taken while in use."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import CliError, add_data_dir, open_data


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = commands.add_parser("backup", help="备份数据文件（加密的完整副本，可在使用中进行）")
    add_data_dir(p)
    p.add_argument(
        "--out", type=Path, help="备份文件（默认：数据目录 backups/ 下带时间的文件名）"
    )
    p.set_defaults(handler=backup)


def backup(args: argparse.Namespace) -> int:
    from app import paths
    from app.storage.backup import BackupError, snapshot, timestamped_name

    store = open_data(args)
    target = args.out or paths.backups_dir(store.data_dir) / timestamped_name("manual")
    if target.exists() and target.is_dir():
        target = target / timestamped_name("manual")
    try:
        snapshot(store.engine, target)
    except BackupError as err:
        raise CliError(f"备份未完成，原有文件未被替换：{err}") from None
    except OSError as err:
        raise CliError(f"无法写入 {target}：{err.strerror or err}") from None
    finally:
        store.close()
    print(f"已备份到 {target}（{target.stat().st_size / 2**20:.1f} MiB，已通过完整性检查，仍为加密文件）")
    return 0
