"""The main window's toolbar: which 台账, the search box, and the status and 科室 filters."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolBar, QWidget

from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.ui.filter_proxy import ALL_DEPARTMENTS, STATUS_FILTERS, TaskFilterProxy


class FilterBar(QToolBar):
    """Applies what the user types or picks to ``proxy``; ``filtered`` after each change."""

    filtered = Signal()

    def __init__(self, parent: QWidget, proxy: TaskFilterProxy) -> None:
        super().__init__("台账", parent)
        self.proxy = proxy
        self.setObjectName("mainToolbar")
        self.setMovable(False)
        self.addWidget(QLabel(" 台账："))
        self.ledger_combo = QComboBox(self)
        self.ledger_combo.setObjectName("ledgerCombo")
        self.ledger_combo.setMinimumWidth(320)
        self.addWidget(self.ledger_combo)
        self.addSeparator()
        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("搜索任务、进展、科室、责任人…（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        # Filter once the typing pauses, not on every key: 10,000 rows take a while to filter.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda *_: self._search_timer.start())
        self.addWidget(self.search)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItems(list(STATUS_FILTERS))
        self.status_filter.currentTextChanged.connect(self._on_status)
        self.addWidget(self.status_filter)
        self.dept_filter = QComboBox(self)
        self.dept_filter.setObjectName("deptFilter")
        self.dept_filter.setMinimumWidth(120)
        self.dept_filter.currentTextChanged.connect(self._on_department)
        self.addWidget(self.dept_filter)

    def apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self.filtered.emit()

    def _on_status(self, label: str) -> None:
        self.proxy.set_status_filter(label)
        self.filtered.emit()

    def _on_department(self, label: str) -> None:
        self.proxy.set_department(label)
        self.filtered.emit()

    def fill_departments(self, tasks: Iterable[TaskRecord]) -> None:
        """The 科室 list from the tasks shown (“A、B” counts for both); keeps the choice if it
        is still there."""
        names: set[str] = set()
        for task in tasks:
            for part in task.department.replace("，", "、").replace(",", "、").split("、"):
                if part.strip():
                    names.add(part.strip())
        current = self.dept_filter.currentText()
        self.dept_filter.blockSignals(True)
        self.dept_filter.clear()
        self.dept_filter.addItems([ALL_DEPARTMENTS, *sorted(names)])
        self.dept_filter.setCurrentText(current if current in names else ALL_DEPARTMENTS)
        self.dept_filter.blockSignals(False)
        self.proxy.set_department(self.dept_filter.currentText())

    def clear_filters(self) -> None:
        self.search.clear()
        self.apply_search()
        self.status_filter.setCurrentIndex(0)
        self.dept_filter.setCurrentIndex(0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
