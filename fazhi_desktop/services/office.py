"""单位模式 (a shared server database): setting it up, its users, and the record of changes.

The rules themselves (who may change what, the history trigger) live on the server
(models/office_schema.py); this module runs them and explains refusals in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from fazhi_desktop.errors import ConnectionLostError, PermissionDeniedError, UsageError
from fazhi_desktop.models import office_store, server_db
from fazhi_desktop.models.database import Database
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.office_store import Change, OfficeUser
from fazhi_desktop.models.orm import Task
from fazhi_desktop.models.server_db import is_connection_lost
from fazhi_desktop.models.server_listen import ChangeListener
from fazhi_desktop.vocab.columns import LABEL_OF_ATTR

# PostgreSQL role names the server takes without quoting, and an admin can type.
_LOGIN = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_NOT_SERVER = (
    "这是本机的数据库文件。单位模式的命令需要单位数据库：请用 --db postgresql://用户名@服务器:5432/fazhi"
    " 或设置环境变量 FAZHI_DB。"
)


def require_server(session: Session) -> None:
    if not office_store.is_server(session):
        raise UsageError(_NOT_SERVER)


def require_office(session: Session) -> None:
    require_server(session)
    if not office_store.office_ready(session):
        raise UsageError("单位数据库还没有初始化。请管理员先运行 `fazhi office init --db …`。")


def init_office(session: Session, *, name: str, department: str) -> str:
    """Set up roles, rules and the history on the server; the caller becomes the first admin."""
    require_server(session)
    login = office_store.current_login(session)
    if not office_store.may_create_roles(session):
        raise PermissionDeniedError(
            f"账号“{login}”不能创建数据库角色，无法初始化单位模式。请用有 CREATEROLE 权限的账号"
            "（如服务器管理员建立的 fazhi_admin）运行 `fazhi office init`。数据库未被改动。"
        )
    office_store.apply_office_schema(session)
    office_store.save_user(session, login, name or login, department)
    return login


def add_user(
    session: Session, login: str, *, name: str, department: str, password: str, admin: bool
) -> None:
    require_office(session)
    if not _LOGIN.fullmatch(login):
        raise UsageError(
            f"登录名“{login}”不可用：只能用小写英文字母、数字和下划线，且不以数字开头，"
            "如 zhangsan。中文姓名请写在 --name。"
        )
    if not password:
        raise UsageError("没有读到密码。请用 --password-stdin 从标准输入给出新用户的密码。")
    if not department.strip() and not admin:
        raise UsageError("请用 --department 写明该用户的科室，否则他不能修改任何任务。")
    if office_store.role_exists(session, login):
        raise UsageError(f"服务器上已有登录名“{login}”。请换一个登录名。")
    office_store.create_login(session, login, password, admin=admin)
    office_store.save_user(session, login, name.strip(), department.strip())


def users(session: Session) -> list[OfficeUser]:
    require_office(session)
    return office_store.list_users(session)


def history(session: Session, ledger_id: int, task_id: int | None = None) -> list[Change]:
    """Every recorded change of a ledger (or one task of it), oldest first."""
    require_office(session)
    return office_store.history(session, ledger_id, task_id)


@contextmanager
def keeping(unsaved: str = "") -> Iterator[None]:
    """Around a save (its statements and its commit): a server that went away mid-save is
    ConnectionLostError, carrying the text the user typed so the window keeps it.

    The engine checks each pooled connection before use, so the next save after the server is
    back reconnects by itself.
    """
    try:
        yield
    except DBAPIError as exc:
        if is_connection_lost(exc):
            raise ConnectionLostError(
                "与数据库的连接已断开，这次修改没有保存。您填写的内容仍保留着；"
                "请检查网络或询问管理员服务器是否在运行，连接恢复后再保存。",
                unsaved=unsaved,
            ) from exc
        raise


def refused_message(seq: str, department: str) -> str:
    """Why the server refused a change to a task: whose 科室 the row is."""
    owner = f"的责任科室是“{department}”" if department.strip() else "没有写责任科室"
    return (
        f"不能修改任务“{seq}”：该任务{owner}，只有该科室的人员或管理员可以修改它的进展、"
        "完成情况和备注。如需修改，请联系该科室或管理员。未保存任何改动。"
    )


def conflict_message(
    session: Session, task_id: int, seq: str, *, theirs: str, mine: str, updated_at: dt.datetime
) -> str:
    """ "已被 X 于 HH:MM 修改", with both texts, for a save based on an outdated version."""
    ready = office_store.office_ready(session)
    last = office_store.last_change(session, task_id) if ready else None
    if last is not None:
        who, when = last
        local = when.astimezone()
    else:
        who, local = "其他用户", updated_at.replace(tzinfo=dt.UTC).astimezone()
    return (
        f"任务“{seq}”已被 {who} 于 {local:%H:%M} 修改，您的保存没有覆盖它。\n"
        f"对方保存的：{theirs or '（空）'}\n您填写的：{mine or '（空）'}\n"
        "请选择保留哪一份（或合并两者）后再保存。"
    )


def remember_password(target: str, password: str) -> bool:
    """Keep a server password in the system keyring (never in a file); False without one."""
    return server_db.store_password(target, password)


def check_connection(target: str) -> None:
    """Open and close the server database: a bad address or password fails here, in Chinese."""
    open_database(target).close()


def watch_changes(database: Database, on_change: Callable[[str], None]) -> ChangeListener | None:
    """Call ``on_change(ledger id)`` (from another thread) when anyone changes the server's data."""
    if database.url is None:
        return None
    listener = ChangeListener(database.engine.url, on_change)
    listener.start()
    return listener


def open_with_password(target: str, password: str) -> Database:
    """Open the server database with a password the user typed (kept in no file)."""
    return open_database(server_db.with_password(target, password) if password else target)


def address_with_password(target: str, password: str) -> str:
    """``target`` with ``password`` in it, for this process's own connection only."""
    return server_db.with_password(target, password)


# Task columns the registry has no table label for, and the other tables as the user knows them.
_TASK_EXTRA = {
    "done": "是否完成",
    "done_on": "完成日期",
    "deadline_text": "完成时间",
    "position": "顺序",
}
_TABLE_LABEL = {
    "ledgers": "台账",
    "requirements": "任务要求",
    "submissions": "报送记录",
    "summary_units": "汇总单位",
    "returns": "下级报送",
}


def field_label(change: Change) -> str:
    """A history row's field as the user knows it: 进展情况（2026-11）, 备注, 任务要求·text."""
    if change.field.startswith("progress:"):
        return f"进展情况（{change.field.split(':', 1)[1]}）"
    table, _, column = change.field.partition(".")
    if table == "tasks":
        return _TASK_EXTRA.get(column) or LABEL_OF_ATTR.get(column, column)
    return _TABLE_LABEL.get(table, table) + "·" + column


def row_versions(session: Session, ledger_id: int) -> dict[int, int]:
    """Each task's row version, as the window saw the ledger (the base of its next save)."""
    rows = session.execute(select(Task.id, Task.row_version).where(Task.ledger_id == ledger_id))
    return {task_id: version for task_id, version in rows}
