"""The bar above the table that warns when the reporting day is near or has passed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from fazhi_desktop.models.reporting import Reminder
from fazhi_desktop.ui.dialogs import close_button

if TYPE_CHECKING:
    from fazhi_desktop.services.reporting import PeriodStatus

_STYLES = {
    Reminder.DUE_SOON: "background:#FFF2CC; border:1px solid #E0B000;",
    Reminder.OVERDUE: "background:#F8CBAD; border:1px solid #C0504D;",
}


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def status_line(status: PeriodStatus) -> str:
    """The status-bar text: period, rule and due date."""
    if status.days_left > 0:
        left = f"还有 {status.days_left} 天"
    elif status.days_left == 0:
        left = "今天截止"
    else:
        left = f"已过 {-status.days_left} 天"
    sent = "，本期已报送" if status.last_submitted else ""
    return f"填报期间：{status.label}（{status.rule}，{_day(status.due)}截止，{left}{sent}）"


def missing_text(status: PeriodStatus) -> str:
    """Shown beside the period line in a label of its own, so no window is too narrow for it."""
    return f"未填报 {status.missing_count} 项"


def reminder_text(status: PeriodStatus) -> str:
    missing = f"尚有 {status.missing_count} 项未填报" if status.missing_count else "各项均已填报"
    if status.reminder is Reminder.OVERDUE:
        when = f"报送日 {_day(status.due)} 已过 {-status.days_left} 天"
    elif status.days_left == 0:
        when = f"今天（{_day(status.due)}）是报送日"
    else:
        when = f"距报送日 {_day(status.due)} 还有 {status.days_left} 天"
    return f"{status.label}进展：{when}，{missing}，本期尚未报送。"


class ReminderBar(QFrame):
    def __init__(self, parent: QWidget, on_submit: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setObjectName("reminderText")
        layout.addWidget(self.label, 1)
        self.submit_button = QPushButton("报送…", self)
        self.submit_button.clicked.connect(lambda *_: on_submit())
        layout.addWidget(self.submit_button)
        layout.addWidget(close_button(self, "本次不再提醒", self.dismiss))
        self.dismissed = False
        self.hide()

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()

    def show_status(self, status: PeriodStatus) -> None:
        warn = status.reminder is not Reminder.NONE and status.last_submitted is None
        if not warn or self.dismissed:
            self.hide()
            return
        self.setStyleSheet(f"#reminderBar {{{_STYLES[status.reminder]}}}")
        self.label.setText(reminder_text(status))
        self.show()
