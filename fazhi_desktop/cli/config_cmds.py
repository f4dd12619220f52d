"""``fazhi config``: per-ledger settings (in the database) and program settings (settings.json)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from fazhi_desktop.cli.common import Context
from fazhi_desktop.errors import UsageError
from fazhi_desktop.services import config, ledgers, submit


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "config",
        parents=[parent],
        help="查看或修改设置（台账设置与程序设置）",
        description=(
            "用 键=值 修改设置，例如：fazhi config mailbox=6666209@163.com report_day=25。"
            f"台账设置：{'、'.join(config.LEDGER_KEYS)}。"
            f"程序设置：{'、'.join(config.PROGRAM_KEYS)}。"
        ),
    )
    p.add_argument("assignments", nargs="*", metavar="KEY=VALUE", help="要修改的设置项")
    p.add_argument("--ledger", type=int, help="台账编号（数据库只有一个台账时可省略）")
    p.add_argument("--list", action="store_true", help="列出当前设置")
    p.add_argument("--json", action="store_true", help="以 JSON 列出（与 --list 一起用）")
    p.add_argument(
        "--set-password",
        action="store_true",
        help="把 SMTP 密码保存到系统密钥库（从标准输入或提示读取，不写入任何文件）",
    )
    p.add_argument("--forget-password", action="store_true", help="从系统密钥库删除 SMTP 密码")
    p.set_defaults(handler=cmd_config)


def cmd_config(ctx: Context, args: argparse.Namespace) -> int:
    if args.set_password or args.forget_password:
        return _password(ctx, args)
    if args.assignments:
        _apply(ctx, args)
    if args.list or not args.assignments:
        _print(ctx, args)
    return 0


def _apply(ctx: Context, args: argparse.Namespace) -> None:
    changes = config.parse_changes(args.assignments)
    if changes.ledger:
        with ctx.transaction() as session:
            ledger_id = ledgers.resolve_ledger_id(session, args.ledger)
            config.apply_ledger(session, ledger_id, changes.ledger)
        for key, value in changes.ledger.items():
            label = config.LEDGER_KEYS[key].label
            print(f"台账 {ledger_id}：{label}（{key}）= {config.describe(value)}")
    if changes.program:
        config.apply_program(ctx.settings, changes.program)
        ctx.settings.save()
        for key, value in changes.program.items():
            print(f"程序设置：{config.PROGRAM_KEYS[key].label}（{key}）= {config.describe(value)}")


def _print(ctx: Context, args: argparse.Namespace) -> None:
    ledger_id: int | None = None
    ledger_values: dict[str, object] = {}
    with ctx.transaction() as session:
        try:
            ledger_id = ledgers.resolve_ledger_id(session, args.ledger)
        except UsageError:
            if args.ledger is not None:
                raise
        else:
            ledger_values = config.ledger_values(session, ledger_id)
    program = config.program_values(ctx.settings)
    if args.json:
        out = {"ledger_id": ledger_id, "ledger": ledger_values, "program": program}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if ledger_id is not None:
        print(f"[台账 {ledger_id} 的设置]")
        for key, value in ledger_values.items():
            print(f"{key}={config.describe(value)}    # {config.LEDGER_KEYS[key].label}")
    else:
        print("[台账设置] 数据库中有多个台账或还没有台账，请用 --ledger 指定。")
    print("[程序设置]")
    for key, value in program.items():
        print(f"{key}={config.describe(value)}    # {config.PROGRAM_KEYS[key].label}")


def _password(ctx: Context, args: argparse.Namespace) -> int:
    host, user = ctx.settings.smtp_host.strip(), ctx.settings.smtp_user.strip()
    if not host or not user:
        raise UsageError("请先设置 smtp_host 和 smtp_user，再保存密码。")
    if args.forget_password:
        submit.forget_password(host, user)
        print(f"已从系统密钥库删除 {user}@{host} 的密码。")
        return 0
    password = read_password(f"{user}@{host} 的密码：")
    if not submit.save_password(host, user, password):
        raise UsageError(
            "这台电脑没有可用的系统密钥库，密码无法保存。发送时会每次询问密码"
            "（也可用 --password-stdin 传入），密码不会写入任何文件。"
        )
    print(f"已把 {user}@{host} 的密码保存到系统密钥库。")
    return 0


def read_password(prompt: str) -> str:
    """From a terminal, ask without echo; from a pipe, read one line (for scripts)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")
