"""台账设置 (per ledger, saved in the database) and 程序设置 (program-wide, settings.json).

Both validate through ``services.config``, the same rules ``fazhi config`` applies, and stay
open with the problem shown when a value is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.errors import UsageError
from fazhi_desktop.models.reporting import CYCLES
from fazhi_desktop.services.config import LEDGER_KEYS, PROGRAM_KEYS, SECURITY_CHOICES
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.dialogs import ok_cancel_buttons

_ERROR_STYLE = "color:#C00000;"


class _ValidatingDialog(QDialog):
    """A dialog whose OK runs ``collect``; a UsageError keeps it open with the message shown."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.values: dict[str, Any] = {}

    def collect(self) -> dict[str, Any]:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.values = self.collect()
        except UsageError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


def _parse(keys: dict[str, Any], name: str, raw: str) -> Any:
    key = keys[name]
    try:
        return key.parse(raw)
    except UsageError as exc:
        raise UsageError(f"{key.label}：{exc}") from None


class LedgerSettingsDialog(_ValidatingDialog):
    def __init__(self, values: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent, "台账设置")
        self.setMinimumWidth(520)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in ("title", "short_title", "unit", "reporter", "phone", "mailbox"):
            edit = QLineEdit(str(values.get(name, "")), self)
            edit.setObjectName(f"ledger_{name}")
            hint = LEDGER_KEYS[name].hint
            if hint:
                edit.setPlaceholderText(hint)
            self.edits[name] = edit
            form.addRow(f"{LEDGER_KEYS[name].label}：", edit)
        self.edits["short_title"].setPlaceholderText("报送文件名中的台账名称，如：冲刺台账")
        self.edits["mailbox"].setPlaceholderText("例如 6666209@163.com，多个用分号隔开")

        rule = QHBoxLayout()
        self.cycle = QComboBox(self)
        self.cycle.setObjectName("ledger_report_cycle")
        for code, label in CYCLES.items():
            self.cycle.addItem(label, code)
        self.cycle.setCurrentIndex(max(self.cycle.findData(values.get("report_cycle")), 0))
        self.day = QSpinBox(self)
        self.day.setObjectName("ledger_report_day")
        self.day.setRange(1, 31)
        self.day.setValue(int(values.get("report_day", 30)))
        self.day.setSuffix(" 日前")
        rule.addWidget(self.cycle)
        rule.addWidget(self.day)
        rule.addStretch(1)
        form.addRow("报送规则：", rule)
        rule_hint = QLabel("当月没有这一天时取月末（如2月取28或29日）；每季度指季度末月。", self)
        rule_hint.setStyleSheet("color:#666;")
        form.addRow("", rule_hint)

        self.notes = QPlainTextEdit(str(values.get("notes", "")), self)
        self.notes.setObjectName("ledger_notes")
        self.notes.setPlaceholderText("印在台账表格下方的说明，每行一条")
        self.notes.setFixedHeight(90)
        form.addRow("说明：", self.notes)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, "保存"))

    def collect(self) -> dict[str, Any]:
        values = {name: _parse(LEDGER_KEYS, name, edit.text()) for name, edit in self.edits.items()}
        values["report_cycle"] = self.cycle.currentData()
        values["report_day"] = self.day.value()
        values["notes"] = self.notes.toPlainText().strip()
        return values


