"""Widgets of the 导入方案 window: the year box, the task-level choice, the task table.

The level box is the one control issue 14 asks for: the parser decides which numbering level
holds the tasks from where the 责任单位/完成时限 sit; when that is not what the user means (a
工作要点 read as six sections instead of its numbered items, or the reverse), they pick the
level here and the plan is parsed again with it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QSpinBox,
    QTableView,
    QWidget,
)

from fazhi_desktop.ui.delegates import CellDelegate, MultiLineDelegate
from fazhi_desktop.ui.plan_preview_model import (
    COL_DEADLINE_TEXT,
    COL_REQUIREMENTS,
    COL_TITLE,
    PlanTasksModel,
)

NO_YEAR = 1999  # the year box's minimum, shown as 未知
LEVEL_NAMES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）", 5: "①"}


def year_box(parent: QWidget) -> QSpinBox:
    box = QSpinBox(parent)
    box.setObjectName("planYear")
    box.setRange(NO_YEAR, 2199)
    box.setSpecialValueText("未知")
    box.setValue(NO_YEAR)
    box.setToolTip("不带年份的完成时限（如“10月底前”）按此年份计算日期")
    return box


class LevelBox(QComboBox):
    """自动判断, or one of the numbering levels the document has (“一、”, “（一）”, “1.” …)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("planLevel")
        self.setToolTip("哪一级编号是任务；自动判断看责任单位、完成时限写在哪一级")
        self.show_levels((), None)

    def level(self) -> int | None:
        data = self.currentData()
        return data if isinstance(data, int) else None

    def show_levels(self, levels: tuple[int, ...], used: int | None) -> None:
        """Offer the document's levels; keep the user's choice, and name the one found."""
        chosen = self.level()
        self.blockSignals(True)
        self.clear()
        found = f"（现为“{LEVEL_NAMES[used]}”）" if used in LEVEL_NAMES else ""
        self.addItem(f"自动判断{found}", None)
        for level in levels:
            if level in LEVEL_NAMES:
                self.addItem(f"“{LEVEL_NAMES[level]}”一级", level)
        index = self.findData(chosen) if chosen is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)


class PlanTaskTable(QTableView):
    """The tasks found, editable in place; title and 任务要求 edited in a multi-line editor."""

    def __init__(self, parent: QWidget, model: PlanTasksModel) -> None:
        super().__init__(parent)
        self.setObjectName("planTasks")
        self.setModel(model)
        self.setWordWrap(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # A date in 完成时限 never breaks across lines.
        self.setItemDelegate(CellDelegate(self, date_columns=(COL_DEADLINE_TEXT,)))
        delegate = MultiLineDelegate(self)
        for col in (COL_TITLE, COL_REQUIREMENTS):
            self.setItemDelegateForColumn(col, delegate)
        for col, width in enumerate((54, 96, 170, 300, 150, 100, 96, 84)):
            self.setColumnWidth(col, width)
        self.verticalHeader().setDefaultSectionSize(60)
        self.horizontalHeader().setSectionResizeMode(
            COL_REQUIREMENTS, QHeaderView.ResizeMode.Stretch
        )
