"""The annual report's material as plain, immutable data: what services gather, io lays out.

Like :mod:`fazhi_desktop.models.records`, the writer takes these instead of ORM objects, so it
never touches a session and can be tested with hand-built data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi_desktop.models.status import Status

UNIT_PLACEHOLDER = "【单位名称】"
# Ledger.kind values: an ordinary 台账 (what a report is drawn from by default), a plan (实施方案,
# never reported on: its tasks are what the 台账 implement), a 汇总 ledger (services.summary).
# The five parts every 法治政府建设年度报告 must have, in this order.
PARTS = (
    "主要举措和成效",
    "存在的不足和原因",
    "党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况",
    "下一年度主要安排",
    "其他需要报告的情况",
)
# The heading for tasks whose 台账 names no section; neutral, so no section name is invented.
OTHER_SECTION = "其他工作"
FINISHED = (Status.DONE, Status.DONE_LATE)


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One task as the report states it, as of the report's ``as_of`` day."""

    ledger_id: int
    seq: str
    title: str
    section: str
    deadline: dt.date | None
    deadline_text: str
    department: str
    status: Status
    done_on: dt.date | None
    progress: str  # the latest entry of the report year; "" when the year has none
    progress_period: str | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def reported(self) -> bool:
        """Whether the 台账 holds any progress for this task in the report year."""
        return bool(self.progress.strip())

    @property
    def shortfall(self) -> bool:
        """逾期未完成, or still open without a single progress report all year."""
        return self.status is Status.OVERDUE or (not self.finished and not self.reported)


@dataclass(frozen=True, slots=True)
class ReportSection:
    """Tasks under one section of the plan; ``title`` is ``OTHER_SECTION`` for unsectioned ones,
    and "" when no task of the report has a section at all (then there are no sub-headings)."""

    title: str
    items: tuple[ReportItem, ...]


@dataclass(frozen=True, slots=True)
class ReportCounts:
    total: int
    done_on_time: int
    done_late: int
    in_progress: int
    not_started: int
    overdue: int
    unreported: int  # open tasks without a progress entry in the year

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def open(self) -> int:
        return self.total - self.done


@dataclass(frozen=True, slots=True)
class AnnualReport:
    year: int
    unit: str  # "" when unknown: the document shows UNIT_PLACEHOLDER
    as_of: dt.date
    sources: tuple[str, ...]  # titles of the ledgers it was built from
    sections: tuple[ReportSection, ...]
    counts: ReportCounts
    warnings: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.unit or UNIT_PLACEHOLDER}关于{self.year}年法治政府建设情况的报告"

    @property
    def items(self) -> list[ReportItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def shortfalls(self) -> list[ReportItem]:
        return [item for item in self.items if item.shortfall]

    @property
    def carried(self) -> list[ReportItem]:
        """Tasks not finished by the end of the year: they go on next year."""
        return [item for item in self.items if not item.finished]

    @property
    def year_complete(self) -> bool:
        """Whether the report speaks of the whole year (written after 31 December)."""
        return self.as_of == dt.date(self.year, 12, 31)
