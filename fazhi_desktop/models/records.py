"""Plain, immutable snapshots of a ledger, as exporters and the CLI consume them.

Exporters (xlsx, pdf, json) take these instead of ORM objects so they never touch a session
and can be tested with hand-built data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fazhi_desktop.models.reporting import ReportRule
from fazhi_desktop.models.status import Colour, Status
from fazhi_desktop.vocab.dates import date_label
from fazhi_desktop.vocab.kinds import LedgerKind


@dataclass(frozen=True, slots=True)
class LedgerListing:
    """One line of the ledger list: what the window's ledger selector shows."""

    id: int
    title: str
    year: int | None
    unit: str
    kind: str
    task_count: int


@dataclass(frozen=True, slots=True)
class TaskRecord:
    id: int
    position: int
    seq: str
    title: str
    deadline_text: str
    deadline: dt.date | None
    progress: str
    progress_period: str | None
    department: str
    partners: str
    owner: str
    note: str
    done: bool
    done_on: dt.date | None
    status: Status
    colour: Colour
    section: str = ""
    requirements: tuple[str, ...] = ()
    # The plan task this one carries out, and that task's 序号 and 主要任务 as the plan words
    # them: the identity a unit's return is matched by in the office's 汇总 (exports fill them).
    plan_task_id: int | None = None
    plan_seq: str = ""
    plan_title: str = ""


@dataclass(frozen=True, slots=True)
class LedgerRecord:
    id: int
    title: str
    year: int | None
    unit: str
    issuer: str
    reporter: str
    phone: str
    mailbox: str
    notes: str
    short_title: str = ""
    report_day: int = 30
    report_cycle: str = "monthly"
    period: str | None = None
    generated_on: dt.date = field(default_factory=dt.date.today)
    tasks: tuple[TaskRecord, ...] = ()

    def notes_lines(self) -> list[str]:
        """The 说明 lines printed under the table, blank lines dropped."""
        return [line.strip() for line in self.notes.splitlines() if line.strip()]

    def info_fields(self) -> list[str]:
        """The line under the title, the same in the Excel and the PDF: 填报单位, 填报人,
        联系电话 (room to write them by hand when empty), 填报时间 and 报送期间 — the period
        the progress is for, which the 汇总 reads back from a unit's return."""
        blank = "\u3000" * 4
        rule = ReportRule(self.report_cycle, self.report_day)
        return [
            f"填报单位：{self.unit.strip() or blank}",
            f"填报人：{self.reporter.strip() or blank}",
            f"联系电话：{self.phone.strip() or blank}",
            f"填报时间：{date_label(self.generated_on)}",
            f"报送期间：{rule.label(self.period or rule.period_for(self.generated_on))}",
        ]


@dataclass(slots=True)
class TaskDraft:
    """A task read from a file (xlsx, plan, demo) before it is saved."""

    seq: str = ""
    title: str = ""
    requirements: list[str] = field(default_factory=list)
    deadline_text: str = ""
    deadline: dt.date | None = None
    department: str = ""
    partners: str = ""
    owner: str = ""
    note: str = ""
    progress: str = ""
    done: bool = False
    done_on: dt.date | None = None
    section: str = ""
    # The plan task it carries out, as a unit's return names it (see TaskRecord).
    plan_seq: str = ""
    plan_title: str = ""


@dataclass(slots=True)
class LedgerDraft:
    """A whole ledger read from a file; ``warnings`` lists what the reader could not place."""

    title: str
    year: int | None = None
    unit: str = ""
    issuer: str = ""
    reporter: str = ""
    phone: str = ""
    mailbox: str = ""
    notes: str = ""
    short_title: str = ""
    kind: str = LedgerKind.LEDGER
    period: str | None = None
    # The 填报时间 printed on the file, when it has one.
    filled_on: dt.date | None = None
    source: str = ""
    tasks: list[TaskDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What of the file went into no task field: (row or line number, where, text, why).
    unused: list[Unused] = field(default_factory=list)
    # The row or line of the file each task starts on, parallel to ``tasks`` (for the preview).
    task_lines: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Unused:
    """A line or row of an imported file that no task took, and why — never dropped silently."""

    number: int
    where: str
    text: str
    reason: str
