"""What a 汇总 ledger shows: who reported for a period, each task across units, each unit's
overdue tasks, what needs review, and the figures behind the charts.

"Latest" always means: for a unit and period, the return received last (ties: imported last);
for a unit across periods, its latest return of the latest period up to the one asked for.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.models.orm import Return, ReturnRow, Task
from fazhi_desktop.models.reporting import ReportRule
from fazhi_desktop.models.status import Status, classify
from fazhi_desktop.services.summary import require_summary, unit_key, units_of
from fazhi_desktop.vocab.kinds import ReportState


@dataclass(frozen=True, slots=True)
class UnitState:
    unit: str
    state: str
    received_on: dt.date | None = None
    file_name: str = ""
    expected: bool = True


@dataclass(frozen=True, slots=True)
class PeriodReport:
    period: str
    label: str
    due: dt.date
    units: tuple[UnitState, ...]

    def names(self, state: str) -> list[str]:
        return [u.unit for u in self.units if u.state == state]


@dataclass(frozen=True, slots=True)
class UnitProgress:
    unit: str
    period: str
    progress: str
    done: bool
    status: Status


@dataclass(frozen=True, slots=True)
class TaskAcrossUnits:
    task_id: int
    seq: str
    title: str
    deadline_text: str
    deadline: dt.date | None
    units: tuple[UnitProgress, ...]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    kind: str
    unit: str
    period: str
    file_name: str
    row: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Stats:
    completion: tuple[tuple[str, int, int], ...]  # unit, done, tasks reported on
    status_counts: tuple[tuple[str, int], ...]
    overdue_by_month: tuple[tuple[str, int], ...]  # YYYY-MM of the deadline, count


def _latest_returns(
    session: Session, ledger_id: int, period: str | None, *, exact: bool
) -> dict[str, Return]:
    """Each unit's return that counts: for ``period`` (exact) or up to it (latest overall)."""
    stmt = select(Return).where(Return.ledger_id == ledger_id)
    if period is not None:
        stmt = stmt.where(Return.period == period if exact else Return.period <= period)
    chosen: dict[str, Return] = {}
    for ret in session.scalars(stmt):
        key = unit_key(ret.unit)
        old = chosen.get(key)
        if old is None or (ret.period, ret.received_on, ret.id) > (
            old.period,
            old.received_on,
            old.id,
        ):
            chosen[key] = ret
    return chosen


def period_report(session: Session, ledger_id: int, period: str) -> PeriodReport:
    ledger = require_summary(session, ledger_id)
    rule = ReportRule(ledger.report_cycle, ledger.report_day)
    due = rule.due_date(period)
    latest = _latest_returns(session, ledger_id, period, exact=True)
    # 逾期 is judged on the first return of the period: a unit that reported on time and sent
    # a correction later did report on time.
    first: dict[str, dt.date] = {}
    for ret in session.scalars(
        select(Return).where(Return.ledger_id == ledger_id, Return.period == period)
    ):
        key = unit_key(ret.unit)
        first[key] = min(first.get(key, ret.received_on), ret.received_on)
    states: list[UnitState] = []
    expected = units_of(session, ledger_id)
    for unit in expected:
        key = unit_key(unit)
        found = latest.get(key)
        if found is None:
            states.append(UnitState(unit, ReportState.MISSING))
            continue
        state = ReportState.LATE if first[key] > due else ReportState.REPORTED
        states.append(UnitState(unit, state, first[key], found.file_name))
    known = {unit_key(u) for u in expected}
    for key, extra in sorted(latest.items()):
        if key not in known:
            state = ReportState.LATE if first[key] > due else ReportState.REPORTED
            states.append(UnitState(extra.unit, state, first[key], extra.file_name, expected=False))
    return PeriodReport(period, rule.label(period), due, tuple(states))


