"""``fazhi office init|add-user|users|import-local`` and ``fazhi history`` (单位模式)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from fazhi_desktop.cli.common import Context
from fazhi_desktop.services import ledgers, office, tasks


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "office", parents=[parent], help="单位模式：初始化单位数据库、管理用户、迁入本机数据"
    )
    office_sub = p.add_subparsers(dest="office_command", metavar="操作", required=True)
    q = office_sub.add_parser(
        "init", parents=[parent], help="初始化单位数据库（权限规则、留痕），本人成为管理员"
    )
    q.add_argument("--name", default="", help="本人姓名")
    q.add_argument("--department", default="", help="本人科室")
    q.set_defaults(handler=cmd_init)

    q = office_sub.add_parser("add-user", parents=[parent], help="添加一个用户（管理员操作）")
    q.add_argument("login", metavar="LOGIN", help="登录名（小写英文字母、数字、下划线）")
    q.add_argument("--name", required=True, help="姓名，如 张三")
    q.add_argument("--department", default="", help="科室，如 政法科")
    q.add_argument("--admin", action="store_true", help="设为管理员（可修改全部任务、添加用户）")
    q.add_argument(
        "--password-stdin", action="store_true", required=True, help="从标准输入读入密码"
    )
    q.set_defaults(handler=cmd_add_user)

    q = office_sub.add_parser("users", parents=[parent], help="列出用户")
    q.add_argument("--json", action="store_true", help="以 JSON 输出（UTF-8）")
    q.set_defaults(handler=cmd_users)

    q = office_sub.add_parser(
        "import-local", parents=[parent], help="把本机数据库文件中的台账复制到单位数据库"
    )
    q.add_argument("file", metavar="文件.sqlite3", help="本机的数据库文件")
    q.set_defaults(handler=cmd_import_local)

    p = sub.add_parser("history", parents=[parent], help="查看全程留痕（谁在何时改了什么）")
    p.add_argument("--ledger", type=int, metavar="ID", required=True, help="台账编号")
    p.add_argument("--seq", metavar="N", help="只看该序号的任务")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（UTF-8）")
    p.set_defaults(handler=cmd_history)


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.transaction() as session:
        login = office.init_office(session, name=args.name, department=args.department)
    print(f"单位数据库已初始化，“{login}”是管理员。下一步：fazhi office add-user 添加各科室人员。")
    return 0


def cmd_add_user(ctx: Context, args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    with ctx.transaction() as session:
        office.add_user(
            session,
            args.login,
            name=args.name,
            department=args.department,
            password=password,
            admin=args.admin,
        )
    role = "管理员" if args.admin else f"{args.department}人员"
    print(f"已添加用户“{args.login}”（{args.name}，{role}）。")
    return 0


def cmd_users(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.db.session() as session:
        found = office.users(session)
    if args.json:
        data = [
            {"login": u.login, "name": u.name, "department": u.department, "admin": u.admin}
            for u in found
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for u in found:
        print(f"{u.login:<16} {u.name:<8} {u.department:<10} {'管理员' if u.admin else ''}")
    return 0


def cmd_import_local(ctx: Context, args: argparse.Namespace) -> int:
    from fazhi_desktop.services import office_import

    report = office_import.import_local(ctx.db, Path(args.file))
    print(report.summary())
    return 0


def cmd_history(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.db.session() as session:
        ledger_id = ledgers.resolve_ledger_id(session, args.ledger)
        task_id = tasks.find_task_by_seq(session, ledger_id, args.seq) if args.seq else None
        changes = office.history(session, ledger_id, task_id)
    if args.json:
        data = [{**asdict(c), "at": c.at.isoformat()} for c in changes]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not changes:
        print("没有修改记录。")
        return 0
    for c in changes:
        who = f"{c.who_name}（{c.who}）" if c.who_name else c.who
        where = f"序号 {c.seq} " if c.seq else ""
        old = "（空）" if c.old in (None, "") else c.old
        new = "（删除）" if c.new is None else c.new
        when = f"{c.at.astimezone():%Y-%m-%d %H:%M:%S}"
        print(f"{when}  {who}  {where}{office.field_label(c)}：{old} → {new}")
    return 0
