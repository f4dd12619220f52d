"""Qt models behind the 汇总 view: plain records in, rows and colours out (no editing).

One generic table model serves every list (units of a period, a unit's overdue tasks, review
items, import results); the tasks-across-units view is a two-level tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from fazhi_desktop.models.status import COLOUR_FILL, REPORT_STATE_FILL, Colour, Status
from fazhi_desktop.vocab.dates import date_label
from fazhi_desktop.vocab.kinds import ReportState

if TYPE_CHECKING:
    from fazhi_desktop.services.summary_overview import TaskRow, ViewData

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
RowObjectRole = Qt.ItemDataRole.UserRole + 2

STATE_FILL = REPORT_STATE_FILL
STATUS_FILL = {
    Status.DONE: COLOUR_FILL[Colour.DONE],
    Status.DONE_LATE: COLOUR_FILL[Colour.DONE_LATE],
    Status.OVERDUE: COLOUR_FILL[Colour.OVERDUE],
}
_BRUSHES: dict[str, QBrush] = {}


def brush(hex_colour: str | None) -> QBrush | None:
    if not hex_colour:
        return None
    found = _BRUSHES.get(hex_colour)
    if found is None:
        found = _BRUSHES[hex_colour] = QBrush(QColor(hex_colour))
    return found


def date_text(day: dt.date | None) -> str:
    return date_label(day)


@dataclass(frozen=True, slots=True)
class ColumnSpec(Generic[T]):
    header: str
    text: Callable[[T], str]
    fill: Callable[[T], str | None] | None = None


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """Rows of any record; each column says how to show it and, optionally, how to colour it."""

    def __init__(self, columns: Sequence[ColumnSpec[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_object(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(record)
        if role == Qt.ItemDataRole.BackgroundRole and column.fill is not None:
            return brush(column.fill(record))
        if role == RowObjectRole:
            return record
        return None


# --- tasks across units ------------------------------------------------------------------------


TREE_HEADERS = ("任务 / 报送单位", "进展情况", "状态", "完成时间 / 报送期间")
# internalId: 0 for a task row, the task's row + 1 for the unit rows under it.
_TASK = 0


class TaskTreeModel(QAbstractItemModel):
    """Tasks at the top level; under each, one row per unit with its latest progress."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks: list[TaskRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_tasks(self, tasks: Sequence[TaskRow]) -> None:
        self.beginResetModel()
        self._tasks = list(tasks)
        self.endResetModel()

    def tasks(self) -> list[TaskRow]:
        return list(self._tasks)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1 if parent.isValid() else _TASK)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        owner = child.internalId()
        if owner == _TASK:
            return QModelIndex()
        return self.createIndex(owner - 1, 0, _TASK)

    @staticmethod
    def _is_task(index: Index) -> bool:
        return index.internalId() == _TASK

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._tasks)
        if parent.column() == 0 and self._is_task(parent):
            return len(self._tasks[parent.row()].units)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(TREE_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return TREE_HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if self._is_task(index):
            task = self._tasks[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return (
                    f"{task.seq} {task.title}".strip(),
                    f"{len(task.units)} 个单位报送",
                    f"完成 {task.done}，逾期 {task.overdue}" if task.units else "",
                    task.deadline,
                )[column]
            if role == Qt.ItemDataRole.FontRole and column == 0:
                return self._bold
            if role == RowObjectRole:
                return task
            return None
        unit = self._tasks[index.internalId() - 1].units[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (unit.unit, unit.progress, unit.status.value, unit.period_label or "本期")[
                column
            ]
        if role == Qt.ItemDataRole.BackgroundRole and column == 2:
            return brush(STATUS_FILL.get(unit.status))
        if role == RowObjectRole:
            return unit
        return None


def record_table(parent: QWidget, name: str, model: Any, widths: tuple[int, ...]) -> QTableView:
    """A read-only table of records, one row selected at a time."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table


def period_line(data: ViewData) -> str:
    """“2026年11月（12月5日截止）：应报 4 个单位，已报送 1，逾期报送 1，未报送 2”."""
    report = data.report
    counts = {s: len(report.names(s)) for s in ReportState}
    due = report.due
    return f"{report.label}（{due.month}月{due.day}日截止）：应报 {len(data.units)} 个单位，" + (
        "，".join(f"{k} {v}" for k, v in counts.items())
    )
