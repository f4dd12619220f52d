"""Backups: made with SQLite's backup API, listed, pruned to 30, daily, before imports, restored."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import TODAY

from fazhi_desktop.cli import main as cli_main
from fazhi_desktop.errors import DatabaseError, InputFileError
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.migrations import SCHEMA_VERSION
from fazhi_desktop.services import backups, tasks
from fazhi_desktop.settings import AppSettings

FIXTURES = Path(__file__).parent / "fixtures"
T0 = dt.datetime(2026, 11, 22, 9, 30, 0)


def dump(path: Path) -> list[str]:
    """The whole database as SQL (schema and every row) plus its schema version."""
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return [f"user_version={version}", *conn.iterdump()]
    finally:
        conn.close()


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def edit(path: Path) -> None:
    """A day's work: progress typed, a task renamed, one deleted, one marked done."""
    db = open_database(path)
    try:
        with db.session() as s, s.begin():
            tasks.set_progress(s, 1, "2026-11", "恢复测试：本月已完成初稿。")
            tasks.set_field(s, 2, "title", "改过的任务名称")
            tasks.set_done(s, 3, True, TODAY)
        with db.session() as s, s.begin():
            tasks.delete_task(s, 4)
    finally:
        db.close()


# --- making backups ----------------------------------------------------------------------------


