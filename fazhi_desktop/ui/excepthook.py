"""Unexpected errors: logged with their traceback and shown in Chinese, never a vanished window.

``install_excepthook`` replaces ``sys.excepthook``, which PySide6 also calls for an exception
escaping a slot or an event handler; the program keeps running after the dialog. Cheap to
install: the log file and the dialog's widgets are only set up when an error happens.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication

log = logging.getLogger("fazhi_desktop.crash")


class _Hook:
    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive
        self.showing = False

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        from fazhi_desktop import logs

        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if not logs.is_set_up():  # an error before the window's first paint
            logs.setup_logging()
        log.error("未处理的异常", exc_info=(kind, exc, tb))
        app = QApplication.instance()
        # One dialog at a time: an error repeating in a paint handler must not stack dialogs.
        if not self.interactive or self.showing or not isinstance(app, QApplication):
            traceback.print_exception(kind, exc, tb, file=sys.stderr or sys.__stderr__)
            return
        from fazhi_desktop.ui.error_dialog import ErrorDialog

        self.showing = True
        try:
            ErrorDialog((kind, exc, tb), logs.log_path(), app.activeWindow()).exec()
        finally:
            self.showing = False


def install_excepthook(*, interactive: bool = True) -> Callable[[], None]:
    """Route unexpected exceptions to the log and the dialog; returns the undo function.

    ``interactive=False`` (``--screenshot``, no one to click) logs and prints instead.
    """
    previous = sys.excepthook
    sys.excepthook = _Hook(interactive)

    def uninstall() -> None:
        sys.excepthook = previous

    return uninstall
