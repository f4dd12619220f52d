"""Search and filters over the task table, plus sorting by the model's sort role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from fazhi_desktop.models.status import Colour
from fazhi_desktop.ui.task_model import SortRole, TaskTableModel

# What the status filter offers: label → predicate on (status text, colour).
STATUS_FILTERS: dict[str, Any] = {
    "全部状态": None,
    "逾期未完成": lambda s, c: c is Colour.OVERDUE,
    "临期": lambda s, c: c is Colour.DUE_SOON,
    "推进中": lambda s, c: s == "推进中",
    "未启动": lambda s, c: s == "未启动",
    "已完成": lambda s, c: s == "已完成",
    "逾期完成": lambda s, c: s == "逾期完成",
    "未完成（全部）": lambda s, c: s not in ("已完成", "逾期完成"),
}
ALL_DEPARTMENTS = "全部科室"


class TaskFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self._needles: list[str] = []
        self._status = STATUS_FILTERS["全部状态"]
        self._department = ""

    def set_search(self, text: str) -> None:
        needles = text.casefold().split()
        if needles != self._needles:
            self._change_filter(lambda: setattr(self, "_needles", needles))

    def set_status_filter(self, label: str) -> None:
        self._change_filter(lambda: setattr(self, "_status", STATUS_FILTERS.get(label)))

    def set_department(self, department: str) -> None:
        value = "" if department == ALL_DEPARTMENTS else department
        self._change_filter(lambda: setattr(self, "_department", value))

    def _change_filter(self, change: Callable[[], None]) -> None:
        # Qt 6.10 replaced invalidateRowsFilter() with begin/endFilterChange().
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, TaskTableModel)
        if self._needles:
            key = model.search_key(source_row)
            if not all(n in key for n in self._needles):
                return False
        if self._status is None and not self._department:
            return True
        task = model.task_at(source_row)
        if self._status is not None and not self._status(task.status.value, task.colour):
            return False
        # A task may belong to several 科室 (“办公室、机关总支”).
        return not self._department or self._department in task.department
