"""Errors the user can act on.

Every message is Chinese, names the file/row/column when there is one, and says what to do.
The CLI turns these into exit code 2; the window shows them in a dialog.
"""

from __future__ import annotations

import errno


class FazhiError(Exception):
    """A problem caused by input or environment, explained to the user in Chinese."""


class UsageError(FazhiError):
    """Bad command-line arguments or values."""


class DatabaseError(FazhiError):
    """The database file cannot be used (newer program, corrupt, locked)."""


class PermissionDeniedError(FazhiError):
    """单位模式: the server refused a change the user's role may not make."""


class EditConflictError(FazhiError):
    """单位模式: someone else saved the same task since the user loaded it; both texts kept."""

    def __init__(self, message: str, *, theirs: str, mine: str) -> None:
        super().__init__(message)
        self.theirs = theirs
        self.mine = mine


class ConnectionLostError(DatabaseError):
    """单位模式: the server went away mid-save; ``unsaved`` is what the user typed."""

    def __init__(self, message: str, *, unsaved: str = "") -> None:
        super().__init__(message)
        self.unsaved = unsaved


class LoginFailedError(DatabaseError):
    """单位模式: the server refused the login (wrong or missing password): ask for it."""


class NotFoundError(FazhiError):
    """A ledger or task named by the user does not exist."""


class FileLockedError(FazhiError):
    """The target file is held open by another program (usually Excel/WPS)."""


class InputFileError(FazhiError):
    """An input file is unreadable or not what it claims to be."""


def os_error_text(exc: OSError) -> str:
    """An OSError as the user reads it (ending in 。): permission, a full disk, or its own words."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "没有权限（文件或文件夹为只读）。请检查权限，或换一个文件夹。"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "磁盘已满。请清理磁盘空间后重试。"
    return f"{exc.strerror or exc}。"
