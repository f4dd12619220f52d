"""``fazhi import-plan``, ``link-plan``, ``set-link`` and ``unlink``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fazhi_desktop.cli.common import Context
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.services import backups, plans, tasks
from fazhi_desktop.services.plan_drafts import Unplaced


def year_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是年份，应为四位数字，例如 2024") from None
    if not 1900 <= value <= 2199:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效年份（1900–2199）")
    return value


def level_arg(text: str) -> int:
    if text.strip() not in ("1", "2", "3", "4", "5"):
        raise argparse.ArgumentTypeError(
            f"“{text}”不是任务层级，应为 1 到 5：1 为“一、”，2 为“（一）”，3 为“1.”，"
            "4 为“（1）”，5 为“①”"
        )
    return int(text)


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字，应在 0 到 100 之间") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"“{text}”应在 0 到 100 之间")
    return value


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("import-plan", parents=[parent], help="从方案（.docx/.txt）新建方案台账")
    p.add_argument("file", metavar="FILE", help="方案文件：Word 文档（.docx）或纯文本（.txt）")
    p.add_argument("--year", type=year_arg, help="方案年份（标题中没有年份或不对时指定）")
    p.add_argument("--title", help="方案标题（默认取文件中的标题）")
    p.add_argument(
        "--level",
        type=level_arg,
        metavar="N",
        help="哪一级编号是任务：1 为“一、”，2 为“（一）”，3 为“1.”，4 为“（1）”，5 为“①”"
        "（默认按责任单位、完成时限所在的位置自动判断）",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出解析结果（UTF-8）")
    p.add_argument("--dry-run", action="store_true", help="只解析并显示结果，不保存")
    p.set_defaults(handler=cmd_import_plan)

    p = sub.add_parser("link-plan", parents=[parent], help="按标题相似度把台账任务关联到方案任务")
    p.add_argument("--ledger", type=int, metavar="ID", help="台账编号（只有一个台账时可省略）")
    p.add_argument("--plan", type=int, metavar="ID", help="方案编号（只有一个方案时可省略）")
    p.add_argument(
        "--threshold",
        type=_threshold,
        default=plans.DEFAULT_THRESHOLD,
        metavar="0-100",
        help=f"相似度达到多少才关联（默认 {plans.DEFAULT_THRESHOLD:.0f}）",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出关联结果（UTF-8）")
    p.add_argument("--dry-run", action="store_true", help="只显示将如何关联，不保存")
    p.set_defaults(handler=cmd_link_plan)

    p = sub.add_parser("set-link", parents=[parent], help="手工把一项台账任务关联到方案任务")
    p.add_argument("--ledger", type=int, metavar="ID", help="台账编号（只有一个台账时可省略）")
    p.add_argument("--plan", type=int, metavar="ID", help="方案编号（只有一个方案时可省略）")
    p.add_argument("seq", metavar="序号", help="台账任务的序号，如 3")
    p.add_argument("plan_seq", metavar="方案序号", help="方案任务的序号，如 （六）、六 或 6")
    p.set_defaults(handler=cmd_set_link)

    p = sub.add_parser("unlink", parents=[parent], help="取消一项台账任务与方案任务的关联")
    p.add_argument("--ledger", type=int, metavar="ID", help="台账编号（只有一个台账时可省略）")
    p.add_argument("seq", metavar="序号", help="台账任务的序号")
    p.set_defaults(handler=cmd_unlink)


def write_json(data: Any) -> None:
    out = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
    sys.stdout.flush()


def unused_json(items: list[Unplaced]) -> list[dict[str, Any]]:
    return [{"line": u.number, "where": u.where, "text": u.text, "reason": u.reason} for u in items]


def tasks_json(draft: LedgerDraft) -> list[dict[str, Any]]:
    """The tasks, each with the row or line of the file it starts on (``line``)."""
    lines = draft.task_lines if len(draft.task_lines) == len(draft.tasks) else []
    out = [task_json(t) for t in draft.tasks]
    for item, line in zip(out, lines, strict=False):
        item["line"] = line
    return out


def task_json(task: TaskDraft) -> dict[str, Any]:
    return {
        "seq": task.seq,
        "section": task.section,
        "task": task.title,
        "requirements": list(task.requirements),
        "department": task.department,
        "partners": task.partners,
        "deadline_text": task.deadline_text,
        "deadline": task.deadline.isoformat() if task.deadline else None,
    }


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _runs(items: list[Unplaced]) -> list[list[Unplaced]]:
    """Consecutive unplaced lines with the same reason, grouped."""
    runs: list[list[Unplaced]] = []
    for item in items:
        if runs and runs[-1][-1].reason == item.reason:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def print_parse(draft: LedgerDraft, unused: list[Unplaced], *, with_tasks: bool) -> None:
    if with_tasks:
        section = None
        for task in draft.tasks:
            if task.section != section:
                section = task.section
                if section:
                    print(f"  【{section}】")
            print(f"  {task.seq} {task.title}")
            for i, req in enumerate(task.requirements, start=1):
                print(f"      {i}. {_short(req, 70)}")
            who = task.department + (f"（配合：{task.partners}）" if task.partners else "")
            print(f"      责任单位：{who or '未找到'}；完成时限：{task.deadline_text or '未找到'}")
    if unused:
        print(f"未归入任务的段落或表格行（{len(unused)} 处，请核对是否有遗漏的任务）：")
        for run in _runs(unused):
            first, last = run[0], run[-1]
            if len(run) < 4:
                for item in run:
                    print(f"  {item.where}：{_short(item.text, 40)}（{item.reason}）")
            else:
                # A long stretch for one reason (the notice before the plan): its ends only.
                print(
                    f"  {first.where}至{last.where}，共 {len(run)} 处（{first.reason}）："
                    f"{_short(first.text, 20)} …… {_short(last.text, 20)}"
                )
    for warning in draft.warnings:
        print(f"注意：{warning}")


def save_import(ctx: Context, dry_run: bool, save: Callable[[Session], int]) -> int | None:
    """Save an import (after the automatic backup) unless ``--dry-run``; the new ledger's id."""
    if dry_run:
        return None
    backups.backup_before(ctx.db, backups.IMPORT)
    with ctx.transaction() as session:
        return save(session)


