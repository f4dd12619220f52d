"""The shared server database of 单位模式 (PostgreSQL through psycopg 3): open, migrate, explain.

One migration path for both engines, deliberately without Alembic: the schema steps stay the
frozen SQL of ``migrations.MIGRATIONS``, numbered the same on both engines. SQLite keeps its
``PRAGMA user_version`` (the first screen reads it without SQLAlchemy, restore compares it, a
backup precedes each migration); the server keeps the number in ``fazhi_schema_version``. The
steps are written in the SQL both engines share; ``server_sql`` rewrites the three spellings
that are SQLite's own (an ``INTEGER PRIMARY KEY`` that numbers itself, ``DATETIME`` and a
``BOOLEAN`` default of 0). Alembic would have meant a second, parallel history of the same
steps and a dependency for every single user who never sees a server. The server migrates in
one transaction under an advisory lock (PostgreSQL's DDL is transactional): a failed step
leaves the previous version, and two programs starting at once migrate once; the server's own
backups (``pg_dump``) are the administrator's, so no copy is made here. A server schema newer
than the program is refused with the same words as a newer SQLite file.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError

from fazhi_desktop.errors import DatabaseError, LoginFailedError
from fazhi_desktop.models.database import Database
from fazhi_desktop.models.migrations import MIGRATIONS, SCHEMA_VERSION
from fazhi_desktop.paths import is_server_url as is_server_url

VERSION_TABLE = "fazhi_schema_version"
KEYRING_SERVICE = "fazhi-desktop-office"
# Any constant: the key of the advisory lock two starting programs take to migrate one at a time.
_MIGRATION_LOCK = 20_261_130
# SQLSTATEs: insufficient privilege (a refused grant or row policy), and the class of
# connection failures (08xxx) and the administrator shutdown of a killed or restarted server.
PERMISSION_DENIED = "42501"
_CONNECTION_LOST = ("08", "57P01", "57P02", "57P03")

_REWRITES = (
    (re.compile(r"\bINTEGER NOT NULL PRIMARY KEY\b"), "SERIAL PRIMARY KEY"),
    (re.compile(r"\bDATETIME\b"), "TIMESTAMP"),
    (re.compile(r"(\bBOOLEAN NOT NULL DEFAULT) 0\b"), r"\1 false"),
    (re.compile(r"(\bBOOLEAN NOT NULL DEFAULT) 1\b"), r"\1 true"),
)


def server_url(target: str) -> URL:
    """The SQLAlchemy URL for psycopg 3; a password from the system keyring if none is given."""
    try:
        url = make_url(target).set(drivername="postgresql+psycopg")
    except ArgumentError as exc:
        raise DatabaseError(
            f"单位数据库地址“{target}”格式不对。应为 postgresql://用户名@服务器:5432/fazhi。"
        ) from exc
    if url.password is None:
        stored = _keyring_password(url)
        if stored:
            url = url.set(password=stored)
    return url


def _keyring_password(url: URL) -> str | None:
    # No keyring backend (a server, the tests): libpq still reads PGPASSWORD and ~/.pgpass.
    with contextlib.suppress(Exception):
        import keyring

        found: str | None = keyring.get_password(KEYRING_SERVICE, keyring_account(url))
        return found
    return None


def with_password(target: str, password: str) -> str:
    url = make_url(target).set(password=password)
    return url.render_as_string(hide_password=False)


def store_password(target: str, password: str) -> bool:
    """Keep the password in the system keyring for ``target``; False when there is none."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_account(make_url(target)), password)
    except Exception:
        return False
    return True


def keyring_account(url: URL) -> str:
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


def shown_target(target: str) -> str:
    """``--db``'s server URL as messages show it (no password); the text itself if malformed."""
    with contextlib.suppress(ArgumentError):
        return shown(make_url(target))
    return target


def shown(url: URL) -> str:
    """The URL as messages show it: never the password."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def open_server_database(target: str) -> Database:
    url = server_url(target)
    # pre_ping: after the server restarted (or the network dropped), the next session gets a
    # fresh connection instead of the dead one, so the program reconnects by itself.
    engine = create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)
    try:
        migrate_server(engine, shown(url))
    except DatabaseError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        if is_login_failure(exc):
            raise LoginFailedError(connect_error(exc, shown(url))) from exc
        raise DatabaseError(connect_error(exc, shown(url))) from exc
    return Database(Path(shown(url)), engine, url=shown(url))


def server_sql(script: str) -> str:
    """A frozen migration step in PostgreSQL's spelling."""
    for pattern, replacement in _REWRITES:
        script = pattern.sub(replacement, script)
    return script


