"""What the 汇总 view shows for one period, gathered in one transaction: who reported, each task
across units, each unit's overview (tasks reported, done, 逾期未完成), review items, figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fazhi_desktop.models.status import Status
from fazhi_desktop.services import summary, summary_export, summary_views
from fazhi_desktop.services.summary_views import PeriodReport, ReviewItem, Stats, UnitState
from fazhi_desktop.vocab.dates import date_label


@dataclass(frozen=True, slots=True)
class UnitRow:
    unit: str
    progress: str
    status: Status
    period_label: str  # "" for the period shown, else the earlier period the progress is from


@dataclass(frozen=True, slots=True)
class TaskRow:
    seq: str
    title: str
    deadline: str
    units: tuple[UnitRow, ...]

    @property
    def done(self) -> int:
        return sum(u.status in (Status.DONE, Status.DONE_LATE) for u in self.units)

    @property
    def overdue(self) -> int:
        return sum(u.status is Status.OVERDUE for u in self.units)


@dataclass(frozen=True, slots=True)
class OverdueRow:
    seq: str
    title: str
    deadline: str
    progress: str


@dataclass(frozen=True, slots=True)
class UnitOverview:
    unit: str
    state: str
    received_on: dt.date | None
    reported: int  # tasks in its latest return
    done: int
    overdue: tuple[OverdueRow, ...]

    @property
    def rate(self) -> str:
        return f"{100 * self.done / self.reported:.0f}%" if self.reported else "—"


@dataclass(frozen=True, slots=True)
class ViewData:
    title: str
    period: str
    periods: tuple[tuple[str, str], ...]
    report: PeriodReport
    tasks: tuple[TaskRow, ...]
    overview: tuple[UnitOverview, ...]
    review: tuple[ReviewItem, ...]
    figures: Stats
    units: tuple[str, ...]

    @property
    def states(self) -> tuple[UnitState, ...]:
        return self.report.units


def _deadline(text: str, day: dt.date | None) -> str:
    if text.strip():
        return text.strip()
    return date_label(day)


def gather(session: Session, ledger_id: int, *, period: str | None, today: dt.date) -> ViewData:
    ledger = summary.require_summary(session, ledger_id)
    periods = tuple(summary_export.report_periods(session, ledger_id, today))
    period = period or summary_export.current_period(session, ledger_id, today)
    report = summary_views.period_report(session, ledger_id, period)
    labels = dict(periods)
    across = summary_views.tasks_across_units(session, ledger_id, today=today, period=period)
    tasks = tuple(
        TaskRow(
            t.seq,
            t.title,
            _deadline(t.deadline_text, t.deadline),
            tuple(
                UnitRow(
                    u.unit, u.progress, u.status, "" if u.period == period else labels[u.period]
                )
                for u in t.units
            ),
        )
        for t in across
    )
    reported: dict[str, int] = {}
    done: dict[str, int] = {}
    overdue: dict[str, list[OverdueRow]] = {}
    for task, row in zip(across, tasks, strict=True):
        for unit in task.units:
            # A return may spell its unit slightly differently from the list (spaces, 全角).
            key = summary.unit_key(unit.unit)
            reported[key] = reported.get(key, 0) + 1
            done[key] = done.get(key, 0) + (unit.status in (Status.DONE, Status.DONE_LATE))
            if unit.status is Status.OVERDUE:
                overdue.setdefault(key, []).append(
                    OverdueRow(task.seq, task.title, row.deadline, unit.progress)
                )
    overview = tuple(
        UnitOverview(
            s.unit,
            s.state,
            s.received_on,
            reported.get(summary.unit_key(s.unit), 0),
            done.get(summary.unit_key(s.unit), 0),
            tuple(overdue.get(summary.unit_key(s.unit), ())),
        )
        for s in report.units
    )
    return ViewData(
        title=ledger.title,
        period=period,
        periods=periods,
        report=report,
        tasks=tasks,
        overview=overview,
        review=tuple(summary_views.review_items(session, ledger_id)),
        figures=summary_views.stats(session, ledger_id, today=today, period=period),
        units=tuple(summary.units_of(session, ledger_id)),
    )
