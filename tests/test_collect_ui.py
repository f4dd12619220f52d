"""汇总 → 收取报送邮件 and 发送催报 in the window, against the test session's Dovecot."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.services import remind, summary, summary_views, unit_contacts
from fazhi_desktop.settings import AppSettings, settings_path
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions import summary as summary_actions
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.summary import mail_collect, mailbox_settings, remind_dialog

sys.path.insert(0, str(Path(__file__).parent))
from conftest import finish, wait_for
from imap_server import Dovecot, Mailbox
from mail_shapes import outlook
from summary_returns import make_template, write_return
from test_collect import dovecot, inbox
from test_submit import smtp_server

# The session's Dovecot, a mailbox of this test's own, and the 报送 tests' SMTP server.
__all__ = ["dovecot", "inbox", "smtp_server"]

UNITS = ("市司法局", "市委编办", "市财政局", "市教育局")
TODAY = dt.date(2026, 12, 3)
NOV = "2026-11"
SENT = dt.date(2026, 11, 26)


@pytest.fixture
def db(db_path: Path) -> Any:
    database = open_database(db_path)
    with database.session() as s, s.begin():
        template = make_template(s, 4, UNITS)
        summary.create_summary(s, template)
    yield database
    database.close()


@pytest.fixture
def window_database(db: Database) -> Database:
    return db


@pytest.fixture
def window_today() -> dt.date:
    return TODAY


def _summary_id(db: Database) -> int:
    with db.session() as s:
        return max(led.id for led in _ledgers(s))


def test_collect_and_remind_from_the_window(
    window: MainWindow,
    db: Database,
    dovecot: Dovecot,
    inbox: Mailbox,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server: tuple[Any, int],
) -> None:
    ledger_id = _summary_id(db)
    window.ledger_id = ledger_id
    settings = window.app_settings
    settings.imap_host, settings.imap_port = "127.0.0.1", dovecot.port
    settings.imap_security, settings.imap_user = "none", inbox.user
    asked: list[str] = []

    def ask(_parent: Any, prompt: str) -> str:
        asked.append(prompt)
        return inbox.password

    monkeypatch.setattr(mail_collect, "ask_password", ask)
    with db.session() as s:
        template = min(led.id for led in _ledgers(s))
        rows = [(t.seq, t.title, "本月进展") for t in summary.get_ledger(s, template).tasks]
    data = write_return(tmp_path / "r.xlsx", unit="市司法局", period=NOV, rows=rows,
                        filled_on=SENT).read_bytes()  # fmt: skip
    inbox.deliver(outlook("sfj@sfj.example.cn", "司法局报送", [("市司法局-进展.xlsx", data)], SENT))
    inbox.deliver(outlook("x@x.example.cn", "会议通知", [("通知.docx", b"PK not a return")], SENT))

    view = summary_actions.collect_mail(window)
    assert view is not None and view.batch is not None
    result = finish(view.batch)
    assert result is not None and asked == [f"收件邮箱 {inbox.user}@127.0.0.1 的密码："]
    wait_for(lambda: view.collect_dialog is not None and view.collect_dialog.isVisible())
    dialog = view.collect_dialog
    assert dialog is not None
    marks = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert sorted(marks) == ["-", "✓"]
    assert "导入 1 个文件" in view.status.text()
    states = {
        view.period_tab.model.index(r, 0).data(): view.period_tab.model.index(r, 1).data()
        for r in range(view.period_tab.model.rowCount())
    }
    assert states["市司法局"] == "已报送" and states["市委编办"] == "未报送"
    dialog.close()

    # 应报单位 → 联系邮箱: 市司法局's sender was remembered; give 市委编办 an address.
    contacts = view.edit_contacts()
    table = contacts.table
    found = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert found["市司法局"] == "sfj@sfj.example.cn"
    table.item(list(found).index("市委编办"), 1).setText("bb@bb.example.cn")
    assert contacts.save()
    with db.session() as s:
        assert unit_contacts.contacts_of(s, ledger_id)["市委编办"] == "bb@bb.example.cn"

    # 发送催报: the preview names the units; the template is edited; drafts are written.
    preview = view.send_reminders()
    assert preview is not None
    assert "未报送 3 个单位，将给 1 个单位发催报" in preview.heading.text()
    rows_shown = [preview.model.index(r, 0).data() for r in range(preview.model.rowCount())]
    assert rows_shown == ["市委编办", "市财政局", "市教育局"]
    assert "市委编办-" in preview.preview.toPlainText()

    def edited(dialog: QDialog) -> int:
        assert isinstance(dialog, remind_dialog.TemplateDialog)
        dialog.edit.setPlainText("{单位}：请于{截止日期}前报送{期间}台账。")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(remind_dialog.TemplateDialog, "exec", edited)
    assert preview.edit_template()
    text = preview.preview.toPlainText()
    assert text.endswith("市委编办：请于2026年11月30日前报送2026年11月台账。")
    folder = tmp_path / "drafts"
    folder.mkdir()
    monkeypatch.setattr(file_dialogs, "ask_folder", lambda *_a, **_k: folder)
    finish(preview.write_drafts())
    assert [p.name for p in folder.iterdir()] == ["催报-市委编办.eml"]
    with db.session() as s:
        assert [r.unit for r in remind.reminders_of(s, ledger_id, NOV)] == ["市委编办"]
    wait_for(lambda: "市委编办 → bb@bb.example.cn" in view.period_tab.reminders.text())

    # 发送: over SMTP, the password asked for (the keyring holds none), recorded once sent.
    smtp_inbox, port = smtp_server
    settings.smtp_host, settings.smtp_port, settings.smtp_user = "127.0.0.1", port, "clerk"
    settings.smtp_security, settings.smtp_from = "none", "fzb@fzb.example.cn"
    monkeypatch.setattr(remind_dialog, "ask_password", lambda *_a: "s3cret-密")
    finish(preview.send())
    ((_sender, rcpts, _raw),) = smtp_inbox.messages
    assert rcpts == ["bb@bb.example.cn"]
    assert "已给 1 个单位发送催报" in preview.heading.text()
    wait_for(lambda: "（SMTP 直接发送）" in view.period_tab.reminders.text())
    preview.close()


def _ledgers(session: Any) -> list[Any]:
    from fazhi_desktop.models.orm import Ledger

    return list(session.query(Ledger).all())


def test_first_collect_asks_for_the_mailbox_and_cancel_stops_after_one_mail(
    window: MainWindow,
    db: Database,
    dovecot: Dovecot,
    inbox: Mailbox,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ledger_id = _summary_id(db)
    window.ledger_id = ledger_id
    with db.session() as s:
        template = min(led.id for led in _ledgers(s))
        rows = [(t.seq, t.title, "本月进展") for t in summary.get_ledger(s, template).tasks]
    for n, unit in enumerate(UNITS[:3]):
        data = write_return(tmp_path / f"{n}.xlsx", unit=unit, period=NOV, rows=rows,
                            filled_on=SENT).read_bytes()  # fmt: skip
        inbox.deliver(outlook(f"u{n}@u.example.cn", f"{unit}报送", [(f"{unit}.xlsx", data)], SENT))

    def fill(dialog: mailbox_settings.MailboxSettingsDialog) -> int:
        dialog.texts["imap_host"].setText("127.0.0.1")
        dialog.texts["imap_user"].setText(inbox.user)
        dialog.port.setValue(dovecot.port)
        dialog.security.setCurrentIndex(dialog.security.findData("none"))
        dialog.password.setText(inbox.password)
        dialog.remember.setChecked(False)  # used for this collection only
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(mailbox_settings.MailboxSettingsDialog, "exec", fill)
    monkeypatch.setattr(mail_collect, "ask_password", lambda *_a: pytest.fail("asked again"))
    view = summary_actions.collect_mail(window)
    assert view is not None and view.batch is not None
    op = view.batch
    saved = AppSettings.load()
    assert (saved.imap_host, saved.imap_port, saved.imap_user) == ("127.0.0.1", dovecot.port,
                                                                   inbox.user)  # fmt: skip
    assert inbox.password not in settings_path().read_text(encoding="utf-8")

    def click_cancel(done: int, total: int, text: str) -> None:
        if done == 0 and text:
            assert "正在收取第 1 / 3 封邮件" in text
            op.cancel()

    op.progressed.connect(click_cancel)
    result = finish(op)
    assert result is not None and result.cancelled and len(result.of("imported")) == 1
    wait_for(lambda: view.collect_dialog is not None and view.collect_dialog.isVisible())
    assert "已取消" in view.status.text()
    view.collect_dialog.close()
    # The rest come with the next collection; the first is not taken twice.
    monkeypatch.setattr(mail_collect, "ask_password", lambda *_a: inbox.password)
    again = finish(view.collect_mail())
    assert again is not None and len(again.of("imported")) == 2 and again.new_mails == 2
    with db.session() as s:
        assert len(summary_views.period_report(s, ledger_id, NOV).names("未报送")) == 1


def test_remind_with_nobody_to_write_to_offers_no_button_that_does_nothing(
    window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No unit has an address: 生成邮件草稿 asked for a folder and 发送 for a password, then
    nothing happened."""
    view = summary_actions.open_summary(window, _summary_id(db))
    view.period = NOV
    preview = view.send_reminders()
    assert preview is not None and "将给 0 个单位发催报" in preview.heading.text()
    monkeypatch.setattr(file_dialogs, "ask_folder", lambda *_a, **_k: pytest.fail("asked"))
    monkeypatch.setattr(remind_dialog, "ask_password", lambda *_a: pytest.fail("asked"))
    window.app_settings.smtp_host, window.app_settings.smtp_user = "127.0.0.1", "clerk"
    for name in ("writeRemindDrafts", "sendReminders"):
        button = preview.findChild(QPushButton, name)
        assert button is not None and "联系邮箱" in button.toolTip()
        button.click()  # disabled: nothing is asked
    preview.close()
