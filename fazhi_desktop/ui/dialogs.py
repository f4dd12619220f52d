"""Small dialogs the main window asks with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from fazhi_desktop.models.records import TaskRecord


def close_button(parent: QWidget, tip: str, on_click: Callable[[], object]) -> QToolButton:
    """The flat “×” that closes a bar over the table."""
    close = QToolButton(parent)
    close.setText("×")
    close.setToolTip(tip)
    close.setAutoRaise(True)
    close.clicked.connect(lambda *_: on_click())
    return close


def ok_cancel_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """Chinese OK/Cancel buttons wired to the dialog (Qt's own labels follow the system locale)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def ask_done_date(parent: QWidget, task: TaskRecord, today: dt.date) -> dt.date | None:
    """Ask on which day a task was completed; None when the user cancels."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("标记完成")
    form = QFormLayout(dialog)
    form.addRow(QLabel(f"任务：{task.seq} {task.title}"))
    picker = QDateEdit(QDate(today.year, today.month, today.day), dialog)
    picker.setObjectName("doneDate")
    picker.setCalendarPopup(True)
    picker.setDisplayFormat("yyyy年M月d日")
    form.addRow("完成日期：", picker)
    form.addRow(ok_cancel_buttons(dialog, "确定"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = picker.date()
    return dt.date(chosen.year(), chosen.month(), chosen.day())
