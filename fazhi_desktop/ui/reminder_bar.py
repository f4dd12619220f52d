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
    QStatusBar,
    QToolButton,
    QWidget,
)

from fazhi_desktop.models.reporting import Reminder
from fazhi_desktop.models.status import COLOUR_FILL, Colour
from fazhi_desktop.ui.task_model import UNREPORTED_FILL

if TYPE_CHECKING:
    from fazhi_desktop.services.reporting import PeriodStatus

_STYLES = {
    Reminder.DUE_SOON: "background:#FFF2CC; border:1px solid #E0B000;",
    Reminder.OVERDUE: "background:#F8CBAD; border:1px solid #C0504D;",
}


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def status_line(status: PeriodStatus) -> str:
    """The status-bar text: period, rule, due date and what is still 未填报."""
    if status.days_left > 0:
        left = f"还有 {status.days_left} 天"
    elif status.days_left == 0:
        left = "今天截止"
    else:
        left = f"已过 {-status.days_left} 天"
    sent = "，本期已报送" if status.last_submitted else ""
    return (
        f"填报期间：{status.label}（{status.rule}，{_day(status.due)}截止，{left}{sent}） · "
        f"未填报 {status.missing_count} 项  "
    )


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
        close = QToolButton(self)
        close.setText("×")
        close.setToolTip("本次不再提醒")
        close.setAutoRaise(True)
        close.clicked.connect(self.dismiss)
        layout.addWidget(close)
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


def add_legend(bar: QStatusBar) -> tuple[QLabel, QLabel, QLabel]:
    """The status bar's period line, task counts and colour legend; returns (period, counts,
    the 临期 chip, whose text follows the due-soon setting)."""
    period = QLabel(bar)
    period.setObjectName("periodLabel")
    bar.addWidget(period)
    counts = QLabel(bar)
    counts.setObjectName("countsLabel")
    bar.addWidget(counts, 1)
    legend = [
        (COLOUR_FILL[Colour.OVERDUE], "逾期未完成"),
        (COLOUR_FILL[Colour.DUE_SOON], ""),
        (COLOUR_FILL[Colour.DONE], "已完成"),
        (COLOUR_FILL[Colour.DONE_LATE], "逾期完成"),
        (UNREPORTED_FILL, "本期未填报"),
    ]
    chips = []
    for fill, text in legend:
        chip = QLabel(f" {text} ", bar)
        chip.setStyleSheet(f"background:{fill}; border:1px solid #999; padding:0 4px;")
        bar.addPermanentWidget(chip)
        chips.append(chip)
    return period, counts, chips[1]
