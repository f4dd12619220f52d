"""Opening the database file: checks, backup, migrations, and the engine with its pragmas."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from fazhi_desktop.errors import DatabaseError
from fazhi_desktop.models import backup_store
from fazhi_desktop.models.migrations import MIGRATIONS, SCHEMA_VERSION
from fazhi_desktop.models.sqlite_file import SQLITE_MAGIC, read_magic


class Database:
    """An open ledger database. Engine and sessions are created here and injected everywhere."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path | str) -> Database:
    """Open (creating or migrating as needed) the database at ``path``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"无法创建数据文件夹“{path.parent}”：{exc.strerror}。请检查路径。"
        ) from exc
    _check_is_sqlite(path)
    _migrate(path)
    # URL.create, not f"sqlite:///{path}": a URL string would percent-decode "%41" and cut at "?",
    # so the engine would open another file than the one just checked and migrated.
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _on_connect)
    return Database(path, engine)


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


def _check_is_sqlite(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        head = read_magic(path)
    except OSError as exc:
        raise DatabaseError(f"无法读取数据库文件“{path}”：{exc.strerror}。") from exc
    if head != SQLITE_MAGIC:
        raise DatabaseError(
            f"“{path}”不是法治台账的数据库文件（不是 SQLite 格式）。"
            "请用 --db 指定正确的文件，或移走该文件后重新启动。"
        )


def _migrate(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"数据库“{path.name}”由更新版本的法治台账写入（结构版本 {version}，"
                f"本程序支持到 {SCHEMA_VERSION}）。请安装新版程序后再打开；文件未被改动。"
            )
        if version == SCHEMA_VERSION:
            return
        if version == 0 and _has_foreign_tables(conn):
            raise DatabaseError(
                f"“{path}”是其他程序的 SQLite 数据库，不是法治台账的数据库。"
                "请用 --db 指定其他文件。"
            )
        if version > 0:
            backup_before_migration(conn, path, version)
        for step in range(version, SCHEMA_VERSION):
            _apply(conn, MIGRATIONS[step], step + 1)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"无法打开数据库“{path}”：{exc}。文件可能已损坏，请从备份恢复。"
        ) from exc
    finally:
        conn.close()


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    return bool(row[0])


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
