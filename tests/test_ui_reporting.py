"""Monthly reporting in the window: period, 未填报, reminder, 沿用上期, settings and 报送."""

from __future__ import annotations

import datetime as dt
import email
from collections.abc import Callable, Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, finish
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.orm import Ledger
from fazhi_desktop.services import submit, tasks
from fazhi_desktop.services.demo import create_demo
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.actions import settings as settings_actions
from fazhi_desktop.ui.actions import submission as submission_actions
from fazhi_desktop.ui.actions import tasks as task_actions
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.settings_dialogs import LedgerSettingsDialog, PreferencesDialog
from fazhi_desktop.ui.submit_dialogs import SubmissionsDialog, SubmitDialog
from fazhi_desktop.ui.task_model import COL_PROGRESS, UNREPORTED_FILL, UNREPORTED_PLACEHOLDER

OpenWindow = Callable[[dt.date], MainWindow]


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture
def open_window(qtbot: QtBot, database: Database, tmp_path: Path) -> Iterator[OpenWindow]:
    windows: list[MainWindow] = []

    def make(today: dt.date) -> MainWindow:
        with database.session() as s, s.begin():
            if s.query(Ledger).count() == 0:
                create_demo(s, today)
        ui_state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
        win = MainWindow(database, today=today, settings=AppSettings(), ui_state=ui_state)
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        qtbot.waitExposed(win)
        windows.append(win)
        return win

    yield make
    for win in windows:
        win.close()


def _row_of(win: MainWindow, task_id: int) -> int:
    row = win.model.row_of(task_id)
    assert row is not None
    return row


def _progress_index(win: MainWindow, task_id: int) -> Any:
    return win.model.index(_row_of(win, task_id), COL_PROGRESS)


def test_period_and_unreported_are_shown(open_window: OpenWindow) -> None:
    win = open_window(TODAY)
    status = win.period_status
    assert status is not None and status.period == "2026-11"
    text = win.period_label.text()
    assert "2026年11月" in text and "每月30日前" in text and "11月30日截止" in text
    assert f"未填报 {status.missing_count} 项" in text
    assert status.missing_count > 0
    task_id = next(iter(status.missing))
    index = _progress_index(win, task_id)
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name().upper() == UNREPORTED_FILL
    if not win.model.task_at(index.row()).progress:
        assert index.data(Qt.ItemDataRole.DisplayRole) == UNREPORTED_PLACEHOLDER
        assert index.data(Qt.ItemDataRole.EditRole) == ""
    # Eight days before the 30th: no warning yet.
    assert not win.reminder.isVisible()


def test_filling_in_a_task_takes_it_off_the_unreported_list(open_window: OpenWindow) -> None:
    win = open_window(TODAY)
    assert win.period_status is not None
    before = win.period_status.missing_count
    task_id = min(win.period_status.missing)
    assert win.model.setData(_progress_index(win, task_id), "本月已完成调研。")
    assert win.period_status.missing_count == before - 1
    assert task_id not in win.period_status.missing
    assert _progress_index(win, task_id).data(Qt.ItemDataRole.BackgroundRole) != UNREPORTED_FILL
    win.undo_stack.undo()
    assert win.period_status.missing_count == before


def test_unreported_filter(open_window: OpenWindow) -> None:
    win = open_window(TODAY)
    assert win.period_status is not None
    win.status_filter.setCurrentText("本期未填报")
    shown = {
        win.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2).id
        for r in range(win.proxy.rowCount())
    }
    assert shown == set(win.period_status.missing)


@pytest.mark.parametrize(
    ("today", "colour_word"),
    [
        (dt.date(2026, 11, 27), "还有 3 天"),
        (dt.date(2026, 11, 30), "今天"),
        (dt.date(2027, 2, 28), "今天"),
    ],
)
def test_reminder_near_the_reporting_day(
    open_window: OpenWindow, today: dt.date, colour_word: str
) -> None:
    win = open_window(today)
    assert win.reminder.isVisible()
    assert colour_word in win.reminder.label.text()


