"""How dates and reporting periods are written on screen, on forms and in files."""

from __future__ import annotations

import datetime as dt

# Excel's number format for a date cell, matching :func:`date_label`.
XLSX_DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def date_label(day: dt.date | None) -> str:
    """``2026-11-05`` → ``2026年11月5日`` (no leading zeros, as on official forms); None → ""."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def month_label(year: int, month: int) -> str:
    return f"{year}年{month}月"


def period_label(period: str) -> str:
    """A ``YYYY-MM`` period → ``2026年11月``; anything else is returned as it is."""
    year, sep, month = period.partition("-")
    if not (sep and year.isdigit() and month.isdigit()):
        return period
    return month_label(int(year), int(month))
