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

from fazhi_desktop.models.db import id_chunks
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

    @property
    def expected(self) -> tuple[UnitState, ...]:
        return tuple(u for u in self.units if u.expected)

    @property
    def unlisted(self) -> tuple[UnitState, ...]:
        """Units that reported although they are not on the list: counted apart."""
        return tuple(u for u in self.units if not u.expected)

    def counts(self) -> tuple[tuple[str, int], ...]:
        """已报送 / 逾期报送 / 未报送 among the listed units; they add up to ``len(expected)``."""
        listed = self.expected
        return tuple((s, sum(u.state == s for u in listed)) for s in ReportState)

    def counts_text(self) -> str:
        """``应报 4 个单位，已报送 1，逾期报送 0，未报送 3；名单外报送 1 个单位（见“待核对”）``."""
        parts = "，".join(f"{state} {n}" for state, n in self.counts())
        text = f"应报 {len(self.expected)} 个单位，{parts}"
        if self.unlisted:
            text += f"；名单外报送 {len(self.unlisted)} 个单位（见“待核对”）"
        return text

    def header_text(self) -> str:
        """The 汇总 window's line for the period: ``2026年11月（11月30日截止）：`` + counts."""
        return f"{self.label}（{self.due.month}月{self.due.day}日截止）：{self.counts_text()}"


@dataclass(frozen=True, slots=True)
class UnitProgress:
    unit: str
    period: str
    progress: str
    done: bool
    status: Status
    done_on: dt.date | None = None
    owner: str = ""
    note: str = ""


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


def _row_status(
    deadline: dt.date | None, done: bool, done_on: dt.date | None, progress: str, today: dt.date
) -> Status:
    status, _colour = classify(
        deadline=deadline,
        done=done,
        done_on=done_on,
        has_progress=bool(progress.strip()),
        today=today,
    )
    return status


def _matched_rows(
    session: Session, return_ids: list[int]
) -> dict[int, list[tuple[int, str, bool, dt.date | None, str, str]]]:
    """The matched rows of these returns, by return: plain tuples, one query per id chunk.

    Loading 10,000 ReturnRow objects through the ORM (one lazy load per return) took most of
    a second; the same columns as tuples take a few milliseconds.
    """
    rows: dict[int, list[tuple[int, str, bool, dt.date | None, str, str]]] = defaultdict(list)
    for chunk in id_chunks(return_ids):
        # Core rows through the connection: the ORM's per-row bookkeeping is not needed here.
        for ret_id, task_id, progress, done, done_on, owner, note in session.connection().execute(
            select(
                ReturnRow.return_id,
                ReturnRow.task_id,
                ReturnRow.progress,
                ReturnRow.done,
                ReturnRow.done_on,
                ReturnRow.owner,
                ReturnRow.note,
            )
            .where(ReturnRow.return_id.in_(chunk), ReturnRow.task_id.is_not(None))
            .order_by(ReturnRow.return_id, ReturnRow.position, ReturnRow.id)
        ):
            if task_id is not None:  # matched rows only (the query says so; mypy cannot see it)
                rows[ret_id].append((task_id, progress, bool(done), done_on, owner, note))
    return rows


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
    rows_of = _matched_rows(session, [r.id for r in returns])
    for ret in returns:
        unit, ret_period = ret.unit, ret.period  # ORM attributes: read once, not per row
        for task_id, progress, done, done_on, owner, note in rows_of.get(ret.id, ()):
            if task_id in deadline_of:
                status = _row_status(deadline_of[task_id], done, done_on, progress, today)
                per_task[task_id].append(
                    UnitProgress(unit, ret_period, progress, done, status, done_on, owner, note)
                )
    return [
        TaskAcrossUnits(i, seq, title, dtext, deadline, tuple(per_task.get(i, ())))
        for i, seq, title, dtext, deadline in tasks
    ]


def review_items(session: Session, ledger_id: int) -> list[ReviewItem]:
    require_summary(session, ledger_id)
    items: list[ReviewItem] = []
    returns = session.scalars(
        select(Return)
        .where(Return.ledger_id == ledger_id)
        .order_by(Return.period, Return.unit, Return.received_on, Return.id)
    ).all()
    # Only rows with an issue, in one query: most of a 汇总's 10,000 rows have none.
    issues: dict[int, list[tuple[int, str, str, str, str]]] = defaultdict(list)
    for ret_id, *fields in session.connection().execute(
        select(
            ReturnRow.return_id,
            ReturnRow.position,
            ReturnRow.seq,
            ReturnRow.title,
            ReturnRow.match,
            ReturnRow.issue,
        )
        .join(Return, Return.id == ReturnRow.return_id)
        .where(Return.ledger_id == ledger_id, ReturnRow.issue != "")
        .order_by(ReturnRow.return_id, ReturnRow.position, ReturnRow.id)
    ):
        issues[ret_id].append(tuple(fields))  # type: ignore[arg-type]
    for ret in returns:
        for line in filter(None, ret.issue.splitlines()):
            kind = "重复报送" if "已有报送" in line else "单位"
            items.append(ReviewItem(kind, ret.unit, ret.period, ret.file_name, None, line))
        for position, seq, title, match, issue in issues.get(ret.id, ()):
            kind = {"conflict": "冲突", "none": "未匹配"}.get(match, "序号不符")
            text = f"第 {position + 1} 行“{seq} {title}”：{issue}"
            items.append(ReviewItem(kind, ret.unit, ret.period, ret.file_name, position + 1, text))
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
