"""The reporting rule of a ledger: which period is being filled in, and when it is due.

"每月30日前填报" means the 30th, or the month's last day when the month is shorter (February).
A quarterly rule reports once a quarter, on that day of the quarter's last month; its period is
keyed by that last month (``2026-12`` for the fourth quarter) so progress history, exports and
the monthly rule share one ``YYYY-MM`` key.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from fazhi_desktop.errors import UsageError
from fazhi_desktop.vocab.dates import month_label

MONTHLY = "monthly"
QUARTERLY = "quarterly"
CYCLES = {MONTHLY: "每月", QUARTERLY: "每季度"}
DEFAULT_REPORT_DAY = 30
# The start-up reminder appears this many days before the reporting day (and after it).
REMIND_DAYS = 3


class Reminder(StrEnum):
    NONE = ""
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def _month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _split(period: str) -> tuple[int, int]:
    year, month = period.split("-")
    return int(year), int(month)


@dataclass(frozen=True, slots=True)
class ReportRule:
    cycle: str = MONTHLY
    day: int = DEFAULT_REPORT_DAY

    def __post_init__(self) -> None:
        if self.cycle not in CYCLES:
            raise UsageError(
                f"报送周期“{self.cycle}”无法识别，只能是 monthly（每月）或 quarterly（每季度）。"
            )
        if not 1 <= self.day <= 31:
            raise UsageError(f"报送日“{self.day}”不对，应为 1 到 31 之间的日子。")

    @property
    def description(self) -> str:
        """``每月30日前``, as the notice words it."""
        if self.cycle == QUARTERLY:
            return f"每季度末月{self.day}日前"
        return f"每月{self.day}日前"

    def period_for(self, day: dt.date) -> str:
        """The period being filled in on ``day``."""
        if self.cycle == QUARTERLY:
            return _month_key(day.year, (day.month - 1) // 3 * 3 + 3)
        return _month_key(day.year, day.month)

    def due_date(self, period: str) -> dt.date:
        year, month = _split(period)
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(self.day, last))

    def previous(self, period: str) -> str:
        year, month = _split(period)
        step = 3 if self.cycle == QUARTERLY else 1
        month -= step
        if month < 1:
            year, month = year - 1, month + 12
        return _month_key(year, month)

    def first_day(self, period: str) -> dt.date:
        """The first day the period covers (a quarter's first month for the quarterly rule)."""
        year, month = _split(period)
        if self.cycle == QUARTERLY:
            month = month - 2
        return dt.date(year, month, 1)

    def label(self, period: str) -> str:
        """``2026年11月`` or ``2026年第4季度``: the period as forms and file names print it."""
        year, month = _split(period)
        if self.cycle == QUARTERLY:
            return f"{year}年第{(month - 1) // 3 + 1}季度"
        return month_label(year, month)

    def reminder(self, today: dt.date, period: str | None = None) -> tuple[Reminder, int]:
        """Whether to warn on start, and the days left (negative once the day has passed)."""
        period = period or self.period_for(today)
        left = (self.due_date(period) - today).days
        if left < 0:
            return Reminder.OVERDUE, left
        if left <= REMIND_DAYS:
            return Reminder.DUE_SOON, left
        return Reminder.NONE, left
