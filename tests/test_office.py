"""单位模式 on a real PostgreSQL: init, users, the server's row rules, 全程留痕, conflicts."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from pg_cluster import progress_text

from fazhi_desktop.cli import main
from fazhi_desktop.errors import EditConflictError, PermissionDeniedError
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.services import office, tasks

D = "2026-11-22"
PERIOD = "2026-11"


@dataclass
class Office:
    cluster: Any
    name: str  # the database
    clerk: str  # 政法科
    other: str  # 办公室
    admin2: str

    def url(self, login: str = "fazhi_admin") -> str:
        if login == "fazhi_admin":
            return self.cluster.url(self.name)
        return self.cluster.url(self.name, login, f"pw-{login}")


def fazhi(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", url, "--today", D, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def add_user(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    login: str,
    *options: str,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"pw-{login}\n"))
    return fazhi(capsys, url, "office", "add-user", login, "--password-stdin", *options)


@pytest.fixture
def office_db(
    pg_cluster: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Office:
    url = pg_cluster.new_database()
    name = url.rsplit("/", 1)[1]
    # Roles belong to the whole cluster: each test's logins carry its database's name.
    o = Office(pg_cluster, name, f"zs_{name}", f"ls_{name}", f"ww_{name}")
    assert fazhi(capsys, url, "demo")[0] == 0
    code, out, err = fazhi(
        capsys, url, "office", "init", "--name", "管理员", "--department", "办公室"
    )
    assert code == 0, err
    assert "管理员" in out
    for login, options in (
        (o.clerk, ("--name", "张三", "--department", "政法科")),
        (o.other, ("--name", "李四", "--department", "办公室")),
        (o.admin2, ("--name", "王五", "--admin")),
    ):
        code, _, err = add_user(capsys, monkeypatch, url, login, *options)
        assert code == 0, err
    return o


def progress_of(url: str, seq: str) -> str | None:
    return progress_text(url, seq, PERIOD)


def test_users_are_listed_with_their_department(
    office_db: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = fazhi(capsys, office_db.url(office_db.clerk), "office", "users", "--json")
    assert code == 0
    users = {u["login"]: u for u in json.loads(out)}
    assert users[office_db.clerk] == {
        "login": office_db.clerk, "name": "张三", "department": "政法科", "admin": False,
    }  # fmt: skip
    assert users[office_db.admin2]["admin"] and users["fazhi_admin"]["admin"]
    assert users[office_db.other]["department"] == "办公室"


def test_a_clerk_cannot_initialise_or_add_users(
    office_db: Office, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = fazhi(capsys, office_db.url(office_db.clerk), "office", "init")
    assert code == 2 and "不能创建数据库角色" in err
    code, _, err = add_user(
        capsys,
        monkeypatch,
        office_db.url(office_db.clerk),
        "x_" + office_db.name,
        "--name",
        "某",
        "--department",
        "政法科",
    )
    assert code == 2 and "不能添加用户" in err and "Traceback" not in err


def test_the_password_is_the_one_given_on_stdin(office_db: Office) -> None:
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(office_db.cluster.url(office_db.name, office_db.clerk, "wrong")).close()
    psycopg.connect(office_db.url(office_db.clerk)).close()


def test_a_clerk_changes_only_their_departments_tasks(
    office_db: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    clerk = office_db.url(office_db.clerk)
    assert fazhi(capsys, clerk, "set-progress", "1", "政法科写的")[0] == 0
    assert progress_of(clerk, "1") == "政法科写的"
    before = progress_of(clerk, "4")
    for argv in (("set-progress", "4", "越权"), ("done", "4"), ("set-progress", "3", " ")):
        if argv[1] == "3":  # seq 3 is 政法科's own: clearing it is allowed
            assert fazhi(capsys, clerk, *argv)[0] == 0
            continue
        code, out, err = fazhi(capsys, clerk, *argv)
        assert code == 2 and out == ""
        assert "“办公室”" in err and "Traceback" not in err, err
    assert progress_of(clerk, "4") == before
    # 办公室 may change a task that is 办公室's together with another 科室.
    assert fazhi(capsys, office_db.url(office_db.other), "set-progress", "6", "办公室写的")[0] == 0
    # An admin changes everything.
    assert fazhi(capsys, office_db.url(office_db.admin2), "set-progress", "4", "管理员写的")[0] == 0
    assert progress_of(clerk, "4") == "管理员写的"


def test_a_clerk_cannot_clear_or_rename_another_departments_task(office_db: Office) -> None:
    db = open_database(office_db.url(office_db.other))  # 办公室
    try:
        with db.session() as session:
            task = tasks.find_task_by_seq(session, 1, "2")  # 政法科's, with progress
            assert tasks.period_text(session, task, "2026-11") is not None or True
            with pytest.raises(PermissionDeniedError, match="“政法科”"):
                tasks.set_field(session, task, "note", "办公室的备注")
            session.rollback()
            with pytest.raises(PermissionDeniedError, match="“政法科”"):
                tasks.set_progress(session, task, "2026-10", "十月")
            session.rollback()
            own = tasks.find_task_by_seq(session, 1, "4")
            # Even on its own task a clerk changes no title: that is the admins'.
            with pytest.raises(PermissionDeniedError):
                tasks.set_field(session, own, "title", "改标题")
    finally:
        db.close()


def _history(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> list[dict[str, Any]]:
    code, out, err = fazhi(capsys, url, "history", "--ledger", "1", "--json", *extra)
    assert code == 0, err
    result: list[dict[str, Any]] = json.loads(out)
    return result


def test_every_kind_of_change_is_on_record(
    office_db: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    clerk = office_db.url(office_db.clerk)
    assert fazhi(capsys, clerk, "set-progress", "1", "第一稿")[0] == 0
    assert fazhi(capsys, clerk, "set-progress", "1", "第二稿")[0] == 0
    assert fazhi(capsys, clerk, "done", "2")[0] == 0
    db = open_database(office_db.url(office_db.admin2))
    try:
        with db.session() as session, session.begin():
            task = tasks.find_task_by_seq(session, 1, "5")
            tasks.set_field(session, task, "title", "新标题")
            tasks.add_task(session, 1, TaskDraft(seq="99", title="新任务", department="政法科"))
            tasks.delete_task(session, tasks.find_task_by_seq(session, 1, "7"))
    finally:
        db.close()
    changes = _history(capsys, clerk, "--seq", "1")
    mine = [c for c in changes if c["who"] == office_db.clerk]
    assert [(c["field"], c["old"], c["new"]) for c in mine] == [
        (f"progress:{PERIOD}", mine[0]["old"], "第一稿"),
        (f"progress:{PERIOD}", "第一稿", "第二稿"),
    ]
    assert all(c["who_name"] == "张三" and c["seq"] == "1" for c in mine)
    everything = _history(capsys, clerk)
    kinds = {(c["action"], c["field"], c["who"]) for c in everything}
    assert ("update", "tasks.done", office_db.clerk) in kinds
    assert ("update", "tasks.title", office_db.admin2) in kinds
    assert ("delete", "tasks.title", office_db.admin2) in kinds
    assert ("insert", "tasks.title", office_db.admin2) in kinds
    code, out, _ = fazhi(capsys, clerk, "history", "--ledger", "1", "--seq", "1")
    assert code == 0 and "张三" in out and "第一稿 → 第二稿" in out


def test_nobody_changes_the_history(office_db: Office) -> None:
    for login in ("fazhi_admin", office_db.admin2, office_db.clerk):
        for statement in (
            "DELETE FROM history",
            "UPDATE history SET new_value = 'x'",
            "TRUNCATE history",
            "INSERT INTO history (table_name, action, field) VALUES ('t', 'update', 'f')",
        ):
            with psycopg.connect(office_db.url(login)) as conn:
                if login == "fazhi_admin" and statement.startswith("INSERT"):
                    continue  # the owner inserts (through the trigger); it changes nothing old
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)  # type: ignore[arg-type]


def test_history_needs_office_mode(capsys: pytest.CaptureFixture[str], demo_db: Any) -> None:
    code, _, err = fazhi(capsys, str(demo_db), "history", "--ledger", "1")
    assert code == 2 and "单位数据库" in err


def test_the_same_task_saved_twice_is_a_conflict_never_an_overwrite(
    office_db: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    first = open_database(office_db.url(office_db.clerk))
    second = open_database(office_db.url(office_db.admin2))
    try:
        with first.session() as a, second.session() as b:
            task = tasks.find_task_by_seq(a, 1, "1")
            base_a = tasks.get_task(a, task).row_version
            base_b = tasks.get_task(b, task).row_version
            assert base_a == base_b
            a.commit()
            b.commit()
            with b.begin():
                tasks.set_progress(b, task, PERIOD, "王五的文字", base_version=base_b)
            with a.begin(), pytest.raises(EditConflictError) as caught:
                tasks.set_progress(a, task, PERIOD, "张三的文字", base_version=base_a)
        message = str(caught.value)
        assert "已被 王五 于" in message and "修改" in message
        assert "王五的文字" in message and "张三的文字" in message
        assert caught.value.theirs == "王五的文字" and caught.value.mine == "张三的文字"
    finally:
        first.close()
        second.close()
    assert progress_of(office_db.url(), "1") == "王五的文字"
    code, _, err = fazhi(
        capsys, office_db.url(office_db.clerk), "set-progress", "1", "晚到的", "--base-version", "1"
    )
    assert code == 2 and "已被 王五 于" in err and "晚到的" in err
    assert progress_of(office_db.url(), "1") == "王五的文字"


def test_office_commands_refuse_a_local_file(
    capsys: pytest.CaptureFixture[str], demo_db: Any
) -> None:
    code, _, err = fazhi(capsys, str(demo_db), "office", "users")
    assert code == 2 and "postgresql://" in err


def test_refused_message_names_the_owner() -> None:
    assert "“政法科”" in office.refused_message("3", "政法科")
