"""A ledger's task rows read with plain ``sqlite3`` (no SQLAlchemy), and the list of ledgers.

Both the services (through their session's connection) and the first screen of the window
(before SQLAlchemy is even imported) read tasks this way: one query, plain tuples from C,
records built in one loop. SQLAlchemy's result rows and type processing cost more than the
query itself on 10,000 tasks (issue 17). Dates are stored as ISO text, booleans as 0/1.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from fazhi_desktop.models.records import LedgerListing, TaskRecord
from fazhi_desktop.models.status import classify

# A ledger's tasks with their latest progress (as of a period). A task has one entry per
# period (uq_progress_task_period): the latest period comes from that index alone, and only
# that entry's text is read. A GROUP BY max(period) over the ledger's progress read every
# text of every month and took twice as long on 10,000 tasks.
_TASK_ROWS = """
    SELECT t.id, t.position, t.seq, t.title, t.deadline_text, t.deadline, t.department,
           t.partners, t.owner, t.note, t.done, t.done_on, t.section, t.plan_task_id,
           p.period, p.text
    FROM tasks t
    LEFT JOIN progress p ON p.task_id = t.id AND p.period = (
        SELECT max(q.period) FROM progress q
        WHERE q.task_id = t.id AND (:period IS NULL OR q.period <= :period)
    )
    WHERE t.ledger_id = :ledger {where}
    ORDER BY t.position, t.id {limit}
"""
_ALL_TASKS = _TASK_ROWS.format(where="", limit="")
# Not "(:task IS NULL OR t.id = :task)": with that OR SQLite cannot use the primary key.
_ONE_TASK = _TASK_ROWS.format(where="AND t.id = :task", limit="")
# The first rows only (the first screen): the time does not grow with the ledger.
_FIRST_TASKS = _TASK_ROWS.format(where="", limit="LIMIT :limit")
_LEDGERS = """
    SELECT l.id, l.title, l.year, l.unit, l.kind, count(t.id)
    FROM ledgers l LEFT JOIN tasks t ON t.ledger_id = l.id
    GROUP BY l.id ORDER BY l.id
"""
TaskRow = tuple[Any, ...]
PLAN_TASK_ID = 13  # where a TaskRow holds the linked plan task's id
_date = dt.date.fromisoformat


def fetch_task_rows(
    conn: sqlite3.Connection, ledger_id: int, *, task_id: int | None, period: str | None
) -> list[TaskRow]:
    params = {"ledger": ledger_id, "task": task_id, "period": period}
    return conn.execute(_ALL_TASKS if task_id is None else _ONE_TASK, params).fetchall()


def fetch_first_task_rows(conn: sqlite3.Connection, ledger_id: int, limit: int) -> list[TaskRow]:
    params = {"ledger": ledger_id, "period": None, "limit": limit}
    return conn.execute(_FIRST_TASKS, params).fetchall()


def fetch_ledgers(conn: sqlite3.Connection) -> list[LedgerListing]:
    return [
        LedgerListing(id_, title, year, unit, kind, int(n))
        for id_, title, year, unit, kind, n in conn.execute(_LEDGERS)
    ]


def records_from_rows(
    rows: Sequence[TaskRow],
    *,
    today: dt.date,
    due_soon_days: int,
    requirements: Mapping[int, Sequence[str]],
) -> list[TaskRecord]:
    records = []
    for (
        id_,
        position,
        seq,
        title,
        deadline_text,
        deadline_iso,
        department,
        partners,
        owner,
        note,
        done,
        done_on_iso,
        section,
        plan_task_id,
        progress_period,
        progress_text,
    ) in rows:
        deadline = _date(deadline_iso) if deadline_iso else None
        done_on = _date(done_on_iso) if done_on_iso else None
        text_value = progress_text or ""
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
                progress_period=progress_period,
                department=department,
                partners=partners,
                owner=owner,
                note=note,
                done=bool(done),
                done_on=done_on,
                status=status,
                colour=colour,
                section=section,
                requirements=tuple(requirements.get(id_, ())),
                plan_task_id=plan_task_id,
            )
        )
    return records
