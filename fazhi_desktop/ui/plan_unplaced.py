"""The 导入方案 dialog's list of paragraphs the parser could not place (位置, 内容, 原因)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fazhi_desktop.services.plan_drafts import Unplaced


class UnplacedTable(QTableWidget):
    """Each row holds its :class:`Unplaced` paragraph; rows are taken out as they are dealt with."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("planUnplaced")
        self.setHorizontalHeaderLabels(["位置", "内容", "原因"])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(0, 96)
        self.setColumnWidth(2, 260)

    def fill(self, items: Sequence[Unplaced]) -> None:
        self.setRowCount(0)
        for item in items:
            row = self.rowCount()
            self.insertRow(row)
            where = QTableWidgetItem(item.where)
            where.setData(Qt.ItemDataRole.UserRole, item)
            self.setItem(row, 0, where)
            text = QTableWidgetItem(item.text)
            text.setToolTip(item.text)
            self.setItem(row, 1, text)
            self.setItem(row, 2, QTableWidgetItem(item.reason))

    def paragraph(self, row: int) -> Unplaced | None:
        cell = self.item(row, 0)
        if cell is None:
            return None
        value = cell.data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, Unplaced) else None

    def take_selected(self) -> list[Unplaced]:
        """The selected paragraphs (or the current one), removed from the list."""
        rows = {index.row() for index in self.selectionModel().selectedRows()}
        if not rows and self.currentRow() >= 0:
            rows = {self.currentRow()}
        ordered = sorted(rows)
        items = [item for row in ordered if (item := self.paragraph(row)) is not None]
        for row in reversed(ordered):
            self.removeRow(row)
        return items
