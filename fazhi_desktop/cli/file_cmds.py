"""``fazhi export-xlsx``, ``export-pdf`` and ``import-xlsx``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fazhi_desktop.cli.common import Context
from fazhi_desktop.models.periods import parse_period
from fazhi_desktop.models.records import LedgerRecord
from fazhi_desktop.services import backups, exports, imports, ledgers


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    for name, handler, what in (
        ("export-xlsx", cmd_export_xlsx, "导出 Excel 台账（官方格式）"),
        ("export-pdf", cmd_export_pdf, "导出 PDF 台账（打印签字用）"),
    ):
        p = sub.add_parser(name, parents=[parent], help=what)
        p.add_argument("--ledger", type=int, help="台账编号（数据库只有一个台账时可省略）")
        p.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件")
        p.add_argument("--period", type=parse_period, help="按该填报期间（YYYY-MM）导出进展")
        p.set_defaults(handler=handler)

    p = sub.add_parser("import-xlsx", parents=[parent], help="从 Excel 台账新建台账")
    p.add_argument("file", metavar="FILE", help="要导入的 .xlsx（或 .xls）文件")
    p.add_argument("--unit", help="填报单位（文件中没有或不对时指定）")
    p.set_defaults(handler=cmd_import_xlsx)


def _record(ctx: Context, args: argparse.Namespace) -> LedgerRecord:
    with ctx.transaction() as session:
        ledger_id = ledgers.resolve_ledger_id(session, args.ledger)
        return exports.snapshot(
            session, ledger_id, today=ctx.today, settings=ctx.settings, period=args.period
        )


def cmd_export_xlsx(ctx: Context, args: argparse.Namespace) -> int:
    target = Path(args.output)
    notes: list[str] = []
    exports.export_xlsx(_record(ctx, args), target, ctx.settings, notes)
    print(f"已导出：{target}")
    for note in notes:
        print(f"注意：{note}", file=sys.stderr)
    return 0


def cmd_export_pdf(ctx: Context, args: argparse.Namespace) -> int:
    target = Path(args.output)
    pages = exports.export_pdf(_record(ctx, args), target, ctx.settings)
    print(f"已导出：{target}（共 {pages} 页）")
    return 0


def cmd_import_xlsx(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    draft = imports.read_xlsx(path, unit=args.unit, today=ctx.today)
    backups.backup_before(ctx.db, backups.IMPORT)
    with ctx.transaction() as session:
        result = imports.save_draft(session, draft, today=ctx.today)
    print(f"已导入“{path.name}”：新建台账编号 {result.ledger_id}，共 {result.task_count} 项任务。")
    for warning in result.warnings:
        print(f"  注意：{warning}")
    return 0