def cmd_import_plan(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    parsed = plans.read_plan(path, title=args.title, year=args.year, level=args.level)
    draft = parsed.draft
    ledger_id = save_import(
        ctx, args.dry_run, lambda s: plans.save_plan(s, draft, today=ctx.today).ledger_id
    )
    if args.json:
        write_json(
            {
                "ledger_id": ledger_id,
                "title": draft.title,
                "year": draft.year,
                "source": draft.source,
                "level": parsed.level,
                "levels": list(parsed.levels),
                "tasks": tasks_json(draft),
                "unplaced": unused_json(parsed.unplaced),  # the name before `unused`
                "unused": unused_json(parsed.unplaced),
                "warnings": list(draft.warnings),
            }
        )
        return 0
    year = f"{draft.year}年" if draft.year else "年份未知"
    if ledger_id is None:
        print(
            f"解析“{path.name}”：方案“{draft.title}”（{year}），"
            f"共 {len(draft.tasks)} 项任务（未保存）。"
        )
    else:
        print(
            f"已导入方案“{draft.title}”（{year}）：新建方案编号 {ledger_id}，"
            f"共 {len(draft.tasks)} 项任务。"
        )
    print_parse(parsed.draft, parsed.unplaced, with_tasks=args.dry_run)
    if ledger_id is not None:
        print(
            f"下一步：`fazhi link-plan --ledger 台账编号 --plan {ledger_id}`"
            "，把台账任务关联到本方案。"
        )
    return 0


def cmd_link_plan(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        ledger_id = plans.resolve_linkable_ledger(session, args.ledger)
        plan_id = plans.resolve_plan_id(session, args.plan)
        if args.dry_run:
            proposals = plans.propose_links(session, ledger_id, plan_id, threshold=args.threshold)
        else:
            proposals = plans.link_plan(session, ledger_id, plan_id, threshold=args.threshold)
    linked = [p for p in proposals if p.plan_task_id is not None]
    if args.json:
        write_json(
            {
                "ledger_id": ledger_id,
                "plan_id": plan_id,
                "saved": not args.dry_run,
                "links": [
                    {
                        "seq": p.seq,
                        "task": p.title,
                        "plan_seq": p.plan_seq or None,
                        "plan_task": p.plan_title or None,
                        "score": round(p.score, 1),
                    }
                    for p in proposals
                ],
            }
        )
        return 0
    verb = "将关联" if args.dry_run else "已关联"
    print(
        f"台账 {ledger_id} → 方案 {plan_id}：{verb} {len(linked)} 项，"
        f"{len(proposals) - len(linked)} 项未关联（相似度阈值 {args.threshold:.0f}）。"
    )
    for p in linked:
        print(
            f"  {p.seq:>4} {_short(p.title, 28)}  →  {p.plan_seq} {_short(p.plan_title, 28)}"
            f"（{p.score:.0f}%）"
        )
    unlinked = [p for p in proposals if p.plan_task_id is None]
    if unlinked:
        print("未关联（方案中没有足够相似的任务，可用 `fazhi set-link 序号 方案序号` 手工关联）：")
        for p in unlinked:
            print(f"  {p.seq:>4} {p.title}")
    if args.dry_run:
        print("（--dry-run：未保存）")
    return 0


def cmd_set_link(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        ledger_id = plans.resolve_linkable_ledger(session, args.ledger)
        plan_id = plans.resolve_plan_id(session, args.plan)
        task_id = tasks.find_task_by_seq(session, ledger_id, args.seq)
        plan_task_id = plans.find_plan_task(session, plan_id, args.plan_seq)
        plans.set_link(session, task_id, plan_task_id)
        target = tasks.get_task(session, plan_task_id)
        label = f"{target.seq} {target.title}"
    print(f"已把台账 {ledger_id} 的序号 {args.seq} 关联到方案 {plan_id} 的“{label}”。")
    return 0


def cmd_unlink(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        ledger_id = plans.resolve_linkable_ledger(session, args.ledger)
        task_id = tasks.find_task_by_seq(session, ledger_id, args.seq)
        old = plans.set_link(session, task_id, None)
    if old is None:
        print(f"台账 {ledger_id} 的序号 {args.seq} 本来就没有关联方案任务。")
    else:
        print(f"已取消台账 {ledger_id} 的序号 {args.seq} 与方案任务的关联。")
    return 0
