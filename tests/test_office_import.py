"""``fazhi office import-local``: a clerk's file copied to the server, once (issue 20)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fazhi_desktop.cli import main

D = "2026-11-22"


def fazhi(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--today", D, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def listing(capsys: pytest.CaptureFixture[str], db: str) -> list[dict[str, Any]]:
    code, out, err = fazhi(capsys, "--db", db, "list", "--json")
    assert code == 0, err
    ledgers: list[dict[str, Any]] = json.loads(out)
    for ledger in ledgers:
        ledger.pop("id")
    return ledgers


def test_import_local_copies_everything_once(
    pg_cluster: Any, demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = str(demo_db)
    assert fazhi(capsys, "--db", local, "set-progress", "--period", "2026-10", "1", "十月")[0] == 0
    assert fazhi(capsys, "--db", local, "set-progress", "1", "十一月")[0] == 0
    server = pg_cluster.new_database()
    code, out, err = fazhi(capsys, "--db", server, "office", "import-local", local)
    assert code == 0, err
    assert "共复制 1 个台账" in out
    assert listing(capsys, server) == listing(capsys, local)
    with psycopg.connect(server) as conn:
        months = conn.execute(
            "SELECT p.period, p.text FROM progress p JOIN tasks t ON t.id = p.task_id "
            "WHERE t.seq = '1' ORDER BY p.period"
        ).fetchall()
        counts = conn.execute("SELECT count(*) FROM tasks").fetchone()
    assert ("2026-10", "十月") in months and ("2026-11", "十一月") in months
    code, out, _ = fazhi(capsys, "--db", server, "office", "import-local", local)
    assert code == 0 and "跳过" in out and "共复制 0 个台账" in out
    with psycopg.connect(server) as conn:
        assert conn.execute("SELECT count(*) FROM tasks").fetchone() == counts


def test_import_local_refuses_what_it_cannot_use(
    pg_cluster: Any, tmp_path: Path, demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = pg_cluster.new_database()
    code, _, err = fazhi(
        capsys, "--db", server, "office", "import-local", str(tmp_path / "无.sqlite3")
    )
    assert code == 2 and "找不到文件" in err
    code, _, err = fazhi(
        capsys, "--db", str(tmp_path / "b.sqlite3"), "office", "import-local", str(demo_db)
    )
    assert code == 2 and "postgresql://" in err
