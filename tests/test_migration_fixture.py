"""A database written by the first schema version migrates to the current one, losing nothing.

``fixtures/schema_v1.sqlite3`` stands for the files in the field (made by
``fixtures/make_schema_v1_fixture.py`` from the frozen v1 SQL). Every row of every v1 table
must come through the migration unchanged, and a backup of the untouched file is made first.
"""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY

from fazhi_desktop.models import db as db_module
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.migrations import MIGRATIONS, SCHEMA_VERSION
from fazhi_desktop.services import backups
from fazhi_desktop.services.ledgers import list_ledgers, load_task_records

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.sqlite3"
V1_TABLES = ("ledgers", "tasks", "requirements", "progress")
EXTRA_STEP = "ALTER TABLE tasks ADD COLUMN colour TEXT NOT NULL DEFAULT '';"


def rows(path: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the v1 tables, in id order, restricted to the v1 columns."""
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
            for table, cols in columns.items()
        }
    finally:
        conn.close()


def v1_columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        return {t: [r[1] for r in conn.execute(f"PRAGMA table_info('{t}')")] for t in V1_TABLES}
    finally:
        conn.close()


def pragma(path: Path, name: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchall()
    finally:
        conn.close()


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    """A copy: opening the committed file would migrate it in place."""
    target = tmp_path / "fazhi.sqlite3"
    shutil.copy(FIXTURE, target)
    return target


def test_the_fixture_is_a_version_1_database_with_data(old_db: Path) -> None:
    assert pragma(old_db, "user_version") == [(1,)]
    columns = v1_columns(old_db)
    data = rows(old_db, columns)
    assert {t: len(r) for t, r in data.items()} == {
        "ledgers": 2,
        "tasks": 21,
        "requirements": 47,
        "progress": 136,
    }
    assert "plan_task_id" in columns["tasks"]


def test_the_script_rebuilds_the_same_fixture(tmp_path: Path, old_db: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_fixture", FIXTURE.with_name("make_schema_v1_fixture.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = tmp_path / "rebuilt.sqlite3"
    module.build(rebuilt)
    columns = v1_columns(old_db)
    assert rows(rebuilt, columns) == rows(old_db, columns)
    assert pragma(rebuilt, "user_version") == [(1,)]


@pytest.mark.parametrize("steps", ["current", "current-plus-one"])
def test_version_1_migrates_keeping_every_row(
    old_db: Path, monkeypatch: pytest.MonkeyPatch, steps: str
) -> None:
    target_version = SCHEMA_VERSION
    if steps == "current-plus-one":  # the next release's migration will meet the same file
        monkeypatch.setattr(db_module, "MIGRATIONS", (*MIGRATIONS, EXTRA_STEP))
        monkeypatch.setattr(db_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
        target_version += 1
    columns = v1_columns(old_db)
    before = rows(old_db, columns)
    original = old_db.read_bytes()

    open_database(old_db).close()

    assert pragma(old_db, "user_version") == [(target_version,)]
    after = rows(old_db, columns)
    for table in V1_TABLES:
        assert len(after[table]) == len(before[table]), table
        for old_row, new_row in zip(before[table], after[table], strict=True):
            assert new_row == old_row, table
    assert pragma(old_db, "integrity_check") == [("ok",)]
    assert pragma(old_db, "foreign_key_check") == []

    # The untouched file was backed up before the first step ran.
    found = backups.list_backups(old_db)
    assert [b.reason for b in found] == ["v1"]
    assert found[0].label == "数据库升级前（结构版本 1）"
    assert pragma(found[0].path, "user_version") == [(1,)]
    assert rows(found[0].path, columns) == before
    assert len(original) > 0


def test_the_migrated_data_reads_back_through_the_services(old_db: Path) -> None:
    """Dates, times and booleans written by v1 parse in today's models."""
    columns = v1_columns(old_db)
    before = rows(old_db, columns)
    db = open_database(old_db)
    try:
        with db.session() as session:
            summaries = list_ledgers(session)
            records = load_task_records(session, 1, today=TODAY)
    finally:
        db.close()
    assert [(s.id, s.task_count) for s in summaries] == [(1, 17), (2, 4)]
    titles = [r[columns["tasks"].index("title")] for r in before["tasks"] if r[1] == 1]
    assert [r.title for r in records] == titles
    done = [bool(r[columns["tasks"].index("done")]) for r in before["tasks"] if r[1] == 1]
    assert [r.done for r in records] == done
    assert records[0].requirements and records[0].deadline is not None
