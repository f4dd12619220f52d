"""导入方案: a plan from a file or pasted text, previewed and corrected before it is saved.

Left: the plan's text (opened from a .docx/.txt, or pasted from a web page; editable, F5
parses it again). Right: the tasks found, editable in place, and the paragraphs the parser
could not place, each of which the user turns into a task, adds to a task's 任务要求, or ignores.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.models.records import LedgerDraft
from fazhi_desktop.services.plan_drafts import (
    PlanParse,
    SourceLine,
    Unplaced,
    read_source,
    requirement_items,
    task_from_paragraph,
)
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.background import Op, attempt, show_failure
from fazhi_desktop.ui.delegates import fit_dates
from fazhi_desktop.ui.plan_preview_model import (
    COL_DEADLINE_TEXT,
    PlanTasksModel,
)
from fazhi_desktop.ui.plan_unplaced import UnplacedTable
from fazhi_desktop.ui.plan_widgets import NO_YEAR, LevelBox, PlanTaskTable, year_box
from fazhi_desktop.vocab.kinds import LedgerKind

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
        folders: file_dialogs.Folders | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入方案")
        self.resize(1280, 760)
        self._save = save
        self._folders = folders
        self.loading: Op[tuple[list[SourceLine], str]] | None = None
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
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 760])  # 方案原文 wide enough to read a paragraph per line
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
        self.year_box = year_box(self)
        self.year_box.valueChanged.connect(self._year_changed)
        self.level_box = LevelBox(self)
        self.level_box.currentIndexChanged.connect(lambda *_: self.reparse())
        for text, widget in (("年份(&Y)：", self.year_box), ("任务层级(&L)：", self.level_box)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
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
        self.table = PlanTaskTable(box, self.model)
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
        self.unplaced = UnplacedTable(box)
        self.unplaced.currentCellChanged.connect(lambda row, *_: self._show_unplaced(row))
        QShortcut(QKeySequence.StandardKey.Delete, self.unplaced, self.ignore_unplaced)
        layout.addWidget(self.unplaced, 1)
        return box

    # --- loading and parsing ---------------------------------------------------------------
    def choose_file(self) -> None:
        if self._folders is not None:
            path = file_dialogs.ask_open(self, self._folders, "打开方案", PLAN_FILES)
        else:
            path = file_dialogs.ask_file(self, "打开方案", "", PLAN_FILES)
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> Op[tuple[list[SourceLine], str]]:
        """Read a .docx/.txt in the background, then show it and parse it (a message on error)."""
        op = Op.simple(self, f"正在读取“{path.name}”…", lambda: read_source(path))
        op.success(lambda read: self._show_file(path, *read)).failure(self._not_read)
        self.loading = op.run()
        return op

    def _not_read(self, exc: BaseException) -> None:
        self.loading = None
        show_failure(self, exc)

    def _show_file(self, path: Path, lines: list[SourceLine], text: str) -> None:
        self.loading = None
        self._source_name = path.name
        self.title_edit.clear()
        self.year_box.setValue(NO_YEAR)
        self.source.blockSignals(True)
        self.source.setPlainText(text)
        self.source.blockSignals(False)
        self._file_lines = lines
        self.source_label.setText(f"方案原文：{path.name}")
        self.reparse()

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
        year, level = self._year(), self.level_box.level()
        if not text.strip():
            self._show_parse(None, "请先粘贴方案文字或打开文件。")
            return
        try:
            if self._file_lines is not None:
                parsed = plans.parse_plan_lines(
                    self._file_lines, title=title, year=year, source=self._source_name, level=level
                )
            else:
                parsed = plans.parse_plan_text(
                    text, title=title, year=year, source=self._source_name, level=level
                )
        except FazhiError as exc:
            self._show_parse(None, str(exc))
            return
        self._show_parse(parsed, "")

    def _show_parse(self, parsed: PlanParse | None, error: str) -> None:
        self._draft = parsed.draft if parsed else None
        if parsed is None:
            self.model.set_tasks([], [], self._year())
            self.unplaced.fill([])
        else:
            draft = parsed.draft
            if not self.title_edit.text().strip():
                self.title_edit.setText(draft.title)
            self.year_box.blockSignals(True)
            self.year_box.setValue(draft.year or NO_YEAR)
            self.year_box.blockSignals(False)
            self.model.set_tasks(draft.tasks, parsed.task_lines, draft.year)
            self.level_box.show_levels(parsed.levels, parsed.level)
            self.unplaced.fill(parsed.unplaced)
        fit_dates(self.table, COL_DEADLINE_TEXT)
        self.table.resizeRowsToContents()
        self._error = error
        self._update_state()

    def _year(self) -> int | None:
        value = self.year_box.value()
        return None if value == NO_YEAR else value

    def _year_changed(self, *_: object) -> None:
        self.model.set_year(self._year())
        self._update_state()

    # --- working on the result -------------------------------------------------------------
    def _show_unplaced(self, row: int) -> None:
        item = self.unplaced.paragraph(row)
        if item is not None:
            self._show_line(item.number)

    def _take_unplaced(self) -> list[Unplaced]:
        items = self.unplaced.take_selected()
        self._update_state()
        return items

    def unplaced_to_tasks(self) -> None:
        items = self._take_unplaced()
        last = None
        for item in items:
            last = self.model.insert_task(task_from_paragraph(item.text), item.number)
        if last is not None:
            self.table.selectRow(last)
            self.table.resizeRowsToContents()

    def unplaced_to_requirements(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0:
            QMessageBox.information(self, "导入方案", "请先在上方任务表中选中要并入的任务。")
            return
        for item in self._take_unplaced():
            for piece in requirement_items(item.text):
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
            kind=LedgerKind.PLAN,
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
        saved = attempt(self, lambda: self._save(self.draft()))
        if saved is None:
            return
        self.saved_ledger_id = saved
        self.accept()
