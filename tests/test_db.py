"""Opening the database: schema, pragmas, refusing foreign files, backup and migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from fazhi_desktop.errors import DatabaseError
from fazhi_desktop.models import db as db_module
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.migrations import MIGRATIONS, SCHEMA_V1, SCHEMA_VERSION
from fazhi_desktop.models.orm import Base, Ledger, Task
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.models.sqlite_file import SQLITE_MAGIC
from fazhi_desktop.services.backups import backup_dir
from fazhi_desktop.services.ledgers import create_ledger, load_task_records


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info('{table}')")]
    finally:
        conn.close()


def _folder_state(folder: Path) -> dict[str, bytes]:
    """Every file in the folder with its bytes: catches edits, new -wal/-shm files and backups."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _add_ledger(db: Database, title: str = "测试台账") -> int:
    draft = LedgerDraft(
        title=title,
        year=2026,
        tasks=[
            TaskDraft(
                seq="1", title="完善政府立法程序", requirements=["甲", "乙"], progress="已启动"
            )
        ],
    )
    with db.session() as session, session.begin():
        return create_ledger(session, draft, period="2026-11")


# --- a fresh database ------------------------------------------------------------------------


def test_new_database_has_current_schema(db_path: Path) -> None:
    db = open_database(db_path)
    db.close()
    assert _user_version(db_path) == SCHEMA_VERSION
    conn = sqlite3.connect(db_path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert tables == set(Base.metadata.tables)


def test_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "ledger.sqlite3"
    open_database(path).close()
    assert _user_version(path) == SCHEMA_VERSION


@pytest.mark.parametrize("folder", ["张三 的文档", "完成率100%41", "a%20b", "第#1号"])
def test_engine_opens_the_very_file_that_was_migrated(tmp_path: Path, folder: str) -> None:
    """URL-special characters in the path must not make the engine open some other file."""
    path = tmp_path / folder / "台账.sqlite3"
    db = open_database(path)
    try:
        _add_ledger(db, "路径测试")
    finally:
        db.close()
    assert sorted(p.name for p in path.parent.iterdir()) == ["台账.sqlite3"]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT title FROM ledgers").fetchall() == [("路径测试",)]
    finally:
        conn.close()


def test_folder_that_cannot_be_created_is_a_database_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(DatabaseError, match="无法创建数据文件夹"):
        open_database(blocker / "ledger.sqlite3")


def test_wal_mode_and_foreign_keys_are_on_in_every_session(database: Database) -> None:
    for _ in range(2):  # a second session may get another pooled connection
        with database.session() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            # FULL: an edit the user saw saved survives a power cut.
            assert session.execute(text("PRAGMA synchronous")).scalar() == 2


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(IntegrityError), database.session() as session, session.begin():
        session.add(Task(ledger_id=424242, title="孤儿任务"))
        session.flush()


def test_deleting_a_ledger_in_sql_cascades_to_its_tasks(database: Database) -> None:
    ledger_id = _add_ledger(database)
    with database.session() as session, session.begin():
        session.execute(text("DELETE FROM ledgers WHERE id = :i"), {"i": ledger_id})
    with database.session() as session:
        for table in ("tasks", "requirements", "progress"):
            assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0


def test_reopening_a_current_database_keeps_data_and_makes_no_backup(db_path: Path) -> None:
    db = open_database(db_path)
    ledger_id = _add_ledger(db)
    db.close()
    db = open_database(db_path)
    try:
        with db.session() as session:
            records = load_task_records(session, ledger_id, today=TODAY)
    finally:
        db.close()
    assert [r.title for r in records] == ["完善政府立法程序"]
    assert not list(db_path.parent.rglob("*.bak*"))


# --- the frozen migration SQL matches the ORM --------------------------------------------------


def _schema(path: Path) -> dict[str, dict[str, Any]]:
    """What SQLite itself reports about every table: columns, indexes and foreign keys."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, dict[str, Any]] = {}
        names = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        for (table,) in names.fetchall():
            columns = {
                name: {"cid": cid, "type": ctype.upper(), "notnull": notnull, "pk": pk}
                for cid, name, ctype, notnull, _default, pk in conn.execute(
                    f"PRAGMA table_info('{table}')"
                )
            }
            defaults = {
                row[1]: row[4] for row in conn.execute(f"PRAGMA table_info('{table}')")
            }
            indexes = {}
            for _seq, name, unique, origin, partial in conn.execute(
                f"PRAGMA index_list('{table}')"
            ):
                cols = [r[2] for r in conn.execute(f"PRAGMA index_info('{name}')")]
                indexes[name] = (unique, origin, partial, cols)
            fks = sorted(
                (r[2], r[3], r[4], r[5], r[6])  # table, from, to, on_update, on_delete
                for r in conn.execute(f"PRAGMA foreign_key_list('{table}')")
            )
            out[table] = {"columns": columns, "defaults": defaults, "indexes": indexes, "fks": fks}
        return out
    finally:
        conn.close()


@pytest.fixture
def both_schemas(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    migrated = tmp_path / "migrated.sqlite3"
    open_database(migrated).close()
    from_orm = tmp_path / "orm.sqlite3"
    engine = create_engine(f"sqlite:///{from_orm}")
    Base.metadata.create_all(engine)
    engine.dispose()
    return _schema(migrated), _schema(from_orm)


def test_migrations_create_the_orm_tables(both_schemas: tuple[dict[str, Any], ...]) -> None:
    migrated, orm = both_schemas
    assert set(migrated) == set(orm) == set(Base.metadata.tables)


def test_migrations_create_the_orm_columns(both_schemas: tuple[dict[str, Any], ...]) -> None:
    """Names, order, types, NOT NULL and primary keys: an ORM change needs a migration step."""
    migrated, orm = both_schemas
    for table in orm:
        assert migrated[table]["columns"] == orm[table]["columns"], table


def test_migrations_create_the_orm_indexes(both_schemas: tuple[dict[str, Any], ...]) -> None:
    migrated, orm = both_schemas
    for table in orm:
        assert migrated[table]["indexes"] == orm[table]["indexes"], table
    # The guard is only worth something if there is something to compare.
    assert any(s["indexes"] for s in orm.values())


def test_migrations_create_the_orm_foreign_keys(both_schemas: tuple[dict[str, Any], ...]) -> None:
    migrated, orm = both_schemas
    for table in orm:
        assert migrated[table]["fks"] == orm[table]["fks"], table


def _sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def test_sql_defaults_agree_with_orm_defaults(both_schemas: tuple[dict[str, Any], ...]) -> None:
    """A row written by raw SQL (a future migration's back-fill) looks like one the ORM writes."""
    migrated, _orm = both_schemas
    checked = 0
    for table_name, table in Base.metadata.tables.items():
        for column in table.columns:
            sql_default = migrated[table_name]["defaults"][column.name]
            if sql_default is None:
                continue
            assert column.default is not None, f"{table_name}.{column.name} 在 ORM 中没有默认值"
            orm_default = getattr(column.default, "arg", None)
            assert not callable(orm_default)
            assert _sql_literal(orm_default) == sql_default, f"{table_name}.{column.name}"
            checked += 1
    assert checked > 0


# --- files the program must refuse, untouched ----------------------------------------------


def test_database_from_a_newer_program_is_refused_untouched(db_path: Path) -> None:
    db = open_database(db_path)
    _add_ledger(db)
    db.close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = _folder_state(db_path.parent)
    with pytest.raises(DatabaseError) as info:
        open_database(db_path)
    message = str(info.value)
    assert "新版" in message
    assert db_path.name in message
    assert _folder_state(db_path.parent) == before


def test_text_file_is_refused_untouched(db_path: Path) -> None:
    db_path.write_text("序号,主要任务,完成时间\n1,完善政府立法程序,10.31\n", encoding="utf-8")
    before = _folder_state(db_path.parent)
    with pytest.raises(DatabaseError) as info:
        open_database(db_path)
    assert "不是 SQLite" in str(info.value)
    assert str(db_path) in str(info.value)
    assert "--db" in str(info.value)  # says what to do
    assert _folder_state(db_path.parent) == before


def test_damaged_sqlite_file_is_refused_untouched(db_path: Path) -> None:
    db_path.write_bytes(SQLITE_MAGIC + b"\xff" * 4000)
    before = _folder_state(db_path.parent)
    with pytest.raises(DatabaseError, match="损坏"):
        open_database(db_path)
    assert _folder_state(db_path.parent) == before


def test_another_programs_sqlite_database_is_refused_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三', '123')")
    conn.commit()
    conn.close()
    assert _user_version(db_path) == 0
    before = _folder_state(db_path.parent)
    with pytest.raises(DatabaseError, match="其他程序"):
        open_database(db_path)
    assert _folder_state(db_path.parent) == before


def test_empty_file_becomes_a_new_database(db_path: Path) -> None:
    db_path.write_bytes(b"")
    open_database(db_path).close()
    assert _user_version(db_path) == SCHEMA_VERSION


# --- backup and migration ---------------------------------------------------------------------

# A made-up next step, appended after the real ones, to exercise the migration machinery.
NEXT_STEP = "ALTER TABLE ledgers ADD COLUMN color_scheme TEXT NOT NULL DEFAULT 'classic';"
CURRENT = SCHEMA_VERSION
NEXT = SCHEMA_VERSION + 1


def _current_database(db_path: Path) -> int:
    db = open_database(db_path)
    try:
        return _add_ledger(db, "二〇二六年台账")
    finally:
        db.close()


def test_migration_backs_up_the_old_file_first(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger_id = _current_database(db_path)
    monkeypatch.setattr(db_module, "MIGRATIONS", (*MIGRATIONS, NEXT_STEP))
    monkeypatch.setattr(db_module, "SCHEMA_VERSION", NEXT)

    db = open_database(db_path)
    try:
        with db.session() as session:
            ledger = session.get(Ledger, ledger_id)
            assert ledger is not None and ledger.title == "二〇二六年台账"
            assert [r.title for r in load_task_records(session, ledger_id, today=TODAY)] == [
                "完善政府立法程序"
            ]
            scheme = session.execute(text("SELECT color_scheme FROM ledgers")).scalar()
            assert scheme == "classic"
    finally:
        db.close()
    assert _user_version(db_path) == NEXT

    backups = list(backup_dir(db_path).glob(f"{db_path.stem}.v{CURRENT}-*.bak*"))
    assert len(backups) == 1
    backup = backups[0]
    assert _user_version(backup) == CURRENT
    assert "color_scheme" not in _columns(backup, "ledgers")
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT title FROM ledgers").fetchall() == [("二〇二六年台账",)]
        assert conn.execute("SELECT text FROM requirements ORDER BY position").fetchall() == [
            ("甲",),
            ("乙",),
        ]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def test_failed_migration_step_leaves_the_old_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger_id = _current_database(db_path)
    broken = "ALTER TABLE ledgers ADD COLUMN color_scheme TEXT;\nCREATE TABLE broken (;\n"
    monkeypatch.setattr(db_module, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(db_module, "SCHEMA_VERSION", NEXT)
    with pytest.raises(DatabaseError):
        open_database(db_path)
    assert _user_version(db_path) == CURRENT
    # The half-done step was rolled back: the first statement of it left no trace.
    assert "color_scheme" not in _columns(db_path, "ledgers")
    assert list(backup_dir(db_path).glob(f"*.v{CURRENT}-*.bak*")), "backed up before the step"

    monkeypatch.undo()
    db = open_database(db_path)  # the current program still opens it, data intact
    try:
        with db.session() as session:
            assert len(load_task_records(session, ledger_id, today=TODAY)) == 1
    finally:
        db.close()


def test_migration_runs_every_missing_step_in_order(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _current_database(db_path)
    steps = (
        "CREATE TABLE step_log (n INTEGER NOT NULL);\nINSERT INTO step_log VALUES (2);",
        "INSERT INTO step_log VALUES (3);",
    )
    monkeypatch.setattr(db_module, "MIGRATIONS", (*MIGRATIONS, *steps))
    monkeypatch.setattr(db_module, "SCHEMA_VERSION", NEXT + 1)
    open_database(db_path).close()
    assert _user_version(db_path) == NEXT + 1
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT n FROM step_log ORDER BY rowid").fetchall() == [(2,), (3,)]
    finally:
        conn.close()


def test_first_step_is_the_frozen_v1_schema() -> None:
    # MIGRATIONS[0] must never change once released: databases in the field were made by it.
    assert MIGRATIONS[0] is SCHEMA_V1
    assert len(MIGRATIONS) == SCHEMA_VERSION
