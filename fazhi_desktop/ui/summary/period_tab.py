"""The 汇总 view's 按期间 tab: each unit's state for the period (已报送/逾期报送/未报送)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fazhi_desktop.services.remind import ReminderRecord
from fazhi_desktop.services.summary_overview import ViewData
from fazhi_desktop.services.summary_views import UnitState
from fazhi_desktop.ui.summary.models import (
    STATE_FILL,
    ColumnSpec,
    RecordTableModel,
    date_text,
    period_line,
    record_table,
)


class PeriodTab(QWidget):
    """按期间: who reported for the period, on time or late, and who has not."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.counts = QLabel(self)
        self.counts.setObjectName("periodCounts")
        layout.addWidget(self.counts)
        self.model: RecordTableModel[UnitState] = RecordTableModel([
            ColumnSpec("单位", lambda u: u.unit if u.expected else f"{u.unit}（不在应报名单中）"),
            ColumnSpec("报送情况", lambda u: u.state, lambda u: STATE_FILL.get(u.state)),
            ColumnSpec("收到日期", lambda u: date_text(u.received_on)),
            ColumnSpec("报送文件", lambda u: u.file_name),
        ], self)  # fmt: skip
        self.table = record_table(self, "periodTable", self.model, (260, 90, 130))
        layout.addWidget(self.table, 1)
        self.reminders = QLabel(self)
        self.reminders.setObjectName("periodReminders")
        self.reminders.setWordWrap(True)
        layout.addWidget(self.reminders)
        hint = QLabel(
            "提示：可以把各单位报送的 Excel 文件（或整个文件夹）直接拖到本窗口导入。", self
        )
        hint.setStyleSheet("color: #666;")
        layout.addWidget(hint)

    def show_data(self, data: ViewData) -> None:
        self.counts.setText(period_line(data))
        self.model.set_rows(data.states)
        self.table.resizeRowsToContents()

    def show_reminders(self, sent: Sequence[ReminderRecord]) -> None:
        """The period's 催报, newest last: when, to whom, how."""
        if not sent:
            self.reminders.setText("本期尚未催报。")
            return
        lines = [
            f"{r.local_time:%Y-%m-%d %H:%M} {r.unit} → {r.recipient}（{r.route_label}）"
            for r in sent
        ]
        self.reminders.setText("催报记录：" + "；".join(lines))
