"""What the window talks to for search, filters and sorting: a pass-through to the task model.

The model does the filtering and sorting itself (see ``task_model``); this proxy only keeps the
window's interface — ``set_search``, ``set_status_filter``, ``set_department`` and the header's
``sort`` — and maps rows one to one in C++, so no Python runs per row or per comparison.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QIdentityProxyModel

from fazhi_desktop.ui.task_filter import ALL_DEPARTMENTS, STATUS_FILTERS, UNREPORTED
from fazhi_desktop.ui.task_model import TaskTableModel

__all__ = ["ALL_DEPARTMENTS", "STATUS_FILTERS", "UNREPORTED", "TaskFilterProxy"]


class TaskFilterProxy(QIdentityProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)

    def _tasks(self) -> TaskTableModel:
        model = self.sourceModel()
        assert isinstance(model, TaskTableModel), "the proxy shows a TaskTableModel"
        return model

    def _change(self, **changes: Any) -> None:
        model = self._tasks()
        model.set_row_filter(replace(model.row_filter, **changes))

    def set_search(self, text: str) -> None:
        self._change(needles=tuple(text.casefold().split()))

    def set_status_filter(self, label: str) -> None:
        self._change(status=STATUS_FILTERS.get(label))

    def set_department(self, department: str) -> None:
        # The window re-applies the department after every reload; an unchanged filter is
        # a no-op in the model.
        self._change(department="" if department == ALL_DEPARTMENTS else department)
