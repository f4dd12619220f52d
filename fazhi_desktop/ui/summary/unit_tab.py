"""The 汇总 view's 按单位 tab: each unit's figures and its 逾期未完成 tasks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from fazhi_desktop.services.summary_overview import OverdueRow, UnitOverview, ViewData
from fazhi_desktop.ui.summary.models import STATE_FILL, ColumnSpec, RecordTableModel, record_table
from fazhi_desktop.vocab.kinds import ReportState


class UnitTab(QSplitter):
    """按单位: each unit's figures; beside it, the chosen unit's 逾期未完成 tasks."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.model: RecordTableModel[UnitOverview] = RecordTableModel([
            ColumnSpec("单位", lambda u: u.unit),
            ColumnSpec("本期", lambda u: u.state, lambda u: STATE_FILL.get(u.state)),
            ColumnSpec("报送任务", lambda u: str(u.reported)),
            ColumnSpec("已完成", lambda u: str(u.done)),
            ColumnSpec("完成率", lambda u: u.rate),
            ColumnSpec("逾期未完成", lambda u: str(len(u.overdue)),
                       lambda u: STATE_FILL[ReportState.MISSING] if u.overdue else None),
        ], self)  # fmt: skip
        self.table = record_table(self, "unitTable", self.model, (200,))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_overdue())
        right = QWidget(self)
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        self.overdue_label = QLabel(right)
        self.overdue_label.setObjectName("overdueLabel")
        layout.addWidget(self.overdue_label)
        self.overdue_model: RecordTableModel[OverdueRow] = RecordTableModel([
            ColumnSpec("序号", lambda r: r.seq),
            ColumnSpec("主要任务", lambda r: r.title),
            ColumnSpec("完成时间", lambda r: r.deadline),
            ColumnSpec("最近报送的进展", lambda r: r.progress),
        ], self)  # fmt: skip
        self.overdue_table = record_table(right, "overdueTable", self.overdue_model, (50, 260, 100))
        layout.addWidget(self.overdue_table, 1)
        self.addWidget(self.table)
        self.addWidget(right)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)

    def show_data(self, data: ViewData) -> None:
        current = self.table.currentIndex().row()
        self.model.set_rows(data.overview)
        if data.overview:
            self.table.selectRow(min(max(current, 0), len(data.overview) - 1))
        self.show_overdue()

    def show_overdue(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.overdue_model.set_rows([])
            self.overdue_label.setText("选择左侧的单位，查看其逾期未完成的任务。")
            return
        unit = self.model.row_object(index.row())
        self.overdue_model.set_rows(unit.overdue)
        self.overdue_table.resizeRowsToContents()
        self.overdue_label.setText(
            f"<b>{unit.unit}</b> 逾期未完成的任务：{len(unit.overdue)} 项"
            + ("（尚无报送）" if not unit.reported else "")
        )