def test_reminder_after_the_day_until_submitted(
    open_window: OpenWindow, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reporting day of the 20th has passed by the 22nd.
    with database.session() as s, s.begin():
        create_demo(s, TODAY)
        ledger = s.query(Ledger).one()
        ledger.report_day = 20
        ledger.unit = "甲局"
    win = open_window(TODAY)
    assert win.reminder.isVisible()
    assert "已过 2 天" in win.reminder.label.text()
    _accept_submit(monkeypatch, tmp_path)
    opened: list[Path] = []
    monkeypatch.setattr(submission_actions, "open_path", opened.append)
    assert finish(submission_actions.submit_current(win)) is not None
    assert not win.reminder.isVisible()
    assert "本期已报送" in win.period_label.text()


def test_carry_forward_last_month(open_window: OpenWindow, database: Database) -> None:
    win = open_window(TODAY)
    task = next(t for t in win.model.tasks() if not t.done)
    with database.session() as s, s.begin():
        tasks.set_progress(s, task.id, "2026-11", "")
        tasks.set_progress(s, task.id, "2026-10", "十月：已完成方案起草。")
    win.refresh(None)
    assert win.period_status is not None and task.id in win.period_status.missing
    index = _progress_index(win, task.id)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "十月：已完成方案起草。"
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    win.select_task(task.id)
    task_actions.carry_forward(win)
    with database.session() as s:
        history = {h.period: h.text for h in tasks.progress_history(s, task.id)}
    assert history == {"2026-10": "十月：已完成方案起草。", "2026-11": "十月：已完成方案起草。"}
    assert task.id not in win.period_status.missing
    win.undo_stack.undo()
    with database.session() as s:
        history = {h.period: h.text for h in tasks.progress_history(s, task.id)}
    assert history == {"2026-10": "十月：已完成方案起草。"}


def test_ledger_settings_dialog_validates_and_saves(
    open_window: OpenWindow, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_window(TODAY)
    dialog = LedgerSettingsDialog({"mailbox": "x", "report_day": 30, "report_cycle": "monthly"})
    dialog.edits["mailbox"].setText("not a mail")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisibleTo(dialog) and "邮箱" in dialog.error.text()

    def fill(self: LedgerSettingsDialog) -> int:
        self.edits["unit"].setText("濮阳市司法局")
        self.edits["mailbox"].setText("fzb@py.gov.cn")
        self.cycle.setCurrentIndex(self.cycle.findData("quarterly"))
        self.day.setValue(31)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(LedgerSettingsDialog, "exec", fill)
    assert settings_actions.edit_ledger_settings(win)
    with database.session() as s:
        ledger = s.query(Ledger).one()
        assert (ledger.unit, ledger.mailbox) == ("濮阳市司法局", "fzb@py.gov.cn")
        assert (ledger.report_cycle, ledger.report_day) == ("quarterly", 31)
    assert win.period_status is not None and win.period_status.label == "2026年第4季度"
    assert "每季度末月31日前" in win.period_label.text()


def test_preferences_dialog_saves_and_recolours(
    open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_window(TODAY)
    soon_before = sum(t.colour.value == "due_soon" for t in win.model.tasks())

    def fill(self: PreferencesDialog) -> int:
        self.due_soon.setValue(60)
        self.texts["smtp_host"].setText("mail.py.gov.cn")
        self.security.setCurrentIndex(self.security.findData("starttls"))
        self.texts["smtp_from"].setText("kjj@py.gov.cn")
        self.password.setText("secret")
        self.accept()
        return int(self.result())

    errors: list[str] = []
    monkeypatch.setattr(win, "show_error", errors.append)
    monkeypatch.setattr(PreferencesDialog, "exec", fill)
    assert settings_actions.edit_preferences(win)
    saved = AppSettings.load()
    assert saved.due_soon_days == 60 and saved.smtp_security == "starttls"
    assert saved.smtp_host == "mail.py.gov.cn"
    assert "secret" not in (Path(saved.__class__.__module__).name + str(saved))
    assert "60天内到期" in win._due_soon_chip.text()
    soon_after = sum(t.colour.value == "due_soon" for t in win.model.tasks())
    assert soon_after > soon_before
    # No user name: the typed password is not kept anywhere.
    assert errors and "用户名" in errors[0]


def _accept_submit(monkeypatch: pytest.MonkeyPatch, folder: Path, route: str = "eml") -> None:
    def accept(self: SubmitDialog) -> int:
        self.folder.setText(str(folder))
        (self.smtp if route == "smtp" else self.eml).setChecked(True)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(SubmitDialog, "exec", accept)


def test_submit_as_mail_draft(
    open_window: OpenWindow, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_window(TODAY)
    out = tmp_path / "报送"
    _accept_submit(monkeypatch, out)
    opened: list[Path] = []
    monkeypatch.setattr(submission_actions, "open_path", opened.append)
    assert finish(submission_actions.submit_current(win)) is not None
    name = "濮阳市科学技术局-法治政府建设工作台账-2026年11月进展"
    assert opened == [out / f"{name}.eml"]
    message = email.message_from_bytes(opened[0].read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1"
    (part,) = message.iter_attachments()  # type: ignore[attr-defined]
    assert part.get_filename() == f"{name}.xlsx"
    assert part.get_payload(decode=True) == (out / f"{name}.xlsx").read_bytes()
    with database.session() as s:
        (row,) = submit.list_submissions(s)
    assert row.route == "eml" and row.period == "2026-11"

    shown: list[SubmissionsDialog] = []
    monkeypatch.setattr(SubmissionsDialog, "exec", lambda self: shown.append(self) or 0)
    submission_actions.show_submissions(win)
    model = shown[0].model
    assert model.rowCount() == 1
    assert model.index(0, 4).data() == f"{name}.xlsx"
    assert model.index(0, 5).data() == row.sha256


def test_submit_smtp_failure_is_explained_and_not_logged(
    open_window: OpenWindow, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    win = open_window(TODAY)
    win.app_settings.smtp_host = "127.0.0.1"
    win.app_settings.smtp_port = port
    win.app_settings.smtp_from = "kjj@py.gov.cn"
    _accept_submit(monkeypatch, tmp_path, route="smtp")
    errors: list[str] = []
    monkeypatch.setattr(win, "show_error", errors.append)
    op = submission_actions.submit_current(win)
    assert finish(op) is None and op is not None and op.error is not None
    assert errors and "连接被拒绝" in errors[0] and "未记录报送" in errors[0]
    with database.session() as s:
        assert submit.list_submissions(s) == []


def test_submit_dialog_follows_the_period(open_window: OpenWindow, tmp_path: Path) -> None:
    win = open_window(TODAY)
    periods = submission_actions.periods(win)
    assert periods[0] == ("2026-11", "2026年11月") and periods[1] == ("2026-10", "2026年10月")
    assert len(periods) == submission_actions.EARLIER_PERIODS + 1

    def describe(period: str) -> tuple[submit.Prepared, int]:
        def read(s: Any) -> tuple[submit.Prepared, int]:
            prepared = submit.prepare(s, 1, today=TODAY, settings=win.app_settings, period=period)
            return prepared, 3

        return win.run(read)

    dialog = SubmitDialog(periods, describe, folder=tmp_path, smtp="")
    assert "2026年11月进展.xlsx" in dialog.file_name.text()
    assert not dialog.smtp.isEnabled()
    dialog.period.setCurrentIndex(1)
    assert "2026年10月进展.xlsx" in dialog.file_name.text()
    assert "2026年10月法治政府建设工作台账进展情况" in dialog.subject.text()
    assert "3 项任务未填报" in dialog.missing.text()


def test_plans_and_summaries_have_no_reporting_period(
    open_window: OpenWindow, database: Database
) -> None:
    with database.session() as s, s.begin():
        create_demo(s, dt.date(2026, 11, 28))
        s.query(Ledger).one().kind = "plan"
    win = open_window(dt.date(2026, 11, 28))
    assert win.period_status is None
    assert not win.reminder.isVisible()
    assert win.period_label.text() == ""
    index = win.model.index(0, COL_PROGRESS)
    assert index.data(Qt.ItemDataRole.BackgroundRole) != UNREPORTED_FILL