def server_version(conn: Connection) -> int:
    if conn.scalar(text(f"SELECT to_regclass('{VERSION_TABLE}')")) is None:
        return 0
    return int(conn.scalar(text(f"SELECT max(version) FROM {VERSION_TABLE}")) or 0)


def migrate_server(engine: Engine, label: str) -> None:
    with engine.connect() as conn:
        version = server_version(conn)
        conn.rollback()
    _refuse_newer(version, label)
    if version == SCHEMA_VERSION:
        return
    try:
        with engine.begin() as conn:
            conn.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
            version = server_version(conn)  # another program may have migrated meanwhile
            _refuse_newer(version, label)
            if version == 0:
                conn.exec_driver_sql(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)")
                conn.exec_driver_sql(f"INSERT INTO {VERSION_TABLE} VALUES (0)")
            for step in range(version, SCHEMA_VERSION):
                conn.exec_driver_sql(server_sql(MIGRATIONS[step]))
            conn.execute(text(f"UPDATE {VERSION_TABLE} SET version = :v"), {"v": SCHEMA_VERSION})
    except DBAPIError as exc:
        if sqlstate(exc) == PERMISSION_DENIED:
            raise DatabaseError(
                f"单位数据库“{label}”需要升级到结构版本 {SCHEMA_VERSION}，但您的账号无权修改结构。"
                "请管理员用新版程序运行 `fazhi office init --db …` 后再打开。数据库未被改动。"
            ) from exc
        raise


def _refuse_newer(version: int, label: str) -> None:
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"数据库“{label}”由更新版本的法治台账写入（结构版本 {version}，"
            f"本程序支持到 {SCHEMA_VERSION}）。请安装新版程序后再打开；数据库未被改动。"
        )


def sqlstate(exc: BaseException) -> str:
    """The server's SQLSTATE of a failed statement ('' when there is none)."""
    orig = getattr(exc, "orig", exc)
    return str(getattr(orig, "sqlstate", "") or "")


def is_connection_lost(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    state = sqlstate(exc)
    if not state and isinstance(exc, OperationalError) and is_server_error(exc):
        return True  # no server to give a state: the connection failed or was refused
    return any(state.startswith(prefix) for prefix in _CONNECTION_LOST)


def is_server_error(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    return type(orig).__module__.split(".")[0] == "psycopg"


def is_login_failure(exc: BaseException) -> bool:
    """The server (or libpq, for a password it was never given) refused the login."""
    said = str(getattr(exc, "orig", exc)).lower()
    return sqlstate(exc) in ("28P01", "28000") or "password" in said


def connect_error(exc: BaseException, label: str) -> str:
    """Why opening the server database failed, in the user's words."""
    said = str(getattr(exc, "orig", exc)).lower()
    if "password" in said or ("role" in said and "does not exist" in said):
        return f"无法登录单位数据库“{label}”：用户名或密码不对。请向管理员确认后重试。"
    if "database" in said and "does not exist" in said:
        return (
            f"服务器上没有数据库“{label}”。请管理员先建立它（createdb），"
            "再运行 `fazhi office init`。"
        )
    if not is_connection_lost(exc) and not isinstance(exc, DBAPIError):
        return describe_server_error(exc, label)
    if "connect" in said or "connection" in said or "timeout" in said:
        return (
            f"无法连接单位数据库“{label}”：服务器没有响应。请检查地址和网络，"
            "或询问管理员服务器是否在运行。"
        )
    return describe_server_error(exc, label)


def describe_server_error(exc: BaseException, label: str) -> str:
    """A server failure as the user reads it, saying what to do."""
    if is_connection_lost(exc) or "connection" in str(getattr(exc, "orig", exc)).lower():
        return (
            f"与数据库的连接已断开（{label}）。未保存的内容仍在，请检查网络或询问管理员"
            "服务器是否在运行，稍后重试。"
        )
    if sqlstate(exc) == PERMISSION_DENIED:
        return f"您的账号无权做这项修改（{label}）。请联系单位数据库管理员。"
    if sqlstate(exc) == "28P01" or "password" in str(getattr(exc, "orig", exc)).lower():
        return f"无法登录单位数据库“{label}”：用户名或密码不对。请向管理员确认后重试。"
    return (
        f"单位数据库“{label}”操作失败（{exc.__class__.__name__}）。请稍后重试；"
        "若反复出现，请联系管理员。"
    )