class PreferencesDialog(_ValidatingDialog):
    """Program-wide settings. ``password`` holds what was typed (never saved to a file)."""

    def __init__(
        self,
        values: dict[str, Any],
        parent: QWidget | None = None,
        *,
        password_saved: bool = False,
    ) -> None:
        super().__init__(parent, "程序设置")
        self.setMinimumWidth(580)
        self.texts: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)

        reminders = QFormLayout()
        self.due_soon = QSpinBox(self)
        self.due_soon.setObjectName("pref_due_soon_days")
        self.due_soon.setRange(0, 365)
        self.due_soon.setValue(int(values["due_soon_days"]))
        self.due_soon.setSuffix(" 天内到期标黄")
        reminders.addRow("临期提醒：", self.due_soon)
        layout.addWidget(_group(self, "提醒", reminders))

        export = QFormLayout()
        export.addRow("默认导出文件夹：", self._path_row("export_dir", values, self._pick_folder))
        self.status_column = QCheckBox("导出的 Excel 增加“状态”列（带颜色）", self)
        self.status_column.setChecked(bool(values["xlsx_status_column"]))
        export.addRow(self.status_column)
        self.signature = QCheckBox("PDF 底部加“审核人/填报人/日期”签字栏", self)
        self.signature.setChecked(bool(values["pdf_signature_line"]))
        export.addRow(self.signature)
        layout.addWidget(_group(self, "导出", export))

        fonts = QFormLayout()
        for name, label in (
            ("pdf_font_title", "标题字体："),
            ("pdf_font_header", "表头字体："),
            ("pdf_font_body", "正文字体："),
        ):
            fonts.addRow(label, self._path_row(name, values, self._pick_font))
            self.texts[name].setPlaceholderText("自动：Windows 黑体/仿宋/宋体，或内置文泉驿字体")
        layout.addWidget(_group(self, "PDF 字体（.ttf / .ttc 文件）", fonts))

        smtp = QFormLayout()
        for name in ("smtp_host", "smtp_user", "smtp_from"):
            edit = QLineEdit(str(values[name]), self)
            edit.setObjectName(f"pref_{name}")
            self.texts[name] = edit
        self.texts["smtp_host"].setPlaceholderText(
            "单位内网邮件服务器，如 mail.xxx.gov.cn；不填则只生成邮件草稿"
        )
        smtp.addRow("服务器：", self.texts["smtp_host"])
        self.port = QSpinBox(self)
        self.port.setObjectName("pref_smtp_port")
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("默认")
        self.port.setValue(int(values["smtp_port"]))
        self.security = QComboBox(self)
        self.security.setObjectName("pref_smtp_security")
        for code, label in SECURITY_CHOICES.items():
            self.security.addItem(label, code)
        self.security.setCurrentIndex(max(self.security.findData(values["smtp_security"]), 0))
        row = QHBoxLayout()
        row.addWidget(QLabel("端口：", self))
        row.addWidget(self.port)
        row.addWidget(QLabel("加密：", self))
        row.addWidget(self.security)
        row.addStretch(1)
        smtp.addRow(row)
        smtp.addRow("用户名：", self.texts["smtp_user"])
        smtp.addRow("发件人邮箱：", self.texts["smtp_from"])
        self.password = QLineEdit(self)
        self.password.setObjectName("pref_smtp_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            "已保存在系统密钥库（留空不变）" if password_saved else "留空则发送时询问"
        )
        smtp.addRow("密码：", self.password)
        self.remember = QCheckBox("保存到系统密钥库（Windows 凭据管理器），不写入任何文件", self)
        self.remember.setChecked(True)
        smtp.addRow(self.remember)
        layout.addWidget(_group(self, "报送邮件服务器（SMTP）", smtp))

        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, "保存"))

    def _path_row(
        self, name: str, values: dict[str, Any], pick: Callable[[QLineEdit], None]
    ) -> QHBoxLayout:
        edit = QLineEdit(str(values[name]), self)
        edit.setObjectName(f"pref_{name}")
        self.texts[name] = edit
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(lambda *_: pick(edit))
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(browse)
        return row

    def _pick_folder(self, edit: QLineEdit) -> None:
        chosen = file_dialogs.ask_folder(self, None, "选择默认导出文件夹", edit.text())
        if chosen is not None:
            edit.setText(str(chosen))

    def _pick_font(self, edit: QLineEdit) -> None:
        chosen = file_dialogs.ask_file(
            self, "选择字体文件", edit.text(), "TrueType 字体 (*.ttf *.ttc)"
        )
        if chosen is not None:
            edit.setText(str(chosen))

    @property
    def typed_password(self) -> str:
        return self.password.text()

    def collect(self) -> dict[str, Any]:
        values = {
            name: _parse(PROGRAM_KEYS, name, edit.text()) for name, edit in self.texts.items()
        }
        values["due_soon_days"] = self.due_soon.value()
        values["xlsx_status_column"] = self.status_column.isChecked()
        values["pdf_signature_line"] = self.signature.isChecked()
        values["smtp_port"] = self.port.value()
        values["smtp_security"] = self.security.currentData()
        return values


def _group(parent: QWidget, title: str, form: QFormLayout) -> QGroupBox:
    box = QGroupBox(title, parent)
    box.setLayout(form)
    return box
