"""Window actions for monthly reporting: settings dialogs, 报送, and the 报送记录 list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox

from fazhi_desktop.errors import FazhiError, UsageError
from fazhi_desktop.io.mail import message as mail
from fazhi_desktop.io.mail import secrets
from fazhi_desktop.models.reporting import ReportRule
from fazhi_desktop.services import config, reporting, submit
from fazhi_desktop.ui.background import run_with_progress
from fazhi_desktop.ui.settings_dialogs import LedgerSettingsDialog, PreferencesDialog
from fazhi_desktop.ui.submit_dialogs import SubmissionsDialog, SubmitDialog

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fazhi_desktop.ui.main_window import MainWindow

# How many earlier periods the 报送 dialog offers besides the current one (a late report).
EARLIER_PERIODS = 5


def open_path(path: Path) -> None:
    """Hand a file or folder to the system (the mail program for .eml); tests replace this."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# --- settings ------------------------------------------------------------------------------


def edit_ledger_settings(window: MainWindow) -> bool:
    ledger_id = window.ledger_id
    if ledger_id is None:
        window.show_error("请先选择或导入一个台账。")
        return False
    values = window.run(lambda s: config.ledger_values(s, ledger_id))
    dialog = LedgerSettingsDialog(values, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    changed = {k: v for k, v in dialog.values.items() if values.get(k) != v}
    if changed:
        window.run(lambda s: config.apply_ledger(s, ledger_id, changed))
        window.reload_ledgers()
        window.statusBar().showMessage("台账设置已保存。", 5000)
    return True


def edit_preferences(window: MainWindow) -> bool:
    settings = window.app_settings
    host, user = settings.smtp_host, settings.smtp_user
    saved = bool(host and user and secrets.get_password(host, user))
    dialog = PreferencesDialog(config.program_values(settings), window, password_saved=saved)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    changed = {k: v for k, v in dialog.values.items() if getattr(settings, k) != v}
    config.apply_program(settings, dialog.values)
    try:
        # Only what was changed here, under the settings lock: a `fazhi config` meanwhile stays.
        config.save_program(changed)
    except (OSError, FazhiError) as exc:
        window.show_error(f"程序设置未能保存：{exc}。请检查用户配置文件夹是否可写。")
        return False
    password = dialog.typed_password
    if password and dialog.remember.isChecked():
        if not settings.smtp_host or not settings.smtp_user:
            window.show_error("密码未保存：请同时填写 SMTP 服务器和用户名。")
        elif not secrets.store_password(settings.smtp_host, settings.smtp_user, password):
            window.show_error(
                "这台电脑的系统密钥库不可用，密码没有保存；直接发送时会每次询问密码。"
                "（密码不会写入任何文件。）"
            )
    window.apply_preferences()
    window.statusBar().showMessage("程序设置已保存。", 5000)
    return True


# --- 报送 -----------------------------------------------------------------------------------


def _periods(window: MainWindow) -> list[tuple[str, str]]:
    ledger_id = window.ledger_id
    assert ledger_id is not None
    rule: ReportRule = window.run(lambda s: reporting.rule_of(s, ledger_id))
    period = rule.period_for(window.today)
    out = []
    for _ in range(EARLIER_PERIODS + 1):
        out.append((period, rule.label(period)))
        period = rule.previous(period)
    return out


def submit_current(window: MainWindow) -> bool:
    """报送 from the window: returns True when a submission was recorded."""
    ledger_id = window.ledger_id
    if ledger_id is None:
        window.show_error("请先选择或导入一个台账。")
        return False
    settings, today = window.app_settings, window.today

    def describe(period: str) -> tuple[submit.Prepared, int]:
        def read(s: Session) -> tuple[submit.Prepared, int]:
            prepared = submit.prepare(s, ledger_id, today=today, settings=settings, period=period)
            status = reporting.period_status(s, ledger_id, today=today, period=period)
            return prepared, status.missing_count

        return window.run(read)

    try:
        describe(window.period)
    except UsageError as exc:
        answer = QMessageBox.question(window, "报送", f"{exc}\n\n现在打开“台账设置”填写吗？")
        if answer == QMessageBox.StandardButton.Yes and edit_ledger_settings(window):
            return submit_current(window)
        return False
    server = submit.server_of(settings)
    dialog = SubmitDialog(
        _periods(window),
        describe,
        folder=submit.default_folder(settings),
        smtp=server.describe() if server.host else "",
        parent=window,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.prepared is None:
        return False
    prepared, folder, route = dialog.prepared, dialog.chosen_folder, dialog.route
    password: str | None = None
    if route == submit.ROUTE_SMTP and server.user:
        password = secrets.get_password(server.host, server.user)
        if password is None:
            typed, ok = QInputDialog.getText(
                window,
                "SMTP 密码",
                f"{server.user}@{server.host} 的密码（只用于本次发送，不会保存）：",
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return False
            password = typed

    refused: list[str] = []

    def work() -> Path:
        attachment = submit.export_attachment(prepared, folder, settings)
        draft = submit.draft_of(prepared, attachment, settings)
        if route == submit.ROUTE_SMTP:
            refused.extend(mail.send(draft, server, password))
        else:
            mail.write_eml(draft, attachment.with_suffix(".eml"))
        return attachment

    label = "正在发送邮件…" if route == submit.ROUTE_SMTP else "正在生成报送文件…"
    try:
        attachment = run_with_progress(window, label, work)
    except FazhiError as exc:
        window.show_error(str(exc))
        return False
    except OSError as exc:
        window.show_error(
            f"报送文件未能写入“{folder}”：{exc.strerror or exc}。请换一个文件夹后重试；未记录报送。"
        )
        return False
    record = window.run(
        lambda s: submit.record(s, prepared, route=route, attachment=attachment, refused=refused)
    )
    window.refresh(None)
    if route == submit.ROUTE_SMTP:
        QMessageBox.information(
            window,
            "报送成功",
            f"已发送到 {record.recipient}。\n附件：{attachment.name}\nSHA-256：{record.sha256}"
            + (f"\n\n{submit.refused_message(refused)}" if refused else ""),
        )
    else:
        eml = attachment.with_suffix(".eml")
        window.statusBar().showMessage(
            f"已生成邮件草稿“{eml.name}”，请在邮件程序中点“发送”。", 10000
        )
        open_path(eml)
    return True


def show_submissions(window: MainWindow) -> None:
    ledger_id = window.ledger_id
    rows = window.run(lambda s: submit.list_submissions(s, ledger_id))
    SubmissionsDialog(rows, open_path, window).exec()
