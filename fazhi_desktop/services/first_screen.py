"""The ledger list and the chosen ledger's tasks, read with ``sqlite3`` alone for the first frame.

Importing SQLAlchemy takes longer than starting Qt (issue 17: ~0.5 s), so the window paints
these rows first and opens the database properly a moment later. Nothing here imports
SQLAlchemy, writes, migrates or creates a file: anything unusual (no file yet, another
schema version, a locked or damaged file) answers None and the window simply waits for the
real load, which reports problems properly.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fazhi_desktop.models import task_rows
from fazhi_desktop.models.migrations import SCHEMA_VERSION
from fazhi_desktop.models.records import LedgerListing, TaskRecord

# More rows than the tallest screen shows (rows are at least 28 px high).
FIRST_ROWS = 100


@dataclass(frozen=True, slots=True)
class FirstScreen:
    ledgers: list[LedgerListing]
    ledger_id: int
    tasks: list[TaskRecord]


def peek(
    db_path: Path, *, wanted: object, today: dt.date, due_soon_days: int
) -> FirstScreen | None:
    """The ledger list and the first rows of ledger ``wanted`` (if it exists, else the first)."""
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None
        ledgers = task_rows.fetch_ledgers(conn)
        if not ledgers:
            return None
        ids = [s.id for s in ledgers]
        try:
            ledger_id = int(str(wanted)) if wanted else ids[0]
        except ValueError:
            ledger_id = ids[0]
        if ledger_id not in ids:
            ledger_id = ids[0]
        rows = task_rows.fetch_first_task_rows(conn, ledger_id, FIRST_ROWS)
        tasks = task_rows.records_from_rows(
            rows, today=today, due_soon_days=due_soon_days, requirements={}
        )
        return FirstScreen(ledgers, ledger_id, tasks)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
