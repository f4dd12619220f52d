"""单位模式's engine: ``--db postgresql://…``, ``FAZHI_DB``, one migration path (issue 20)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from fazhi_desktop.cli import main
from fazhi_desktop.errors import DatabaseError
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.migrations import MIGRATIONS, SCHEMA_VERSION
from fazhi_desktop.models.server_db import VERSION_TABLE, server_sql


def _scalar(url: str, sql: str) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()  # type: ignore[arg-type]
        return row[0] if row else None


def test_every_step_in_the_servers_spelling() -> None:
    sql = server_sql(MIGRATIONS[0])
    assert "SERIAL PRIMARY KEY" in sql and "DATETIME" not in sql
    assert "BOOLEAN NOT NULL DEFAULT false" in sql and "DEFAULT 0," in sql  # integers keep 0


def test_a_new_server_database_gets_every_step(pg_cluster: Any) -> None:
    url = pg_cluster.new_database(template=None)
    open_database(url).close()
    assert _scalar(url, f"SELECT version FROM {VERSION_TABLE}") == SCHEMA_VERSION
    assert _scalar(url, "SELECT to_regclass('return_rows')") == "return_rows"


def test_an_older_server_schema_is_migrated_keeping_its_rows(pg_cluster: Any) -> None:
    url = pg_cluster.new_database(template=None)
    with psycopg.connect(url) as conn:
        for step in MIGRATIONS[:3]:
            conn.execute(server_sql(step))  # type: ignore[arg-type]
        conn.execute(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)")  # type: ignore[arg-type]
        conn.execute(f"INSERT INTO {VERSION_TABLE} VALUES (3)")  # type: ignore[arg-type]
        conn.execute("INSERT INTO ledgers (title, created_at) VALUES ('旧台账', now())")
        conn.execute("INSERT INTO tasks (ledger_id, title, updated_at) VALUES (1, '旧任务', now())")
    open_database(url).close()
    assert _scalar(url, f"SELECT version FROM {VERSION_TABLE}") == SCHEMA_VERSION
    assert _scalar(url, "SELECT title || row_version FROM tasks") == "旧任务1"


def test_a_newer_server_schema_is_refused_untouched(pg_cluster: Any) -> None:
    url = pg_cluster.new_database()
    with psycopg.connect(url) as conn:
        conn.execute(f"UPDATE {VERSION_TABLE} SET version = {SCHEMA_VERSION + 1}")  # type: ignore[arg-type]
    with pytest.raises(DatabaseError, match="更新版本的法治台账") as caught:
        open_database(url)
    assert "admin-pw" not in str(caught.value)  # the password never shows
    assert _scalar(url, f"SELECT version FROM {VERSION_TABLE}") == SCHEMA_VERSION + 1


def test_fazhi_db_names_the_server_for_every_command(
    pg_cluster: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_cluster.new_database()
    monkeypatch.setenv("FAZHI_DB", url)
    assert main(["--today", "2026-11-22", "demo"]) == 0
    assert main(["--today", "2026-11-22", "set-progress", "3", "服务器上的进展"]) == 0
    assert (
        _scalar(
            url,
            "SELECT text FROM progress p JOIN tasks t ON t.id = p.task_id "
            "WHERE period = '2026-11' AND seq = '3'",
        )
        == "服务器上的进展"
    )
    capsys.readouterr()
    assert main(["backup"]) == 2
    assert "pg_dump" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("postgresql://fazhi_admin:admin-pw@127.0.0.1:1/fazhi", "服务器没有响应"),
        ("postgresql://nobody:x@127.0.0.1:{port}/postgres", "用户名或密码不对"),
        ("postgresql://fazhi_admin:admin-pw@127.0.0.1:{port}/nothing", "服务器上没有数据库"),
    ],
)
def test_a_server_that_cannot_be_used_exits_2_in_chinese(
    pg_cluster: Any, capsys: pytest.CaptureFixture[str], where: str, said: str
) -> None:
    assert main(["--db", where.format(port=pg_cluster.port), "list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and said in err and "Traceback" not in err
    assert "admin-pw" not in err
