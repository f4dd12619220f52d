"""What a ledger is, and where a unit stands for a reporting period."""

from __future__ import annotations

import enum


class LedgerKind(enum.StrEnum):
    """Stored in ``ledgers.kind``; the values are part of the database format."""

    LEDGER = "ledger"  # a unit's own 工作台账, filled in monthly
    PLAN = "plan"  # a 方案/工作要点 imported as the source of tasks and 任务要求
    SUMMARY = "summary"  # the 法治办's 汇总台账 of many units' returns

    @property
    def badge(self) -> str:
        """The tag shown before a ledger's name in lists, so a 汇总 is never mistaken for a 台账."""
        return _BADGES[self]


_BADGES = {LedgerKind.LEDGER: "", LedgerKind.PLAN: "【方案】", LedgerKind.SUMMARY: "【汇总】"}


class ReportState(enum.StrEnum):
    """A unit's return for one period, as the 汇总 judges it."""

    REPORTED = "已报送"
    LATE = "逾期报送"
    MISSING = "未报送"


REPORT_STATES = tuple(ReportState)
