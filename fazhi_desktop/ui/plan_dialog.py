"""导入方案: a plan from a file or pasted text, previewed and corrected before it is saved.

Left: the plan's text (opened from a .docx/.txt, or pasted from a web page; editable, F5
parses it again). Right: the tasks found, editable in place, and the paragraphs the parser
could not place, each of which the user turns into a task, adds to a task's 任务要求, or ignores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.io.plan.markers import first_sentence, fold, heading_of, split_items
from fazhi_desktop.io.plan.source import render_text
from fazhi_desktop.io.plan.text import PlanParse, Unplaced
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.models.source_lines import SourceLine
from fazhi_desktop.ui.background import run_with_progress
from fazhi_desktop.ui.delegates import MultiLineDelegate
from fazhi_desktop.ui.plan_preview_model import (
    COL_REQUIREMENTS,
    COL_TITLE,
    PlanTasksModel,
)

NO_YEAR = 1999  # the year box's minimum, shown as 未知
PLAN_FILES = "方案文件 (*.docx *.txt);;Word 文档 (*.docx);;纯文本 (*.txt);;所有文件 (*)"
PASTE_HINT = (
    "在这里粘贴方案全文（可从网页、Word、WPS 复制），或点“打开文件”。\n"
    "修改文字后按 F5（或点“重新识别”）重新识别。"
)


class PlanImportDialog(QDialog):
    """``save`` stores the corrected draft and returns the new plan's id."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        save: Callable[[LedgerDraft], int],
        start_dir: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入方案")
        self.resize(1280, 760)
        self._save = save
        self._start_dir = start_dir
        self._source_name = "粘贴的文字"
        self._file_lines: list[SourceLine] | None = None  # a .docx as read, until edited
        self._draft: LedgerDraft | None = None
        self.saved_ledger_id: int | None = None

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top())
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_source())
        right = QSplitter(Qt.Orientation.Vertical, splitter)
        right.addWidget(self._build_tasks())
        right.addWidget(self._build_unplaced())
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        layout.addWidget(splitter, 1)
        self.status = QLabel(self)
        self.status.setObjectName("planStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText("保存为方案(&S)")
        self.save_button.setObjectName("savePlan")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("F5"), self, self.reparse)
        QShortcut(QKeySequence("Ctrl+O"), self, self.choose_file)
        self._update_state()

    # --- building ------------------------------------------------------------------------
    def _build_top(self) -> QHBoxLayout:
        row = QHBoxLayout()
        open_button = QPushButton("打开文件(&O)…", self)
        open_button.setObjectName("openPlanFile")
        open_button.setToolTip("打开 Word 文档（.docx）或纯文本（.txt）　Ctrl+O")
        open_button.clicked.connect(self.choose_file)
        row.addWidget(open_button)
        reparse = QPushButton("重新识别(&R)", self)
        reparse.setObjectName("reparsePlan")
        reparse.setToolTip("按左侧文字重新识别任务　F5")
        reparse.clicked.connect(self.reparse)
        row.addWidget(reparse)
        row.addSpacing(16)
        row.addWidget(QLabel("方案标题(&T)：", self))
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("planTitle")
        self.title_edit.setPlaceholderText("从文件标题识别")
        row.addWidget(self.title_edit, 1)
        year_label = QLabel("年份(&Y)：", self)
        row.addWidget(year_label)
        self.year_box = QSpinBox(self)
        self.year_box.setObjectName("planYear")
        self.year_box.setRange(NO_YEAR, 2199)
        self.year_box.setSpecialValueText("未知")
        self.year_box.setValue(NO_YEAR)
        self.year_box.setToolTip("不带年份的完成时限（如“10月底前”）按此年份计算日期")
        self.year_box.valueChanged.connect(self._year_changed)
        year_label.setBuddy(self.year_box)
        row.addWidget(self.year_box)
        return row

    def _build_source(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.source_label = QLabel("方案原文", box)
        layout.addWidget(self.source_label)
        self.source = QPlainTextEdit(box)
        self.source.setObjectName("planSource")
        self.source.setPlaceholderText(PASTE_HINT)
        self.source.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.source.textChanged.connect(self._source_edited)
        layout.addWidget(self.source, 1)
        return box

    def _build_tasks(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.tasks_label = QLabel("识别出的任务", box)
        head.addWidget(self.tasks_label, 1)
        delete = QPushButton("删除所选任务(&D)", box)
        delete.setObjectName("deletePlanTask")
        delete.clicked.connect(self.delete_selected_tasks)
        head.addWidget(delete)
        layout.addLayout(head)
        self.model = PlanTasksModel(self)
        self.table = QTableView(box)
        self.table.setObjectName("planTasks")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        delegate = MultiLineDelegate(self.table)
        for col in (COL_TITLE, COL_REQUIREMENTS):
            self.table.setItemDelegateForColumn(col, delegate)
        for col, width in enumerate((54, 96, 170, 300, 150, 100, 96, 84)):
            self.table.setColumnWidth(col, width)
        self.table.verticalHeader().setDefaultSectionSize(60)
        self.table.horizontalHeader().setSectionResizeMode(
            COL_REQUIREMENTS, QHeaderView.ResizeMode.Stretch
        )
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_line(self.model.line_of(current.row()))
        )
        self.model.rowsInserted.connect(lambda *_: self._update_state())
        self.model.rowsRemoved.connect(lambda *_: self._update_state())
        self.model.dataChanged.connect(lambda *_: self._update_state())
        layout.addWidget(self.table, 1)
        return box

    def _build_unplaced(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.unplaced_label = QLabel("未识别的段落", box)
        head.addWidget(self.unplaced_label, 1)
        for name, text, tip, slot in (
            (
                "unplacedToTask",
                "作为新任务(&N)",
                "把所选段落各作为一项任务",
                self.unplaced_to_tasks,
            ),
            (
                "unplacedToRequirement",
                "并入所选任务的任务要求(&Q)",
                "把所选段落加到上方所选任务的任务要求末尾",
                self.unplaced_to_requirements,
            ),
            ("unplacedIgnore", "忽略(&G)", "不导入所选段落（Delete）", self.ignore_unplaced),
            ("unplacedIgnoreAll", "全部忽略", "不导入列表中的全部段落", self.ignore_all_unplaced),
        ):
            button = QPushButton(text, box)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            head.addWidget(button)
        layout.addLayout(head)
        self.unplaced = QTableWidget(0, 3, box)
        self.unplaced.setObjectName("planUnplaced")
        self.unplaced.setHorizontalHeaderLabels(["位置", "内容", "原因"])
        self.unplaced.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unplaced.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.unplaced.verticalHeader().setVisible(False)
        header = self.unplaced.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.unplaced.setColumnWidth(0, 96)
        self.unplaced.setColumnWidth(2, 260)
        self.unplaced.currentCellChanged.connect(lambda row, *_: self._show_unplaced(row))
        QShortcut(QKeySequence.StandardKey.Delete, self.unplaced, self.ignore_unplaced)
        layout.addWidget(self.unplaced, 1)
        return box

    # --- loading and parsing ---------------------------------------------------------------
    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "打开方案", self._start_dir, PLAN_FILES)
        if chosen:
            self.load_file(Path(chosen))

    def load_file(self, path: Path) -> bool:
        """Read a .docx/.txt into the text box and parse it; False (and a message) on error."""
        from fazhi_desktop.io.plan.source import read_plan_source

        try:
            lines = run_with_progress(
                self, f"正在读取“{path.name}”…", lambda: read_plan_source(path)
            )
        except FazhiError as exc:
            QMessageBox.warning(self, "导入方案", str(exc))
            return False
        self._start_dir = str(path.parent)
        self._source_name = path.name
        self.title_edit.clear()
        self.year_box.setValue(NO_YEAR)
        self.source.blockSignals(True)
        self.source.setPlainText(render_text(lines))
        self.source.blockSignals(False)
        self._file_lines = lines
        self.source_label.setText(f"方案原文：{path.name}")
        self.reparse()
        return True

    def set_text(self, text: str) -> None:
        """Use pasted text as the plan and parse it."""
        self.source.setPlainText(text)
        self.reparse()

    def _source_edited(self) -> None:
        if self._file_lines is not None:
            self._file_lines = None  # the text box now differs from the file
            self.source_label.setText(f"方案原文：{self._source_name}（已修改）")
        elif self._source_name != "粘贴的文字" and not self.source.toPlainText().strip():
            self._source_name = "粘贴的文字"

    def reparse(self) -> None:
        from fazhi_desktop.services import plans

        text = self.source.toPlainText()
        title = self.title_edit.text().strip() or None
        year = self._year()
        if not text.strip():
            self._show_parse(None, "请先粘贴方案文字或打开文件。")
            return
        try:
            if self._file_lines is not None:
                parsed = plans.parse_plan_lines(
                    self._file_lines, title=title, year=year, source=self._source_name
                )
            else:
                parsed = plans.parse_plan_text(
                    text, title=title, year=year, source=self._source_name
                )
        except FazhiError as exc:
            self._show_parse(None, str(exc))
            return
        self._show_parse(parsed, "")

    def _show_parse(self, parsed: PlanParse | None, error: str) -> None:
        self._draft = parsed.draft if parsed else None
        if parsed is None:
            self.model.set_tasks([], [], self._year())
            self._fill_unplaced([])
        else:
            draft = parsed.draft
            if not self.title_edit.text().strip():
                self.title_edit.setText(draft.title)
            self.year_box.blockSignals(True)
            self.year_box.setValue(draft.year or NO_YEAR)
            self.year_box.blockSignals(False)
            self.model.set_tasks(draft.tasks, parsed.task_lines, draft.year)
            self._fill_unplaced(parsed.unplaced)
        self.table.resizeRowsToContents()
        self._error = error
        self._update_state()

    def _fill_unplaced(self, items: Sequence[Unplaced]) -> None:
        self.unplaced.setRowCount(0)
        for item in items:
            row = self.unplaced.rowCount()
            self.unplaced.insertRow(row)
            where = QTableWidgetItem(item.where)
            where.setData(Qt.ItemDataRole.UserRole, item)
            self.unplaced.setItem(row, 0, where)
            text = QTableWidgetItem(item.text)
            text.setToolTip(item.text)
            self.unplaced.setItem(row, 1, text)
            self.unplaced.setItem(row, 2, QTableWidgetItem(item.reason))

    def _year(self) -> int | None:
        value = self.year_box.value()
        return None if value == NO_YEAR else value

    def _year_changed(self, *_: object) -> None:
        self.model.set_year(self._year())
        self._update_state()

    # --- working on the result -------------------------------------------------------------
    def _unplaced_item(self, row: int) -> Unplaced | None:
        cell = self.unplaced.item(row, 0)
        if cell is None:
            return None
        value = cell.data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, Unplaced) else None

    def _show_unplaced(self, row: int) -> None:
        item = self._unplaced_item(row)
        if item is not None:
            self._show_line(item.number)

    def _selected_unplaced_rows(self) -> list[int]:
        rows = {index.row() for index in self.unplaced.selectionModel().selectedRows()}
        if not rows and self.unplaced.currentRow() >= 0:
            rows = {self.unplaced.currentRow()}
        return sorted(rows)

    def _take_unplaced(self) -> list[Unplaced]:
        rows = self._selected_unplaced_rows()
        items = [item for row in rows if (item := self._unplaced_item(row)) is not None]
        for row in reversed(rows):
            self.unplaced.removeRow(row)
        self._update_state()
        return items

    def unplaced_to_tasks(self) -> None:
        items = self._take_unplaced()
        last = None
        for item in items:
            text = item.text.replace("\t", " ").strip()
            heading = heading_of(text, fold(text))
            seq = heading.marker if heading is not None else ""
            title, rest = first_sentence(text[heading.rest :] if heading is not None else text)
            task = TaskDraft(seq=seq, title=title, requirements=split_items(rest) if rest else [])
            last = self.model.insert_task(task, item.number)
        if last is not None:
            self.table.selectRow(last)
            self.table.resizeRowsToContents()

    def unplaced_to_requirements(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0:
            QMessageBox.information(self, "导入方案", "请先在上方任务表中选中要并入的任务。")
            return
        for item in self._take_unplaced():
            for piece in split_items(item.text.replace("\t", " ")):
                self.model.add_requirement(row, piece)
        self.table.resizeRowToContents(row)

    def ignore_unplaced(self) -> None:
        self._take_unplaced()

    def ignore_all_unplaced(self) -> None:
        self.unplaced.setRowCount(0)
        self._update_state()

    def delete_selected_tasks(self) -> None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        self.model.remove_rows(rows)

    def _show_line(self, number: int) -> None:
        """Scroll the source text to a line (1-based) and select it."""
        block = self.source.document().findBlockByNumber(number - 1)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        self.source.setTextCursor(cursor)
        self.source.centerCursor()

    def _update_state(self) -> None:
        tasks = self.model.tasks()
        undated = sum(1 for t in tasks if t.deadline is None)
        no_dept = sum(1 for t in tasks if not t.department.strip())
        self.tasks_label.setText(
            f"<b>识别出的任务（{len(tasks)} 项）</b>　双击可修改；任务要求每行一条，Ctrl+Enter 保存"
        )
        remaining = self.unplaced.rowCount()
        self.unplaced_label.setText(
            f"<b>未识别的段落（{remaining} 处）</b>　请逐条处理：作为任务、并入任务要求或忽略"
        )
        error = getattr(self, "_error", "")
        if error:
            self.status.setText(f"<span style='color:#b00020'>{error}</span>")
        elif tasks:
            notes = []
            if no_dept:
                notes.append(f"{no_dept} 项没有责任单位")
            if undated:
                notes.append(f"{undated} 项没有具体日期（长期坚持等或读不出）")
            if self._draft is not None:
                notes += self._draft.warnings
            self.status.setText("；".join(notes))
        else:
            self.status.setText("")
        self.save_button.setEnabled(bool(tasks))

    # --- saving ----------------------------------------------------------------------------
    def draft(self) -> LedgerDraft:
        """The plan as the user corrected it."""
        base = self._draft or LedgerDraft(title="")
        return LedgerDraft(
            title=self.title_edit.text().strip() or base.title or "导入的方案",
            year=self._year(),
            kind="plan",
            source=self._source_name,
            tasks=list(self.model.tasks()),
            warnings=list(base.warnings),
        )

    def save(self) -> None:
        if not self.model.tasks():
            return
        remaining = self.unplaced.rowCount()
        if remaining:
            answer = QMessageBox.question(
                self,
                "导入方案",
                f"还有 {remaining} 处段落没有处理（未归入任何任务），保存后它们不会导入。\n"
                "仍要保存吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.saved_ledger_id = self._save(self.draft())
        except FazhiError as exc:
            QMessageBox.warning(self, "导入方案", str(exc))
            return
        self.accept()
