"""The main window's task table: columns, editors, and rows that grow to fit their text."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from fazhi_desktop.ui.delegates import CellDelegate, MultiLineDelegate
from fazhi_desktop.ui.task_model import (
    COL_DEPT,
    COL_NOTE,
    COL_OWNER,
    COL_PROGRESS,
    COL_TITLE,
    DEFAULT_WIDTHS,
)


class TaskTable(QTableView):
    def __init__(self, parent: QWidget, proxy: QSortFilterProxyModel) -> None:
        super().__init__(parent)
        self.setObjectName("taskTable")
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        names = (COL_DEPT, COL_OWNER)
        self.setItemDelegate(CellDelegate(self, names))
        delegate = MultiLineDelegate(self, names)
        for col in (COL_TITLE, COL_PROGRESS, COL_NOTE, COL_DEPT):
            self.setItemDelegateForColumn(col, delegate)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        for col, width in DEFAULT_WIDTHS.items():
            self.setColumnWidth(col, width)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(28)
        # Fitting rows is deferred to after the change that asked for it (one pass, not many).
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_visible_rows)
        header.sectionResized.connect(lambda *_: self.schedule_row_fit())
        self.verticalScrollBar().valueChanged.connect(lambda *_: self.schedule_row_fit())
        proxy.layoutChanged.connect(lambda *_: self.schedule_row_fit())
        proxy.modelReset.connect(self.schedule_row_fit)
        proxy.dataChanged.connect(lambda *_: self.schedule_row_fit())

    def schedule_row_fit(self) -> None:
        self._fit_timer.start()

    def fit_visible_rows(self) -> None:
        """Grow only the rows on screen to fit their wrapped text: O(visible), not O(rows)."""
        count = self.model().rowCount()
        if count == 0:
            return
        first = self.rowAt(0)
        row = 0 if first < 0 else first
        height = self.viewport().height()
        while row < count and self.rowViewportPosition(row) < height:
            self.resizeRowToContents(row)
            row += 1
