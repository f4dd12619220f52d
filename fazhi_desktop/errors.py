"""Errors the user can act on.

Every message is Chinese, names the file/row/column when there is one, and says what to do.
The CLI turns these into exit code 2; the window shows them in a dialog.
"""

from __future__ import annotations


class FazhiError(Exception):
    """A problem caused by input or environment, explained to the user in Chinese."""


class UsageError(FazhiError):
    """Bad command-line arguments or values."""


class DatabaseError(FazhiError):
    """The database file cannot be used (newer program, corrupt, locked)."""


class NotFoundError(FazhiError):
    """A ledger or task named by the user does not exist."""


class FileLockedError(FazhiError):
    """The target file is held open by another program (usually Excel/WPS)."""


class InputFileError(FazhiError):
    """An input file is unreadable or not what it claims to be."""
