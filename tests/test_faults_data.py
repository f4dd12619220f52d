"""Issue 15, data safety: restore checks, checked backups, bounded waits, stale files, locks."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import fazhi_desktop
from fazhi_desktop.cli import main as cli_main
from fazhi_desktop.errors import DatabaseError
from fazhi_desktop.models.migrations import SCHEMA_VERSION
from fazhi_desktop.services import backups

REPO = Path(fazhi_desktop.__file__).resolve().parent.parent  # the code under test


def _run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "fazhi_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def _corrupt_tasks_table(path: Path) -> None:
    """Garbage in the middle of the tasks table's root page: SQLite copies it, quick_check not."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tasks'").fetchone()[0]
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + 200] = b"\x55" * 192
    path.write_bytes(bytes(data))


# --- 1. restore applies the checks of opening to the file it overwrites ------------------------


@pytest.mark.parametrize(
    ("statements", "said"),
    [
        (
            [
                "CREATE TABLE ledgers (id INTEGER PRIMARY KEY)",
                f"PRAGMA user_version = {SCHEMA_VERSION + 1}",
            ],
            "更新版本",
        ),
        (
            [
                "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)",
                "INSERT INTO invoices VALUES (1, 99.5)",
            ],
            "其他程序",
        ),
    ],
)
def test_restore_refuses_to_overwrite_a_file_opening_refuses(
    demo_db: Path,
    tmp_path: Path,
    statements: list[str],
    said: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = backups.make_backup(demo_db, backups.MANUAL)
    target = tmp_path / "target.sqlite3"
    conn = sqlite3.connect(target)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    before = target.read_bytes()
    assert cli_main(["--db", str(target), "restore", str(good)]) == 2
    err = capsys.readouterr().err
    assert said in err
    assert target.read_bytes() == before
    assert backups.list_backups(target) == []


# --- 2. every new backup is checked; a damaged database never rotates good backups out ----------


def test_backup_of_a_damaged_database_is_refused_and_keeps_the_good_ones(demo_db: Path) -> None:
    start = dt.datetime(2026, 1, 1, 8, 0, 0)
    good = [
        backups.make_backup(demo_db, backups.DAILY, now=start + dt.timedelta(days=d))
        for d in range(backups.KEEP)
    ]
    _corrupt_tasks_table(demo_db)
    for _ in range(3):  # three failed imports in a row
        with pytest.raises(DatabaseError, match="本身已损坏"):
            backups.backup_before(demo_db, backups.IMPORT)
    assert sorted(b.path for b in backups.list_backups(demo_db)) == sorted(good)
    assert not list(backups.backup_dir(demo_db).glob("*.partial"))


# --- 3. restore: bounded wait, no files beside the source, any page size -----------------------


def test_restore_gives_up_after_ten_seconds_on_a_locked_database(demo_db: Path) -> None:
    good = backups.make_backup(demo_db, backups.MANUAL)
    holder = sqlite3.connect(demo_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE tasks SET title = title")
    try:
        started = time.monotonic()
        result = _run_cli("--db", str(demo_db), "restore", str(good), timeout=40)
        took = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2, result.stderr
    assert "占用" in result.stderr and "Traceback" not in result.stderr
    assert took < 25


def test_restore_from_a_wal_file_creates_nothing_beside_it(demo_db: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    source = tmp_path / "elsewhere" / "copy.sqlite3"
    source.parent.mkdir()
    shutil.copy(demo_db, source)  # a WAL-mode file, as a user copies the live database
    assert cli_main(["--db", str(demo_db), "restore", str(source)]) == 0
    assert sorted(p.name for p in source.parent.iterdir()) == ["copy.sqlite3"]


def test_restore_of_a_backup_with_another_page_size(demo_db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "small-pages.sqlite3"
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute(f"VACUUM INTO '{backup}'")
    conn.close()
    small = sqlite3.connect(backup, isolation_level=None)
    small.execute("PRAGMA page_size = 1024")
    small.execute("VACUUM")
    small.execute("UPDATE tasks SET title = '页大小不同的备份' WHERE id = 1")
    assert small.execute("PRAGMA page_size").fetchone()[0] == 1024
    small.close()
    assert cli_main(["--db", str(demo_db), "restore", str(backup)]) == 0
    conn = sqlite3.connect(demo_db)
    assert conn.execute("SELECT title FROM tasks WHERE id = 1").fetchone()[0] == "页大小不同的备份"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


# --- 4. a killed backup's *.partial is cleaned at the next backup --------------------------------


def test_next_backup_removes_stale_partial_files(demo_db: Path) -> None:
    folder = backups.backup_dir(demo_db)
    folder.mkdir()
    stale = folder / f"{demo_db.stem}.daily-20260101-080000-000.bak{demo_db.suffix}.partial"
    stale.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    backups.make_backup(demo_db, backups.MANUAL)
    assert not stale.exists()
    assert len(backups.list_backups(demo_db)) == 1
