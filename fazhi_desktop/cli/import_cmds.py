"""``fazhi import FILE``: a plan or a 台账, in .xlsx, .xls, .docx or .txt, told apart by itself."""

from __future__ import annotations

import argparse
from pathlib import Path

from fazhi_desktop.cli.common import Context
from fazhi_desktop.cli.plan_cmds import (
    level_arg,
    print_parse,
    save_import,
    tasks_json,
    unused_json,
    write_json,
    year_arg,
)
from fazhi_desktop.services import file_import


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "import", parents=[parent], help="导入方案或台账（.xlsx/.xls/.docx/.txt，自动区分）"
    )
    p.add_argument("file", metavar="FILE", help="方案或台账文件：Excel、Word 文档或纯文本")
    p.add_argument("--year", type=year_arg, help="年份（文件中没有写年份时指定）")
    p.add_argument("--title", help="标题（默认取文件中的标题）")
    p.add_argument("--unit", help="填报单位（台账中没有或不对时指定）")
    p.add_argument(
        "--level", type=level_arg, metavar="N", help="方案中哪一级编号是任务（1–5，同 import-plan）"
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出解析结果（UTF-8）")
    p.add_argument("--dry-run", action="store_true", help="只解析并显示结果，不保存")
    p.set_defaults(handler=cmd_import)


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    found = file_import.read_file(
        path, today=ctx.today, unit=args.unit, year=args.year, title=args.title, level=args.level
    )
    draft = found.draft
    ledger_id = save_import(
        ctx, args.dry_run, lambda s: file_import.save_file(s, found, today=ctx.today).ledger_id
    )
    what = "方案" if found.kind == file_import.PLAN else "台账"
    if args.json:
        write_json(
            {
                "kind": found.kind,
                "ledger_id": ledger_id,
                "title": draft.title,
                "year": draft.year,
                "source": path.name,
                "level": found.plan.level if found.plan else None,
                "levels": list(found.plan.levels) if found.plan else [],
                "tasks": tasks_json(draft),
                "unused": unused_json(found.unused),
                "warnings": list(draft.warnings),
            }
        )
        return 0
    year = f"{draft.year}年" if draft.year else "年份未知"
    done = "（未保存）" if ledger_id is None else f"，新建{what}编号 {ledger_id}"
    print(f"“{path.name}”是{what}：“{draft.title}”（{year}），共 {len(draft.tasks)} 项任务{done}。")
    print_parse(draft, found.unused, with_tasks=args.dry_run)
    return 0
