"""What the three 汇总 charts say and in which colours, for every place that draws them.

The window paints them with Qt, the xlsx holds native Excel charts and the PDF draws them with
reportlab; each takes its titles and colours from here, so the three always agree. Qt-free.
"""

from __future__ import annotations

from fazhi_desktop.models.status import Status
from fazhi_desktop.vocab.dates import period_label

COMPLETION_TITLE = "各单位任务完成率"
STATUS_TITLE = "任务状态分布（各单位报送的任务合计）"
OVERDUE_TITLE = "逾期未完成任务（按完成时限所在月份）"

BAR = "#4A7FC1"  # the completion bars
# Keyed by Status value: the figures name statuses by their text.
STATUS_COLOURS: dict[str, str] = {
    Status.NOT_STARTED.value: "#A6A6A6",
    Status.IN_PROGRESS.value: "#4A7FC1",
    Status.DONE.value: "#3A9D5D",
    Status.DONE_LATE.value: "#8E6CC0",
    Status.OVERDUE.value: "#D9534F",
}
OVERDUE_BAR = STATUS_COLOURS[Status.OVERDUE.value]
NO_RETURNS = "本期尚无单位报送"
NO_OVERDUE = "没有逾期未完成的任务"


# The overdue chart's months are periods, written as forms write them.
month_label = period_label


def completion_rate(done: int, total: int) -> float:
    """Share of a unit's reported tasks that are done (0 when it reported none)."""
    return done / total if total else 0.0
