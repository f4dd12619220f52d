"""``fazhi config``: per-ledger settings (in the database) and program settings (settings.json)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass

from fazhi_desktop.cli.common import Context
from fazhi_desktop.errors import UsageError
from fazhi_desktop.services import collect, config, ledgers, submit


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "config",
        parents=[parent],
        help="查看或修改设置（台账设置与程序设置）",
        description=(
            "用 键=值 修改设置，例如：fazhi config mailbox=fazhiban@example.com report_day=25。"
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
    p.add_argument(
        "--set-imap-password",
        action="store_true",
        help="把收取报送的 IMAP 邮箱密码保存到系统密钥库（从标准输入或提示读取）",
    )
    p.add_argument(
        "--forget-imap-password", action="store_true", help="从系统密钥库删除 IMAP 密码"
    )
    p.set_defaults(handler=cmd_config)


def cmd_config(ctx: Context, args: argparse.Namespace) -> int:
    if args.set_password or args.forget_password:
        return _password(ctx, _SMTP, args.forget_password)
    if args.set_imap_password or args.forget_imap_password:
        return _password(ctx, _IMAP, args.forget_imap_password)
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
        ctx.settings = config.save_program(changes.program)
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


@dataclass(frozen=True, slots=True)
class _Account:
    """A mail account whose password the keyring keeps: SMTP (报送, 催报) or IMAP (收取)."""

    prefix: str
    label: str
    use: str
    save: Callable[[str, str, str], bool]
    forget: Callable[[str, str], None]


_SMTP = _Account("smtp", "", "发送", submit.save_password, submit.forget_password)
_IMAP = _Account("imap", "收件邮箱 ", "收取", collect.save_password, collect.forget_password)


def _password(ctx: Context, account: _Account, forget: bool) -> int:
    host = str(getattr(ctx.settings, f"{account.prefix}_host")).strip()
    user = str(getattr(ctx.settings, f"{account.prefix}_user")).strip()
    if not host or not user:
        raise UsageError(f"请先设置 {account.prefix}_host 和 {account.prefix}_user，再保存密码。")
    who = f"{account.label}{user}@{host}"
    if forget:
        account.forget(host, user)
        print(f"已从系统密钥库删除 {who} 的密码。")
        return 0
    password = read_password(f"{who} 的密码：")
    if not account.save(host, user, password):
        raise UsageError(
            f"这台电脑没有可用的系统密钥库，密码无法保存。{account.use}时会每次询问密码"
            "（也可用 --password-stdin 传入），密码不会写入任何文件。"
        )
    print(f"已把 {who} 的密码保存到系统密钥库。")
    return 0


def read_password(prompt: str) -> str:
    """From a terminal, ask without echo; from a pipe, read one line (for scripts)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")
