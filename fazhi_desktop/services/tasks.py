"""Edits to single tasks. Each returns what it replaced, so the window can undo it exactly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from fazhi_desktop.errors import (
    EditConflictError,
    NotFoundError,
    PermissionDeniedError,
    UsageError,
)
from fazhi_desktop.models.deadlines import parse_deadline
from fazhi_desktop.models.orm import Ledger, ProgressEntry, Requirement, Task, utcnow
from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.models.server_db import PERMISSION_DENIED, sqlstate
from fazhi_desktop.services import office

# Fields a user may edit as plain text; deadline_text also re-derives the date.
TEXT_FIELDS = ("seq", "title", "deadline_text", "department", "partners", "owner", "note")


def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFoundError(f"没有编号为 {task_id} 的任务，它可能已被删除。")
    return task


def find_task_by_seq(session: Session, ledger_id: int, seq: str) -> int:
    ids = list(
        session.scalars(select(Task.id).where(Task.ledger_id == ledger_id, Task.seq == seq.strip()))
    )
    if not ids:
        raise NotFoundError(
            f"台账 {ledger_id} 中没有序号为“{seq}”的任务。可用 `fazhi list` 查看序号。"
        )
    if len(ids) > 1:
        raise UsageError(
            f"台账 {ledger_id} 中有 {len(ids)} 个序号为“{seq}”的任务，请先修正重复的序号。"
        )
    return ids[0]


def period_text(session: Session, task_id: int, period: str) -> str | None:
    """The text saved for exactly this period, or None when the period has no entry."""
    return session.scalar(
        select(ProgressEntry.text).where(
            ProgressEntry.task_id == task_id, ProgressEntry.period == period
        )
    )


def set_progress(
    session: Session,
    task_id: int,
    period: str,
    text: str | None,
    *,
    base_version: int | None = None,
) -> str | None:
    """Set the period's 进展情况; returns the previous period text (None: there was none).

    ``None`` or blank text removes the period's entry, so clearing a cell shows last month's
    text again instead of hiding it behind an empty entry. With ``base_version`` (the task's
    ``row_version`` when the user began typing) a task saved by someone else since is a conflict
    (EditConflictError with both texts), never a silent overwrite.
    """
    with _edit(session, task_id, text or "") as task:
        if base_version is not None:
            _check_version(
                session,
                task,
                base_version,
                text or "",
                lambda: period_text(session, task_id, period),
            )
        return _set_progress(session, task, period, text)


def _set_progress(session: Session, task: Task, period: str, text: str | None) -> str | None:
    task_id = task.id
    old = period_text(session, task_id, period)
    if text is None or not text.strip():
        gone = session.execute(
            delete(ProgressEntry).where(
                ProgressEntry.task_id == task_id, ProgressEntry.period == period
            )
        )
        if old is not None and not getattr(gone, "rowcount", 1):
            # A server's row policy hides a refused DELETE instead of failing it.
            raise PermissionDeniedError(office.refused_message(task.seq, task.department))
    elif old is None:
        session.add(ProgressEntry(task_id=task_id, period=period, text=text, updated_at=utcnow()))
    else:
        session.execute(
            update(ProgressEntry)
            .where(ProgressEntry.task_id == task_id, ProgressEntry.period == period)
            .values(text=text, updated_at=utcnow())
        )
    _bump(session, task_id)
    return old


def _bump(session: Session, task_id: int) -> None:
    """A new row version: a save based on the old one is now a conflict."""
    session.execute(update(Task).where(Task.id == task_id).values(row_version=Task.row_version + 1))
    session.flush()


def _check_version(
    session: Session, task: Task, base: int, mine: str, theirs_now: Callable[[], str | None]
) -> None:
    # FOR UPDATE on a server: a concurrent save of the same task waits here for this one.
    current = session.scalar(select(Task.row_version).where(Task.id == task.id).with_for_update())
    if current == base:
        return
    session.refresh(task)
    theirs = theirs_now() or ""
    message = office.conflict_message(
        session, task.id, task.seq, theirs=theirs, mine=mine, updated_at=task.updated_at
    )
    raise EditConflictError(message, theirs=theirs, mine=mine)


@contextmanager
def _edit(session: Session, task_id: int, unsaved: str = "") -> Iterator[Task]:
    """The task to edit; a server's refusal or a lost connection as the user reads it."""
    seq = department = ""  # read first: after a failed statement the transaction reads nothing
    with office.keeping(unsaved):
        try:
            task = get_task(session, task_id)
            seq, department = task.seq, task.department
            yield task
            session.flush()
        except DBAPIError as exc:
            if sqlstate(exc) == PERMISSION_DENIED:
                raise PermissionDeniedError(office.refused_message(seq, department)) from exc
            raise


