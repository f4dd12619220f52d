"""What the three 汇总 charts are called and how statuses are coloured, Qt-free.

The on-screen charts (Qt), the xlsx charts and the PDF charts all draw from these, so a chart
reads the same wherever it is shown.
"""

from __future__ import annotations

from fazhi_desktop.models.status import Status

COMPLETION_TITLE = "各单位任务完成率"
STATUS_TITLE = "任务状态分布（各单位报送的任务合计）"
OVERDUE_TITLE = "逾期未完成任务（按完成时限所在月份）"

STATUS_COLOURS: dict[str, str] = {
    Status.NOT_STARTED.value: "#A6A6A6",
    Status.IN_PROGRESS.value: "#4A7FC1",
    Status.DONE.value: "#3A9D5D",
    Status.DONE_LATE.value: "#8E6CC0",
    Status.OVERDUE.value: "#D9534F",
}
