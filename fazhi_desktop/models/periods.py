"""Reporting periods: a period is a month, written ``YYYY-MM``."""

from __future__ import annotations

import datetime as dt
import re

from fazhi_desktop.errors import UsageError

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_period(text: str) -> str:
    """Validate a ``YYYY-MM`` period typed by a user and return it normalised."""
    match = _PERIOD_RE.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(f"填报期间“{text}”格式不对，应为“年-月”，例如 2026-11。")
    return text.strip()

