"""The plain reads of ``task_rows`` on a server connection, in the shape sqlite3 gives them.

``task_rows`` runs its SQL on a ``sqlite3.Connection`` and expects what SQLite stores: dates as
ISO text. On a server the same SQL runs through the session (same transaction), and dates come
back as ``date`` objects, turned into ISO text here so one record builder serves both engines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

_UNTYPED_NULL_TEST = re.compile(r":(\w+) IS NULL")
_QMARK = re.compile(r"\?")


class ServerRows:
    """Just enough of ``sqlite3.Connection.execute`` for ``task_rows``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def execute(self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> _Result:
        sql, named = _named(sql, params)
        # "$1 IS NULL" alone tells the server nothing of $1's type, which it refuses.
        sql = _UNTYPED_NULL_TEST.sub(r"CAST(:\1 AS TEXT) IS NULL", sql)
        rows = self._session.execute(text(sql), named)
        return _Result([tuple(_plain(v) for v in row) for row in rows])


def _named(
    sql: str, params: Mapping[str, Any] | Sequence[Any] | None
) -> tuple[str, dict[str, Any]]:
    """sqlite3's ``?`` placeholders as SQLAlchemy's named ones (the reads hold no literal ``?``)."""
    if params is None or isinstance(params, Mapping):
        return sql, dict(params or {})
    numbers = iter(range(len(params)))
    sql = _QMARK.sub(lambda _: f":p{next(numbers)}", sql)
    return sql, {f"p{i}": value for i, value in enumerate(params)}


class _Result:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value
