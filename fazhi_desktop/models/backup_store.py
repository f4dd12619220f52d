"""Backups of the ledger database at the storage level: copying, listing, pruning, checking.

A backup is a full copy made with SQLite's online backup API, so it is consistent even while
the window is writing. Backups live in a ``backups`` folder beside the database, named
``<库名>.<原因>-<YYYYMMDD-HHMMSS-mmm>.bak<后缀>``; the newest :data:`KEEP` are kept.

The storage layer owns this so that ``models/db.py`` can back up before a migration without
reaching up into services; when to back up (daily, before an import, before a restore) is
``services/backups.py``'s business.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from fazhi_desktop.errors import DatabaseError, InputFileError, os_error_text
from fazhi_desktop.models.migrations import SCHEMA_VERSION
from fazhi_desktop.models.sqlite_file import (
    SQLITE_MAGIC,
    describe_error,
    read_magic,
    read_only_uri,
)
from fazhi_desktop.paths import require_regular_file

log = logging.getLogger(__name__)

KEEP = 30
BACKUP_DIRNAME = "backups"

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
# A *.partial older than this belongs to a backup whose process was killed (a running backup
# keeps writing to its file); the next backup deletes it.
STALE_PARTIAL_SECONDS = 600
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


def has_content(db_path: Path) -> bool:
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
    prunes later, so the backup it is about to restore cannot be the one pruned). A copy that
    fails ``PRAGMA quick_check`` is deleted and DatabaseError says the database is damaged, so
    a damaged database never pushes good backups out of the rotation.
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
        _remove_stale_partials(folder)
        target = _free_name(folder, db_path, reason, now or dt.datetime.now())
        partial = target.with_name(target.name + ".partial")
        try:
            dest = sqlite3.connect(partial, isolation_level=None)
            try:
                conn.backup(dest)
                # The copy inherits WAL mode from the live file; a backup should be one
                # self-contained file that opens read-only and copies to a USB stick alone.
                dest.execute("PRAGMA journal_mode = DELETE")
                problem = _quick_check(dest)
            finally:
                dest.close()
            if problem:
                raise DatabaseError(
                    f"数据库“{db_path}”本身已损坏（{problem}），备份未保存，以免挤掉完好的旧备份。"
                    "请在“备份与恢复”中从最近的完好备份恢复（fazhi restore）。"
                )
            _fsync(partial)
            os.replace(partial, target)
            _fsync(folder)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
    except (sqlite3.Error, OSError) as exc:
        why = os_error_text(exc) if isinstance(exc, OSError) else describe_error(exc, db_path)
        raise DatabaseError(f"无法备份数据库“{db_path.name}”到“{folder}”：{why}") from exc
    log.info("已备份数据库（%s）：%s", reason_label(reason), target)
    if prune_after:
        prune(db_path)
    return target


def _quick_check(conn: sqlite3.Connection) -> str:
    """'' if the copy is intact, else SQLite's first complaint (quick_check skips index order)."""
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    found = [str(row[0]) for row in rows]
    return "" if found == ["ok"] else "；".join(found)[:300]


def _remove_stale_partials(folder: Path) -> None:
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for path in folder.glob("*.partial"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                log.info("已删除中断的备份残留文件：%s", path)
        except OSError as exc:
            log.warning("无法删除中断的备份残留文件 %s：%s", path, exc)


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


# --- checking -------------------------------------------------------------------------------


def check_backup(path: Path | str) -> int:
    """Refuse anything that is not an intact 法治台账 database; returns its schema version."""
    path = Path(path)
    require_regular_file(path)
    try:
        head = read_magic(path)
    except OSError as exc:
        raise InputFileError(f"无法读取备份文件“{path}”：{exc.strerror}。") from exc
    if head != SQLITE_MAGIC:
        raise InputFileError(f"“{path.name}”不是法治台账的备份文件（不是 SQLite 格式），未恢复。")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
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
