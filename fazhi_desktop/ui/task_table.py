"""The main window's task table: columns, editors, and rows that grow to fit their text.

The table fills the window: 主要任务 and 进展情况 take the spare width (or give it back) in
proportion to their default widths whenever the viewport changes size, and rows are re-fitted
to the new widths. Fitting is lazy: only the rows on screen are measured, and rows scrolled
into view later are measured when they appear, so a 10,000-row ledger resizes as fast as a
20-row one. Beside it, :class:`DetailYields` lets the detail pane give up its width first.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractProxyModel, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSplitter,
    QTableView,
    QWidget,
)

from fazhi_desktop.ui.delegates import CellDelegate, MultiLineDelegate
from fazhi_desktop.ui.task_model import (
    COL_DEPT,
    COL_NOTE,
    COL_OWNER,
    COL_PROGRESS,
    COL_TITLE,
    DEFAULT_WIDTHS,
)

# The columns that take the window's spare width, and how narrow they may become before the
# table scrolls sideways instead.
STRETCH_COLUMNS = (COL_TITLE, COL_PROGRESS)
MIN_STRETCH_WIDTH = 150


class TaskTable(QTableView):
    def __init__(self, parent: QWidget, proxy: QAbstractProxyModel) -> None:
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
        self._fit_timer.timeout.connect(self._fit)
        self._fitted_width = -1  # the viewport width the columns were last fitted to
        header.sectionResized.connect(lambda *_: self.schedule_row_fit())
        self.verticalScrollBar().valueChanged.connect(lambda *_: self.schedule_row_fit())
        proxy.layoutChanged.connect(lambda *_: self.schedule_row_fit())
        proxy.modelReset.connect(self.schedule_row_fit)
        proxy.dataChanged.connect(lambda *_: self.schedule_row_fit())

    def schedule_row_fit(self) -> None:
        self._fit_timer.start()

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport also changes size when the vertical scroll bar comes or goes.
        if event.type() == QEvent.Type.Resize:
            self._fit_timer.start()
        return super().viewportEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    def _fit(self) -> None:
        # Only a new viewport width moves the columns: a column the user drags stays put,
        # and so does a table whose height alone changed (a horizontal scroll bar came).
        width = self.viewport().width()
        if width != self._fitted_width:
            self._fitted_width = width
            self.fill_width()
        self.fit_visible_rows()

    def needed_width(self) -> int:
        """The narrowest table that shows every column without scrolling sideways."""
        header = self.horizontalHeader()
        fixed = sum(
            self.columnWidth(c)
            for c in range(header.count())
            if c not in STRETCH_COLUMNS and not self.isColumnHidden(c)
        )
        stretch = sum(MIN_STRETCH_WIDTH for c in STRETCH_COLUMNS if not self.isColumnHidden(c))
        return fixed + stretch + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def fill_width(self) -> None:
        """Give the spare width to (or take the missing width from) the stretch columns."""
        columns = [c for c in STRETCH_COLUMNS if not self.isColumnHidden(c)]
        spare = self.viewport().width() - self.horizontalHeader().length()
        if not columns or spare == 0:
            return
        target = max(
            MIN_STRETCH_WIDTH * len(columns), sum(self.columnWidth(c) for c in columns) + spare
        )
        # In proportion to their widths now: the ratio the user dragged them to is kept.
        weight = {c: max(1, self.columnWidth(c)) for c in columns}
        weights = sum(weight.values())
        left = target
        for i, col in enumerate(columns):
            width = left if i == len(columns) - 1 else target * weight[col] // weights
            width = max(
                MIN_STRETCH_WIDTH, min(width, left - MIN_STRETCH_WIDTH * (len(columns) - i - 1))
            )
            left -= width
            self.setColumnWidth(col, width)

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


class DetailYields(QObject):
    """At small sizes the pane beside the table gives up its width before any column scrolls
    away; when the window grows again the pane gets back the width the user gave it."""

    def __init__(self, splitter: QSplitter, table: TaskTable, pane: QWidget) -> None:
        super().__init__(splitter)
        self.splitter, self.table, self.pane = splitter, table, pane
        self.wanted = 300  # the pane's width when there is room for it
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setCollapsible(0, False)
        splitter.setCollapsible(1, True)
        splitter.splitterMoved.connect(self._remember)
        # After the splitter has shared out its new size itself, not before.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.apply)
        splitter.installEventFilter(self)

    def _remember(self, *_: object) -> None:
        width = self.splitter.sizes()[1]
        if width > 0:
            self.wanted = width

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False

    def apply(self) -> None:
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        pane = min(self.wanted, max(0, total - self.table.needed_width()))
        if pane < self.pane.minimumSizeHint().width():
            pane = 0  # a sliver of a pane helps no one: collapse it (the handle brings it back)
        self.splitter.setSizes([total - pane, pane])
