"""The ``fazhi`` command, in-process and as a real process: output, edits and usage errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY

from fazhi_desktop.cli import main
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.models.status import Status
from fazhi_desktop.services import ledgers, tasks

LEDGER_KEYS = {"id", "title", "year", "unit", "tasks"}
TASK_KEYS = {
    "seq",
    "task",
    "requirements",
    "deadline",
    "deadline_text",
    "progress",
    "department",
    "partners",
    "owner",
    "note",
    "done",
    "status",
}
CJK = re.compile(r"[\u4e00-\u9fff]")
D = TODAY.isoformat()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one in-process ``fazhi`` run."""
    try:
        code: Any = main(list(argv))
    except SystemExit as exc:  # argparse exits by itself for usage errors and --help
        code = exc.code if exc.code is not None else 0
    out, err = capsys.readouterr()
    return int(code), out, err


def run_process(
    *argv: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """One run as a separate Python process, the way a script or the console entry point runs it."""
    return subprocess.run(
        [sys.executable, "-m", "fazhi_desktop.cli", *argv],
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def listing(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "--db", str(db), "--today", D, "list", "--json", *extra)
    assert (code, err) == (0, "")
    data: list[dict[str, Any]] = json.loads(out)
    return data


def task_by_seq(data: list[dict[str, Any]], seq: str) -> dict[str, Any]:
    (ledger,) = data
    matches: list[dict[str, Any]] = [t for t in ledger["tasks"] if t["seq"] == seq]
    assert len(matches) == 1
    return matches[0]


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file next to the database, with its bytes: edits, -wal files and backups all show."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def add_second_ledger(db: Path) -> int:
    database = open_database(db)
    try:
        with database.session() as session, session.begin():
            draft = LedgerDraft(
                title="第二个台账", year=2026, tasks=[TaskDraft(seq="1", title="乙")]
            )
            return ledgers.create_ledger(session, draft, period="2026-11")
    finally:
        database.close()


def period_text_of(db: Path, seq: str, period: str, ledger_id: int | None = None) -> str | None:
    database = open_database(db)
    try:
        with database.session() as session:
            lid = ledgers.resolve_ledger_id(session, ledger_id)
            return tasks.period_text(session, tasks.find_task_by_seq(session, lid, seq), period)
    finally:
        database.close()


def done_on_of(db: Path, seq: str) -> tuple[bool, dt.date | None]:
    database = open_database(db)
    try:
        with database.session() as session:
            task = tasks.get_task(session, tasks.find_task_by_seq(session, 1, seq))
            return task.done, task.done_on
    finally:
        database.close()


# --- demo and list --------------------------------------------------------------------------


def test_demo_creates_once(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, err = run(capsys, "--db", str(db_path), "--today", D, "demo")
    assert (code, err) == (0, "")
    assert "已创建演示台账" in out
    code, out, _ = run(capsys, "--db", str(db_path), "--today", D, "demo")
    assert code == 0 and "已有台账" in out
    assert len(listing(capsys, db_path)) == 1


def test_list_json_has_exactly_the_stable_keys(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    data = listing(capsys, demo_db)
    assert len(data) == 1
    (ledger,) = data
    assert set(ledger) == LEDGER_KEYS
    assert isinstance(ledger["id"], int) and ledger["year"] == TODAY.year
    assert "濮阳" in ledger["title"] and ledger["unit"]
    assert len(ledger["tasks"]) == 17
    statuses = {s.value for s in Status}
    for task in ledger["tasks"]:
        assert set(task) == TASK_KEYS
        assert isinstance(task["requirements"], list) and task["requirements"]
        assert all(isinstance(r, str) and r for r in task["requirements"])
        assert isinstance(task["done"], bool)
        assert task["status"] in statuses
        if task["deadline"] is not None:
            assert dt.date.fromisoformat(task["deadline"]).isoformat() == task["deadline"]
    undated = [t for t in ledger["tasks"] if t["deadline"] is None]
    assert {t["deadline_text"] for t in undated} >= {"长期坚持", "持续推进"}
    assert {t["status"] for t in ledger["tasks"]} == statuses  # the demo shows every state


def test_list_text_output(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "--today", D, "list")
    assert (code, err) == (0, "")
    assert "濮阳" in out
    assert "逾期未完成" in out and "已完成" in out
    assert "完善政府立法程序" in out


def test_list_json_of_one_ledger(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    second = add_second_ledger(demo_db)
    assert [d["id"] for d in listing(capsys, demo_db)] == [1, second]
    only = listing(capsys, demo_db, "--ledger", str(second))
    assert [d["title"] for d in only] == ["第二个台账"]


def test_list_json_of_an_empty_database(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert listing(capsys, db_path) == []


# --- set-progress and done ------------------------------------------------------------------


def test_set_progress_shows_in_list(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    text = "=已完成80%"  # looks like a formula: must stay plain text everywhere
    code, out, err = run(capsys, "--db", str(demo_db), "--today", D, "set-progress", "4", text)
    assert (code, err) == (0, "")
    assert "已保存" in out
    task = task_by_seq(listing(capsys, demo_db), "4")
    assert task["progress"] == text
    assert task["status"] == Status.IN_PROGRESS.value
    assert period_text_of(demo_db, "4", "2026-11") == text


def test_set_progress_with_period(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, _, err = run(
        capsys, "--db", str(demo_db), "set-progress", "--period", "2026-10", "4", "十月进展"
    )
    assert (code, err) == (0, "")
    assert period_text_of(demo_db, "4", "2026-10") == "十月进展"
    assert period_text_of(demo_db, "4", "2026-11") is None
    assert task_by_seq(listing(capsys, demo_db), "4")["progress"] == "十月进展"

    # Without --period the month of --today is used, and the newer month shows.
    code, _, _ = run(
        capsys, "--db", str(demo_db), "--today", "2026-12-05", "set-progress", "4", "十二月"
    )
    assert code == 0
    assert period_text_of(demo_db, "4", "2026-12") == "十二月"
    assert period_text_of(demo_db, "4", "2026-10") == "十月进展"
    assert task_by_seq(listing(capsys, demo_db), "4")["progress"] == "十二月"


def test_done_on_a_date(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    before = listing(capsys, demo_db)
    overdue = next(t for t in before[0]["tasks"] if t["status"] == Status.OVERDUE.value)
    assert overdue["deadline"] < D
    late = dt.date.fromisoformat(overdue["deadline"]) + dt.timedelta(days=2)
    code, out, err = run(
        capsys, "--db", str(demo_db), "--today", D, "done", overdue["seq"], "--on", late.isoformat()
    )
    assert (code, err) == (0, "")
    assert late.isoformat() in out
    after = task_by_seq(listing(capsys, demo_db), overdue["seq"])
    assert after["done"] is True and after["status"] == Status.DONE_LATE.value
    assert done_on_of(demo_db, overdue["seq"]) == (True, late)


def test_done_defaults_to_today(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    before = listing(capsys, demo_db)
    open_task = next(
        t for t in before[0]["tasks"] if not t["done"] and t["deadline"] and t["deadline"] > D
    )
    code, _, _ = run(capsys, "--db", str(demo_db), "--today", D, "done", open_task["seq"])
    assert code == 0
    assert done_on_of(demo_db, open_task["seq"]) == (True, TODAY)
    assert task_by_seq(listing(capsys, demo_db), open_task["seq"])["status"] == "已完成"


@pytest.mark.sqlite_only  # checks the file itself
def test_ledger_option_with_two_ledgers(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    second = add_second_ledger(demo_db)
    state = folder_state(demo_db.parent)
    code, out, err = run(capsys, "--db", str(demo_db), "set-progress", "1", "进展")
    assert code == 2 and out == ""
    assert "多个台账" in err and "--ledger" in err and str(second) in err
    assert folder_state(demo_db.parent) == state

    code, _, err = run(
        capsys, "--db", str(demo_db), "--today", D,
        "set-progress", "--ledger", str(second), "1", "第二个的进展",
    )
    assert (code, err) == (0, "")
    assert period_text_of(demo_db, "1", "2026-11", second) == "第二个的进展"
    assert period_text_of(demo_db, "1", "2026-11", 1) != "第二个的进展"
    code, _, _ = run(capsys, "--db", str(demo_db), "done", "--ledger", "1", "4", "--on", D)
    assert code == 0
    assert done_on_of(demo_db, "4") == (True, TODAY)
    data = listing(capsys, demo_db)
    assert data[1]["tasks"][0]["progress"] == "第二个的进展"


# --- global options, FAZHI_DB ---------------------------------------------------------------


def test_global_options_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    before = run(capsys, "--db", str(demo_db), "--today", "2026-12-31", "list", "--json")
    after = run(capsys, "list", "--json", "--db", str(demo_db), "--today", "2026-12-31")
    mixed = run(capsys, "--db", str(demo_db), "list", "--today", "2026-12-31", "--json")
    assert before == after == mixed
    assert before[0] == 0
    # --today really was applied: on 12-31 more demo tasks are overdue than on TODAY.
    def overdue(out: str) -> int:
        return sum(t["status"] == Status.OVERDUE.value for t in json.loads(out)[0]["tasks"])

    _, on_today, _ = run(capsys, "--db", str(demo_db), "--today", D, "list", "--json")
    assert overdue(before[1]) > overdue(on_today)


def test_fazhi_db_environment_variable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db = tmp_path / "env" / "from-env.sqlite3"
    monkeypatch.setenv("FAZHI_DB", str(env_db))
    code, _, _ = run(capsys, "--today", D, "demo")
    assert code == 0 and env_db.exists()
    code, out, _ = run(capsys, "--today", D, "list", "--json")
    assert len(json.loads(out)) == 1

    # --db beats FAZHI_DB.
    env_state = folder_state(env_db.parent)
    cli_db = tmp_path / "cli" / "from-option.sqlite3"
    code, out, _ = run(capsys, "list", "--json", "--db", str(cli_db))
    assert code == 0 and json.loads(out) == []
    assert cli_db.exists()
    code, _, _ = run(capsys, "--db", str(cli_db), "--today", D, "set-progress", "1", "x")
    assert code == 2  # the option's (empty) database, not the environment's
    assert folder_state(env_db.parent) == env_state


# --- usage errors: exit 2, Chinese on stderr, database untouched ------------------------------

BAD_ARGS = [
    pytest.param(["frobnicate"], id="unknown-command"),
    pytest.param(["set-progress"], id="missing-seq-and-text"),
    pytest.param(["set-progress", "1"], id="missing-text"),
    pytest.param(["done"], id="missing-seq"),
    pytest.param(["--today", "2026-13-01", "list"], id="bad-date-before"),
    pytest.param(["list", "--today", "2026-02-30"], id="bad-date-after"),
    pytest.param(["set-progress", "--period", "2026-1", "1", "x"], id="bad-period"),
    pytest.param(["set-progress", "--period", "2026-13", "1", "x"], id="month-13"),
    pytest.param(["set-progress", "99", "x"], id="unknown-seq"),
    pytest.param(["done", "99"], id="done-unknown-seq"),
    pytest.param(["done", "--on", "昨天", "1"], id="bad-on-date"),
    pytest.param(["set-progress", "--ledger", "x", "1", "x"], id="ledger-not-int"),
    pytest.param(["done", "--ledger", "7", "1"], id="ledger-missing"),
    pytest.param(["list", "--ledger", "7"], id="list-ledger-missing"),
    pytest.param(["list", "--bogus"], id="unknown-option"),
    pytest.param([], id="no-command"),
]


@pytest.mark.sqlite_only  # checks the file itself
@pytest.mark.parametrize("argv", BAD_ARGS)
def test_bad_arguments_exit_2_in_chinese_and_leave_the_database(
    capsys: pytest.CaptureFixture[str], demo_db: Path, argv: list[str]
) -> None:
    state = folder_state(demo_db.parent)
    mtime = demo_db.stat().st_mtime_ns
    code, out, err = run(capsys, "--db", str(demo_db), *argv)
    assert code == 2
    assert CJK.search(err), err
    assert "Traceback" not in err and "error:" not in err
    assert out == ""
    assert folder_state(demo_db.parent) == state
    assert demo_db.stat().st_mtime_ns == mtime


def test_a_file_that_is_not_a_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text_file = tmp_path / "台账.xlsx"
    text_file.write_bytes(b"PK\x03\x04 not a database")
    code, _, err = run(capsys, "--db", str(text_file), "list")
    assert code == 2
    assert "不是" in err and str(text_file) in err
    assert text_file.read_bytes() == b"PK\x03\x04 not a database"


def test_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["set-progress", "--help"], ["done", "-h"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert out.startswith("用法：")
        assert "选项" in out
        for english in ("usage:", "options:", "positional arguments:", "show this help"):
            assert english not in out
    code, out, _ = run(capsys, "set-progress", "--help")
    assert "位置参数" in out and "--period" in out
    # The global options copied onto the subcommand join its one 选项 group.
    assert out.count("选项") == 1


# --- as a real process ----------------------------------------------------------------------


def test_process_json_is_raw_utf8(demo_db: Path) -> None:
    # A console whose encoding cannot even hold Chinese: the JSON must still be UTF-8.
    proc = run_process(
        "list", "--json", "--db", str(demo_db), "--today", D, env={"PYTHONIOENCODING": "latin-1"}
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert "濮阳".encode() in proc.stdout
    assert "完善政府立法程序".encode() in proc.stdout
    assert b"\\u" not in proc.stdout
    data = json.loads(proc.stdout.decode("utf-8"))
    assert set(data[0]) == LEDGER_KEYS and set(data[0]["tasks"][0]) == TASK_KEYS


def test_process_edit_then_list(demo_db: Path) -> None:
    proc = run_process("--db", str(demo_db), "--today", D, "set-progress", "5", "=SUM(A1:A3)")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    listed = run_process("list", "--json", "--db", str(demo_db), "--today", D)
    assert task_by_seq(json.loads(listed.stdout), "5")["progress"] == "=SUM(A1:A3)"


@pytest.mark.sqlite_only  # checks the file itself
def test_process_bad_period_exits_2(demo_db: Path) -> None:
    state = folder_state(demo_db.parent)
    # On a console that cannot encode Chinese the message must still come out, in UTF-8.
    proc = run_process(
        "--db", str(demo_db), "set-progress", "--period", "2026-1", "1", "x",
        env={"PYTHONIOENCODING": "latin-1"},
    )
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "填报期间" in err and "2026-11" in err  # says what a good value looks like
    assert "Traceback" not in err
    assert proc.stdout == b""
    assert folder_state(demo_db.parent) == state


def test_process_help(demo_db: Path) -> None:
    proc = run_process("--help")
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8").startswith("用法：fazhi")
