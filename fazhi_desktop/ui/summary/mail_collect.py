"""汇总 → 收取报送邮件: read the collection mailbox in the background (progress, 取消), then list
every attachment ✓/✗ and every mail without a return, as ``fazhi collect`` prints them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.ui.background import Op, Progress
from fazhi_desktop.ui.summary.importing import FAIL_FILL, OK_FILL
from fazhi_desktop.ui.summary.models import ColumnSpec, RecordTableModel, record_table

if TYPE_CHECKING:
    from fazhi_desktop.models.db import Database
    from fazhi_desktop.services.collect import CollectResult, Item
    from fazhi_desktop.settings import AppSettings

SKIP_FILL = "#E7E6E6"


def ask_password(parent: QWidget, prompt: str) -> str | None:
    """The mailbox password, asked each time when the keyring holds none (never stored here)."""
    text, ok = QInputDialog.getText(parent, "邮箱密码", prompt, QLineEdit.EchoMode.Password)
    return text if ok else None


def password_for(parent: QWidget, settings: AppSettings) -> tuple[bool, str | None]:
    """(go on, password): the keyring's, else asked. A mailbox not set up yet is asked for
    first (收件邮箱设置); (False, None) when the user cancels."""
    from fazhi_desktop.services import collect
    from fazhi_desktop.ui.summary.mailbox_settings import edit_mailbox

    server = collect.server_of(settings)
    if not server.host or not server.user:
        saved, typed = edit_mailbox(settings, parent)
        if not saved:
            return False, None
        server = collect.server_of(settings)
        try:
            collect.check_server(server)
        except collect.ReceiveError as exc:
            QMessageBox.warning(parent, "收取报送邮件", str(exc))
            return False, None
        if typed:
            return True, typed
    stored = collect.saved_password(server)
    if stored is not None:
        return True, stored
    asked = ask_password(parent, f"收件邮箱 {server.user}@{server.host} 的密码：")
    return asked is not None, asked


def collect_op(
    parent: QWidget,
    database: Database,
    ledger_id: int,
    settings: AppSettings,
    password: str | None,
    today: dt.date,
) -> Op[CollectResult]:
    """The collection as a cancellable background op (not yet started). 取消 stops before the
    next mail; what was taken so far stays recorded."""

    def work(progress: Progress) -> CollectResult:
        from fazhi_desktop.services import collect

        def report(done: int, total: int, subject: str) -> None:
            text = f"正在收取第 {done + 1} / {total} 封邮件：{subject}" if subject else ""
            progress.report(done, total, text)

        return collect.collect(
            database,
            ledger_id,
            collect.server_of(settings),
            password,
            today=today,
            progress=report,
            cancelled=progress.cancelled,
        )

    return Op(parent, "正在连接邮件服务器…", work, title="收取报送邮件", cancellable=True)


def _columns() -> list[ColumnSpec[Item]]:
    fills = {"imported": OK_FILL, "refused": FAIL_FILL}
    return [
        ColumnSpec("结果", lambda i: i.mark, lambda i: fills.get(i.outcome, SKIP_FILL)),
        ColumnSpec("文件", lambda i: i.file or "（无报送文件）"),
        ColumnSpec("说明", lambda i: i.message),
        ColumnSpec("邮件", lambda i: f"{i.subject}（{i.sender}）"),
    ]


def result_text(result: CollectResult) -> str:
    text = result.summary_line()
    if result.cancelled:
        text += "已取消，其余邮件下次收取时再取。"
    if result.error:
        text += f"\n出错：{result.error}"
    return text


class CollectResultDialog(QDialog):
    """Every attachment taken (✓/✗) and every mail skipped, with what happened."""

    def __init__(self, result: CollectResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.collect_result = result
        self.setObjectName("collectResult")
        self.setWindowTitle("收取结果")
        self.resize(960, 540)
        layout = QVBoxLayout(self)
        self.summary = QLabel(result_text(result), self)
        self.summary.setObjectName("collectSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model: RecordTableModel[Any] = RecordTableModel(_columns(), self)
        self.model.set_rows(result.items)
        self.table = record_table(self, "collectItems", self.model, (50, 240, 320))
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Heights measured again once the columns have their shown widths (the last one
        # stretches): measured only before, every row kept the height of a narrow column's
        # wrapped text, and three rows filled the list.
        QTimer.singleShot(0, self.table.resizeRowsToContents)
