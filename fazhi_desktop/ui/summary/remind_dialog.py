"""汇总 → 发送催报: who has not reported for the period, the mail each would get (preview), the
template to edit, and 生成草稿 / 发送 through the background runner, as ``fazhi remind``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.background import Op, Progress, attempt, report_failure
from fazhi_desktop.ui.summary.mail_collect import ask_password
from fazhi_desktop.ui.summary.models import ColumnSpec, RecordTableModel, record_table

if TYPE_CHECKING:
    from fazhi_desktop.services.remind import Letter, ReminderPlan


class TemplateDialog(QDialog):
    """The 催报 text with its placeholders; 恢复默认 brings back the built-in one."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        from fazhi_desktop.services.remind_text import DEFAULT_TEMPLATE, FIELDS

        super().__init__(parent)
        self.setObjectName("remindTemplateDialog")
        self.setWindowTitle("编辑催报模板")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        hint = QLabel("可用的占位符：" + "、".join("{" + f + "}" for f in FIELDS), self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.edit = QPlainTextEdit(text or DEFAULT_TEMPLATE, self)
        self.edit.setObjectName("remindTemplate")
        layout.addWidget(self.edit, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        default = buttons.addButton("恢复默认", QDialogButtonBox.ButtonRole.ResetRole)
        default.clicked.connect(lambda: self.edit.setPlainText(DEFAULT_TEMPLATE))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class RemindDialog(QDialog):
    """Preview of every 催报 of the period; ``sent`` once some were written or sent."""

    sent = Signal()

    def __init__(self, host: WindowApi, ledger_id: int, period: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.host, self.ledger_id, self.period = host, ledger_id, period
        self.plan: ReminderPlan | None = None
        self.op: Op[Any] | None = None
        self.setObjectName("remindDialog")
        self.setWindowTitle("发送催报")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("remindHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        body = QHBoxLayout()
        self.model: RecordTableModel[Letter] = RecordTableModel([
            ColumnSpec("单位", lambda letter: letter.unit),
            ColumnSpec("收件人", lambda letter: letter.to or "（没有联系邮箱，无法催报）",
                       lambda letter: None if letter.to else "#F8C6C6"),
        ], self)  # fmt: skip
        self.table = record_table(self, "remindRecipients", self.model, (160,))
        self.table.clicked.connect(lambda index: self._preview(index.row()))
        body.addWidget(self.table, 2)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("remindPreview")
        self.preview.setReadOnly(True)
        body.addWidget(self.preview, 3)
        layout.addLayout(body, 1)
        buttons = QHBoxLayout()
        self.writers: list[QPushButton] = []
        for text, name, slot in (
            ("编辑模板(&T)…", "editRemindTemplate", self.edit_template),
            ("生成邮件草稿(&D)…", "writeRemindDrafts", self.write_drafts),
            ("发送(&S)", "sendReminders", self.send),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda *_, s=slot: s())
            buttons.addWidget(button)
            if slot != self.edit_template:
                self.writers.append(button)
        buttons.addStretch(1)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        from fazhi_desktop.services import remind

        ledger_id, period, host = self.ledger_id, self.period, self.host
        plan = attempt(
            host.show_error,
            lambda: host.run(
                lambda s: remind.plan(
                    s, ledger_id, period, settings=host.app_settings, today=host.today
                )
            ),
        )
        if plan is None:
            return
        self.plan = plan
        self.model.set_rows(plan.letters)
        # Nobody to write to: the buttons would ask for a folder or a password, then do nothing.
        why = "" if plan.writable else "没有可催报的单位：请先在“应报单位”页设置联系邮箱。"
        for button in self.writers:
            button.setEnabled(bool(plan.writable))
            button.setToolTip(why)
        if not plan.letters:
            self.heading.setText(f"{plan.period_label}应报单位均已报送，无需催报。")
        else:
            missing = plan.without_address
            extra = f"；{'、'.join(missing)}没有联系邮箱（在“应报单位”页设置）" if missing else ""
            self.heading.setText(
                f"{plan.period_label}（{plan.due.month}月{plan.due.day}日截止）未报送 "
                f"{len(plan.letters)} 个单位，将给 {len(plan.writable)} 个单位发催报{extra}。"
            )
        self._preview(0)

    def _preview(self, row: int) -> None:
        if self.plan is None or not 0 <= row < len(self.plan.letters):
            self.preview.setPlainText("")
            return
        letter = self.plan.letters[row]
        self.preview.setPlainText(f"收件人：{letter.to}\n标题：{letter.subject}\n\n{letter.body}")

    def edit_template(self) -> bool:
        from fazhi_desktop.services import config
        from fazhi_desktop.services.remind_text import DEFAULT_TEMPLATE, check_template

        dialog = TemplateDialog(self.host.app_settings.remind_template, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        text = dialog.edit.toPlainText()
        # The built-in text stays "" in the settings, so a later program version's text applies.
        value = "" if text.strip() == DEFAULT_TEMPLATE.strip() else text

        def save() -> bool:
            config.save_program({"remind_template": check_template(value)})
            return True

        if attempt(self.host.show_error, save) is None:
            return False
        self.host.app_settings.remind_template = value
        self.reload()
        return True

    def write_drafts(self) -> Op[Any] | None:
        folder = file_dialogs.ask_folder(self, self.host, "催报邮件草稿存放到")
        return None if folder is None else self._deliver("eml", folder, None)

    def send(self) -> Op[Any] | None:
        from fazhi_desktop.services import submit

        server = submit.server_of(self.host.app_settings)
        password: str | None = None
        if server.user:
            password = submit.saved_password(server)
            if password is None:
                password = ask_password(self, f"SMTP 账户 {server.user}@{server.host} 的密码：")
                if password is None:
                    return None
        return self._deliver("smtp", None, password)

    def _deliver(self, route: str, folder: Path | None, password: str | None) -> Op[Any] | None:
        from fazhi_desktop.services import remind

        plan, db, settings = self.plan, self.host.db, self.host.app_settings
        if plan is None or db is None or self.op is not None or not plan.writable:
            return None

        def work(progress: Progress) -> list[Letter]:
            total = len(plan.writable)

            def done(letter: Letter, _path: str) -> None:
                progress.report(len(sent) + 1, total, f"已写给 {letter.unit}")
                sent.append(letter)

            sent: list[Letter] = []
            return remind.deliver(db, plan, settings, route=route, folder=folder,
                                  password=password, done=done,
                                  cancelled=progress.cancelled)  # fmt: skip

        def finished(letters: list[Letter]) -> None:
            self.op = None
            how = "生成草稿" if route == "eml" else "发送"
            where = f"，草稿在“{folder}”" if folder is not None else ""
            self.heading.setText(f"已给 {len(letters)} 个单位{how}催报{where}，已记入催报记录。")
            self.sent.emit()

        def failed(exc: BaseException) -> None:
            self.op = None
            self.sent.emit()  # those written before the failure are recorded
            report_failure(self.host.show_error, exc, "出错之前已写出的催报已记录。")

        op = Op(self, "正在写催报邮件…", work, title="发送催报", cancellable=True)
        self.op = op.success(finished).failure(failed)
        return op.run()
