"""``fazhi submit`` (报送 the period's xlsx as a mail draft or over SMTP) and ``submissions``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fazhi_desktop.cli.common import Context, period_arg
from fazhi_desktop.cli.config_cmds import read_password
from fazhi_desktop.errors import UsageError
from fazhi_desktop.services import ledgers, submit


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "submit",
        parents=[parent],
        help="报送：导出本期 Excel 并生成邮件草稿或直接发送",
        description="按标准文件名导出本期台账，生成 .eml 邮件草稿（--eml）"
        "或经 SMTP 直接发送（--smtp），"
        "并记入报送记录。",
    )
    p.add_argument("--ledger", type=int, help="台账编号（数据库只有一个台账时可省略）")
    p.add_argument("--period", type=period_arg, help="填报期间 YYYY-MM（默认为当前期间）")
    route = p.add_mutually_exclusive_group(required=True)
    route.add_argument("--eml", metavar="OUT.eml", help="生成邮件草稿，附件 Excel 存在同一文件夹")
    route.add_argument("--smtp", action="store_true", help="用程序设置中的 SMTP 服务器直接发送")
    p.add_argument("--dir", metavar="DIR", help="Excel 附件存放的文件夹")
    p.add_argument(
        "--password-stdin", action="store_true", help="从标准输入读取 SMTP 密码（供脚本使用）"
    )
    p.set_defaults(handler=cmd_submit)

    p = sub.add_parser("submissions", parents=[parent], help="查看报送记录")
    p.add_argument("--ledger", type=int, help="只看该台账的记录")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_submissions)


def cmd_submit(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        ledger_id = ledgers.resolve_ledger_id(session, args.ledger)
        prepared = submit.prepare(
            session, ledger_id, today=ctx.today, settings=ctx.settings, period=args.period
        )
    if args.eml:
        eml = Path(args.eml)
        if eml.suffix.lower() != ".eml":
            raise UsageError(f"邮件草稿文件“{eml.name}”应以 .eml 结尾。")
        folder = Path(args.dir) if args.dir else eml.parent
        route = submit.ROUTE_EML
        attachment = submit.deliver(prepared, folder, ctx.settings, route=route, eml=eml)
    else:
        folder = Path(args.dir) if args.dir else submit.default_folder(ctx.settings)
        server = submit.server_of(ctx.settings)
        password = _password(server, args)
        route = submit.ROUTE_SMTP
        attachment = submit.deliver(
            prepared, folder, ctx.settings, route=route, password=password
        )
    with ctx.transaction() as session:
        done = submit.record(session, prepared, route=route, attachment=attachment)
    print(f"已导出：{attachment}")
    if route == submit.ROUTE_EML:
        print(
            f"已生成邮件草稿：{args.eml}（收件人 {prepared.to}，双击用 Outlook/Foxmail 打开后发送）"
        )
    else:
        print(f"已发送到 {prepared.to}：{prepared.subject}")
    print(f"已记入报送记录（{prepared.period_label}，SHA-256 {done.sha256}）。")
    return 0


def _password(server: submit.Server, args: argparse.Namespace) -> str | None:
    if not server.user:
        return None
    if args.password_stdin:
        return read_password("")
    stored = submit.saved_password(server)
    if stored is not None:
        return stored
    return read_password(f"{server.user}@{server.host} 的密码：")


def cmd_submissions(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        rows = submit.list_submissions(session, args.ledger)
    if args.json:
        out = [
            {
                "id": r.id,
                "ledger_id": r.ledger_id,
                "period": r.period,
                "submitted_at": r.submitted_at.isoformat() + "Z",
                "route": r.route,
                "recipient": r.recipient,
                "file_name": r.file_name,
                "file_path": r.file_path,
                "sha256": r.sha256,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("还没有报送记录。")
    for r in rows:
        print(
            f"{r.local_time:%Y-%m-%d %H:%M}  台账{r.ledger_id}  {r.period}  {r.route_label}  "
            f"→ {r.recipient}  {r.file_name}  SHA-256 {r.sha256[:16]}…"
        )
    return 0
