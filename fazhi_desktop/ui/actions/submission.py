"""报送 (send the period's 台账 to the collecting office) and 报送记录.

The attachment is written and mailed in the background; the submission is recorded only after
the draft exists or the mail was sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox

from fazhi_desktop.errors import UsageError
from fazhi_desktop.ui.actions.registry import FILE, ActionSpec
from fazhi_desktop.ui.actions.settings import edit_ledger_settings
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.background import Op, failure_text, report_failure

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fazhi_desktop.services.submit import Prepared

# How many earlier periods the 报送 dialog offers besides the current one (a late report).
EARLIER_PERIODS = 5


def open_path(path: Path) -> None:
    """Hand a file or folder to the system (the mail program for .eml); tests replace this."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def periods(api: WindowApi) -> list[tuple[str, str]]:
    """The current period and the earlier ones, (key, label), newest first."""
    from fazhi_desktop.services import reporting

    ledger_id = api.ledger_id
    assert ledger_id is not None
    rule = api.run(lambda s: reporting.rule_of(s, ledger_id))
    period = rule.period_for(api.today)
    out = []
    for _ in range(EARLIER_PERIODS + 1):
        out.append((period, rule.label(period)))
        period = rule.previous(period)
    return out


def submit_current(api: WindowApi) -> Op[Path] | None:
    """报送 from the window: ask, then deliver in the background; None when nothing was started."""
    from fazhi_desktop.services import reporting, submit
    from fazhi_desktop.ui.submit_dialogs import SubmitDialog

    ledger_id = api.ledger_id
    if ledger_id is None:
        api.show_error("请先选择或导入一个台账。")
        return None
    settings, today = api.app_settings, api.today

    def describe(period: str) -> tuple[Prepared, int]:
        def read(s: Session) -> tuple[Prepared, int]:
            prepared = submit.prepare(s, ledger_id, today=today, settings=settings, period=period)
            status = reporting.period_status(s, ledger_id, today=today, period=period)
            return prepared, status.missing_count

        return api.run(read)

    try:
        describe(api.period)
    except UsageError as exc:  # a setting is missing: offer to fill it in, not just refuse
        answer = QMessageBox.question(api.widget, "报送", f"{exc}\n\n现在打开“台账设置”填写吗？")
        if answer == QMessageBox.StandardButton.Yes and edit_ledger_settings(api):
            return submit_current(api)
        return None
    server = submit.server_of(settings)
    dialog = SubmitDialog(
        periods(api),
        describe,
        folder=submit.default_folder(settings),
        smtp=server.describe() if server.host else "",
        parent=api.widget,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.prepared is None:
        return None
    prepared, folder, route = dialog.prepared, dialog.chosen_folder, dialog.route
    password: str | None = None
    if route == submit.ROUTE_SMTP and server.user:
        password = submit.saved_password(server)
        if password is None:
            typed, ok = QInputDialog.getText(
                api.widget,
                "SMTP 密码",
                f"{server.user}@{server.host} 的密码（只用于本次发送，不会保存）：",
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return None
            password = typed

    def failed(exc: BaseException) -> None:
        if isinstance(exc, OSError) and failure_text(exc) is not None:
            api.show_error(
                f"报送文件未能写入“{folder}”：{exc.strerror or exc}。"
                "请换一个文件夹后重试；未记录报送。"
            )
        else:
            report_failure(api.show_error, exc)

    label = "正在发送邮件…" if route == submit.ROUTE_SMTP else "正在生成报送文件…"
    op = Op.simple(
        api.widget,
        label,
        lambda: submit.deliver(prepared, folder, settings, route=route, password=password),
    )
    return op.success(lambda path: _delivered(api, prepared, route, path)).failure(failed).run()


def _delivered(api: WindowApi, prepared: Prepared, route: str, attachment: Path) -> None:
    from fazhi_desktop.services import submit

    record = api.run(lambda s: submit.record(s, prepared, route=route, attachment=attachment))
    api.refresh(None)
    if route == submit.ROUTE_SMTP:
        QMessageBox.information(
            api.widget,
            "报送成功",
            f"已发送到 {prepared.to}。\n附件：{attachment.name}\nSHA-256：{record.sha256}",
        )
    else:
        eml = submit.eml_beside(attachment)
        api.show_status(f"已生成邮件草稿“{eml.name}”，请在邮件程序中点“发送”。", 10000)
        open_path(eml)


def show_submissions(api: WindowApi) -> None:
    from fazhi_desktop.services import submit
    from fazhi_desktop.ui.submit_dialogs import SubmissionsDialog

    ledger_id = api.ledger_id
    rows = api.run(lambda s: submit.list_submissions(s, ledger_id))
    SubmissionsDialog(rows, open_path, api.widget).exec()


SUBMIT = ActionSpec(
    FILE, "报送(&S)…", submit_current, ("Ctrl+Shift+S",),
    tip="导出本期 Excel 并生成邮件草稿或直接发送", name="submitAction",
)  # fmt: skip
SUBMISSIONS = ActionSpec(FILE, "报送记录(&H)…", show_submissions, name="submissionsAction")
