"""The window in 单位模式: others' saves appear within 2 s, an edit in progress survives,
the detail pane shows the record, and 工具 → 连接单位数据库 checks before it opens."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import TODAY, wait_for
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QDialog, QLabel

from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import demo, office, tasks
from fazhi_desktop.ui import office_link
from fazhi_desktop.ui.actions import office as office_action

PERIOD = "2026-11"


def _office_database(cluster: Any) -> str:
    """A server database with the demo ledger, set up for 单位模式 by its admin."""
    url = cluster.new_database()
    db = open_database(url)
    with db.session() as session, session.begin():
        demo.create_demo(session, TODAY)
        office.init_office(session, name="管理员", department="办公室")
    db.close()
    return str(url)


@pytest.fixture
def server_url(pg_cluster: Any) -> str:
    return _office_database(pg_cluster)


@pytest.fixture
def window_database(server_url: str) -> Iterator[Any]:
    db = open_database(server_url)
    yield db
    db.close()


def _save_elsewhere(url: str, seq: str, text: str) -> None:
    """Another clerk's program: its own connection, its own transaction."""
    other = open_database(url)
    try:
        with other.session() as session, session.begin():
            tasks.set_progress(session, tasks.find_task_by_seq(session, 1, seq), PERIOD, text)
    finally:
        other.close()


def _text_of(window: Any, seq: str) -> str:
    return next(t.progress for t in window.model.tasks() if t.seq == seq)


def test_anothers_save_appears_within_2_s(
    window: Any, window_database: Any, server_url: str
) -> None:
    link = office_link.install(window, window_database)
    assert link is not None
    time.sleep(0.5)  # the listener is connected
    _save_elsewhere(server_url, "2", "别人刚保存的进展")
    started = time.monotonic()
    wait_for(lambda: _text_of(window, "2") == "别人刚保存的进展", seconds=2.0)
    assert time.monotonic() - started < 2.0
    link.stop()


def test_an_edit_in_progress_is_not_lost_to_a_reload(
    window: Any, window_database: Any, server_url: str
) -> None:
    link = office_link.install(window, window_database)
    assert link is not None
    time.sleep(0.5)
    row = window.model.row_of(next(t.id for t in window.model.tasks() if t.seq == "3"))
    from fazhi_desktop.ui.task_model import COL_PROGRESS

    index = window.proxy.mapFromSource(window.model.index(row, COL_PROGRESS))
    window.table.setCurrentIndex(index)
    window.table.edit(index)
    assert window.table.state() == QAbstractItemView.State.EditingState
    editor = window.table.focusWidget()
    if hasattr(editor, "setPlainText"):
        editor.setPlainText("我正在写的进展")
    else:
        editor.setText("我正在写的进展")
    before = link.reloads
    _save_elsewhere(server_url, "2", "别人在我写的时候保存的")
    deadline = time.monotonic() + 1.5  # long past the 300 ms a reload would take
    wait_for(lambda: time.monotonic() > deadline, seconds=3.0)
    assert link.reloads == before  # no reload under the open editor
    assert window.table.state() == QAbstractItemView.State.EditingState
    window.table.commitData(editor)
    window.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    wait_for(lambda: link.reloads > before, seconds=3.0)
    assert _text_of(window, "3") == "我正在写的进展"
    assert _text_of(window, "2") == "别人在我写的时候保存的"
    link.stop()


def test_the_detail_pane_shows_the_record(
    window: Any, window_database: Any, server_url: str
) -> None:
    _save_elsewhere(server_url, "1", "留痕的进展")
    link = office_link.install(window, window_database)
    assert link is not None
    window.select_task(next(t.id for t in window.model.tasks() if t.seq == "1"))
    window.refresh(None)
    text = window.detail.toPlainText()
    assert "修改记录" in text and "留痕的进展" in text and "管理员" in text
    assert f"进展情况（{PERIOD}）" in text
    link.stop()


