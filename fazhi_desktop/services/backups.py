"""Backups of the ledger database, and restoring one.

A backup is a full copy made with SQLite's online backup API, so it is consistent even while
the window is writing. Backups live in a ``backups`` folder beside the database, named
``<库名>.<原因>-<YYYYMMDD-HHMMSS-mmm>.bak<后缀>``; the newest :data:`KEEP` are kept.

They are made: on start (at most once a day, :func:`daily_backup`), before a schema migration
(``models/db.py``), before every import or consolidation (:func:`backup_before`), before a
restore, and on request. Qt-free: the window and ``fazhi backup``/``fazhi restore`` share it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_desktop.errors import DatabaseError, InputFileError
from fazhi_desktop.models.migrations import SCHEMA_VERSION

if TYPE_CHECKING:
    from fazhi_desktop.models.db import Database

log = logging.getLogger(__name__)

KEEP = 30
BACKUP_DIRNAME = "backups"
SQLITE_MAGIC = b"SQLite format 3\x00"

# Reasons, as written into file names; a migration uses "v<旧版本号>" (see migration_reason).
DAILY = "daily"
IMPORT = "import"
CONSOLIDATION = "consolidation"
RESTORE = "restore"
MANUAL = "manual"
REASON_LABELS = {
    DAILY: "每日自动备份",
    IMPORT: "导入前",
    CONSOLIDATION: "汇总前",
    RESTORE: "恢复前",
    MANUAL: "手动备份",
}
_STAMP = re.compile(r"(?P<reason>[\w-]+?)-(?P<stamp>\d{8}-\d{6}-\d{3})")


def migration_reason(version: int) -> str:
    return f"v{version}"


def reason_label(reason: str) -> str:
    if re.fullmatch(r"v\d+", reason):
        return f"数据库升级前（结构版本 {reason[1:]}）"
    return REASON_LABELS.get(reason, reason)


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    created: dt.datetime
    reason: str

    @property
    def label(self) -> str:
        return reason_label(self.reason)

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size // 1024, 1)} KB"


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_DIRNAME


def _db_path_of(database_or_path: Database | Path | str) -> Path:
    path = getattr(database_or_path, "path", database_or_path)
    return Path(path)  # type: ignore[arg-type]


def _has_content(db_path: Path) -> bool:
    try:
        return db_path.stat().st_size > 0
    except OSError:
        return False


# --- making backups --------------------------------------------------------------------------


def make_backup(
    db_path: Path | str, reason: str, *, now: dt.datetime | None = None, prune_after: bool = True
) -> Path:
    """Copy the database into its backups folder; returns the new file.

    Afterwards only the newest KEEP backups are kept, unless ``prune_after`` is False (a restore
    prunes later, so the backup it is about to restore cannot be the one pruned).
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DatabaseError(f"找不到数据库文件“{db_path}”，无法备份。请检查路径。")
    source = sqlite3.connect(db_path, timeout=10)
    try:
        return backup_connection(source, db_path, reason, now=now, prune_after=prune_after)
    finally:
        source.close()


def backup_connection(
    conn: sqlite3.Connection,
    db_path: Path,
    reason: str,
    *,
    now: dt.datetime | None = None,
    prune_after: bool = True,
) -> Path:
    """Back up through an already open connection (the migration holds one)."""
    folder = backup_dir(db_path)
    reason = re.sub(r"[^\w-]+", "-", reason).strip("-") or MANUAL
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, db_path, reason, now or dt.datetime.now())
        partial = target.with_name(target.name + ".partial")
        try:
            dest = sqlite3.connect(partial, isolation_level=None)
            try:
                conn.backup(dest)
                # The copy inherits WAL mode from the live file; a backup should be one
                # self-contained file that opens read-only and copies to a USB stick alone.
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
            _fsync(partial)
            os.replace(partial, target)
            _fsync(folder)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(
            f"无法备份数据库“{db_path.name}”到“{folder}”：{exc}。"
            "请检查磁盘空间和该文件夹的写入权限后重试。"
        ) from exc
    log.info("已备份数据库（%s）：%s", reason_label(reason), target)
    if prune_after:
        prune(db_path)
    return target


def _free_name(folder: Path, db_path: Path, reason: str, now: dt.datetime) -> Path:
    while True:
        stamp = now.strftime("%Y%m%d-%H%M%S-") + f"{now.microsecond // 1000:03d}"
        target = folder / f"{db_path.stem}.{reason}-{stamp}.bak{db_path.suffix}"
        if not target.exists():
            return target
        now += dt.timedelta(milliseconds=1)


