"""When the database is backed up, and restoring one.

Backups are made on start (at most once a day, :func:`daily_backup`), before a schema migration
(``models/db.py``), before every import or consolidation (:func:`backup_before`), before a
restore, and on request. The copying itself is ``models/backup_store.py``; this module decides
when. Qt-free: the window and ``fazhi backup``/``fazhi restore`` share it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from pathlib import Path

from fazhi_desktop.errors import DatabaseError, os_error_text
from fazhi_desktop.models.backup_store import (
    CONSOLIDATION,
    DAILY,
    IMPORT,
    KEEP,
    MANUAL,
    RESTORE,
    Backup,
    backup_dir,
    check_backup,
    has_content,
    list_backups,
    make_backup,
    prune,
    reason_label,
    size_text,
)
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.migrations import SCHEMA_VERSION
from fazhi_desktop.models.sqlite_file import (
    database_version,
    describe_error,
    read_only_uri,
)

# The service's public face: ui/ and cli/ reach backups through here only.
__all__ = [
    "CONSOLIDATION",
    "DAILY",
    "IMPORT",
    "KEEP",
    "MANUAL",
    "RESTORE",
    "Backup",
    "backup_before",
    "backup_dir",
    "check_backup",
    "daily_backup",
    "list_backups",
    "make_backup",
    "reason_label",
    "restore_backup",
    "size_text",
]

log = logging.getLogger(__name__)


def _db_path_of(database_or_path: Database | Path | str) -> Path:
    if isinstance(database_or_path, Database):
        return database_or_path.path
    return Path(database_or_path)


def backup_before(database_or_path: Database | Path | str, reason: str) -> Path | None:
    """Back up before an import, consolidation or other bulk change; None if nothing to copy.

    Call it before the change's transaction begins. A failure raises DatabaseError, so the
    change does not go ahead without its safety copy.
    """
    db_path = _db_path_of(database_or_path)
    if not has_content(db_path):
        return None
    return make_backup(db_path, reason)


def daily_backup(db_path: Path | str, *, now: dt.datetime | None = None) -> Path | None:
    """The on-start backup: made unless one was already made today."""
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    if not has_content(db_path):
        return None
    if any(b.reason == DAILY and b.created.date() == now.date() for b in list_backups(db_path)):
        return None
    return make_backup(db_path, DAILY, now=now)


def restore_backup(
    database_or_path: Database | Path | str, backup: Path | str, *, wait_seconds: float = 10.0
) -> Path | None:
    """Replace the database's content with ``backup``; returns the backup of the state replaced.

    The current state is backed up first, so a restore can itself be undone. The copy goes
    into the live file through SQLite's backup API, in one write transaction: the WAL and the
    lock protocol stay intact, and a crash midway leaves the old content. A backup from an
    older program version is then migrated to the current schema. Pass the open Database so
    its pooled connections are dropped first; it reconnects on its next use.

    The live file gets the same checks as opening it (a newer program's database or another
    program's SQLite file is refused, untouched), and waiting for another process's write lock
    ends after ``wait_seconds``.
    """
    db_path = _db_path_of(database_or_path)
    backup = Path(backup)
    check_backup(backup)
    database_version(db_path, SCHEMA_VERSION)
    before = make_backup(db_path, RESTORE, prune_after=False) if has_content(db_path) else None
    engine = database_or_path.engine if isinstance(database_or_path, Database) else None
    if engine is not None:
        engine.dispose()
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        _copy_into(backup, db_path, wait_seconds)
    except (sqlite3.Error, OSError, TimeoutError) as exc:
        if isinstance(exc, TimeoutError):
            why = f"等待了 {wait_seconds:.0f} 秒，它仍被另一个法治台账窗口或 fazhi 命令占用"
        elif isinstance(exc, sqlite3.Error):
            why = describe_error(exc, db_path)
        else:
            why = os_error_text(exc)
        raise DatabaseError(
            f"恢复失败：无法写入数据库“{db_path}”（{why}）。数据库未被改动；"
            "请关闭其他正在使用它的窗口或命令后重试。"
        ) from exc
    open_database(db_path).close()  # an older backup is brought up to the current schema
    if engine is not None:
        engine.dispose()
    prune(db_path)
    log.info("已从备份恢复数据库 %s：%s（恢复前的状态另存为 %s）", db_path, backup, before)
    return before


def _copy_into(backup: Path, db_path: Path, wait_seconds: float) -> None:
    """Copy ``backup`` (read without creating files beside it) into the live file, SQLite-wise.

    Python's ``Connection.backup`` retries a busy destination forever; the progress callback,
    called after every step including busy ones, ends it at the deadline.
    """
    deadline = time.monotonic() + wait_seconds

    def progress(status: int, _remaining: int, _total: int) -> None:
        if time.monotonic() > deadline:
            raise TimeoutError(status)

    source = sqlite3.connect(read_only_uri(backup), uri=True)
    try:
        dest = sqlite3.connect(db_path, timeout=min(wait_seconds, 1.0), isolation_level=None)
        try:
            _match_page_size(source, dest, deadline)
            source.backup(dest, pages=256, progress=progress, sleep=0.05)
            dest.execute("PRAGMA journal_mode = WAL")  # as opening sets it (crash safety)
        finally:
            dest.close()
    finally:
        source.close()


def _match_page_size(source: sqlite3.Connection, dest: sqlite3.Connection, deadline: float) -> None:
    """A WAL database cannot take pages of another size; leave WAL for the copy (opening resets it).

    Changing the journal mode needs the file to itself, so this too waits only until the deadline.
    """
    if source.execute("PRAGMA page_size").fetchone() == dest.execute("PRAGMA page_size").fetchone():
        return
    while True:
        try:
            dest.execute("PRAGMA journal_mode = DELETE")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise TimeoutError from None
            time.sleep(0.1)