def _row_status(task_deadline: dt.date | None, row: ReturnRow, today: dt.date) -> Status:
    status, _colour = classify(
        deadline=task_deadline,
        done=row.done,
        done_on=row.done_on,
        has_progress=bool(row.progress.strip()),
        today=today,
    )
    return status


def tasks_across_units(
    session: Session, ledger_id: int, *, today: dt.date, period: str | None = None
) -> list[TaskAcrossUnits]:
    require_summary(session, ledger_id)
    latest = _latest_returns(session, ledger_id, period, exact=False)
    order = {unit_key(u): i for i, u in enumerate(units_of(session, ledger_id))}
    returns = sorted(latest.values(), key=lambda r: (order.get(unit_key(r.unit), 10**6), r.unit))
    tasks = session.execute(
        select(Task.id, Task.seq, Task.title, Task.deadline_text, Task.deadline)
        .where(Task.ledger_id == ledger_id)
        .order_by(Task.position, Task.id)
    ).all()
    deadline_of = {t[0]: t[4] for t in tasks}
    per_task: dict[int, list[UnitProgress]] = defaultdict(list)
    for ret in returns:
        for row in ret.rows:
            if row.task_id is not None and row.task_id in deadline_of:
                status = _row_status(deadline_of[row.task_id], row, today)
                per_task[row.task_id].append(
                    UnitProgress(ret.unit, ret.period, row.progress, row.done, status)
                )
    return [
        TaskAcrossUnits(i, seq, title, dtext, deadline, tuple(per_task.get(i, ())))
        for i, seq, title, dtext, deadline in tasks
    ]


def overdue_by_unit(
    session: Session, ledger_id: int, *, today: dt.date, period: str | None = None
) -> dict[str, list[TaskAcrossUnits]]:
    """Each unit's tasks that are 逾期未完成 in its latest return."""
    out: dict[str, list[TaskAcrossUnits]] = {u: [] for u in units_of(session, ledger_id)}
    for task in tasks_across_units(session, ledger_id, today=today, period=period):
        for unit in task.units:
            if unit.status is Status.OVERDUE:
                out.setdefault(unit.unit, []).append(task)
    return out


def review_items(session: Session, ledger_id: int) -> list[ReviewItem]:
    require_summary(session, ledger_id)
    items: list[ReviewItem] = []
    returns = session.scalars(
        select(Return)
        .where(Return.ledger_id == ledger_id)
        .order_by(Return.period, Return.unit, Return.received_on, Return.id)
    ).all()
    for ret in returns:
        for line in filter(None, ret.issue.splitlines()):
            kind = "重复报送" if "已有报送" in line else "单位"
            items.append(ReviewItem(kind, ret.unit, ret.period, ret.file_name, None, line))
        for row in ret.rows:
            if row.issue:
                kind = {"conflict": "冲突", "none": "未匹配"}.get(row.match, "序号不符")
                text = f"第 {row.position + 1} 行“{row.seq} {row.title}”：{row.issue}"
                items.append(
                    ReviewItem(kind, ret.unit, ret.period, ret.file_name, row.position + 1, text)
                )
    return items


def stats(session: Session, ledger_id: int, *, today: dt.date, period: str | None = None) -> Stats:
    tasks = tasks_across_units(session, ledger_id, today=today, period=period)
    done: Counter[str] = Counter()
    total: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for task in tasks:
        for unit in task.units:
            total[unit.unit] += 1
            done[unit.unit] += unit.status in (Status.DONE, Status.DONE_LATE)
            statuses[unit.status.value] += 1
            if unit.status is Status.OVERDUE and task.deadline is not None:
                overdue[f"{task.deadline.year:04d}-{task.deadline.month:02d}"] += 1
    order = [u for u in units_of(session, ledger_id) if u in total]
    order += sorted(u for u in total if u not in order)
    return Stats(
        completion=tuple((u, done[u], total[u]) for u in order),
        status_counts=tuple((s.value, statuses[s.value]) for s in Status if statuses[s.value]),
        overdue_by_month=tuple(sorted(overdue.items())),
    )