def _fsync(path: Path) -> None:
    """Make the copy (or its new name in the folder) reach the disk before we rely on it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder this way; NTFS journals the rename itself.
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def backup_before(database_or_path: Database | Path | str, reason: str) -> Path | None:
    """Back up before an import, consolidation or other bulk change; None if nothing to copy.

    Call it before the change's transaction begins. A failure raises DatabaseError, so the
    change does not go ahead without its safety copy.
    """
    db_path = _db_path_of(database_or_path)
    if not _has_content(db_path):
        return None
    return make_backup(db_path, reason)


def daily_backup(db_path: Path | str, *, now: dt.datetime | None = None) -> Path | None:
    """The on-start backup: made unless one was already made today."""
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    if not _has_content(db_path):
        return None
    if any(b.reason == DAILY and b.created.date() == now.date() for b in list_backups(db_path)):
        return None
    return make_backup(db_path, DAILY, now=now)


# --- listing and pruning ---------------------------------------------------------------------


def list_backups(db_path: Path | str) -> list[Backup]:
    """This database's backups, newest first."""
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    head, tail = f"{db_path.stem}.", f".bak{db_path.suffix}"
    found: list[Backup] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        name = path.name
        if not (name.startswith(head) and name.endswith(tail)) or not path.is_file():
            continue
        match = _STAMP.fullmatch(name[len(head) : len(name) - len(tail)])
        if match is None:
            continue
        try:
            created = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
        except ValueError:
            continue
        # strptime reads "123" as 123000 µs, which is what the name meant (milliseconds).
        found.append(Backup(path, created, match["reason"]))
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


def prune(db_path: Path | str, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns what was deleted."""
    removed: list[Path] = []
    for old in list_backups(db_path)[keep:]:
        try:
            old.path.unlink()
        except OSError as exc:
            log.warning("无法删除旧备份 %s：%s", old.path, exc)
            continue
        removed.append(old.path)
    if removed:
        log.info("已删除 %d 份较早的备份，保留最近 %d 份", len(removed), keep)
    return removed


# --- restoring -------------------------------------------------------------------------------


def check_backup(path: Path | str) -> int:
    """Refuse anything that is not an intact 法治台账 database; returns its schema version."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise InputFileError(f"无法读取备份文件“{path}”：{exc.strerror}。") from exc
    if head != SQLITE_MAGIC:
        raise InputFileError(f"“{path.name}”不是法治台账的备份文件（不是 SQLite 格式），未恢复。")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            status = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        status = str(exc)
    if status != "ok":
        raise InputFileError(f"备份文件“{path.name}”已损坏（{status}），未恢复。请选择其他备份。")
    if version > SCHEMA_VERSION:
        raise InputFileError(
            f"备份文件“{path.name}”由更新版本的法治台账写入（结构版本 {version}），"
            "请安装新版程序后再恢复。当前数据未被改动。"
        )
    if version < 1 or "ledgers" not in tables:
        raise InputFileError(f"“{path.name}”不是法治台账的数据库备份，未恢复。")
    return version


def restore_backup(database_or_path: Database | Path | str, backup: Path | str) -> Path | None:
    """Replace the database's content with ``backup``; returns the backup of the state replaced.

    The current state is backed up first, so a restore can itself be undone. The copy goes
    into the live file through SQLite's backup API, in one write transaction: the WAL and the
    lock protocol stay intact, and a crash midway leaves the old content. A backup from an
    older program version is then migrated to the current schema. Pass the open Database so
    its pooled connections are dropped first; it reconnects on its next use.
    """
    db_path = _db_path_of(database_or_path)
    backup = Path(backup)
    check_backup(backup)
    before = make_backup(db_path, RESTORE, prune_after=False) if _has_content(db_path) else None
    engine = getattr(database_or_path, "engine", None)
    if engine is not None:
        engine.dispose()
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(db_path, timeout=10)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(
            f"恢复失败：无法写入数据库“{db_path}”（{exc}）。数据库未被改动；"
            "若另一个法治台账窗口或 fazhi 命令正在使用它，请关闭后重试。"
        ) from exc
    from fazhi_desktop.models.db import open_database

    open_database(db_path).close()  # an older backup is brought up to the current schema
    if engine is not None:
        engine.dispose()
    prune(db_path)
    log.info("已从备份恢复数据库 %s：%s（恢复前的状态另存为 %s）", db_path, backup, before)
    return before
