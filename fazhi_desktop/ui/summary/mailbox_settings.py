"""收件邮箱设置: the collection mailbox (``imap_*`` program settings, as ``fazhi config`` sets
them) and its password, which goes to the system keyring or is used for this time only."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.services.config import PROGRAM_KEYS, SECURITY_CHOICES
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.dialogs import ok_cancel_buttons
from fazhi_desktop.ui.settings_dialogs import _parse, _ValidatingDialog, keyring_name

_TEXTS = (
    ("imap_host", "服务器：", "单位内网邮件服务器，如 mail.xxx.gov.cn"),
    ("imap_user", "用户名：", "报送邮箱的登录名"),
    ("imap_folder", "文件夹：", "默认 INBOX（收件箱）"),
)


class MailboxSettingsDialog(_ValidatingDialog):
    """The imap_* settings; ``typed_password`` is what was typed (never written to a file)."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent, "收件邮箱设置")
        self.setObjectName("mailboxSettings")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        note = QLabel(
            "收取报送邮件时读取这个邮箱。邮件不会被删除、移动或标为已读；加密连接会验证服务器证书。",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.texts: dict[str, QLineEdit] = {}
        for name, label, hint in _TEXTS:
            edit = QLineEdit(str(getattr(settings, name)), self)
            edit.setObjectName(f"pref_{name}")
            edit.setPlaceholderText(hint)
            self.texts[name] = edit
            form.addRow(label, edit)
        self.port = QSpinBox(self)
        self.port.setObjectName("pref_imap_port")
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("默认（143 / 993）")
        self.port.setValue(settings.imap_port)
        form.addRow("端口：", self.port)
        self.security = QComboBox(self)
        self.security.setObjectName("pref_imap_security")
        for code, label in SECURITY_CHOICES.items():
            self.security.addItem(label, code)
        self.security.setCurrentIndex(max(self.security.findData(settings.imap_security), 0))
        form.addRow("加密：", self.security)
        self.password = QLineEdit(self)
        self.password.setObjectName("pref_imap_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("留空：用已保存的密码，或收取时询问")
        form.addRow("密码：", self.password)
        self.remember = QCheckBox(f"保存到{keyring_name()}，不写入任何文件", self)
        self.remember.setObjectName("rememberImapPassword")
        self.remember.setChecked(True)
        form.addRow(self.remember)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, "保存"))

    @property
    def typed_password(self) -> str:
        return self.password.text()

    def collect(self) -> dict[str, Any]:
        values = {name: _parse(PROGRAM_KEYS, name, e.text()) for name, e in self.texts.items()}
        values["imap_port"] = self.port.value()
        values["imap_security"] = self.security.currentData()
        return values


def edit_mailbox(settings: AppSettings, parent: QWidget) -> tuple[bool, str | None]:
    """Ask for the mailbox settings and save them; (saved, the password typed or None).

    A password that cannot go to the keyring is still returned, for this collection only.
    """
    from PySide6.QtWidgets import QMessageBox

    from fazhi_desktop.errors import FazhiError
    from fazhi_desktop.services import collect, config

    dialog = MailboxSettingsDialog(settings, parent)
    if dialog.exec() != MailboxSettingsDialog.DialogCode.Accepted:
        return False, None
    try:
        # Only these keys, under the settings lock: a `fazhi config` meanwhile stays.
        config.save_program(dialog.values)
    except (OSError, FazhiError) as exc:
        why = f"设置未能保存：{exc}。请检查用户配置文件夹是否可写。"
        QMessageBox.warning(parent, "收件邮箱设置", why)
        return False, None
    config.apply_program(settings, dialog.values)
    password = dialog.typed_password or None
    remember = password is not None and dialog.remember.isChecked()
    host, user = settings.imap_host, settings.imap_user
    if remember and not collect.save_password(host, user, password or ""):
        QMessageBox.information(
            parent,
            "收件邮箱设置",
            "这台电脑的系统密钥库不可用，密码没有保存；每次收取时会询问密码（不会写入任何文件）。",
        )
    return True, password
