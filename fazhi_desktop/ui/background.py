"""Run slow work (exports, imports) off the GUI thread behind a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class _Worker(QObject):
    finished = Signal()

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._fn = fn
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._fn()
        except BaseException as exc:  # handed back to the GUI thread, re-raised there
            self.error = exc
        self.finished.emit()


def run_with_progress(parent: QWidget | None, label: str, fn: Callable[[], T]) -> T:
    """Run ``fn`` in a thread while a busy progress dialog shows; re-raise its error here.

    ``fn`` must not touch widgets or the window's database session.
    """
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(300)
    thread = QThread()
    worker = _Worker(fn)
    worker.moveToThread(thread)
    loop = QEventLoop()
    thread.started.connect(worker.run)
    worker.finished.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    if worker.error is not None:
        raise worker.error
    result: T = worker.result
    return result
