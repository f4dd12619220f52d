"""Preview of a 台账 file before import: the tasks as read, where each came from, and what the
reader could not place. A file that names no year can be read again with the year the clerk
gives ("年底前" means nothing without one)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.models.records import LedgerDraft
from fazhi_desktop.ui.dialogs import ok_cancel_buttons
from fazhi_desktop.vocab.columns import OFFICIAL

# Where the task was read, the official columns, and after 完成时间 the date the program read
# from it, to check.
SOURCE = "来源"
_COLUMNS = (
    (SOURCE, ""),
    *((c.label, c.attr) for c in OFFICIAL[:3]),
    ("截止日期", "deadline"),
    *((c.label, c.attr) for c in OFFICIAL[3:]),
)


class DraftModel(QAbstractTableModel):
    def __init__(self, draft: LedgerDraft, parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks = draft.tasks
        self._lines = draft.task_lines

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tasks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _COLUMNS[section][0]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        if index.column() == 0:
            row = index.row()
            return f"第 {self._lines[row]} 行" if row < len(self._lines) else ""
        value = getattr(self._tasks[index.row()], _COLUMNS[index.column()][1])
        if value is None:
            return "（无日期）"
        return str(value)


# exec() result asking the caller to read the file again with :attr:`ImportPreviewDialog.year`.
REREAD = 2
NO_YEAR = 1999  # the spin box's "未知"


class ImportPreviewDialog(QDialog):
    def __init__(self, draft: LedgerDraft, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year: int | None = draft.year
        self.setWindowTitle(f"导入预览 — {file_name}")
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"<b>{draft.title or '（无标题）'}</b>　年份：{draft.year or '未知'}　"
                f"填报单位：{draft.unit or '未填'}　共 {len(draft.tasks)} 项任务。"
                "确认无误后点“导入”，导入前不会保存任何内容。"
            )
        )
        table = QTableView(self)
        table.setObjectName("previewTable")
        table.setModel(DraftModel(draft, table))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        table.setColumnWidth(0, 70)
        table.setColumnWidth(2, 280)
        table.setColumnWidth(5, 300)
        layout.addWidget(table, 1)
        layout.addLayout(self._year_row(draft))
        unused = [f"{u.where}：{u.text}（{u.reason}）" for u in draft.unused]
        for label, lines, name in (
            (f"需要注意（{len(draft.warnings)} 条）：", draft.warnings, "previewWarnings"),
            (f"未导入的行（{len(unused)} 处，未写入任何任务）：", unused, "previewUnused"),
        ):
            if lines:
                layout.addWidget(QLabel(label))
                notes = QPlainTextEdit("\n".join(lines), self)
                notes.setObjectName(name)
                notes.setReadOnly(True)
                notes.setMaximumHeight(120)
                layout.addWidget(notes)
        layout.addWidget(ok_cancel_buttons(self, "导入"))

    def _year_row(self, draft: LedgerDraft) -> QHBoxLayout:
        """年份: which year dates without one (10.31, 年底前) are read in."""
        row = QHBoxLayout()
        row.addWidget(QLabel("没写年份的完成时间（如“10.31”“年底前”）按此年份计算：", self))
        box = QSpinBox(self)
        box.setObjectName("previewYear")
        box.setRange(NO_YEAR, 2100)
        box.setSpecialValueText("未知")
        box.setValue(draft.year or NO_YEAR)
        row.addWidget(box)
        again = QPushButton("按此年份重新读取", self)
        again.setObjectName("previewReread")
        again.clicked.connect(lambda: self._reread(box.value()))
        row.addWidget(again)
        row.addStretch(1)
        return row

    def _reread(self, value: int) -> None:
        self.year = None if value == NO_YEAR else value
        self.done(REREAD)
