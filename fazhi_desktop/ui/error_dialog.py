"""The dialog for an unexpected error: what happened, the log file, 复制错误信息.

Shown by ``ui/excepthook.py``; imported only when an error happens (its widgets cost start-up).
"""

from __future__ import annotations

import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop import APP_TITLE, __version__
from fazhi_desktop.errors import FazhiError

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def error_report(exc_info: ExcInfo, log_path: Path) -> str:
    """What 复制错误信息 copies: enough for a maintainer without the log file."""
    import platform

    details = "".join(traceback.format_exception(*exc_info))
    return (
        f"法治台账 {__version__} 意外错误\n"
        f"系统：{platform.platform()}；Python {platform.python_version()}\n"
        f"日志文件：{log_path}\n\n{details}"
    )


class ErrorDialog(QDialog):
    def __init__(self, exc_info: ExcInfo, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = error_report(exc_info, log_path)
        self.log_path = log_path
        self.setWindowTitle(f"{APP_TITLE} - 意外错误")
        self.resize(620, 420)
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        icon = QLabel(self)
        style = self.style()
        icon.setPixmap(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40))
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        exc = exc_info[1]
        what = str(exc) if isinstance(exc, FazhiError) else f"{type(exc).__name__}：{exc}"
        message = QLabel(
            "程序遇到了一个意外错误，但没有退出。\n"
            "已经保存的台账内容都在数据库里，不会丢失；刚才正在进行的那一步可能没有完成，"
            "请检查后重做。\n\n"
            "请点击“复制错误信息”，把它粘贴到消息或邮件里，连同下面的日志文件一起发给维护人员。"
            f"\n\n错误：{what}",
            self,
        )
        message.setWordWrap(True)
        top.addWidget(message, 1)
        layout.addLayout(top)

        path_label = QLabel(f"日志文件：{log_path}", self)
        path_label.setObjectName("logPath")
        path_label.setWordWrap(True)
        layout.addWidget(path_label)

        self.details = QPlainTextEdit(self.report, self)
        self.details.setObjectName("errorDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details, 1)

        buttons = QHBoxLayout()
        self.copy_button = QPushButton("复制错误信息(&C)", self)
        self.copy_button.setObjectName("copyError")
        self.copy_button.clicked.connect(self.copy)
        buttons.addWidget(self.copy_button)
        open_folder = QPushButton("打开日志文件夹(&O)", self)
        open_folder.clicked.connect(self.open_log_folder)
        buttons.addWidget(open_folder)
        buttons.addStretch(1)
        close = QPushButton("继续使用", self)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText("已复制")

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))
