"""Task status and the colour each status is shown with.

The colours live here, in the Qt-free core, because the window, the xlsx and the PDF must agree.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from fazhi_desktop.vocab.kinds import ReportState

DEFAULT_DUE_SOON_DAYS = 7


class Status(StrEnum):
    NOT_STARTED = "未启动"
    IN_PROGRESS = "推进中"
    DONE = "已完成"
    OVERDUE = "逾期未完成"
    DONE_LATE = "逾期完成"


class Colour(StrEnum):
    """What a row looks like; DUE_SOON is not a status but a warning on an open task."""

    NONE = "none"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    DONE = "done"
    DONE_LATE = "done_late"


COLOUR_LABEL: dict[Colour, str] = {
    Colour.NONE: "",
    Colour.OVERDUE: "逾期",
    Colour.DUE_SOON: "临期",
    Colour.DONE: "已完成",
    Colour.DONE_LATE: "逾期完成",
}

# Light fills: they must stay readable with black text and when printed in greyscale.
COLOUR_FILL: dict[Colour, str | None] = {
    Colour.NONE: None,
    Colour.OVERDUE: "#F8C6C6",
    Colour.DUE_SOON: "#FCEBA4",
    Colour.DONE: "#C9EBC9",
    Colour.DONE_LATE: "#DCD3F0",
}
# A unit's return in the 汇总: missing reads like overdue, late like due soon, on time like done.
REPORT_STATE_FILL: dict[str, str | None] = {
    ReportState.REPORTED: COLOUR_FILL[Colour.DONE],
    ReportState.LATE: COLOUR_FILL[Colour.DUE_SOON],
    ReportState.MISSING: COLOUR_FILL[Colour.OVERDUE],
}


def classify(
    *,
    deadline: dt.date | None,
    done: bool,
    done_on: dt.date | None,
    has_progress: bool,
    today: dt.date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[Status, Colour]:
    """Status and colour of one task on ``today``.

    A task without a date (长期坚持) is never overdue. A done task without a completion date
    counts as done on time: the clerk marked it, we have no evidence it was late.
    """
    if done:
        if deadline is not None and done_on is not None and done_on > deadline:
            return Status.DONE_LATE, Colour.DONE_LATE
        return Status.DONE, Colour.DONE
    if deadline is not None and deadline < today:
        return Status.OVERDUE, Colour.OVERDUE
    status = Status.IN_PROGRESS if has_progress else Status.NOT_STARTED
    if deadline is not None and (deadline - today).days <= due_soon_days:
        return status, Colour.DUE_SOON
    return status, Colour.NONE
