"""The task table: one row per task, in the official 台账 column order plus 状态."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.models.status import COLOUR_FILL, Colour
from fazhi_desktop.vocab.columns import TABLE
from fazhi_desktop.vocab.dates import date_label

COL_SEQ, COL_TITLE, COL_DEADLINE, COL_PROGRESS, COL_DEPT, COL_OWNER, COL_NOTE, COL_STATUS = range(8)
HEADERS = tuple(c.label for c in TABLE)
# Which TaskRecord field each editable column edits.
COLUMN_FIELD = {i: c.attr for i, c in enumerate(TABLE) if c.editable}
DEFAULT_WIDTHS = {i: c.width for i, c in enumerate(TABLE)}

SortRole = Qt.ItemDataRole.UserRole + 1
RowObjectRole = Qt.ItemDataRole.UserRole + 2

_BRUSHES = {c: QBrush(QColor(hex_)) for c, hex_ in COLOUR_FILL.items() if hex_}
# 未填报 progress cells: a blue none of the status colours use, so both read at a glance.
UNREPORTED_FILL = "#DDEBF7"
_UNREPORTED_BRUSH = QBrush(QColor(UNREPORTED_FILL))
_OLD_TEXT_BRUSH = QBrush(QColor("#6B6B6B"))
UNREPORTED_PLACEHOLDER = "（本期未填报）"
_STATUS_ORDER = {"逾期未完成": 0, "推进中": 1, "未启动": 2, "逾期完成": 3, "已完成": 4}

Index = QModelIndex | QPersistentModelIndex
# Called with (task, field, new value); the window turns it into an undoable command.
EditHandler = Callable[[TaskRecord, str, str], None]


def search_text(task: TaskRecord) -> str:
    """What the search box matches against, lower-cased once per row rather than per keystroke."""
    return "\n".join(
        (
            task.seq,
            task.title,
            task.deadline_text,
            task.progress,
            task.department,
            task.owner,
            task.note,
            task.partners,
            task.status.value,
        )
    ).casefold()


class TaskTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[TaskRecord] = []
        self._search: list[str] = []
        self._row_of: dict[int, int] = {}
        self._unreported: frozenset[int] = frozenset()
        self._period_label = ""
        self._italic = QFont()
        self._italic.setItalic(True)
        self.edit_handler: EditHandler | None = None

    # --- loading -------------------------------------------------------------------------
    def set_tasks(self, tasks: Sequence[TaskRecord]) -> None:
        self.beginResetModel()
        self._rows = list(tasks)
        self._search = [search_text(t) for t in self._rows]
        self._row_of = {t.id: i for i, t in enumerate(self._rows)}
        self.endResetModel()

    def replace_task(self, task: TaskRecord) -> None:
        row = self._row_of.get(task.id)
        if row is None:
            return
        self._rows[row] = task
        self._search[row] = search_text(task)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def set_unreported(self, task_ids: frozenset[int], period_label: str) -> None:
        """Mark the tasks with no progress for the current period (未填报)."""
        if task_ids == self._unreported and period_label == self._period_label:
            return
        self._unreported = task_ids
        self._period_label = period_label
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, COL_PROGRESS), self.index(last, COL_PROGRESS))

    def is_unreported(self, task_id: int) -> bool:
        return task_id in self._unreported

    def tasks(self) -> list[TaskRecord]:
        return list(self._rows)

    def task_at(self, row: int) -> TaskRecord:
        return self._rows[row]

    def row_of(self, task_id: int) -> int | None:
        return self._row_of.get(task_id)

    def search_key(self, row: int) -> str:
        return self._search[row]

    def search_keys(self) -> Sequence[str]:
        """Every row's search key, in row order (read-only: the proxy filters all rows at once)."""
        return self._search

    # --- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return HEADERS[section]
            return None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in COLUMN_FIELD:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        task = self._rows[index.row()]
        col = index.column()
        if col == COL_PROGRESS and task.id in self._unreported:
            unreported = self._unreported_data(task, role)
            if unreported is not None:
                return unreported
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._display(task, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return _BRUSHES.get(task.colour)
        if role == SortRole:
            return self._sort_key(task, col, index.row())
        if role == RowObjectRole:
            return task
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_DEADLINE and task.deadline:
            return f"截止日期：{date_label(task.deadline)}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_SEQ, COL_DEADLINE, COL_STATUS):
            return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def _unreported_data(self, task: TaskRecord, role: int) -> Any:
        """How a 未填报 progress cell differs: blue, and last period's text greyed as a hint."""
        if role == Qt.ItemDataRole.BackgroundRole:
            return _UNREPORTED_BRUSH
        if role == Qt.ItemDataRole.DisplayRole and not task.progress:
            return UNREPORTED_PLACEHOLDER
        if role == Qt.ItemDataRole.ForegroundRole:
            return _OLD_TEXT_BRUSH
        if role == Qt.ItemDataRole.FontRole and task.progress:
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            earlier = f"灰色文字是{task.progress_period}期的进展，" if task.progress else ""
            return (
                f"{self._period_label}尚未填报。{earlier}"
                "按 F2 填写本期进展，或按 Ctrl+L 沿用上期进展。"
            )
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in COLUMN_FIELD:
            return False
        task = self._rows[index.row()]
        field = COLUMN_FIELD[index.column()]
        new = str(value)
        if new == getattr(task, field) or self.edit_handler is None:
            return False
        self.edit_handler(task, field, new)
        return True

    @staticmethod
    def _display(task: TaskRecord, col: int) -> str:
        if col == COL_STATUS:
            if task.colour is Colour.DUE_SOON:
                return f"{task.status.value}（临期）"
            return task.status.value
        return str(getattr(task, COLUMN_FIELD[col]))

    @staticmethod
    def _sort_key(task: TaskRecord, col: int, row: int) -> Any:
        if col == COL_SEQ:
            return task.position
        if col == COL_DEADLINE:
            # Undated deadlines (长期坚持) sort after every date.
            return task.deadline.toordinal() if task.deadline else 10**7
        if col == COL_STATUS:
            return _STATUS_ORDER.get(task.status.value, 9) * 10 + (task.colour is Colour.DUE_SOON)
        return str(getattr(task, COLUMN_FIELD[col]))