def test_connect_checks_the_server_before_opening_it(
    window: Any, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(office_action, "open_in_new_window", lambda a, p: opened.append((a, p)))
    address, password = server_url.replace(":admin-pw@", "@"), "admin-pw"

    def fill(dialog: Any) -> int:
        dialog.address.setText(address)
        dialog.password.setText(password)
        dialog.remember.setChecked(False)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr("fazhi_desktop.ui.office_dialog.ConnectDialog.exec", fill)
    from fazhi_desktop.ui.background import Op

    assert office_action.connect_office(window)
    wait_for(lambda: bool(opened) or not Op.busy(window), seconds=20)
    assert opened == [(address, password)]
    # A wrong password: a Chinese message, nothing opened.
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", errors.append)
    password = "wrong"
    opened.clear()
    assert office_action.connect_office(window)
    wait_for(lambda: bool(errors), seconds=20)
    assert "用户名或密码不对" in errors[0] and not opened


@pytest.mark.parametrize(
    ("choice", "kept"), [("保留我的", "我的文字"), ("采用对方的", "对方的文字")]
)
def test_a_cell_saved_over_anothers_newer_save_asks_with_both_texts(
    window: Any,
    window_database: Any,
    server_url: str,
    monkeypatch: pytest.MonkeyPatch,
    choice: str,
    kept: str,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    link = office_link.install(window, window_database)
    assert link is not None
    link.stop()  # the other save arrives while this window still shows the older version
    task = next(t for t in window.model.tasks() if t.seq == "2")
    _save_elsewhere(server_url, "2", "对方的文字")
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == choice).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    link._on_edit(task, "progress", "我的文字")
    assert len(shown) == 1
    assert "已被 管理员 于" in shown[0] and "对方的文字" in shown[0] and "我的文字" in shown[0]
    check = open_database(server_url)
    with check.session() as session:
        saved = tasks.period_text(session, task.id, PERIOD)
    check.close()
    assert saved == kept
    assert _text_of(window, "2") == kept
    assert window.undo_stack.count() == (1 if kept == "我的文字" else 0)


@pytest.fixture
def killable_url(own_cluster: Any) -> str:
    return _office_database(own_cluster)


def test_a_server_lost_mid_edit_keeps_the_typed_text_and_reconnects(
    own_cluster: Any, killable_url: str, tmp_path: Any
) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from fazhi_desktop.settings import AppSettings
    from fazhi_desktop.ui.main_window import MainWindow

    db = open_database(killable_url)
    ui_state = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    win = MainWindow(db, today=TODAY, settings=AppSettings(), ui_state=ui_state)
    link = office_link.install(win, db)
    assert link is not None
    try:
        _lose_the_server_mid_edit(win, link, own_cluster)
    finally:
        # Everything the window still has queued runs now, while this test's server is up.
        link.stop()
        win.close()
        QApplication.processEvents()
        win.deleteLater()
        QApplication.processEvents()
        db.close()


def _lose_the_server_mid_edit(win: Any, link: Any, own_cluster: Any) -> None:
    from PySide6.QtWidgets import QApplication

    errors: list[str] = []
    win.show_error = errors.append  # type: ignore[method-assign]
    task = next(t for t in win.model.tasks() if t.seq == "3")
    own_cluster.kill()
    link._on_edit(task, "progress", "断线时写的进展")
    assert len(errors) == 1 and "与数据库的连接已断开" in errors[0]
    assert "断线时写的进展" in errors[0]
    assert QApplication.clipboard().text() == "断线时写的进展"
    assert win.undo_stack.count() == 0
    own_cluster.start()
    link._on_edit(task, "progress", "断线时写的进展")  # pasted back and saved again
    assert len(errors) == 1
    assert _text_of(win, "3") == "断线时写的进展"


def test_a_note_saved_over_anothers_newer_note_asks_too(
    window: Any, window_database: Any, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    link = office_link.install(window, window_database)
    assert link is not None
    link.stop()
    task = next(t for t in window.model.tasks() if t.seq == "4")
    other = open_database(server_url)
    with other.session() as session, session.begin():
        tasks.set_field(session, task.id, "note", "对方的备注")
    other.close()
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "采用对方的").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    link._on_edit(task, "note", "我的备注")
    assert len(shown) == 1 and "对方的备注" in shown[0] and "我的备注" in shown[0]
    assert next(t.note for t in window.model.tasks() if t.seq == "4") == "对方的备注"
    assert window.undo_stack.count() == 0


def test_a_start_without_a_stored_password_asks_for_it(
    window: Any, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`fazhi-desktop --db postgresql://登录名@…` with no password in the keyring failed with
    the login message and quit; now the window asks, again after a wrong one, and opens."""
    from fazhi_desktop.errors import LoginFailedError
    from fazhi_desktop.ui.office_dialog import log_in

    address = server_url.replace(":admin-pw@", "@")
    with pytest.raises(LoginFailedError, match="用户名或密码不对"):
        open_database(address)
    typed = iter(["wrong", "admin-pw"])
    problems: list[str] = []

    def fill(dialog: Any) -> int:
        assert dialog.address.text() == address and dialog.address.isReadOnly()
        problem = dialog.findChild(QLabel, "officeProblem")
        problems.append(problem.text() if problem is not None else "")
        dialog.password.setText(next(typed))
        dialog.remember.setChecked(False)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr("fazhi_desktop.ui.office_dialog.ConnectDialog.exec", fill)
    db = log_in(window, address, "无法登录单位数据库：用户名或密码不对。")
    assert db is not None
    try:
        assert db.is_server and len(problems) == 2
        assert all("用户名或密码不对" in p for p in problems)  # the first, then the wrong one's
    finally:
        db.close()
    monkeypatch.setattr(
        "fazhi_desktop.ui.office_dialog.ConnectDialog.exec",
        lambda _d: int(QDialog.DialogCode.Rejected),
    )
    assert log_in(window, address, "") is None  # 取消: nothing opened
