"""A 汇总台账 as plain, immutable data: what ``services.summary_export`` gathers, io writes.

Like :mod:`fazhi_desktop.models.records`, the writers take these instead of ORM objects, so they
never touch a session and can be tested with hand-built data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi_desktop.models.status import Colour, Status
from fazhi_desktop.vocab.dates import date_label


@dataclass(frozen=True, slots=True)
class UnitLine:
    """One unit's latest progress on one task."""

    unit: str
    progress: str
    status: Status
    colour: Colour
    # "" when the progress is from the exported period; else the earlier period it came from
    # ("2026年10月"), because the unit has not reported since.
    earlier_period: str = ""


@dataclass(frozen=True, slots=True)
class SummaryTask:
    seq: str
    title: str
    deadline_text: str
    deadline: dt.date | None
    units: tuple[UnitLine, ...]

    @property
    def deadline_shown(self) -> str:
        if self.deadline_text.strip():
            return self.deadline_text.strip()
        if self.deadline is not None:
            return date_label(self.deadline)
        return ""


@dataclass(frozen=True, slots=True)
class ChaseLine:
    """A unit to 催报: it has not reported for the period, or reported after the due day."""

    unit: str
    state: str  # 未报送 / 逾期报送
    received_on: dt.date | None
    file_name: str
    missing: bool


@dataclass(frozen=True, slots=True)
class SummaryFigures:
    """The figures behind the three charts."""

    completion: tuple[tuple[str, int, int], ...]  # unit, done, tasks reported on
    status_counts: tuple[tuple[str, int], ...]  # status, (unit, task) pairs
    overdue_by_month: tuple[tuple[str, int], ...]  # YYYY-MM of the deadline, overdue pairs


@dataclass(frozen=True, slots=True)
class SummarySnapshot:
    ledger_id: int
    title: str
    unit: str  # the office that collects (the plan's issuer)
    period: str
    period_label: str  # 2026年11月 / 2026年第4季度
    due: dt.date
    generated_on: dt.date
    expected_units: int
    counts: tuple[tuple[str, int], ...]  # 已报送 / 逾期报送 / 未报送 → number of units
    tasks: tuple[SummaryTask, ...]
    chase: tuple[ChaseLine, ...]  # 未报送 first, then 逾期报送
    figures: SummaryFigures
    review_count: int = 0

    @property
    def missing_units(self) -> list[str]:
        return [c.unit for c in self.chase if c.missing]

    def counts_text(self) -> str:
        parts = "，".join(f"{state} {n} 个" for state, n in self.counts)
        return f"应报单位 {self.expected_units} 个：{parts}"
