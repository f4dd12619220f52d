"""``fazhi annual-report``: the .docx first draft of the year's 法治政府建设情况报告."""

from __future__ import annotations

import argparse
from pathlib import Path

from fazhi_desktop.cli.common import Context, positive_int
from fazhi_desktop.errors import UsageError
from fazhi_desktop.services import annual_report


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "annual-report",
        parents=[parent],
        help="生成法治政府建设年度报告初稿（Word .docx）",
        description="根据全年台账生成《关于某年法治政府建设情况的报告》初稿（.docx）。",
    )
    p.add_argument("--year", type=positive_int, required=True, metavar="YYYY", help="报告年度")
    p.add_argument(
        "--ledger",
        type=int,
        nargs="+",
        action="extend",
        metavar="ID",
        help="汇总的台账编号，可写多个（默认：该年度的全部工作台账）",
    )
    p.add_argument("--unit", help="报告单位（默认取台账的填报单位）")
    p.add_argument("-o", "--output", required=True, metavar="FILE.docx", help="输出文件")
    p.set_defaults(handler=cmd_annual_report)


def cmd_annual_report(ctx: Context, args: argparse.Namespace) -> int:
    target = Path(args.output)
    if target.suffix.lower() != ".docx":
        raise UsageError(f"输出文件“{target}”应以 .docx 结尾，例如 -o 年度报告.docx。")
    with ctx.transaction() as session:
        report = annual_report.build_annual_report(
            session,
            args.year,
            today=ctx.today,
            ledger_ids=args.ledger,
            unit=args.unit,
            due_soon_days=ctx.settings.due_soon_days,
        )
    annual_report.write_report(report, target)
    c = report.counts
    print(
        f"已生成年度报告初稿：{target}（{report.year}年，共{c.total}项任务，已完成{c.done}项，"
        f"未完成{c.open}项）"
    )
    for warning in report.warnings:
        print(f"  注意：{warning}")
    return 0
