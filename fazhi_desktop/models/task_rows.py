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

from fazhi_desktop.models.records import LedgerSummary, TaskRecord
from fazhi_desktop.models.status import classify

# Every task of a ledger (or one task) with its latest progress (as of a period). A task has
# one entry per period (uq_progress_task_period), so the latest is the one with the highest
# period; SQLite takes the bare columns of a max() query from the row holding the max.
_TASK_ROWS = """
    SELECT t.id, t.position, t.seq, t.title, t.deadline_text, t.deadline, t.department,
           t.partners, t.owner, t.note, t.done, t.done_on, t.section, t.plan_task_id,
           lp.period, lp.text
    FROM tasks t LEFT JOIN (
        SELECT p.task_id, max(p.period) AS period, p.text
        FROM progress p JOIN tasks pt ON pt.id = p.task_id
        WHERE pt.ledger_id = :ledger {task_p} AND (:period IS NULL OR p.period <= :period)
        GROUP BY p.task_id
    ) lp ON lp.task_id = t.id
    WHERE t.ledger_id = :ledger {task_t}
    ORDER BY t.position, t.id
"""
# Two texts, not "(:task IS NULL OR …)": with that OR SQLite cannot use the primary key and
# scans the whole ledger to reload one edited task.
_ALL_TASKS = _TASK_ROWS.format(task_p="", task_t="")
_ONE_TASK = _TASK_ROWS.format(task_p="AND p.task_id = :task", task_t="AND t.id = :task")
# The first rows of a ledger: the latest progress looked up per task through the
# (task_id, period) index, so the time does not grow with the ledger.
_FIRST_TASKS = """
    SELECT t.id, t.position, t.seq, t.title, t.deadline_text, t.deadline, t.department,
           t.partners, t.owner, t.note, t.done, t.done_on, t.section, t.plan_task_id,
           (SELECT max(p.period) FROM progress p WHERE p.task_id = t.id),
           (SELECT p.text FROM progress p WHERE p.task_id = t.id ORDER BY p.period DESC LIMIT 1)
    FROM tasks t
    WHERE t.ledger_id = :ledger
    ORDER BY t.position, t.id
    LIMIT :limit
"""
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
    return conn.execute(_FIRST_TASKS, {"ledger": ledger_id, "limit": limit}).fetchall()


def fetch_ledgers(conn: sqlite3.Connection) -> list[LedgerSummary]:
    return [
        LedgerSummary(id_, title, year, unit, kind, int(n))
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
        _plan_task_id,
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
            )
        )
    return records
