"""The 汇总 view's 按任务 tab: each task with every unit's latest progress under it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.services.summary_overview import ViewData
from fazhi_desktop.ui.summary.models import TaskTreeModel

# Expanding every task costs layout time; beyond this many unit rows they start folded.
EXPAND_LIMIT = 3000


class TaskTab(QWidget):
    """按任务: each task with every unit's latest progress under it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        expand = QPushButton("全部展开", self)
        collapse = QPushButton("全部折叠", self)
        buttons.addWidget(expand)
        buttons.addWidget(collapse)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.model = TaskTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("taskTree")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        for column, width in enumerate((300, 520, 90)):
            self.tree.setColumnWidth(column, width)
        expand.clicked.connect(self.tree.expandAll)
        collapse.clicked.connect(self.tree.collapseAll)
        layout.addWidget(self.tree, 1)

    def show_data(self, data: ViewData) -> None:
        self.model.set_tasks(data.tasks)
        if sum(len(t.units) for t in data.tasks) <= EXPAND_LIMIT:
            self.tree.expandAll()
