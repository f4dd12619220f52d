"""Ledger-level operations: listing, choosing, creating from a draft, and reading snapshots."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from fazhi_desktop.errors import NotFoundError, UsageError
from fazhi_desktop.models.orm import Ledger, ProgressEntry, Requirement, Task, utcnow
from fazhi_desktop.models.records import LedgerDraft, LedgerRecord, TaskRecord
from fazhi_desktop.models.status import DEFAULT_DUE_SOON_DAYS, classify
from fazhi_desktop.textnorm import one_line


@dataclass(frozen=True, slots=True)
class LedgerSummary:
    id: int
    title: str
    year: int | None
    unit: str
    kind: str
    task_count: int


def list_ledgers(session: Session) -> list[LedgerSummary]:
    counts = (
        select(Task.ledger_id, func.count(Task.id).label("n")).group_by(Task.ledger_id).subquery()
    )
    rows = session.execute(
        select(Ledger, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.ledger_id == Ledger.id)
        .order_by(Ledger.id)
    )
    return [
        LedgerSummary(led.id, led.title, led.year, led.unit, led.kind, int(n)) for led, n in rows
    ]


def resolve_ledger_id(session: Session, ledger_id: int | None) -> int:
    """The ledger the user meant: the given id, or the only one when the database holds one."""
    if ledger_id is not None:
        if session.get(Ledger, ledger_id) is None:
            raise NotFoundError(f"没有编号为 {ledger_id} 的台账。可用 `fazhi list` 查看已有台账。")
        return ledger_id
    ids = list(session.scalars(select(Ledger.id).order_by(Ledger.id)))
    if not ids:
        raise NotFoundError("数据库中还没有台账。可先运行 `fazhi demo` 或导入一个 Excel 台账。")
    if len(ids) > 1:
        listed = "、".join(str(i) for i in ids)
        raise UsageError(f"数据库中有多个台账（编号 {listed}），请用 --ledger 指定其中一个。")
    return ids[0]


def get_ledger(session: Session, ledger_id: int) -> Ledger:
    ledger = session.get(Ledger, ledger_id)
    if ledger is None:
        raise NotFoundError(f"没有编号为 {ledger_id} 的台账。")
    return ledger


def create_ledger(session: Session, draft: LedgerDraft, *, period: str) -> int:
    """Save a draft (from a file, a plan or the demo) as a new ledger; progress goes to ``period``.

    The caller commits, so an import is one transaction: all of it or nothing.
    """
    # A title or unit typed with Alt+Enter in a cell (or from an .xls) stays one line: it goes
    # into file names, mail headers and sheet names.
    ledger = Ledger(
        title=one_line(draft.title),
        short_title=one_line(draft.short_title),
        year=draft.year,
        kind=draft.kind,
        unit=one_line(draft.unit),
        issuer=draft.issuer,
        reporter=draft.reporter,
        phone=draft.phone,
        mailbox=draft.mailbox,
        notes=draft.notes,
        source=draft.source,
    )
    session.add(ledger)
    now = utcnow()
    for position, item in enumerate(draft.tasks):
        task = Task(
            position=position,
            seq=item.seq,
            section=item.section,
            title=item.title,
            deadline_text=item.deadline_text,
            deadline=item.deadline,
            department=item.department,
            partners=item.partners,
            owner=item.owner,
            note=item.note,
            done=item.done,
            done_on=item.done_on,
            updated_at=now,
        )
        task.requirements = [Requirement(text=r) for r in item.requirements if r.strip()]
        if item.progress.strip():
            task.progress = [
                ProgressEntry(period=draft.period or period, text=item.progress, updated_at=now)
            ]
        ledger.tasks.append(task)
    session.flush()
    return ledger.id


# The latest progress entry per task. A task has one entry per period (uq_progress_task_period),
# so the latest is the one with the highest period; SQLite takes the bare columns of a
# max() query from the row holding the max. Twice as fast as ROW_NUMBER() on 10,000 tasks.
_LATEST_PROGRESS = text(
    """
    SELECT p.task_id, max(p.period) AS period, p.text
    FROM progress p JOIN tasks t ON t.id = p.task_id
    WHERE t.ledger_id = :ledger AND (:task IS NULL OR t.id = :task)
      AND (:period IS NULL OR p.period <= :period)
    GROUP BY p.task_id
    """
)

# What a TaskRecord needs, in the order load_task_records unpacks them.
_RECORD_COLUMNS = (
    Task.id,
    Task.position,
    Task.seq,
    Task.title,
    Task.deadline_text,
    Task.deadline,
    Task.department,
    Task.partners,
    Task.owner,
    Task.note,
    Task.done,
    Task.done_on,
    Task.section,
    Task.plan_task_id,
)


def load_task_records(
    session: Session,
    ledger_id: int,
    *,
    today: dt.date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    period: str | None = None,
    task_id: int | None = None,
    with_requirements: bool = True,
) -> list[TaskRecord]:
    """The ledger's tasks in order, each with its latest progress (as of ``period`` if given)."""
    # Plain tuples, unpacked by position: ORM objects, or even Row attribute access by name,
    # cost more than the query itself on 10,000 rows.
    stmt = (
        select(*_RECORD_COLUMNS)
        .where(Task.ledger_id == ledger_id)
        .order_by(Task.position, Task.id)
    )
    if task_id is not None:
        stmt = stmt.where(Task.id == task_id)
    rows: Sequence[tuple[Any, ...]] = session.execute(stmt).all()
    progress: dict[int, tuple[str, str]] = {
        tid: (p, t)
        for tid, p, t in session.execute(
            _LATEST_PROGRESS, {"ledger": ledger_id, "task": task_id, "period": period}
        )
    }
    reqs = _requirements_for(session, [(r[0], r[-1]) for r in rows]) if with_requirements else {}
    records = []
    for (
        id_,
        position,
        seq,
        title,
        deadline_text,
        deadline,
        department,
        partners,
        owner,
        note,
        done,
        done_on,
        section,
        plan_task_id,
    ) in rows:
        period_text = progress.get(id_)
        text_value = period_text[1] if period_text else ""
        status, colour = classify(
            deadline=deadline,
            done=bool(done),
            done_on=done_on,
            has_progress=bool(text_value.strip()),
            today=today,
            due_soon_days=due_soon_days,
        )
        records.append(
            TaskRecord(
                id=id_,
                position=position,
                seq=seq,
                title=title,
                deadline_text=deadline_text,
                deadline=deadline,
                progress=text_value,
                progress_period=period_text[0] if period_text else None,
                department=department,
                partners=partners,
                owner=owner,
                note=note,
                done=bool(done),
                done_on=done_on,
                status=status,
                colour=colour,
                section=section,
                requirements=tuple(reqs.get(id_, ())),
                plan_task_id=plan_task_id,
            )
        )
    return records


