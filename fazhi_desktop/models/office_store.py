"""单位模式's reads and writes beyond the ledger tables: the users, their roles, the history.

Each runs in the caller's session (one transaction). Role statements are composed with
psycopg's quoting (a login or password is never pasted into SQL as text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.orm import Session

from fazhi_desktop.errors import PermissionDeniedError
from fazhi_desktop.models.office_schema import ADMINS_GROUP, USERS_GROUP, office_sql


@dataclass(frozen=True, slots=True)
class OfficeUser:
    login: str
    name: str
    department: str
    admin: bool


@dataclass(frozen=True, slots=True)
class Change:
    """One history row: who changed which field of which task, when, from what to what."""

    at: dt.datetime
    who: str
    who_name: str
    task_id: int | None
    seq: str
    action: str
    field: str
    old: str | None
    new: str | None


def is_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def office_ready(session: Session) -> bool:
    """Whether ``fazhi office init`` has run on this server database."""
    if not is_server(session):
        return False
    return session.scalar(text("SELECT to_regclass('history')")) is not None


def current_login(session: Session) -> str:
    return str(session.scalar(text("SELECT session_user")))


def may_create_roles(session: Session) -> bool:
    found = session.scalar(
        text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
    )
    return bool(found)


def apply_office_schema(session: Session) -> None:
    _raw(session).execute(office_sql())


def role_exists(session: Session, login: str) -> bool:
    found = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login})
    return found is not None


def create_login(session: Session, login: str, password: str, *, admin: bool) -> None:
    try:
        _create_login(session, login, password, admin=admin)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise PermissionDeniedError(
            "您的账号不能添加用户。只有管理员（office init 的执行者，或 add-user --admin 添加的"
            "账号）可以。"
        ) from exc


def _create_login(session: Session, login: str, password: str, *, admin: bool) -> None:
    groups = [USERS_GROUP, ADMINS_GROUP] if admin else [USERS_GROUP]
    # An admin creates the next users, so an admin's role may create roles too.
    attributes = sql.SQL("LOGIN CREATEROLE" if admin else "LOGIN")
    _raw(session).execute(
        sql.SQL("CREATE ROLE {} {} PASSWORD {}").format(
            sql.Identifier(login), attributes, sql.Literal(password)
        )
    )
    for group in groups:
        option = sql.SQL(" WITH ADMIN OPTION" if admin else "")
        _raw(session).execute(
            sql.SQL("GRANT {} TO {}{}").format(sql.Identifier(group), sql.Identifier(login), option)
        )


def grant_admin(session: Session, login: str) -> None:
    _raw(session).execute(
        sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
            sql.Identifier(ADMINS_GROUP), sql.Identifier(login)
        )
    )


def save_user(session: Session, login: str, name: str, department: str) -> None:
    session.execute(
        text(
            "INSERT INTO office_users (login, name, department) VALUES (:l, :n, :d) "
            "ON CONFLICT (login) DO UPDATE SET name = EXCLUDED.name, "
            "department = EXCLUDED.department"
        ),
        {"l": login, "n": name, "d": department},
    )


def list_users(session: Session) -> list[OfficeUser]:
    rows = session.execute(
        text(
            "SELECT login, name, department, pg_has_role(login, :admins, 'MEMBER') "
            "FROM office_users WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) "
            "ORDER BY department, login"
        ),
        {"admins": ADMINS_GROUP},
    )
    return [OfficeUser(login, name, dept, bool(admin)) for login, name, dept, admin in rows]


def my_department(session: Session) -> str:
    return str(session.scalar(text("SELECT fazhi_my_department()")) or "")


def history(session: Session, ledger_id: int, task_id: int | None) -> list[Change]:
    where = "h.ledger_id = :ledger" + (" AND h.task_id = :task" if task_id is not None else "")
    rows = session.execute(
        text(
            "SELECT h.at, h.who, coalesce(u.name, ''), h.task_id, coalesce(t.seq, ''), "
            "h.action, h.field, h.old_value, h.new_value FROM history h "
            "LEFT JOIN office_users u ON u.login = h.who LEFT JOIN tasks t ON t.id = h.task_id "
            f"WHERE {where} ORDER BY h.id"
        ),
        {"ledger": ledger_id, "task": task_id},
    )
    return [Change(*row) for row in rows]


def last_change(session: Session, task_id: int) -> tuple[str, dt.datetime] | None:
    """Who changed the task last and when (its history's newest row), for a conflict message."""
    row = session.execute(
        text(
            "SELECT coalesce(nullif(u.name, ''), h.who), h.at FROM history h "
            "LEFT JOIN office_users u ON u.login = h.who "
            "WHERE h.task_id = :t ORDER BY h.id DESC LIMIT 1"
        ),
        {"t": task_id},
    ).first()
    return (str(row[0]), row[1]) if row else None


def _raw(session: Session) -> Any:
    """The session's own psycopg connection (same transaction), for composed statements."""
    return session.connection().connection.driver_connection
