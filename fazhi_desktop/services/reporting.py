"""The current reporting period of a ledger: its due date, what is still 未填报, what was sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from fazhi_desktop.models.orm import ProgressEntry, Submission, Task
from fazhi_desktop.models.reporting import Reminder, ReportRule
from fazhi_desktop.services.ledgers import get_ledger
from fazhi_desktop.vocab.kinds import LedgerKind


@dataclass(frozen=True, slots=True)
class PeriodStatus:
    period: str
    label: str
    rule: str
    due: dt.date
    reminder: Reminder
    days_left: int
    task_count: int
    missing: frozenset[int]
    last_submitted: dt.datetime | None

    @property
    def missing_count(self) -> int:
        return len(self.missing)


# Only a unit's own 台账 is filled in and sent each period; a plan is a reference and a 汇总
# ledger is fed by the units' returns.
REPORTING_KINDS = frozenset({LedgerKind.LEDGER})


def reports_periodically(session: Session, ledger_id: int) -> bool:
    return get_ledger(session, ledger_id).kind in REPORTING_KINDS


def rule_of(session: Session, ledger_id: int) -> ReportRule:
    ledger = get_ledger(session, ledger_id)
    return ReportRule(ledger.report_cycle, ledger.report_day)


def period_status(
    session: Session, ledger_id: int, *, today: dt.date, period: str | None = None
) -> PeriodStatus:
    rule = rule_of(session, ledger_id)
    period = period or rule.period_for(today)
    reminder, left = rule.reminder(today, period)
    total = session.scalar(select(func.count()).where(Task.ledger_id == ledger_id)) or 0
    return PeriodStatus(
        period=period,
        label=rule.label(period),
        rule=rule.description,
        due=rule.due_date(period),
        reminder=reminder,
        days_left=left,
        task_count=int(total),
        missing=frozenset(missing_tasks(session, ledger_id, period, rule)),
        last_submitted=session.scalar(
            select(func.max(Submission.submitted_at)).where(
                Submission.ledger_id == ledger_id, Submission.period == period
            )
        ),
    )


def missing_tasks(
    session: Session,
    ledger_id: int,
    period: str,
    rule: ReportRule,
    *,
    task_id: int | None = None,
) -> list[int]:
    """Tasks with no progress text for ``period`` (未填报); only ``task_id`` if given.

    A task finished before the period began has nothing left to report, so it is not counted;
    one finished during the period still reports how it was finished.
    """
    start = rule.first_day(period)
    entry = and_(
        ProgressEntry.task_id == Task.id,
        ProgressEntry.period == period,
        func.trim(ProgressEntry.text) != "",
    )
    stmt = (
        select(Task.id)
        .where(Task.ledger_id == ledger_id)
        .where(~select(ProgressEntry.id).where(entry).exists())
        .where(~and_(Task.done.is_(True), func.coalesce(Task.done_on, dt.date.min) < start))
        .order_by(Task.position, Task.id)
    )
    if task_id is not None:
        stmt = stmt.where(Task.id == task_id)
    return list(session.scalars(stmt))


def with_task_rechecked(session: Session, status: PeriodStatus, task_id: int) -> PeriodStatus:
    """``status`` after one task was edited: one row re-checked instead of the whole ledger."""
    ledger_id = session.scalar(select(Task.ledger_id).where(Task.id == task_id))
    if ledger_id is None:  # the task was deleted
        return replace(status, missing=status.missing - {task_id})
    rule = rule_of(session, ledger_id)
    missing = bool(missing_tasks(session, ledger_id, status.period, rule, task_id=task_id))
    changed = status.missing | {task_id} if missing else status.missing - {task_id}
    return replace(status, missing=changed)


def previous_progress(session: Session, task_id: int, period: str) -> tuple[str, str] | None:
    """The latest non-empty progress before ``period``: what "沿用上月" copies forward."""
    row = session.execute(
        select(ProgressEntry.period, ProgressEntry.text)
        .where(ProgressEntry.task_id == task_id, ProgressEntry.period < period)
        .where(func.trim(ProgressEntry.text) != "")
        .order_by(ProgressEntry.period.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None