def set_field(
    session: Session, task_id: int, field: str, value: str, *, base_version: int | None = None
) -> str:
    """Set one text field of a task; returns the old value (``base_version``: as set_progress)."""
    if field not in TEXT_FIELDS:
        raise UsageError(f"字段“{field}”不能这样修改。")
    with _edit(session, task_id, value) as task:
        if base_version is not None:
            _check_version(session, task, base_version, value, lambda: getattr(task, field))
        old: str = getattr(task, field)
        setattr(task, field, value)
        if field == "deadline_text":
            year = session.scalar(select(Ledger.year).where(Ledger.id == task.ledger_id))
            task.deadline = parse_deadline(value, year)
        task.row_version += 1
    return old


def set_done(
    session: Session, task_id: int, done: bool, done_on: dt.date | None
) -> tuple[bool, dt.date | None]:
    """Mark a task done (with its completion date) or open again; returns the old pair."""
    with _edit(session, task_id) as task:
        old = (task.done, task.done_on)
        task.done = done
        task.done_on = done_on if done else None
        task.row_version += 1
    return old


@dataclass(frozen=True, slots=True)
class TaskSnapshot:
    """Everything a deleted task had, so undo can put it back under the same id."""

    id: int
    ledger_id: int
    position: int
    columns: dict[str, object]
    requirements: tuple[str, ...]
    progress: tuple[tuple[str, str, dt.datetime], ...]
    # Tasks whose plan_task_id pointed here; the database set those links to NULL on delete.
    linked_from: tuple[int, ...] = ()


def add_task(
    session: Session, ledger_id: int, draft: TaskDraft, position: int | None = None
) -> int:
    """Insert a task at ``position`` (default: the end), shifting the following ones down."""
    ledger = session.get(Ledger, ledger_id)
    if ledger is None:
        raise NotFoundError(f"没有编号为 {ledger_id} 的台账。")
    end = session.scalar(select(func.count(Task.id)).where(Task.ledger_id == ledger_id)) or 0
    position = end if position is None else max(0, min(position, end))
    _shift(session, ledger_id, position, +1)
    task = Task(
        ledger_id=ledger_id,
        position=position,
        seq=draft.seq,
        section=draft.section,
        title=draft.title,
        deadline_text=draft.deadline_text,
        deadline=draft.deadline or parse_deadline(draft.deadline_text, ledger.year),
        department=draft.department,
        partners=draft.partners,
        owner=draft.owner,
        note=draft.note,
        done=draft.done,
        done_on=draft.done_on,
    )
    task.requirements = [Requirement(text=r) for r in draft.requirements]
    session.add(task)
    session.flush()
    return task.id


def delete_task(session: Session, task_id: int) -> TaskSnapshot:
    task = get_task(session, task_id)
    snapshot = TaskSnapshot(
        id=task.id,
        ledger_id=task.ledger_id,
        position=task.position,
        columns={c.key: getattr(task, c.key) for c in Task.__table__.columns},
        requirements=tuple(r.text for r in task.requirements),
        progress=tuple((p.period, p.text, p.updated_at) for p in task.progress),
        linked_from=tuple(session.scalars(select(Task.id).where(Task.plan_task_id == task.id))),
    )
    session.delete(task)
    session.flush()
    _shift(session, snapshot.ledger_id, snapshot.position + 1, -1)
    return snapshot


def restore_task(session: Session, snapshot: TaskSnapshot) -> int:
    _shift(session, snapshot.ledger_id, snapshot.position, +1)
    task = Task(**snapshot.columns)
    task.requirements = [Requirement(text=r) for r in snapshot.requirements]
    task.progress = [
        ProgressEntry(period=p, text=t, updated_at=ts) for p, t, ts in snapshot.progress
    ]
    session.add(task)
    session.flush()
    if snapshot.linked_from:
        session.execute(
            update(Task).where(Task.id.in_(snapshot.linked_from)).values(plan_task_id=task.id)
        )
    return task.id


def move_task(session: Session, task_id: int, new_position: int) -> int:
    """Move a task to ``new_position`` within its ledger; returns its old position."""
    task = get_task(session, task_id)
    old = task.position
    count = session.scalar(select(func.count(Task.id)).where(Task.ledger_id == task.ledger_id))
    new_position = max(0, min(new_position, (count or 1) - 1))
    if new_position == old:
        return old
    lo, hi = sorted((old, new_position))
    step = -1 if new_position > old else +1
    session.execute(
        update(Task)
        .where(Task.ledger_id == task.ledger_id, Task.position >= lo, Task.position <= hi)
        .where(Task.id != task_id)
        .values(position=Task.position + step)
    )
    task.position = new_position
    session.flush()
    return old


def _shift(session: Session, ledger_id: int, from_position: int, step: int) -> None:
    session.execute(
        update(Task)
        .where(Task.ledger_id == ledger_id, Task.position >= from_position)
        .values(position=Task.position + step)
    )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    period: str
    text: str
    updated_at: dt.datetime


def progress_history(session: Session, task_id: int) -> list[HistoryEntry]:
    """All of a task's monthly progress, newest period first."""
    rows = session.execute(
        select(ProgressEntry.period, ProgressEntry.text, ProgressEntry.updated_at)
        .where(ProgressEntry.task_id == task_id)
        .order_by(ProgressEntry.period.desc())
    )
    return [HistoryEntry(p, t, ts) for p, t, ts in rows]
