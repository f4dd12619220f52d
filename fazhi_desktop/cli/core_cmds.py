"""``fazhi demo``, ``list``, ``set-progress`` and ``done``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from fazhi_desktop.cli.common import Context, parse_date, period_arg
from fazhi_desktop.models.periods import period_of
from fazhi_desktop.models.records import LedgerRecord, TaskRecord
from fazhi_desktop.services import demo, ledgers, tasks


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("demo", parents=[parent], help="数据库为空时创建演示台账")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("list", parents=[parent], help="列出台账及其任务")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（UTF-8）")
    p.add_argument("--ledger", type=int, metavar="ID", help="只列出该编号的台账")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("set-progress", parents=[parent], help="填写某项任务的进展情况")
    p.add_argument(
        "--ledger", type=int, metavar="ID", help="台账编号（数据库只有一个台账时可省略）"
    )
    p.add_argument(
        "--period", type=period_arg, metavar="YYYY-MM", help="填报期间 YYYY-MM，默认本月"
    )
    p.add_argument("seq", metavar="序号", help="任务序号，如 3")
    p.add_argument("text", metavar="进展情况", help="进展情况文字")
    p.add_argument(
        "--base-version",
        type=int,
        metavar="N",
        help="单位模式：只在任务仍是第 N 版时保存，否则报告谁在何时改过（不覆盖）",
    )
    p.set_defaults(handler=cmd_set_progress)

    p = sub.add_parser("done", parents=[parent], help="标记任务已完成")
    p.add_argument(
        "--ledger", type=int, metavar="ID", help="台账编号（数据库只有一个台账时可省略）"
    )
    p.add_argument(
        "--on", type=parse_date, metavar="YYYY-MM-DD", help="完成日期 YYYY-MM-DD，默认今天"
    )
    p.add_argument("seq", metavar="序号", help="任务序号")
    p.set_defaults(handler=cmd_done)


def cmd_demo(ctx: Context, _args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        ledger_id = demo.create_demo(session, ctx.today)
    if ledger_id is None:
        print("数据库中已有台账，未创建演示台账。")
    else:
        print(f"已创建演示台账，编号 {ledger_id}。")
    return 0


def task_json(task: TaskRecord) -> dict[str, Any]:
    return {
        "seq": task.seq,
        "task": task.title,
        "requirements": list(task.requirements),
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "deadline_text": task.deadline_text,
        "progress": task.progress,
        "department": task.department,
        "partners": task.partners,
        "owner": task.owner,
        "note": task.note,
        "done": task.done,
        "status": task.status.value,
    }


def ledger_json(ledger: LedgerRecord) -> dict[str, Any]:
    return {
        "id": ledger.id,
        "title": ledger.title,
        "year": ledger.year,
        "unit": ledger.unit,
        "tasks": [task_json(t) for t in ledger.tasks],
    }


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        ids = (
            [ledgers.resolve_ledger_id(session, args.ledger)]
            if args.ledger is not None
            else [s.id for s in ledgers.list_ledgers(session)]
        )
        records = [
            ledgers.load_record(
                session, i, today=ctx.today, due_soon_days=ctx.settings.due_soon_days
            )
            for i in ids
        ]
    if args.json:
        out = json.dumps([ledger_json(r) for r in records], ensure_ascii=False, indent=2)
        sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
        sys.stdout.flush()
        return 0
    for record in records:
        print(
            f"[{record.id}] {record.title}"
            f"（{record.year or '年份未知'}，{record.unit or '单位未填'}）"
        )
        for t in record.tasks:
            print(f"  {t.seq:>4}  {t.status.value:<5}  {t.deadline_text:<10}  {t.title}")
    if not records:
        print("数据库中还没有台账。可运行 `fazhi demo` 创建演示台账。")
    return 0


def cmd_set_progress(ctx: Context, args: argparse.Namespace) -> int:
    period = args.period or period_of(ctx.today)
    with ctx.transaction() as session:
        ledger_id = ledgers.resolve_ledger_id(session, args.ledger)
        task_id = tasks.find_task_by_seq(session, ledger_id, args.seq)
        tasks.set_progress(session, task_id, period, args.text, base_version=args.base_version)
    print(f"已保存序号 {args.seq} 在 {period} 的进展情况。")
    return 0


def cmd_done(ctx: Context, args: argparse.Namespace) -> int:
    on = args.on or ctx.today
    with ctx.transaction() as session:
        ledger_id = ledgers.resolve_ledger_id(session, args.ledger)
        task_id = tasks.find_task_by_seq(session, ledger_id, args.seq)
        tasks.set_done(session, task_id, True, on)
    print(f"已将序号 {args.seq} 标记为完成（{on.isoformat()}）。")
    return 0
