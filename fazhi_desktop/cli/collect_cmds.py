"""``fazhi collect`` (take the returns from the collection mailbox) and ``remind`` (催报 the units
that have not reported)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fazhi_desktop.cli.common import Context, parse_date, period_arg
from fazhi_desktop.cli.config_cmds import read_password
from fazhi_desktop.errors import UsageError, os_error_text
from fazhi_desktop.services import collect, remind, submit, summary


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "collect",
        parents=[parent],
        help="从报送邮箱收取各单位的报送文件并导入汇总台账",
        description="用程序设置中的 IMAP 邮箱（imap_host 等）收取报送邮件，附件中的 Excel 与 "
        "consolidate 一样导入汇总台账。已收取的邮件不会重复导入；邮箱中的邮件不删除、不移动。",
    )
    p.add_argument("--ledger", type=int, required=True, help="汇总台账编号")
    p.add_argument("--since", type=parse_date, metavar="YYYY-MM-DD", help="只看这一天及以后的邮件")
    p.add_argument("--period", type=period_arg, help="这批报送所属期间 YYYY-MM（默认从文件判断）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出每个附件的结果")
    p.add_argument(
        "--password-stdin", action="store_true", help="从标准输入读取 IMAP 密码（供脚本使用）"
    )
    p.set_defaults(handler=cmd_collect)

    p = sub.add_parser(
        "remind",
        parents=[parent],
        help="给本期未报送的单位发催报邮件",
        description="给某期未报送的每个单位写一封催报邮件（收件人为 summary-units --mail 设置的"
        "地址），生成 .eml 草稿（--eml DIR）或经 SMTP 直接发送（--smtp），并记入催报记录。",
    )
    p.add_argument("--ledger", type=int, required=True, help="汇总台账编号")
    p.add_argument("--period", type=period_arg, required=True, help="期间 YYYY-MM")
    route = p.add_mutually_exclusive_group(required=True)
    route.add_argument("--eml", metavar="DIR", help="把每封催报邮件写成 .eml 草稿存入该文件夹")
    route.add_argument("--smtp", action="store_true", help="用程序设置中的 SMTP 服务器直接发送")
    p.add_argument("--dry-run", action="store_true", help="只列出将要催报的单位，不写不发")
    p.add_argument(
        "--password-stdin", action="store_true", help="从标准输入读取 SMTP 密码（供脚本使用）"
    )
    p.set_defaults(handler=cmd_remind)


def cmd_collect(ctx: Context, args: argparse.Namespace) -> int:
    server = collect.server_of(ctx.settings)
    collect.check_server(server)
    with ctx.transaction() as session:
        summary.require_summary(session, args.ledger)
    if args.password_stdin:
        password: str | None = read_password("")
    else:
        password = collect.saved_password(server)
        if password is None:
            password = read_password(f"{server.user}@{server.host} 的密码：")
    result = collect.collect(
        ctx.db,
        args.ledger,
        server,
        password,
        today=ctx.today,
        since=args.since,
        period=args.period,
    )
    if args.json:
        out = {
            "new_mails": result.new_mails,
            "items": [
                {
                    "outcome": i.outcome,
                    "file": i.file,
                    "message": i.message,
                    "subject": i.subject,
                    "sender": i.sender,
                    "unit": i.unit,
                    "period": i.period,
                }
                for i in result.items
            ],
            "error": result.error or None,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for item in result.items:
            if item.outcome == collect.SKIPPED:
                print(f"- 跳过“{item.subject}”（{item.sender}）：{item.message}")
            else:
                print(f"{item.mark} {item.file}：{item.message}")
        print(result.summary_line())
    if result.error:
        print(f"错误：{result.error}", file=sys.stderr)
    return 2 if result.error or result.of(collect.REFUSED) else 0


def cmd_remind(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        plan = remind.plan(
            session, args.ledger, args.period, settings=ctx.settings, today=ctx.today
        )
    if not plan.letters:
        print(f"{plan.period_label}应报单位均已报送，无需催报。")
        return 0
    for unit in plan.without_address:
        print(
            f"✗ {unit}：没有联系邮箱，无法催报。请用 fazhi summary-units --ledger {args.ledger} "
            f"--mail {unit}=邮箱地址 设置。",
            file=sys.stderr,
        )
    if args.dry_run:
        for letter in plan.writable:
            print(f"将催报 {letter.unit} → {letter.to}")
        print(f"（试运行：{len(plan.writable)} 个单位将收到催报，未写邮件，未记录。）")
        return 2 if plan.without_address else 0
    if args.eml:
        _remind_eml(ctx, plan, Path(args.eml))
    elif plan.writable:
        _remind_smtp(ctx, plan, args)
    return 2 if plan.without_address else 0


def _remind_eml(ctx: Context, plan: remind.ReminderPlan, folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"“{folder}”是一个文件，不是文件夹。请在 --eml 后写一个文件夹。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法使用文件夹“{folder}”存放催报邮件：{os_error_text(exc)}") from exc

    def done(letter: remind.Letter, path: str) -> None:
        print(f"✓ {letter.unit} → {letter.to}：已生成催报草稿 {path}")

    remind.deliver(ctx.db, plan, ctx.settings, route=remind.ROUTE_EML, folder=folder, done=done)


def _remind_smtp(ctx: Context, plan: remind.ReminderPlan, args: argparse.Namespace) -> None:
    server = submit.server_of(ctx.settings)
    password: str | None = None
    if server.user:
        password = read_password("") if args.password_stdin else submit.saved_password(server)
        if password is None:
            password = read_password(f"{server.user}@{server.host} 的密码：")

    def done(letter: remind.Letter, _path: str) -> None:
        print(f"✓ {letter.unit} → {letter.to}：已发送催报")

    # A failure raises: the units already written stay recorded, the rest are not.
    remind.deliver(
        ctx.db, plan, ctx.settings, route=remind.ROUTE_SMTP, password=password, done=done
    )
