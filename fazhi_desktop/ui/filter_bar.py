"""The main window's toolbar: which 台账, the search box, and the status and 科室 filters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolBar,
    QWidget,
)

from fazhi_desktop import APP_TITLE
from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.ui.filter_proxy import ALL_DEPARTMENTS, STATUS_FILTERS, TaskFilterProxy
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from fazhi_desktop.models.records import LedgerListing

# Each ledger item's (badge and year, title, task count): the title is what gets shortened.
LabelPartsRole = Qt.ItemDataRole.UserRole + 1


def ledger_parts(ledger: LedgerListing) -> tuple[str, str, str]:
    year = f"{ledger.year}年 " if ledger.year else ""
    return f"{LedgerKind(ledger.kind).badge}{year}", ledger.title, f"（{ledger.task_count}项）"


class LedgerCombo(QComboBox):
    """The 台账 box. A long name is shortened in its middle, so the kind badge in front and
    the ending (“…（汇总）”) and task count behind stay readable; the full name is the tooltip."""

    def shown_text(self, width: int) -> str:
        """The current ledger's name as it fits ``width`` pixels: badge and count kept whole."""
        parts = self.currentData(LabelPartsRole)
        if not isinstance(parts, tuple):
            return self.currentText()
        head, title, tail = parts
        metrics = self.fontMetrics()
        room = width - metrics.horizontalAdvance(head + tail) - 4
        return head + metrics.elidedText(title, Qt.TextElideMode.ElideMiddle, max(room, 0)) + tail

    def paintEvent(self, event: QPaintEvent) -> None:
        parts = self.currentData(LabelPartsRole)
        if not isinstance(parts, tuple):
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        option.currentText = self.shown_text(field.width())
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class FilterBar(QToolBar):
    """Applies what the user types or picks to ``proxy``; ``filtered`` after each change."""

    filtered = Signal()

    def __init__(self, parent: QWidget, proxy: TaskFilterProxy) -> None:
        super().__init__("台账", parent)
        self.proxy = proxy
        self.setObjectName("mainToolbar")
        self.setMovable(False)
        self.addWidget(QLabel(" 台账："))
        self.ledger_combo = LedgerCombo(self)
        self.ledger_combo.setObjectName("ledgerCombo")
        self.ledger_combo.setMinimumWidth(320)
        self.addWidget(self.ledger_combo)
        self.addSeparator()
        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        # Short enough for the box at 1024 px (Qt cuts a placeholder without “…”).
        self.search.setPlaceholderText("搜索任务、进展、责任人（Ctrl+F）")
        self.search.setToolTip("搜索（Ctrl+F）：主要任务、进展情况、责任科室、责任人、备注")
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

    def fill_ledgers(self, listed: list[LedgerListing], wanted: object) -> None:
        """The 台账 box's items, the ``wanted`` ledger (an id, or its text) chosen; no signal."""
        combo = self.ledger_combo
        combo.blockSignals(True)
        combo.clear()
        for ledger in listed:
            parts = ledger_parts(ledger)
            combo.addItem("".join(parts), ledger.id)
            combo.setItemData(combo.count() - 1, parts, LabelPartsRole)
            combo.setItemData(combo.count() - 1, "".join(parts), Qt.ItemDataRole.ToolTipRole)
        try:
            index = combo.findData(int(str(wanted))) if wanted else -1
        except ValueError:
            index = -1
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def window_title(self) -> str:
        """The main window's title: which ledger is open, and its kind."""
        parts = self.ledger_combo.currentData(LabelPartsRole)
        if not isinstance(parts, tuple):
            return APP_TITLE
        return f"{parts[0]}{parts[1]} — {APP_TITLE}"

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
        # A ledger has few distinct 科室 texts: split each once, not once per task.
        for department in {task.department for task in tasks}:
            for part in department.replace("，", "、").replace(",", "、").split("、"):
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
