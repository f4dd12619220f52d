"""Opening the database file: checks, backup, migrations, and the engine with its pragmas."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, create_engine, event

from fazhi_desktop.errors import DatabaseError, os_error_text
from fazhi_desktop.models import backup_store, server_db
from fazhi_desktop.models.database import Database
from fazhi_desktop.models.migrations import MIGRATIONS, SCHEMA_VERSION
from fazhi_desktop.models.sqlite_file import (
    database_version,
    describe_error,
    read_only_uri,
)


def open_database(path: Path | str) -> Database:
    """Open (creating or migrating as needed) the database at ``path``.

    ``path`` may also be a server URL (``postgresql://user@host:5432/fazhi``, 单位模式): the
    shared database is opened by ``server_db`` and migrated through the same steps.

    A database in a folder the user may not write (a CD, a shared folder, a locked-down
    profile) is opened read-only, so it can still be looked at and exported.
    """
    if isinstance(path, str) and server_db.is_server_url(path):
        return server_db.open_server_database(path)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"无法创建数据文件夹“{path.parent}”：{os_error_text(exc)}"
            "请检查路径，或用 --db 另选位置。"
        ) from exc
    version = database_version(path, SCHEMA_VERSION)
    if not _writable(path):
        return _open_read_only(path, version)
    _migrate(path)
    # URL.create, not f"sqlite:///{path}": a URL string would percent-decode "%41" and cut at "?",
    # so the engine would open another file than the one just checked and migrated.
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _on_connect)
    return Database(path, engine)


def _writable(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path(".")
    # WAL needs to create -wal and -shm beside the file, so the folder must be writable too.
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _open_read_only(path: Path, version: int) -> Database:
    if not path.exists() or path.stat().st_size == 0:
        raise DatabaseError(
            f"无法在“{path.parent}”新建数据库：没有该文件夹的写入权限。"
            "请用 --db 指定可写文件夹中的文件（如“文档”中），或请管理员开放写入权限。"
        )
    if version != SCHEMA_VERSION:
        raise DatabaseError(
            f"数据库“{path}”需要升级到新的结构版本，但它所在的文件夹是只读的。"
            "请把它复制到可写的文件夹后再打开。文件未被改动。"
        )
    engine = create_engine(
        URL.create("sqlite", database=read_only_uri(path), query={"uri": "true"})
    )
    event.listen(engine, "connect", _on_connect_read_only)
    return Database(path, engine)


def _on_connect_read_only(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA foreign_keys = ON")
    dbapi_conn.execute("PRAGMA query_only = ON")


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    # Crash safety. Every edit is its own transaction, committed before the window shows it.
    # WAL: a commit appends to the -wal file and the database file changes only at checkpoints,
    # so a crash or power cut mid-write leaves at most an incomplete WAL tail, which SQLite
    # discards on the next open: the database keeps every earlier commit. Readers never block
    # the writer, and one fsync per commit suffices (a rollback journal needs several).
    # synchronous=FULL: that fsync happens on every commit, so an edit the user saw saved is on
    # disk even after a power cut; NORMAL only syncs at checkpoints and could lose the last
    # edits. An fsync per hand-typed edit costs milliseconds, nothing a clerk can notice.
    # WAL needs a local disk (shared memory beside the file); the data lives in the user's
    # profile or, in portable mode, on a USB stick, never on a network share.
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA busy_timeout = 5000")
    cur.close()


def _migrate(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:  # a newer one was refused by database_version
            return
        if version > 0:
            backup_before_migration(conn, path, version)
        for step in range(version, SCHEMA_VERSION):
            _apply(conn, MIGRATIONS[step], step + 1)
    except sqlite3.Error as exc:
        raise DatabaseError(describe_error(exc, path)) from exc
    finally:
        conn.close()


def _apply(conn: sqlite3.Connection, script: str, new_version: int) -> None:
    # One transaction per step, so a failed step leaves the previous version intact.
    try:
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {new_version};\nCOMMIT;")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database with SQLite's online backup API before its schema changes.

    It joins the other backups (same folder, names and pruning), so the 备份与恢复 dialog
    lists it and can restore it; a restored older version is migrated again on opening.
    """
    return backup_store.backup_connection(conn, path, backup_store.migration_reason(version))


# SQLite refuses a statement with more bound parameters than this (999 in older builds).
MAX_BOUND_PARAMETERS = 900


def id_chunks(ids: list[int]) -> list[list[int]]:
    """``ids`` cut into pieces small enough for one ``IN (…)`` each."""
    size = MAX_BOUND_PARAMETERS
    return [ids[i : i + size] for i in range(0, len(ids), size)]
