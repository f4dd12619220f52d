"""工具 → 连接单位数据库: the server's address, the login's password, and whether to keep it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

EXAMPLE = "postgresql://zhangsan@192.168.1.10:5432/fazhi"


class ConnectDialog(QDialog):
    def __init__(self, parent: QWidget | None, address: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("connectOfficeDialog")
        self.setWindowTitle("连接单位数据库")
        form = QFormLayout(self)
        note = QLabel(
            "填写信息科给出的单位数据库地址和您的密码。连接后在新窗口中打开单位台账，"
            "本机的数据库文件不受影响。",
            self,
        )
        note.setWordWrap(True)
        form.addRow(note)
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
