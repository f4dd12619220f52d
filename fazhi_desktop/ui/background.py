"""The one way the window runs slow work (exports, imports, reading a plan, sending mail).

In the manner of Anki's ``aqt.operations``: an :class:`Op` is built, given what to do on success
and on failure, and started with :meth:`Op.run`, which returns at once. The work runs in a
thread behind a progress dialog that is modal to its window (the menus cannot start a second
export meanwhile); when it ends, the callbacks run on the GUI thread from the ordinary event loop.
Nothing waits in a nested event loop: after the application has been asked to quit, a nested loop
returns at once, and a wait built on one either hangs or loses the result.

Errors go to one presenter, :func:`show_failure`: a :class:`FazhiError` or an ``OSError`` as a
Chinese message box that says what to do, anything else to the unexpected-error dialog.
``work`` must not touch widgets or the window's database session.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from fazhi_desktop import APP_TITLE
from fazhi_desktop.errors import FazhiError

T = TypeVar("T")
# Below this the dialog is not shown at all: a quick export should not flash a window.
SHOW_AFTER_MS = 300


def failure_text(exc: BaseException) -> str | None:
    """The Chinese message for an expected failure; None for a bug (shown by the error dialog)."""
    if isinstance(exc, FazhiError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"“{exc.filename}”" if exc.filename else "文件"
        return (
            f"无法读写{where}：{exc.strerror or exc}。"
            "请检查文件是否被其他程序打开、文件夹是否可写，然后重试。"
        )
    return None


def report_failure(show: Callable[[str], object], exc: BaseException, note: str = "") -> None:
    """The one error presenter: ``show`` the Chinese message of what the user can fix (with
    ``note``, e.g. what was not done), or hand a bug to the unexpected-error dialog."""
    text = failure_text(exc)
    if text is None:
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return
    show(f"{text}\n{note}" if note else text)


def show_failure(parent: QWidget | None, exc: BaseException, note: str = "") -> None:
    """:func:`report_failure` in a message box over ``parent``."""
    report_failure(lambda text: QMessageBox.warning(parent, APP_TITLE, text), exc, note)


def attempt(
    where: QWidget | Callable[[str], object], fn: Callable[[], T], note: str = ""
) -> T | None:
    """Run a quick step on the GUI thread; a :class:`FazhiError` is shown (in a message box over
    the widget ``where``, or by the function ``where``) and gives None."""
    try:
        return fn()
    except FazhiError as exc:
        if isinstance(where, QWidget):
            show_failure(where, exc, note)
        else:
            report_failure(where, exc, note)
        return None


class Progress:
    """Handed to work that reports progress or can stop early (checked between steps)."""

    def __init__(self, signal: Any, stop: threading.Event) -> None:
        self._signal = signal
        self._stop = stop

    def report(self, done: int, total: int, text: str = "") -> None:
        self._signal.emit(done, total, text)

    def cancelled(self) -> bool:
        return self._stop.is_set()


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, work: Callable[[Progress], Any], stop: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._stop = stop
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work(Progress(self.progressed, self._stop))
        except BaseException as exc:  # handed to the GUI thread, shown there
            self.error = exc
        self.finished.emit()


class Op(QObject, Generic[T]):
    """One piece of background work: ``Op(parent, label, work).success(cb).run()``."""

    # Running ops, kept alive until they end (a caller need not hold on to one).
    _running: ClassVar[set[Op[Any]]] = set()
    progressed = Signal(int, int, str)

    def __init__(
        self,
        parent: QWidget,
        label: str,
        work: Callable[[Progress], T],
        *,
        title: str = "请稍候",
        cancellable: bool = False,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._label = label
        self._title = title
        self._work = work
        self._cancellable = cancellable
        self._on_success: Callable[[T], object] = lambda _result: None
        self._on_failure: Callable[[BaseException], object] = lambda exc: show_failure(parent, exc)
        self._stop = threading.Event()
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self.dialog: QProgressDialog | None = None
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None

    @classmethod
    def busy(cls, parent: QWidget) -> bool:
        """Whether an op runs over ``parent``: its dialog may not be shown yet (quick work
        shows none), so the window asks this before starting another."""
        return any(op._parent is parent for op in cls._running)

    @classmethod
    def simple(cls, parent: QWidget, label: str, work: Callable[[], T]) -> Op[T]:
        """An op for work that neither reports progress nor stops early."""
        return cls(parent, label, lambda _progress: work())

    def success(self, callback: Callable[[T], object]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], object]) -> Op[T]:
        self._on_failure = callback
        return self

    def shown_by(self, show: Callable[[str], object], note: str = "") -> Op[T]:
        """Present a failure through ``show`` (the window's error box) instead of the default."""
        return self.failure(lambda exc: report_failure(show, exc, note))

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; the step under way still finishes."""
        self._stop.set()
        if self.dialog is not None and not self.done:
            self.dialog.setLabelText("正在取消：当前这一步完成后停止…")
            self.dialog.show()

    def run(self) -> Op[T]:
        """Start the work and return at once; the callbacks run when it ends."""
        cancel_text = "取消" if self._cancellable else ""
        dialog = QProgressDialog(self._label, cancel_text, 0, 0, self._parent)
        dialog.setObjectName("progressDialog")
        dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0 if self._cancellable else SHOW_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)
        self.dialog = dialog
        thread = QThread()
        worker = _Worker(self._work, self._stop)
        worker.moveToThread(thread)
        # Blocking: the worker waits until the dialog shows its report, so a 取消 clicked during
        # one step is seen before the next step starts.
        worker.progressed.connect(self._show_progress, Qt.ConnectionType.BlockingQueuedConnection)
        worker.finished.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        thread.started.connect(worker.run)
        self._thread, self._worker = thread, worker
        Op._running.add(self)
        thread.start()
        return self

    def _show_progress(self, done: int, total: int, text: str) -> None:
        dialog = self.dialog
        if dialog is not None and not self.done:
            dialog.setMaximum(total)
            dialog.setValue(done)
            if text and not self._stop.is_set():
                dialog.setLabelText(text)
        self.progressed.emit(done, total, text)

    def _finish(self) -> None:
        thread, worker = self._thread, self._worker
        assert thread is not None and worker is not None
        thread.quit()
        thread.wait()  # it has already left run(): this returns at once
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.error = worker.error
        try:
            if worker.error is not None:
                self._on_failure(worker.error)
            else:
                self.result = worker.result
                self._on_success(worker.result)
        finally:
            # Done only once the callbacks have run: whoever waits sees their effects.
            self.done = True
            Op._running.discard(self)
            self.setParent(None)  # let Python free it once no caller holds it