def test_backup_is_a_complete_self_contained_copy(demo_db: Path) -> None:
    made = backups.make_backup(demo_db, backups.MANUAL, now=T0)
    assert made.parent == demo_db.parent / "backups"
    assert made.name == "ledger.manual-20261122-093000-000.bak.sqlite3"
    assert dump(made) == dump(demo_db)
    # One file, rollback-journal mode: it opens read-only and copies to a USB stick alone.
    assert made.read_bytes()[18:20] == b"\x01\x01"
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]
    conn = sqlite3.connect(f"{made.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def test_backup_sees_only_committed_data_while_another_connection_writes(demo_db: Path) -> None:
    before = dump(demo_db)
    writer = sqlite3.connect(demo_db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE tasks SET title = '尚未提交' WHERE id = 1")
        made = backups.make_backup(demo_db, backups.MANUAL)  # does not wait for the writer
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert dump(made) == before
    assert dump(demo_db) != before


def test_two_backups_in_the_same_millisecond_get_two_files(demo_db: Path) -> None:
    first = backups.make_backup(demo_db, backups.IMPORT, now=T0)
    second = backups.make_backup(demo_db, backups.IMPORT, now=T0)
    assert first != second
    assert [b.path for b in backups.list_backups(demo_db)] == [second, first]


def test_reason_becomes_a_safe_file_name_part(demo_db: Path) -> None:
    made = backups.make_backup(demo_db, "汇总/导入 计划?", now=T0)
    assert made.name == "ledger.汇总-导入-计划-20261122-093000-000.bak.sqlite3"
    assert backups.list_backups(demo_db)[0].reason == "汇总-导入-计划"


def test_backup_of_a_missing_database_says_so(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="找不到数据库文件"):
        backups.make_backup(tmp_path / "nothing.sqlite3", backups.MANUAL)
    assert backups.backup_before(tmp_path / "nothing.sqlite3", backups.IMPORT) is None
    assert not (tmp_path / "backups").exists()


def test_backup_into_an_unwritable_place_is_a_database_error(demo_db: Path) -> None:
    (demo_db.parent / "backups").write_text("挡路的文件", encoding="utf-8")
    with pytest.raises(DatabaseError, match="无法备份数据库"):
        backups.make_backup(demo_db, backups.MANUAL)


# --- listing, pruning, daily -------------------------------------------------------------------


def test_list_is_newest_first_and_ignores_other_files(demo_db: Path) -> None:
    times = [T0 + dt.timedelta(hours=h) for h in (0, 5, 2)]
    made = [backups.make_backup(demo_db, backups.DAILY, now=t) for t in times]
    folder = demo_db.parent / "backups"
    (folder / "other.daily-20261122-093000-000.bak.sqlite3").write_bytes(b"x")  # another db
    (folder / "ledger.daily-2026.bak.sqlite3").write_bytes(b"x")  # not our name
    (folder / (made[0].name + ".partial")).write_bytes(b"x")  # an interrupted copy
    found = backups.list_backups(demo_db)
    assert [b.path for b in found] == [made[1], made[2], made[0]]
    assert [b.created for b in found] == sorted(times, reverse=True)
    assert {b.label for b in found} == {"每日自动备份"}


def test_only_the_newest_thirty_are_kept(demo_db: Path) -> None:
    made = [
        backups.make_backup(demo_db, backups.IMPORT, now=T0 + dt.timedelta(minutes=i))
        for i in range(backups.KEEP + 5)
    ]
    kept = [b.path for b in backups.list_backups(demo_db)]
    assert len(kept) == backups.KEEP
    assert kept == list(reversed(made[5:]))
    assert not any(p.exists() for p in made[:5])


def test_daily_backup_at_most_once_a_day(demo_db: Path) -> None:
    first = backups.daily_backup(demo_db, now=T0)
    assert first is not None
    assert backups.daily_backup(demo_db, now=T0 + dt.timedelta(hours=6)) is None
    # Other backups the same day do not count as the day's backup, nor stop the next day's.
    backups.make_backup(demo_db, backups.IMPORT, now=T0 + dt.timedelta(days=1, hours=-1))
    second = backups.daily_backup(demo_db, now=T0 + dt.timedelta(days=1))
    assert second is not None and second != first
    assert [b.reason for b in backups.list_backups(demo_db)] == ["daily", "import", "daily"]


def test_daily_backup_skips_a_database_not_yet_created(tmp_path: Path) -> None:
    assert backups.daily_backup(tmp_path / "new.sqlite3", now=T0) is None


def test_labels_are_chinese() -> None:
    assert backups.reason_label("v1") == "数据库升级前（结构版本 1）"
    assert backups.reason_label(backups.RESTORE) == "恢复前"
    assert backups.reason_label(backups.CONSOLIDATION) == "汇总前"
    assert backups.reason_label("import-plan") == "import-plan"


# --- restoring ---------------------------------------------------------------------------------


def test_restore_brings_back_the_exact_earlier_state(demo_db: Path) -> None:
    earlier = dump(demo_db)
    made = backups.make_backup(demo_db, backups.MANUAL, now=T0)
    edit(demo_db)
    edited = dump(demo_db)
    assert edited != earlier

    replaced = backups.restore_backup(demo_db, made)

    assert dump(demo_db) == earlier
    # The state the restore replaced was kept first, so the restore itself can be undone.
    assert replaced is not None and replaced.name.startswith("ledger.restore-")
    assert dump(replaced) == edited
    backups.restore_backup(demo_db, replaced)
    assert dump(demo_db) == edited


def test_restore_under_an_open_database_is_seen_by_it(demo_db: Path) -> None:
    """The window keeps its Database open across a restore: its next read shows the backup."""
    db = open_database(demo_db)
    try:
        made = backups.make_backup(demo_db, backups.MANUAL)
        with db.session() as s, s.begin():
            tasks.set_field(s, 1, "title", "恢复前的修改")
        assert backups.restore_backup(db, made) is not None
        with db.session() as s:
            assert tasks.get_task(s, 1).title != "恢复前的修改"
        with db.session() as s, s.begin():  # and it can keep writing
            tasks.set_field(s, 1, "title", "恢复后的修改")
    finally:
        db.close()
    conn = sqlite3.connect(demo_db)
    try:
        assert conn.execute("SELECT title FROM tasks WHERE id = 1").fetchone() == ("恢复后的修改",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        conn.close()


def test_restoring_the_oldest_of_thirty_does_not_prune_it_away_first(demo_db: Path) -> None:
    made = [
        backups.make_backup(demo_db, backups.IMPORT, now=T0 + dt.timedelta(minutes=i))
        for i in range(backups.KEEP)
    ]
    oldest = dump(made[0])
    edit(demo_db)
    backups.restore_backup(demo_db, made[0])
    assert dump(demo_db) == oldest
    assert len(backups.list_backups(demo_db)) == backups.KEEP


def test_restoring_an_old_version_backup_migrates_it(db_path: Path, tmp_path: Path) -> None:
    old = tmp_path / "v1-backup.sqlite3"  # a copy: reading a WAL-mode file leaves -shm files
    shutil.copy(FIXTURES / "schema_v1.sqlite3", old)
    open_database(db_path).close()
    backups.restore_backup(db_path, old)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == count(old, "tasks")
    finally:
        conn.close()


def test_restore_onto_a_new_machine_creates_the_database(demo_db: Path, tmp_path: Path) -> None:
    made = backups.make_backup(demo_db, backups.MANUAL)
    target = tmp_path / "新电脑" / "fazhi.sqlite3"
    assert backups.restore_backup(target, made) is None  # nothing there to keep first
    assert dump(target) == dump(demo_db)


@pytest.mark.parametrize("kind", ["text", "newer", "foreign", "damaged"])
def test_a_bad_backup_is_refused_and_nothing_changes(
    demo_db: Path, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "text":
        bad.write_text("这不是备份", encoding="utf-8")
    elif kind == "damaged":
        shutil.copy(backups.make_backup(demo_db, backups.MANUAL), bad)
        data = bytearray(bad.read_bytes())
        data[4096 * 2 : 4096 * 3] = b"\xff" * 4096  # a B-tree page overwritten
        bad.write_bytes(bytes(data))
    else:
        conn = sqlite3.connect(bad)
        if kind == "newer":
            conn.execute("CREATE TABLE ledgers (id INTEGER PRIMARY KEY)")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        else:
            conn.execute("CREATE TABLE contacts (name TEXT)")
            conn.execute("PRAGMA user_version = 1")
        conn.commit()
        conn.close()
    before_db = demo_db.read_bytes()
    before_backups = backups.list_backups(demo_db)
    with pytest.raises(InputFileError) as info:
        backups.restore_backup(demo_db, bad)
    assert bad.name in str(info.value)
    assert demo_db.read_bytes() == before_db
    assert backups.list_backups(demo_db) == before_backups  # not even a pre-restore backup


# --- before imports, and the CLI -----------------------------------------------------------------


def test_import_from_the_command_line_backs_up_first(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fazhi_desktop.services import exports

    db = open_database(demo_db)
    try:
        with db.session() as s:
            record = exports.snapshot(s, 1, today=TODAY, settings=AppSettings())
    finally:
        db.close()
    workbook = tmp_path / "再导入.xlsx"
    exports.export_xlsx(record, workbook, AppSettings())
    before = dump(demo_db)
    base = ["--db", str(demo_db), "--today", TODAY.isoformat()]
    assert cli_main([*base, "import-xlsx", str(workbook)]) == 0
    found = backups.list_backups(demo_db)
    assert [b.reason for b in found] == ["import"]
    assert dump(found[0].path) == before
    assert count(demo_db, "ledgers") == count(found[0].path, "ledgers") + 1
    capsys.readouterr()


def test_cli_backup_list_and_restore(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(demo_db)]
    assert cli_main([*base, "backup", "--list"]) == 0
    assert "还没有备份" in capsys.readouterr().out
    earlier = dump(demo_db)
    assert cli_main([*base, "backup"]) == 0
    made = backups.list_backups(demo_db)[0].path
    assert f"已备份：{made}" in capsys.readouterr().out
    edit(demo_db)

    assert cli_main([*base, "backup", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "手动备份" in listing and made.name in listing and "  1  " in listing

    assert cli_main([*base, "restore", "1"]) == 0
    out = capsys.readouterr().out
    assert f"已从备份恢复：{made.name}" in out
    assert "恢复前的数据已另存为备份" in out
    assert dump(demo_db) == earlier
    # By file name as well: the newest backup is now the state before that restore.
    newest = backups.list_backups(demo_db)[0].path
    assert cli_main([*base, "restore", newest.name]) == 0
    capsys.readouterr()
    assert dump(demo_db) == dump(newest)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["restore", "7"], "没有编号为 7 的备份"),
        (["restore", "不存在.sqlite3"], "找不到备份“不存在.sqlite3”"),
    ],
)
def test_cli_restore_of_something_missing_is_a_usage_error(
    demo_db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = demo_db.read_bytes()
    assert cli_main(["--db", str(demo_db), *args]) == 2
    assert message in capsys.readouterr().err
    assert demo_db.read_bytes() == before


def test_cli_backup_of_a_missing_database_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "无.sqlite3"
    assert cli_main(["--db", str(missing), "backup"]) == 2
    assert "不存在" in capsys.readouterr().err
    assert not missing.exists()
