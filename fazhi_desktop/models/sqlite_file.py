"""What makes a file a 法治台账 database: one check for opening a database, for the target of a
restore and for a backup, and one way to explain an SQLite failure to the user."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from fazhi_desktop.errors import DatabaseError, InputFileError, os_error_text
from fazhi_desktop.paths import require_regular_file

SQLITE_MAGIC = b"SQLite format 3\x00"

# Primary result codes (sqlite3.h); Python 3.11 exposes them as ``exc.sqlite_errorcode``.
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    3, 5, 6, 8, 10, 11, 13, 14, 26
)  # fmt: skip
# A write that fails with an I/O error while this little is free was a full disk (SQLite reports
# a full disk as SQLITE_IOERR when growing the WAL index or the journal fails).
_NEARLY_FULL = 1024 * 1024


def read_magic(path: Path) -> bytes:
    """The file's first bytes, as long as SQLite's header magic; raises OSError."""
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_MAGIC))


def read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` without locking and without creating -wal/-shm beside it.

    ``mode=ro`` alone still creates the -shm of a WAL file (and fails in a read-only folder);
    ``immutable`` reads the main file as it is, which is what a backup or a look at a file
    another process is not writing needs.
    """
    return f"{path.resolve().as_uri()}?mode=ro&immutable=1"


def database_version(path: Path, schema_version: int) -> int:
    """The schema version of the database at ``path``; 0 for a missing or empty file.

    Refuses (DatabaseError) what opening must not touch: a file that is not SQLite, one written
    by a newer program, or another program's SQLite database. Opening and restoring share it, so
    a restore never overwrites a file that opening would refuse.
    """
    try:
        if not path.exists() or (path.stat().st_size == 0 and path.is_file()):
            return 0
        require_regular_file(path)  # a FIFO would block the read below forever
        head = read_magic(path)
    except OSError as exc:
        raise DatabaseError(f"无法读取数据库文件“{path}”：{os_error_text(exc)}") from exc
    except InputFileError as exc:
        raise DatabaseError(f"{exc}请用 --db 指定数据库文件。") from exc
    if head != SQLITE_MAGIC:
        raise DatabaseError(
            f"“{path}”不是法治台账的数据库文件（不是 SQLite 格式）。"
            "请用 --db 指定正确的文件，或移走该文件后重新启动。文件未被改动。"
        )
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            has_tables = bool(tables.fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise DatabaseError(describe_error(exc, path)) from exc
    if version > schema_version:
        raise DatabaseError(
            f"数据库“{path.name}”由更新版本的法治台账写入（结构版本 {version}，"
            f"本程序支持到 {schema_version}）。请安装新版程序后再打开；文件未被改动。"
        )
    if version == 0 and has_tables:
        raise DatabaseError(
            f"“{path}”是其他程序的 SQLite 数据库，不是法治台账的数据库。"
            "请用 --db 指定其他文件；该文件未被改动。"
        )
    return version


def describe_error(exc: sqlite3.Error, path: Path) -> str:
    """What went wrong with the database at ``path``, and what to do, in Chinese.

    Only a damaged file is worth restoring from a backup; a read-only file or folder, a full
    disk or a lock held by another window needs something else from the user.
    """
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    where = f"数据库“{path}”"
    if code in (_READONLY, _PERM, _CANTOPEN) and not _writable(path):
        return (
            f"{where}或其所在文件夹是只读的（没有写入权限），无法保存修改。"
            "请把它复制到可写的文件夹（如“文档”），或请管理员开放写入权限后重试。"
        )
    if code == _READONLY:
        return f"{where}是只读的，无法保存修改。请取消文件的“只读”属性后重试。"
    if code == _FULL or (code == _IOERR and _free_bytes(path) < _NEARLY_FULL):
        return f"磁盘已满，无法写入{where}。请清理磁盘空间后重试；已保存的数据没有丢失。"
    if code in (_BUSY, _LOCKED):
        return f"{where}正被另一个法治台账窗口或 fazhi 命令使用。请关闭它或稍后重试。"
    if code == _CANTOPEN:
        return f"无法打开{where}（{exc}）。请检查路径是否存在、是否有读写权限。"
    if code in (_CORRUPT, _NOTADB):
        return f"{where}已损坏（{exc}）。请在“备份与恢复”中从最近的备份恢复。"
    return f"无法使用{where}（{exc}）。若反复出现，请检查磁盘，或从备份恢复。"


def _free_bytes(path: Path) -> int:
    try:
        return shutil.disk_usage(path.parent if str(path.parent) else Path(".")).free
    except OSError:
        return _NEARLY_FULL


def _writable(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK)
