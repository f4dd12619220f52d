"""``fazhi new-summary``, ``consolidate``, ``report-status``, ``export-summary``: the office's
汇总 of many returns."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fazhi_desktop.cli.common import Context, parse_date, period_arg
from fazhi_desktop.errors import UsageError
from fazhi_desktop.services import (
    backups,
    consolidate,
    remind,
    summary,
    summary_export,
    summary_views,
    unit_contacts,
)
from fazhi_desktop.vocab.kinds import ReportState

RETURN_SUFFIXES = consolidate.RETURN_SUFFIXES


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("new-summary", parents=[parent], help="以方案或台账为模板建立汇总台账")
    p.add_argument(
        "--from",
        dest="template",
        type=int,
        required=True,
        metavar="LEDGER_ID",
        help="作为模板的方案或台账编号",
    )
    p.add_argument(
        "--units", metavar="单位A,单位B", help="应报送的单位（默认取模板的全部责任单位）"
    )
    p.set_defaults(handler=cmd_new_summary)

    p = sub.add_parser("consolidate", parents=[parent], help="把各单位报送的 Excel 导入汇总台账")
    p.add_argument("--ledger", type=int, required=True, help="汇总台账编号")
    p.add_argument("files", nargs="+", metavar="FILE", help="报送的 .xlsx 文件或文件夹")
    p.add_argument("--period", type=period_arg, help="这批报送所属期间 YYYY-MM（默认从文件判断）")
    p.add_argument(
        "--received", type=parse_date, metavar="YYYY-MM-DD", help="收到日期（默认取文件的修改日期）"
    )
    p.set_defaults(handler=cmd_consolidate)

    p = sub.add_parser("report-status", parents=[parent], help="某期各单位的报送情况（催报用）")
    p.add_argument("--ledger", type=int, required=True, help="汇总台账编号")
    p.add_argument("--period", type=period_arg, required=True, help="期间 YYYY-MM")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 reported / late / missing")
    p.set_defaults(handler=cmd_report_status)

    p = sub.add_parser("summary-units", parents=[parent], help="查看或修改汇总台账的应报单位名单")
    p.add_argument("--ledger", type=int, required=True, help="汇总台账编号")
    p.add_argument("--set", metavar="单位A,单位B", help="用这份名单替换原名单")
    p.add_argument(
        "--mail",
        action="append",
        default=[],
        metavar="单位=地址[;地址]",
        help="设置单位的联系邮箱（催报发往此处；留空清除），可多次使用",
    )
    p.set_defaults(handler=cmd_summary_units)

    p = sub.add_parser(
        "export-summary", parents=[parent], help="导出汇总台账（各单位进展、未报送单位、统计图）"
    )
    p.add_argument("--ledger", type=int, required=True, help="汇总台账编号")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件：.xlsx 或 .pdf")
    p.add_argument(
        "--period", type=period_arg, help="期间 YYYY-MM（默认按汇总台账的报送规则取本期）"
    )
    p.set_defaults(handler=cmd_export_summary)


def _split(text: str) -> list[str]:
    return [u.strip() for u in text.replace("，", ",").replace("、", ",").split(",") if u.strip()]


def cmd_new_summary(ctx: Context, args: argparse.Namespace) -> int:
    units = _split(args.units) if args.units is not None else None
    with ctx.transaction() as session:
        ledger_id = summary.create_summary(session, args.template, units=units)
        names = summary.units_of(session, ledger_id)
    print(ledger_id)
    print(f"已建立汇总台账 {ledger_id}，应报单位 {len(names)} 个：{'、'.join(names)}")
    return 0


def expand(files: list[str]) -> list[Path]:
    """Files as given, and the workbooks inside any folder given (sorted, not recursive)."""
    out: list[Path] = []
    for item in files:
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in RETURN_SUFFIXES and not p.name.startswith("~$")
            )
            if not found:
                raise UsageError(f"文件夹“{path}”里没有 Excel 文件。")
            out.extend(found)
        elif not path.exists():
            raise UsageError(f"找不到文件“{path}”。")
        else:
            out.append(path)
    return out


def cmd_consolidate(ctx: Context, args: argparse.Namespace) -> int:
    paths = expand(args.files)
    with ctx.transaction() as session:
        summary.require_summary(session, args.ledger)
    # A batch changes many rows at once: keep the database as it was, to go back to.
    backups.backup_before(ctx.db, backups.CONSOLIDATION)
    result = consolidate.consolidate(
        ctx.db,
        args.ledger,
        paths,
        today=ctx.today,
        period=args.period,
        received_on=args.received,
    )
    for outcome in result.outcomes:
        mark = "✓" if outcome.ok else "✗"
        print(f"{mark} {outcome.file}：{outcome.message}")
    imported, failed = len(result.imported), len(result.failed)
    print(f"共 {len(paths)} 个文件：导入 {imported} 个，失败 {failed} 个。")
    return 2 if failed else 0


def cmd_report_status(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        report = summary_views.period_report(session, args.ledger, args.period)
        reminded: dict[str, list[str]] = {}
        for sent in remind.reminders_of(session, args.ledger, args.period):
            reminded.setdefault(sent.unit, []).append(f"{sent.local_time:%Y-%m-%d %H:%M}")
    if args.json:
        out = {
            "period": report.period,
            "due": report.due.isoformat(),
            "reported": report.names(ReportState.REPORTED),
            "late": report.names(ReportState.LATE),
            "missing": report.names(ReportState.MISSING),
            "units": [
                {
                    "unit": u.unit,
                    "state": u.state,
                    "received": u.received_on.isoformat() if u.received_on else None,
                    "file": u.file_name,
                    "expected": u.expected,
                    "reminded": reminded.get(u.unit, []),
                }
                for u in report.units
            ],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"{report.label}（{report.due.month}月{report.due.day}日截止）报送情况：")
    for u in report.units:
        when = f"  {u.received_on:%Y-%m-%d} 收到" if u.received_on else ""
        extra = "（不在名单中）" if not u.expected else ""
        times = reminded.get(u.unit, [])
        nudged = f"  已催报 {len(times)} 次（最近 {times[-1]}）" if times else ""
        print(f"  {u.state}  {u.unit}{extra}{when}{nudged}")
    print("  " + report.counts_text())
    return 0


def cmd_summary_units(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        if args.set is not None:
            names = summary.set_units(session, args.ledger, _split(args.set))
        else:
            summary.require_summary(session, args.ledger)
            names = summary.units_of(session, args.ledger)
        if args.mail:
            pairs = dict(unit_contacts.parse_assignment(text) for text in args.mail)
            unit_contacts.set_contacts(session, args.ledger, pairs)
        contacts = unit_contacts.contacts_of(session, args.ledger)
    for name in names:
        print(f"{name}\t{contacts[name]}" if name in contacts else name)
    return 0


def cmd_export_summary(ctx: Context, args: argparse.Namespace) -> int:
    target = Path(args.output)
    summary_export.check_target(target)
    with ctx.transaction() as session:
        snap = summary_export.snapshot(
            session,
            args.ledger,
            today=ctx.today,
            period=args.period,
            due_soon_days=ctx.settings.due_soon_days,
        )
    pages = summary_export.export_summary(snap, target, ctx.settings)
    extra = f"（共 {pages} 页）" if pages is not None else ""
    print(f"已导出 {snap.period_label}汇总台账：{target}{extra}")
    missing = snap.missing_units
    if missing:
        print(f"  未报送 {len(missing)} 个单位：{'、'.join(missing)}")
    return 0
