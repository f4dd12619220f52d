"""What makes a file an SQLite database: one check for opening a database and for a backup."""

from __future__ import annotations

from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"


def read_magic(path: Path) -> bytes:
    """The file's first bytes, as long as SQLite's header magic; raises OSError."""
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_MAGIC))
