"""The plain reads of ``task_rows`` on a server connection, in the shape sqlite3 gives them.

``task_rows`` runs its SQL on a ``sqlite3.Connection`` and expects what SQLite stores: dates as
ISO text. On a server the same SQL runs through the session (same transaction), and dates come
back as ``date`` objects, turned into ISO text here so one record builder serves both engines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

_UNTYPED_NULL_TEST = re.compile(r":(\w+) IS NULL")


class ServerRows:
    """Just enough of ``sqlite3.Connection.execute`` for ``task_rows``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> _Result:
        # "$1 IS NULL" alone tells the server nothing of $1's type, which it refuses.
        sql = _UNTYPED_NULL_TEST.sub(r"CAST(:\1 AS TEXT) IS NULL", sql)
        rows = self._session.execute(text(sql), dict(params or {}))
        return _Result([tuple(_plain(v) for v in row) for row in rows])


class _Result:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value
