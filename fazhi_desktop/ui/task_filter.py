"""Which tasks the table shows: the search box, the status filter and the 科室 filter.

The table model asks this once per change for all rows at once — one list comprehension over
the rows' precomputed, lower-cased search texts — and then shows only the accepted rows. A
``QSortFilterProxyModel.filterAcceptsRow`` written in Python is called from C++ once per row
per keystroke, and each call costs more than the test itself (issue 17).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.models.status import Colour

UNREPORTED = "本期未填报"
StatusTest = Callable[[str, Colour], bool]
# What the status filter offers: label → predicate on (status text, colour); 本期未填报 is
# answered from the model's set of tasks without progress for the current period.
STATUS_FILTERS: dict[str, StatusTest | str | None] = {
    "全部状态": None,
    "逾期未完成": lambda s, c: c is Colour.OVERDUE,
    "临期": lambda s, c: c is Colour.DUE_SOON,
    "推进中": lambda s, c: s == "推进中",
    "未启动": lambda s, c: s == "未启动",
    "已完成": lambda s, c: s == "已完成",
    "逾期完成": lambda s, c: s == "逾期完成",
    "未完成（全部）": lambda s, c: s not in ("已完成", "逾期完成"),
    UNREPORTED: UNREPORTED,
}
ALL_DEPARTMENTS = "全部科室"


@dataclass(frozen=True, slots=True)
class RowFilter:
    """The filters in force; the default filters nothing."""

    needles: tuple[str, ...] = ()  # every one must occur in the row's search text
    status: StatusTest | str | None = None  # a STATUS_FILTERS value
    department: str = ""  # a task may belong to several 科室 (“办公室、机关总支”)

    @property
    def active(self) -> bool:
        return bool(self.needles) or self.status is not None or bool(self.department)

    @property
    def needs_unreported(self) -> bool:
        """Whether the answer depends on which tasks are 未填报 this period."""
        return self.status is UNREPORTED

    def accepted(
        self,
        tasks: Sequence[TaskRecord],
        search_keys: Sequence[str],
        unreported: Collection[int],
        rows: Sequence[int],
    ) -> list[int]:
        """Those of ``rows`` (indexes into ``tasks``) that pass, in the order given."""
        kept = list(rows)
        # One comprehension per needle: a C-speed substring test per row, no call per row.
        for needle in self.needles:
            kept = [i for i in kept if needle in search_keys[i]]
        status = self.status
        if status is UNREPORTED:
            kept = [i for i in kept if tasks[i].id in unreported]
        elif callable(status):
            kept = [i for i in kept if status(tasks[i].status.value, tasks[i].colour)]
        if self.department:
            dept = self.department
            kept = [i for i in kept if dept in tasks[i].department]
        return kept
