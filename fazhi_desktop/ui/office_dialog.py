"""工具 → 连接单位数据库: the server's address, the login's password, and whether to keep it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

if TYPE_CHECKING:
    from fazhi_desktop.models.db import Database

EXAMPLE = "postgresql://zhangsan@192.168.1.10:5432/fazhi"


class ConnectDialog(QDialog):
    def __init__(self, parent: QWidget | None, address: str = "", problem: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("connectOfficeDialog")
        self.setWindowTitle("连接单位数据库")
        form = QFormLayout(self)
        note = QLabel(
            # With a problem, the address came with the start (--db): only the password is asked.
            "请输入您登录单位数据库的密码。"
            if problem
            else "填写信息科给出的单位数据库地址和您的密码。连接后在新窗口中打开单位台账，"
            "本机的数据库文件不受影响。",
            self,
        )
        note.setWordWrap(True)
        form.addRow(note)
        if problem:  # why the password is asked again
            said = QLabel(problem, self)
            said.setObjectName("officeProblem")
            said.setWordWrap(True)
            said.setStyleSheet("color: #b00020;")
            form.addRow(said)
        self.address = QLineEdit(address, self)
        self.address.setObjectName("officeAddress")
        self.address.setPlaceholderText(EXAMPLE)
        form.addRow("数据库地址：", self.address)
        self.password = QLineEdit(self)
        self.password.setObjectName("officePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("密码：", self.password)
        self.remember = QCheckBox("保存密码到系统钥匙串（不写入任何文件）", self)
        self.remember.setChecked(True)
        form.addRow(self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def log_in(parent: QWidget | None, address: str, problem: str) -> Database | None:
    """The server refused the login of ``--db``/FAZHI_DB (no password stored, or a changed one):
    ask for the password until the server takes it; None when the user gives up."""
    from fazhi_desktop.errors import LoginFailedError
    from fazhi_desktop.services import office

    while True:
        dialog = ConnectDialog(parent, address, problem)
        dialog.address.setReadOnly(True)  # the address came with the start; only the password
        dialog.password.setFocus()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        password = dialog.password.text()
        try:
            database = office.open_with_password(address, password)
        except LoginFailedError as exc:
            problem = str(exc)
            continue
        if dialog.remember.isChecked() and password:
            office.remember_password(address, password)
        return database