def _requirements_for(
    session: Session, tasks: Sequence[tuple[int, int | None]]
) -> dict[int, list[str]]:
    """Each task's 任务要求 (given ``(task id, plan task id)`` pairs): its own, or else those of
    the plan task it is linked to."""
    ids = [task_id for task_id, _plan in tasks]
    own: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        for task_id, req in session.execute(
            select(Requirement.task_id, Requirement.text)
            .where(Requirement.task_id.in_(chunk))
            .order_by(Requirement.task_id, Requirement.position)
        ):
            own[task_id].append(req)
    linked = {t: plan for t, plan in tasks if plan and t not in own}
    if linked:
        plan_reqs: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(sorted(set(linked.values()))):
            for task_id, req in session.execute(
                select(Requirement.task_id, Requirement.text)
                .where(Requirement.task_id.in_(chunk))
                .order_by(Requirement.task_id, Requirement.position)
            ):
                plan_reqs[task_id].append(req)
        for task_id, plan_id in linked.items():
            own[task_id] = plan_reqs.get(plan_id, [])
    return own


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    # SQLite limits the number of bound parameters in one statement.
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def load_record(
    session: Session,
    ledger_id: int,
    *,
    today: dt.date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    period: str | None = None,
) -> LedgerRecord:
    """A full snapshot of one ledger, as exporters and ``fazhi list`` use it."""
    ledger = get_ledger(session, ledger_id)
    tasks = load_task_records(
        session, ledger_id, today=today, due_soon_days=due_soon_days, period=period
    )
    return LedgerRecord(
        id=ledger.id,
        title=ledger.title,
        year=ledger.year,
        unit=ledger.unit,
        issuer=ledger.issuer,
        reporter=ledger.reporter,
        phone=ledger.phone,
        mailbox=ledger.mailbox,
        notes=ledger.notes,
        short_title=ledger.short_title,
        report_day=ledger.report_day,
        report_cycle=ledger.report_cycle,
        period=period,
        generated_on=today,
        tasks=tuple(tasks),
    )
