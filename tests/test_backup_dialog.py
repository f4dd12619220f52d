"""The 备份与恢复 dialog, the window's backups (daily on start, before import) and restore."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY, finish, wait_for
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.services import backups, exports
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui import app as app_module
from fazhi_desktop.ui import import_preview
from fazhi_desktop.ui.actions import file as file_actions
from fazhi_desktop.ui.backup_dialog import BackupDialog
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.single_instance import claim
from fazhi_desktop.ui.task_model import RowObjectRole


@pytest.fixture
def opened(demo_db: Path) -> Iterator[Database]:
    db = open_database(demo_db)
    yield db
    db.close()


@pytest.fixture
def window_database(opened: Database) -> Database:
    return opened


def titles(win: MainWindow) -> list[str]:
    return [win.proxy.index(r, 0).data(RowObjectRole).title for r in range(win.proxy.rowCount())]


def test_the_file_menu_opens_the_dialog(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[BackupDialog] = []
    monkeypatch.setattr(BackupDialog, "exec", lambda self: shown.append(self) or 0)
    action = next(a for a in window.file_menu.actions() if a.text().startswith("备份与恢复"))
    action.trigger()
    assert len(shown) == 1 and shown[0].windowTitle() == "备份与恢复"


def test_backup_now_then_restore_it(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.empty_label.isHidden()
    assert not dialog.restore_button.isEnabled()

    dialog.backup_button.click()
    wait_for(lambda: dialog.table.rowCount() == 1)  # backed up in the background
    assert dialog.table.item(0, 1).text() == "手动备份"
    assert dialog.empty_label.isHidden() and dialog.restore_button.isEnabled()
    original = titles(window)

    from fazhi_desktop.services import tasks

    window.run(lambda s: tasks.set_field(s, 1, "title", "恢复前改掉的标题"))
    window.refresh(None)
    assert titles(window)[0] == "恢复前改掉的标题"

    dialog.table.selectRow(0)
    asked: list[str] = []
    monkeypatch.setattr(
        BackupDialog, "confirm_restore", lambda self, b: asked.append(b.label) or True
    )
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    dialog.show()
    dialog.resize(680, 440)
    dialog.restore_button.click()
    wait_for(lambda: told)

    assert asked == ["手动备份"]
    assert titles(window) == original
    assert told and "已恢复到" in told[0] and "恢复前的数据已另存为备份" in told[0]
    assert [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())] == [
        "恢复前",
        "手动备份",
    ]
    assert "已恢复到" in window.statusBar().currentMessage()
    assert dialog.grab().save(str(tmp_path / "backup_dialog.png"))


def test_restore_is_cancelled_by_the_question(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    finish(dialog.backup_now())
    assert window.db is not None
    before = window.db.path.read_bytes()
    monkeypatch.setattr(BackupDialog, "confirm_restore", lambda self, b: False)
    dialog.restore_selected()
    assert window.db.path.read_bytes() == before
    assert dialog.table.rowCount() == 1


def test_the_question_names_the_backup_and_defaults_to_cancel(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    finish(dialog.backup_now())
    seen: list[QMessageBox] = []

    def answer(box: QMessageBox) -> int:
        seen.append(box)
        return 0  # closed without a click: clickedButton() stays None

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert dialog.confirm_restore(dialog.found[0]) is False
    box = seen[0]
    assert "手动备份" in box.text() and "替换当前的全部台账数据" in box.text()
    assert box.defaultButton().text() == "取消"
    assert {b.text() for b in box.buttons()} == {"恢复", "取消"}


def test_import_from_the_window_backs_up_first(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = window.run(lambda s: exports.snapshot(s, 1, today=TODAY, settings=AppSettings()))
    workbook = tmp_path / "再导入.xlsx"
    exports.export_xlsx(record, workbook, AppSettings())
    assert window.db is not None
    conn = sqlite3.connect(window.db.path)
    before = list(conn.iterdump())
    conn.close()
    monkeypatch.setattr(
        import_preview.ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted
    )
    finish(file_actions.import_xlsx(window, workbook))
    found = backups.list_backups(window.db.path)
    assert [b.reason for b in found] == ["import"]
    conn = sqlite3.connect(found[0].path)
    assert list(conn.iterdump()) == before
    conn.close()


def test_start_up_makes_the_daily_backup_and_answers_second_starts(
    window: MainWindow, opened: Database
) -> None:
    guard = claim(opened.path)
    assert guard is not None
    try:
        app_module.after_start(window, opened, guard)
        app_module.after_start(window, opened, guard)  # a second start the same day: no more
        assert [b.reason for b in backups.list_backups(opened.path)] == ["daily"]
        assert guard._server is not None and guard._server.isListening()
    finally:
        guard.release()


def test_a_failed_daily_backup_is_shown_not_fatal(window: MainWindow, opened: Database) -> None:
    (opened.path.parent / "backups").write_text("挡路的文件", encoding="utf-8")
    guard = claim(opened.path)
    assert guard is not None
    try:
        app_module.after_start(window, opened, guard)
    finally:
        guard.release()
    assert "今天的自动备份没有成功" in window.statusBar().currentMessage()
