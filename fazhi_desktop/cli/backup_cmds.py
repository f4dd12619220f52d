"""``fazhi backup [--list]`` and ``fazhi restore 备份``."""

from __future__ import annotations

import argparse
from pathlib import Path

from fazhi_desktop.cli.common import Context
from fazhi_desktop.errors import UsageError
from fazhi_desktop.services import backups


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("backup", parents=[parent], help="立即备份数据库，或列出已有备份")
    p.add_argument("--list", action="store_true", help="列出已有备份（最新的在前），不新建")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", parents=[parent], help="从备份恢复数据库（恢复前先备份当前数据）")
    p.add_argument(
        "backup", metavar="备份", help="`fazhi backup --list` 中的编号、备份文件名或文件路径"
    )
    p.set_defaults(handler=cmd_restore)


def _refuse_server(ctx: Context) -> None:
    if ctx.db_url:
        raise UsageError(
            "单位数据库由服务器备份（pg_dump），不用 `fazhi backup`/`fazhi restore`。"
            "见使用说明“单位模式（共享数据库）”一节，或请管理员恢复。"
        )


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    _refuse_server(ctx)
    if args.list:
        found = backups.list_backups(ctx.db_path)
        if not found:
            print(f"数据库“{ctx.db_path}”还没有备份。")
            return 0
        print(f"备份文件夹：{backups.backup_dir(ctx.db_path)}")
        for number, backup in enumerate(found, 1):
            when = backup.created.strftime("%Y-%m-%d %H:%M:%S")
            size = backups.size_text(backup.size)
            print(f"{number:>3}  {when}  {backup.label}  {size}  {backup.path.name}")
        return 0
    if not ctx.db_path.is_file():
        raise UsageError(f"数据库“{ctx.db_path}”不存在，没有可备份的内容。请检查 --db 路径。")
    # Opening refuses a file that is not a 法治台账 database, before anything is copied.
    ctx.db.close()
    target = backups.make_backup(ctx.db_path, backups.MANUAL)
    print(f"已备份：{target}")
    return 0


def _resolve(ctx: Context, text: str) -> Path:
    found = backups.list_backups(ctx.db_path)
    if text.isdigit():
        number = int(text)
        if not 1 <= number <= len(found):
            raise UsageError(
                f"没有编号为 {number} 的备份（共 {len(found)} 份）。"
                "请用 `fazhi backup --list` 查看编号。"
            )
        return found[number - 1].path
    path = Path(text)
    if path.exists():
        return path
    in_folder = backups.backup_dir(ctx.db_path) / text
    if in_folder.exists():
        return in_folder
    raise UsageError(
        f"找不到备份“{text}”。请写 `fazhi backup --list` 中的编号、备份文件名或完整路径。"
    )


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    _refuse_server(ctx)
    source = _resolve(ctx, args.backup)
    before = backups.restore_backup(ctx.db_path, source)
    print(f"已从备份恢复：{source.name}")
    if before is not None:
        print(f"恢复前的数据已另存为备份：{before.name}（需要时可再恢复回来）")
    return 0
