"""Importing a batch of returns from the window: off the GUI thread, with progress and 取消.

The batch runs in a QThread through ``services.consolidate`` (each file its own transaction).
Progress reaches the dialog through a blocking queued signal: the worker waits until the GUI
thread has shown it, so a 取消 clicked while a file is being read is seen before the next file
starts. Afterwards a dialog lists every file with ✓ or ✗ and what happened to it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.ui.summary_models import ColumnSpec, RecordTableModel

if TYPE_CHECKING:
    from fazhi_desktop.models.db import Database
    from fazhi_desktop.services.consolidate import BatchResult, FileOutcome

RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xls")
OK_FILL, FAIL_FILL = "#C9EBC9", "#F8C6C6"


def workbooks_in(paths: Sequence[Path]) -> list[Path]:
    """The workbooks among ``paths``: files as given, folders by their workbooks (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file()
                    and p.suffix.lower() in RETURN_SUFFIXES
                    and not p.name.startswith("~$")  # Excel's lock file of an open workbook
                )
            )
        elif path.suffix.lower() in RETURN_SUFFIXES:
            out.append(path)
    return out


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(
        self,
        database: Database,
        ledger_id: int,
        paths: Sequence[Path],
        today: dt.date,
        stop: threading.Event,
    ) -> None:
        super().__init__()
        self._args = (database, ledger_id, list(paths), today)
        self._stop = stop
        self.result: BatchResult | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()

    def run(self) -> None:
        from fazhi_desktop.services import backups, consolidate

        database, ledger_id, paths, today = self._args
        try:
            # A batch changes many rows at once: keep the database as it was, to go back to.
            backups.backup_before(database, backups.CONSOLIDATION)
            self.result = consolidate.consolidate(
                database,
                ledger_id,
                paths,
                today=today,
                progress=lambda done, total, name: self.progressed.emit(done, total, name),
                cancelled=self._stop.is_set,
            )
        except BaseException as exc:  # handed to the GUI thread, shown there
            self.error = exc
        self.done.set()
        self.finished.emit()


class BatchImport(QObject):
    """One batch: the progress dialog, the worker thread, and the outcome."""

    progressed = Signal(int, int, str)

    def __init__(self, parent: QWidget, database: Database, ledger_id: int, today: dt.date) -> None:
        super().__init__(parent)
        self._parent = parent
        self._database = database
        self._ledger_id = ledger_id
        self._today = today
        self._stop = threading.Event()
        self.dialog: QProgressDialog | None = None

    def cancel(self) -> None:
        self._stop.set()
        if self.dialog is not None:
            # Qt hides the dialog on 取消; the file being read still finishes, so say so.
            self.dialog.setLabelText("正在取消：当前文件导入完成后停止…")
            self.dialog.show()

    def run(self, paths: Sequence[Path]) -> BatchResult:
        """Import ``paths``; returns when done or cancelled; errors are re-raised here."""
        dialog = QProgressDialog("正在备份数据库…", "取消", 0, len(paths), self._parent)
        dialog.setObjectName("importProgress")
        dialog.setWindowTitle("导入报送文件")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)
        self.dialog = dialog
        thread = QThread()
        worker = _Worker(self._database, self._ledger_id, paths, self._today, self._stop)
        worker.moveToThread(thread)
        worker.progressed.connect(self._show, Qt.ConnectionType.BlockingQueuedConnection)
        thread.started.connect(worker.run)
        # A queued call into this (GUI) thread: it wakes the wait below when the worker is done.
        worker.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        thread.start()
        # Not a nested QEventLoop: once the application has been asked to quit, every new loop
        # returns at once, and waiting on the thread would then deadlock with its blocking
        # progress signal. Each progress report and the end post an event that wakes this.
        while not worker.done.is_set():
            QCoreApplication.processEvents(
                QEventLoop.ProcessEventsFlag.AllEvents
                | QEventLoop.ProcessEventsFlag.WaitForMoreEvents
            )
        thread.quit()
        thread.wait()
        dialog.close()
        dialog.deleteLater()
        self.dialog = None
        if worker.error is not None:
            raise worker.error
        assert worker.result is not None
        return worker.result

    def _finished(self) -> None:
        """Nothing to do: being called is what ends the wait in :meth:`run`."""

    def _show(self, done: int, total: int, name: str) -> None:
        dialog = self.dialog
        if dialog is not None:
            dialog.setValue(done)
            if name and not self._stop.is_set():
                dialog.setLabelText(f"正在导入第 {done + 1} / {total} 个文件：{name}")
        self.progressed.emit(done, total, name)


def result_text(result: BatchResult, total: int) -> str:
    imported = len(result.imported)
    failed = len(result.failed)
    same = len([o for o in result.outcomes if o.ok and o.return_id is None])
    parts = [f"共 {total} 个文件：导入 {imported} 个"]
    if same:
        parts.append(f"与已导入文件相同而跳过 {same} 个")
    parts.append(f"失败 {failed} 个")
    text = "，".join(parts) + "。"
    if result.cancelled:
        text += f"已取消，其余 {total - len(result.outcomes)} 个文件没有导入。"
    if failed:
        text += "失败的文件没有导入任何内容，请按说明处理后重新导入。"
    return text


def _outcome_columns() -> list[ColumnSpec[FileOutcome]]:
    return [
        ColumnSpec("结果", lambda o: "✓" if o.ok else "✗",
                   lambda o: OK_FILL if o.ok else FAIL_FILL),
        ColumnSpec("文件", lambda o: o.file),
        ColumnSpec("说明", lambda o: o.message),
    ]  # fmt: skip


class ImportResultDialog(QDialog):
    """Every file of the batch, ✓ or ✗, with its message; never a silent skip."""

    def __init__(self, result: BatchResult, total: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importResult")
        self.setWindowTitle("导入结果")
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel(result_text(result, total), self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model: RecordTableModel[Any] = RecordTableModel(_outcome_columns(), self)
        self.model.set_rows(result.outcomes)
        self.table = QTableView(self)
        self.table.setObjectName("importOutcomes")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 240)
        header.setStretchLastSection(True)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
