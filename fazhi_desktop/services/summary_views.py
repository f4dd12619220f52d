"""What a 汇总 ledger shows: who reported for a period, each task across units, each unit's
overdue tasks, what needs review, and the figures behind the charts.

"Latest" always means: for a unit and period, the return received last (ties: imported last);
for a unit across periods, its latest return of the latest period up to the one asked for.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.bulk import collector_paused
from fazhi_desktop.models.orm import Return, ReturnRow, Task
from fazhi_desktop.models.reporting import ReportRule
from fazhi_desktop.models.status import Status, classify
from fazhi_desktop.services.ledgers import sqlite_connection
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


# Plain sqlite3 on the session's connection: SQLAlchemy's per-row fetch and type processing
# took more than half of the 汇总 views on 10,000 rows (issue 17). One return at a time (the
# statement is prepared once), so each row tuple is dropped as soon as it is used.
_MATCHED_ROWS = """
    SELECT task_id, progress, done, done_on, owner, note FROM return_rows
    WHERE return_id = ? AND task_id IS NOT NULL ORDER BY position, id
"""
_ACROSS_CACHE = "summary_views.tasks_across_units"


def _unit_rows(
    session: Session, returns: list[Return], deadline_of: dict[int, dt.date | None], today: dt.date
) -> dict[int, list[UnitProgress]]:
    """Each task's rows in these returns (in their order), with its status on ``today``.

    Most rows share their (deadline, done, completion date, has progress) with many others,
    so each such combination is classified once.
    """
    conn = sqlite_connection(session)
    statuses: dict[tuple[object, ...], Status] = {}
    dates: dict[str | None, dt.date | None] = {None: None}
    per_task: dict[int, list[UnitProgress]] = defaultdict(list)
    for ret in returns:
        unit, ret_period = ret.unit, ret.period  # ORM attributes: read once, not per row
        for task_id, progress, done, done_on, owner, note in conn.execute(_MATCHED_ROWS, (ret.id,)):
            if task_id not in deadline_of:
                continue
            if done_on not in dates:
                dates[done_on] = dt.date.fromisoformat(done_on)
            when = dates[done_on]
            deadline = deadline_of[task_id]
            key = (deadline, bool(done), when, bool(progress.strip()))
            status = statuses.get(key)
            if status is None:
                status = statuses[key] = classify(
                    deadline=deadline, done=key[1], done_on=when, has_progress=key[3], today=today
                )[0]
            per_task[task_id].append(
                UnitProgress(unit, ret_period, progress, key[1], status, when, owner, note)
            )
    return per_task


def tasks_across_units(
    session: Session, ledger_id: int, *, today: dt.date, period: str | None = None
) -> list[TaskAcrossUnits]:
    require_summary(session, ledger_id)
    latest = _latest_returns(session, ledger_id, period, exact=False)
    order = {unit_key(u): i for i, u in enumerate(units_of(session, ledger_id))}
    returns = sorted(latest.values(), key=lambda r: (order.get(unit_key(r.unit), 10**6), r.unit))
    tasks = [
        (i, seq, title, dtext, deadline)
        for i, seq, title, dtext, deadline in session.execute(
            select(Task.id, Task.seq, Task.title, Task.deadline_text, Task.deadline)
            .where(Task.ledger_id == ledger_id)
            .order_by(Task.position, Task.id)
        )
    ]
    # The 汇总 window asks for the tasks across units and for the statistics of the same rows:
    # they are built once per session while the database is unchanged (the result is
    # immutable). The key holds this connection's write count and SQLite's data_version
    # (which moves on another connection's commit), so any change in between reads again.
    conn = sqlite_connection(session)
    key: tuple[object, ...] | None = None
    if isinstance(conn, sqlite3.Connection):  # a server (单位模式) has no such counters: no cache
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        returned = tuple(r.id for r in returns)
        key = (ledger_id, today, period, returned, tuple(tasks), conn.total_changes, version)
        cached = session.info.get(_ACROSS_CACHE)
        if cached is not None and cached[0] == key:
            return list(cached[1])
    with collector_paused():  # 10,000 objects that all stay alive (see fazhi_desktop.bulk)
        per_task = _unit_rows(session, returns, {t[0]: t[4] for t in tasks}, today)
    across = [
        TaskAcrossUnits(i, seq, title, dtext, deadline, tuple(per_task.get(i, ())))
        for i, seq, title, dtext, deadline in tasks
    ]
    if key is not None:
        session.info[_ACROSS_CACHE] = (key, tuple(across))
    return across


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
    total = Counter(u.unit for task in tasks for u in task.units)
    statuses = Counter(u.status for task in tasks for u in task.units)
    done = Counter(
        u.unit for task in tasks for u in task.units if u.status in (Status.DONE, Status.DONE_LATE)
    )
    overdue: Counter[str] = Counter()
    for task in tasks:
        if task.deadline is not None:
            late = sum(u.status is Status.OVERDUE for u in task.units)
            if late:
                overdue[f"{task.deadline.year:04d}-{task.deadline.month:02d}"] += late
    order = [u for u in units_of(session, ledger_id) if u in total]
    order += sorted(u for u in total if u not in order)
    return Stats(
        completion=tuple((u, done[u], total[u]) for u in order),
        status_counts=tuple((s.value, statuses[s]) for s in Status if statuses[s]),
        overdue_by_month=tuple(sorted(overdue.items())),
    )
