"""The editable table of a parsed plan's tasks, before it is saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from fazhi_desktop.models.deadlines import is_undated, parse_deadline
from fazhi_desktop.models.records import TaskDraft

Index = QModelIndex | QPersistentModelIndex

# (header, TaskDraft attribute); 任务要求 is edited one item per line.
COLUMNS = (
    ("序号", "seq"),
    ("章节", "section"),
    ("主要任务", "title"),
    ("任务要求（每行一条）", "requirements"),
    ("责任单位（牵头）", "department"),
    ("配合单位", "partners"),
    ("完成时限", "deadline_text"),
    ("截止日期", "deadline"),
)
COL_TITLE = 2
COL_REQUIREMENTS = 3
COL_DEADLINE_TEXT = 6
COL_DEADLINE = 7
_MISSING = QColor("#fde2e1")


class PlanTasksModel(QAbstractTableModel):
    """Rows are the draft's tasks; edits write straight into the TaskDraft objects."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks: list[TaskDraft] = []
        self._lines: list[int] = []
        self.year: int | None = None

    # --- data ------------------------------------------------------------------------------
    def set_tasks(self, tasks: list[TaskDraft], lines: list[int], year: int | None) -> None:
        self.beginResetModel()
        self._tasks, self._lines, self.year = tasks, list(lines), year
        self.endResetModel()

    def tasks(self) -> list[TaskDraft]:
        return self._tasks

    def line_of(self, row: int) -> int:
        return self._lines[row] if 0 <= row < len(self._lines) else 0

    def set_year(self, year: int | None) -> None:
        self.year = year
        for task in self._tasks:
            task.deadline = parse_deadline(task.deadline_text, year)
        if self._tasks:
            self.dataChanged.emit(
                self.index(0, COL_DEADLINE), self.index(len(self._tasks) - 1, COL_DEADLINE)
            )

    def insert_task(self, task: TaskDraft, line: int) -> int:
        """Insert in source order (by line number); returns the new row."""
        row = next((i for i, n in enumerate(self._lines) if n > line), len(self._tasks))
        task.deadline = parse_deadline(task.deadline_text, self.year)
        self.beginInsertRows(QModelIndex(), row, row)
        self._tasks.insert(row, task)
        self._lines.insert(row, line)
        self.endInsertRows()
        return row

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._tasks):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._tasks[row]
                del self._lines[row]
                self.endRemoveRows()

    def add_requirement(self, row: int, text: str) -> None:
        self._tasks[row].requirements.append(text)
        index = self.index(row, COL_REQUIREMENTS)
        self.dataChanged.emit(index, index)

    # --- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tasks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != COL_DEADLINE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        task = self._tasks[index.row()]
        attr = COLUMNS[index.column()][1]
        value = getattr(task, attr)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if attr == "requirements":
                if role == Qt.ItemDataRole.EditRole:
                    return "\n".join(value)
                return "\n".join(f"{i}. {r}" for i, r in enumerate(value, start=1))
            if attr == "deadline":
                if value is not None:
                    return value.isoformat()
                return "长期/无日期" if is_undated(task.deadline_text) else "读不出日期"
            return value
        if role == Qt.ItemDataRole.BackgroundRole:
            missing = (attr == "title" and not task.title.strip()) or (
                attr == "department" and not task.department.strip()
            )
            unreadable = attr == "deadline" and value is None and not is_undated(task.deadline_text)
            return _MISSING if missing or unreadable else None
        if role == Qt.ItemDataRole.ToolTipRole and attr == "requirements" and value:
            return "\n".join(value)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        task = self._tasks[index.row()]
        attr = COLUMNS[index.column()][1]
        text = str(value or "")
        if attr == "requirements":
            task.requirements = [line.strip() for line in text.splitlines() if line.strip()]
        elif attr == "deadline":
            return False
        else:
            setattr(task, attr, text.strip())
        if attr == "deadline_text":
            task.deadline = parse_deadline(task.deadline_text, self.year)
            self.dataChanged.emit(index, self.index(index.row(), COL_DEADLINE))
        else:
            self.dataChanged.emit(index, index)
        return True
