"""What an action may ask of the main window: a small typed interface, not its private methods.

Actions (``ui/actions/*``), the 汇总 window and the dialogs they open see the window only as a
:class:`WindowApi`. The main window satisfies it structurally; a test can pass anything else that
does. Nothing here imports the window, so no action module imports it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.settings import AppSettings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fazhi_desktop.models.db import Database

T = TypeVar("T")


class WindowApi(Protocol):
    """The main window as the actions use it."""

    db: Database | None
    today: dt.date
    period: str
    ledger_id: int | None
    app_settings: AppSettings
    ui_state: QSettings

    @property
    def widget(self) -> QWidget:
        """The parent for dialogs, message boxes and the progress dialog."""
        ...

    def run(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one committed transaction."""
        ...

    def push(self, command: QUndoCommand) -> None:
        """Do an undoable edit (its error, if any, is shown to the user)."""
        ...

    def refresh(self, task_id: int | None) -> None: ...

    def reload_ledgers(self) -> None: ...

    def current_task(self) -> TaskRecord | None: ...

    def select_task(self, task_id: int) -> object:
        """Make ``task_id`` the current row (if it is shown)."""
        ...

    def task_count(self) -> int:
        """How many tasks the current ledger has (shown or filtered out)."""
        ...

    def edit_current(self) -> None:
        """Open the editor on the current cell."""
        ...

    def show_error(self, message: str) -> None: ...

    def show_status(self, message: str, msecs: int = 8000) -> None: ...

    def apply_preferences(self) -> None:
        """Show changed program settings (the due-soon threshold recolours every row)."""
        ...

    def focus_search(self) -> None: ...

    def clear_filters(self) -> None: ...

    def shortcut_help(self) -> str:
        """The F1 text, generated from the registered actions."""
        ...
