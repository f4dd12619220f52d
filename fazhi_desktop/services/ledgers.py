"""Ledger-level operations: listing, choosing, creating from a draft, and reading snapshots."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.errors import NotFoundError, UsageError
from fazhi_desktop.models import task_rows
from fazhi_desktop.models.db import id_chunks
from fazhi_desktop.models.orm import Ledger, ProgressEntry, Requirement, Task, utcnow
from fazhi_desktop.models.records import LedgerDraft, LedgerListing, LedgerRecord, TaskRecord
from fazhi_desktop.models.server_rows import ServerRows
from fazhi_desktop.models.status import DEFAULT_DUE_SOON_DAYS
from fazhi_desktop.textnorm import one_line


def list_ledgers(session: Session) -> list[LedgerListing]:
    return task_rows.fetch_ledgers(sqlite_connection(session))


def sqlite_connection(session: Session) -> sqlite3.Connection:
    """The session's own sqlite3 connection (same transaction), for plain reads of many rows.

    On a server (单位模式) the same reads go through the session, shaped as sqlite3's.
    """
    raw = session.connection().connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        return cast(sqlite3.Connection, ServerRows(session))
    return raw


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
    conn = sqlite_connection(session)
    rows = task_rows.fetch_task_rows(conn, ledger_id, task_id=task_id, period=period)
    reqs = (
        _requirements_for(session, [(r[0], r[task_rows.PLAN_TASK_ID]) for r in rows])
        if with_requirements
        else {}
    )
    return task_rows.records_from_rows(
        rows, today=today, due_soon_days=due_soon_days, requirements=reqs
    )


def _requirements_for(
    session: Session, tasks: Sequence[tuple[int, int | None]]
) -> dict[int, list[str]]:
    """Each task's 任务要求 (given ``(task id, plan task id)`` pairs): its own, or else those of
    the plan task it is linked to."""
    ids = [task_id for task_id, _plan in tasks]
    own: dict[int, list[str]] = defaultdict(list)
    for chunk in id_chunks(ids):
        for task_id, req in session.execute(
            select(Requirement.task_id, Requirement.text)
            .where(Requirement.task_id.in_(chunk))
            .order_by(Requirement.task_id, Requirement.position)
        ):
            own[task_id].append(req)
    linked = {t: plan for t, plan in tasks if plan and t not in own}
    if linked:
        plan_reqs: dict[int, list[str]] = defaultdict(list)
        for chunk in id_chunks(sorted(set(linked.values()))):
            for task_id, req in session.execute(
                select(Requirement.task_id, Requirement.text)
                .where(Requirement.task_id.in_(chunk))
                .order_by(Requirement.task_id, Requirement.position)
            ):
                plan_reqs[task_id].append(req)
        for task_id, plan_id in linked.items():
            own[task_id] = plan_reqs.get(plan_id, [])
    return own


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
