"""Storing a return's rows: 10,000 of them in a 50-unit 汇总.

On the SQLite file the rows go through one prepared statement on the session's own sqlite3
connection (the same transaction): SQLAlchemy's bulk insert spent more on building parameters
than SQLite on storing them (issue 17). On a server (单位模式) the session's own insert is used,
since the server's types (boolean, date) are not SQLite's text and integers.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from fazhi_desktop.models.orm import ReturnRow

# The order of the values in each row handed to :func:`insert_rows`.
COLUMNS = (
    "return_id", "position", "seq", "title", "progress", "done", "done_on", "owner", "note",
    "task_id", "match", "issue",
)  # fmt: skip
_INSERT = f"INSERT INTO return_rows ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_DONE, _DONE_ON = COLUMNS.index("done"), COLUMNS.index("done_on")


def insert_rows(session: Session, rows: Sequence[tuple[object, ...]]) -> None:
    """Add ``rows`` (values in :data:`COLUMNS` order, as SQLite stores them: ``done`` 0/1,
    ``done_on`` ISO text or None) in the session's transaction."""
    if not rows:
        return
    raw = session.connection().connection.driver_connection
    if isinstance(raw, sqlite3.Connection):
        raw.executemany(_INSERT, rows)
        return
    session.execute(insert(ReturnRow), [_server_row(row) for row in rows])


def _server_row(row: tuple[object, ...]) -> dict[str, object]:
    values = dict(zip(COLUMNS, row, strict=True))
    values["done"] = bool(row[_DONE])
    done_on = row[_DONE_ON]
    values["done_on"] = dt.date.fromisoformat(done_on) if isinstance(done_on, str) else None
    return values
