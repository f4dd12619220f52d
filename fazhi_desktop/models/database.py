"""The open database handed to every layer: one engine, its sessions, and where it lives."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """An open ledger database. Engine and sessions are created here and injected everywhere.

    ``path`` is the SQLite file; a shared server database (单位模式) has ``url`` (password
    hidden) instead and a ``path`` that names no file, so file-based features (backups, the
    single-instance lock) can tell and step aside.
    """

    def __init__(self, path: Path, engine: Engine, *, url: str | None = None) -> None:
        self.path = path
        self.engine = engine
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def label(self) -> str:
        """How messages name this database: the file, or the server URL without its password."""
        return self.url if self.url is not None else str(self.path)

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()
