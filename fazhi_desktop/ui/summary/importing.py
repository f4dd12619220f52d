"""Importing a batch of returns from the window: off the GUI thread, with progress and 取消.

The batch runs through the background runner (``ui/background.py``) and
``services.consolidate`` (each file its own transaction); the runner's progress reports block the
worker until the GUI thread has shown them, so a 取消 clicked while a file is being read is seen
before the next file starts. Afterwards a dialog lists every file with ✓ or ✗ and what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.ui.background import Op, Progress
from fazhi_desktop.ui.summary.models import ColumnSpec, RecordTableModel

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


def import_returns(
    parent: QWidget, database: Database, ledger_id: int, paths: Sequence[Path], today: dt.date
) -> Op[BatchResult]:
    """The batch as a cancellable background op (not yet started): a safety backup, then each
    file in its own transaction. 取消 stops before the next file; the one being read finishes."""

    def work(progress: Progress) -> BatchResult:
        from fazhi_desktop.services import backups, consolidate

        # A batch changes many rows at once: keep the database as it was, to go back to.
        backups.backup_before(database, backups.CONSOLIDATION)

        def report(done: int, total: int, name: str) -> None:
            text = f"正在导入第 {done + 1} / {total} 个文件：{name}" if name else ""
            progress.report(done, total, text)

        return consolidate.consolidate(
            database, ledger_id, paths, today=today, progress=report, cancelled=progress.cancelled
        )

    return Op(parent, "正在备份数据库…", work, title="导入报送文件", cancellable=True)


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
