"""The main window: ledger selector, search and filters, the task table and the detail pane."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop import APP_TITLE
from fazhi_desktop.errors import FazhiError
from fazhi_desktop.models.periods import period_of
from fazhi_desktop.models.records import TaskDraft, TaskRecord
from fazhi_desktop.models.status import COLOUR_FILL, Colour
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.delegates import CellDelegate, MultiLineDelegate
from fazhi_desktop.ui.detail_pane import DetailPane
from fazhi_desktop.ui.dialogs import ask_done_date
from fazhi_desktop.ui.filter_proxy import ALL_DEPARTMENTS, STATUS_FILTERS, TaskFilterProxy
from fazhi_desktop.ui.reminder_bar import ReminderBar, status_line
from fazhi_desktop.ui.task_model import (
    COL_DEPT,
    COL_NOTE,
    COL_OWNER,
    COL_PROGRESS,
    COL_TITLE,
    DEFAULT_WIDTHS,
    UNREPORTED_FILL,
    RowObjectRole,
    TaskTableModel,
)
from fazhi_desktop.ui.window_geometry import place_main_window
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fazhi_desktop.models.db import Database
    from fazhi_desktop.services.reporting import PeriodStatus

# Importing SQLAlchemy costs more than starting Qt. The window is painted first and the
# database attached a moment later, so everything that pulls in SQLAlchemy (services,
# undo commands, file actions) is imported where it is used, not here.
IMPORTABLE = (".xlsx", ".xlsm", ".xls")
T = TypeVar("T")



class MainWindow(QMainWindow):
    # Emitted once, just after the window first reached the screen.
    first_painted = Signal()
    def __init__(
        self,
        database: Database | None,
        *,
        today: dt.date,
        settings: AppSettings,
        ui_state: QSettings,
    ) -> None:
        super().__init__()
        self.db = database
        self.today = today
        self.period = period_of(today)
        self.app_settings = settings
        self.ui_state = ui_state
        self.ledger_id: int | None = None
        self.period_status: PeriodStatus | None = None
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)

        self.model = TaskTableModel(self)
        self.model.edit_handler = self._on_edit
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()
        self.detail = DetailPane(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter
        self.reminder = ReminderBar(self, lambda: self._reporting_action("submit_current"))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.reminder)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self._build_toolbar()
        self._build_actions()
        self._build_status_bar()
        self._row_height_timer = QTimer(self)
        self._row_height_timer.setSingleShot(True)
        self._row_height_timer.setInterval(0)
        self._row_height_timer.timeout.connect(self._fit_visible_rows)
        self._restore_state()
        self._painted = False
        self.table.viewport().installEventFilter(self)
        if database is not None:
            self.reload_ledgers()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            # After this paint has been flushed, not inside it.
            QTimer.singleShot(0, self.first_painted.emit)
        return super().eventFilter(watched, event)

    def attach_database(self, database: Database) -> None:
        """Show the ledgers of ``database``; used when the window was painted before it opened."""
        self.db = database
        self.reload_ledgers()

    # --- building ------------------------------------------------------------------------
    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("taskTable")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        table.setWordWrap(True)
        table.setAlternatingRowColors(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        names = (COL_DEPT, COL_OWNER)
        table.setItemDelegate(CellDelegate(table, names))
        delegate = MultiLineDelegate(table, names)
        for col in (COL_TITLE, COL_PROGRESS, COL_NOTE, COL_DEPT):
            table.setItemDelegateForColumn(col, delegate)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        for col, width in DEFAULT_WIDTHS.items():
            table.setColumnWidth(col, width)
        header.sectionResized.connect(lambda *_: self._schedule_row_fit())
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(28)
        table.verticalScrollBar().valueChanged.connect(lambda *_: self._schedule_row_fit())
        table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.proxy.layoutChanged.connect(self._schedule_row_fit)
        self.proxy.layoutChanged.connect(self._forget_hidden_task)
        self.proxy.modelReset.connect(self._schedule_row_fit)
        self.proxy.dataChanged.connect(lambda *_: self._schedule_row_fit())
        return table

    def _build_toolbar(self) -> None:
        bar = QToolBar("台账", self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        bar.addWidget(QLabel(" 台账："))
        self.ledger_combo = QComboBox(self)
        self.ledger_combo.setObjectName("ledgerCombo")
        self.ledger_combo.setMinimumWidth(320)
        self.ledger_combo.currentIndexChanged.connect(self._on_ledger_chosen)
        bar.addWidget(self.ledger_combo)
        bar.addSeparator()
        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("搜索任务、进展、科室、责任人…（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda *_: self._search_timer.start())
        bar.addWidget(self.search)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItems(list(STATUS_FILTERS))
        self.status_filter.currentTextChanged.connect(self._on_status_filter)
        bar.addWidget(self.status_filter)
        self.dept_filter = QComboBox(self)
        self.dept_filter.setObjectName("deptFilter")
        self.dept_filter.setMinimumWidth(120)
        self.dept_filter.currentTextChanged.connect(self._on_dept_filter)
        bar.addWidget(self.dept_filter)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda *_: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        self.file_menu = menu.addMenu("文件(&F)")
        self.file_menu.addAction(
            self._action("导入 Excel 台账(&I)…", lambda: self._file_action("import_xlsx"), "Ctrl+O")
        )
        from fazhi_desktop.ui.plan_actions import add_plan_import_action, add_plan_link_actions

        add_plan_import_action(self, self.file_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(
            self._action("导出 Excel(&E)…", lambda: self._file_action("export_xlsx"), "Ctrl+E")
        )
        self.file_menu.addAction(
            self._action("导出 PDF(&P)…", lambda: self._file_action("export_pdf"), "Ctrl+Shift+E")
        )
        from fazhi_desktop.ui.report_actions import add_annual_report_action

        add_annual_report_action(self, self.file_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(
            self._action("打印预览(&V)…", lambda: self._file_action("print_ledger", preview=True))
        )
        self.file_menu.addAction(
            self._action("打印(&R)…", lambda: self._file_action("print_ledger"), "Ctrl+P")
        )
        self.file_menu.addSeparator()
        self.file_menu.addAction(
            self._action(
                "报送(&S)…", lambda: self._reporting_action("submit_current"), "Ctrl+Shift+S"
            )
        )
        self.file_menu.addAction(
            self._action("报送记录(&H)…", lambda: self._reporting_action("show_submissions"))
        )
        self.file_menu.addSeparator()
        self.file_menu.addAction(
            self._action("备份与恢复(&B)…", lambda: self._file_action("backup_and_restore"))
        )
        self.file_menu.addSeparator()
        self.file_menu.addAction(
            self._action("退出(&X)", self.close, QKeySequence.StandardKey.Quit)
        )

        edit = menu.addMenu("编辑(&E)")
        self.undo_action = self.undo_stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        self.edit_action = self._action("编辑单元格(&E)", self._edit_current, "F2")
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit.addAction(self._action("新增任务(&N)", self.add_task, QKeySequence.StandardKey.New))
        self.delete_action = self._action("删除任务(&D)…", self.delete_task, "Ctrl+Delete")
        edit.addAction(self.delete_action)
        edit.addAction(self._action("上移(&U)", lambda: self.move_task(-1), "Alt+Up"))
        edit.addAction(self._action("下移(&W)", lambda: self.move_task(+1), "Alt+Down"))
        edit.addSeparator()
        edit.addAction(self._action("标记完成/取消完成(&C)…", self.toggle_done, "Ctrl+D"))
        edit.addAction(self._action("沿用上期进展(&L)", self.carry_forward, "Ctrl+L"))
        add_plan_link_actions(self, edit)
        edit.addSeparator()
        edit.addAction(self._action("查找(&F)", self._focus_search, QKeySequence.StandardKey.Find))

        view = menu.addMenu("查看(&V)")
        view.addAction(self._action("刷新(&R)", lambda: self.refresh(None), "F5"))
        view.addAction(self._action("清除筛选", self.clear_filters, "Ctrl+Shift+L"))

        self.tools_menu = menu.addMenu("工具(&T)")
        self.tools_menu.addAction(
            self._action("台账设置(&L)…", lambda: self._reporting_action("edit_ledger_settings"))
        )
        self.tools_menu.addAction(
            self._action("程序设置(&O)…", lambda: self._reporting_action("edit_preferences"))
        )
        from fazhi_desktop.ui.summary_actions import add_summary_menu

        self.summary_menu = add_summary_menu(self)

        help_menu = menu.addMenu("帮助(&H)")
        help_menu.addAction(self._action("快捷键(&K)", self._show_shortcuts, "F1"))
        help_menu.addAction(self._action("关于(&A)", self._show_about))

    def _file_action(self, name: str, *args: Any, **kwargs: Any) -> None:
        from fazhi_desktop.ui import file_actions

        if self.db is None:
            return
        getattr(file_actions, name)(self, *args, **kwargs)

    def _reporting_action(self, name: str) -> None:
        from fazhi_desktop.ui import reporting_actions

        if self.db is None:
            return
        getattr(reporting_actions, name)(self)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.period_label = QLabel(self)
        self.period_label.setObjectName("periodLabel")
        bar.addWidget(self.period_label)
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("countsLabel")
        bar.addWidget(self.counts_label, 1)
        legend = [
            (COLOUR_FILL[Colour.OVERDUE], "逾期未完成"),
            (COLOUR_FILL[Colour.DUE_SOON], ""),
            (COLOUR_FILL[Colour.DONE], "已完成"),
            (COLOUR_FILL[Colour.DONE_LATE], "逾期完成"),
            (UNREPORTED_FILL, "本期未填报"),
        ]
        chips = []
        for fill, text in legend:
            chip = QLabel(f" {text} ", self)
            chip.setStyleSheet(f"background:{fill}; border:1px solid #999; padding:0 4px;")
            bar.addPermanentWidget(chip)
            chips.append(chip)
        self._due_soon_chip = chips[1]
        self._label_due_soon_chip()

    def _label_due_soon_chip(self) -> None:
        self._due_soon_chip.setText(f" {self.app_settings.due_soon_days}天内到期 ")

    def apply_preferences(self) -> None:
        """Show changed program settings (the due-soon threshold recolours every row)."""
        self._label_due_soon_chip()
        self.refresh(None)

    # --- data ----------------------------------------------------------------------------
    def run(self, fn: Callable[[Session], T]) -> T:
        """Run one operation in its own transaction: committed (durably) before it returns."""
        assert self.db is not None, "database not attached yet"
        with self.db.session() as session, session.begin():
            return fn(session)

    def reload_ledgers(self) -> None:
        from fazhi_desktop.services import ledgers

        summaries = self.run(ledgers.list_ledgers)
        wanted = self.ledger_id or self.ui_state.value("ledger_id", None)
        self.ledger_combo.blockSignals(True)
        self.ledger_combo.clear()
        for s in summaries:
            year = f"{s.year}年 " if s.year else ""
            kind = LedgerKind(s.kind).badge if s.kind == LedgerKind.PLAN else ""
            self.ledger_combo.addItem(f"{kind}{year}{s.title}（{s.task_count}项）", s.id)
        try:
            index = self.ledger_combo.findData(int(str(wanted))) if wanted else -1
        except ValueError:
            index = -1
        self.ledger_combo.setCurrentIndex(max(index, 0))
        self.ledger_combo.blockSignals(False)
        self._on_ledger_chosen()

    def _on_ledger_chosen(self, *_: object) -> None:
        data = self.ledger_combo.currentData()
        self.ledger_id = int(data) if data is not None else None
        self.undo_stack.clear()
        self.refresh(None)

    def _load(self, task_id: int | None) -> list[TaskRecord]:
        from fazhi_desktop.services import ledgers

        ledger_id = self.ledger_id
        if ledger_id is None or self.db is None:
            return []
        return self.run(
            lambda s: ledgers.load_task_records(
                s,
                ledger_id,
                today=self.today,
                due_soon_days=self.app_settings.due_soon_days,
                task_id=task_id,
                with_requirements=False,
            )
        )

    def refresh(self, task_id: int | None) -> None:
        """Reload one task (after an edit) or the whole ledger."""
        if task_id is not None:
            for record in self._load(task_id):
                self.model.replace_task(record)
        else:
            current = self.current_task()
            self.model.set_tasks(self._load(None))
            self._fill_departments()
            if current is not None and self.model.row_of(current.id) is not None:
                self.select_task(current.id)
            elif self.proxy.rowCount():
                # Start on the first task so the detail pane has something to show.
                first = self.proxy.index(0, 0).data(RowObjectRole)
                self.select_task(first.id)
        self._refresh_period(task_id)
        self._update_counts()
        self._show_detail()

    def _refresh_period(self, task_id: int | None = None) -> None:
        """The reporting period of this ledger, its 未填报 tasks, and the reminder bar.

        After an edit of one task only that task is re-checked: the whole-ledger query costs
        about 15 ms on 10,000 tasks, as much as the edit itself.
        """
        from fazhi_desktop.services import reporting

        ledger_id = self.ledger_id
        if (
            ledger_id is None
            or self.db is None
            or not self.run(lambda s: reporting.reports_periodically(s, ledger_id))
        ):
            self.period_status = None
            self.model.set_unreported(frozenset(), "")
            self.reminder.hide()
            return
        previous = self.period_status
        if task_id is not None and previous is not None:
            status = self.run(lambda s: reporting.with_task_rechecked(s, previous, task_id))
        else:
            status = self.run(lambda s: reporting.period_status(s, ledger_id, today=self.today))
        self.period_status = status
        self.period = status.period
        self.model.set_unreported(status.missing, status.label)
        self.reminder.show_status(status)

    def _fill_departments(self) -> None:
        names: set[str] = set()
        for task in self.model.tasks():
            for part in task.department.replace("，", "、").replace(",", "、").split("、"):
                if part.strip():
                    names.add(part.strip())
        current = self.dept_filter.currentText()
        self.dept_filter.blockSignals(True)
        self.dept_filter.clear()
        self.dept_filter.addItems([ALL_DEPARTMENTS, *sorted(names)])
        self.dept_filter.setCurrentText(current if current in names else ALL_DEPARTMENTS)
        self.dept_filter.blockSignals(False)
        self.proxy.set_department(self.dept_filter.currentText())

    def _update_counts(self) -> None:
        rows = self.model.tasks()
        overdue = sum(t.colour is Colour.OVERDUE for t in rows)
        soon = sum(t.colour is Colour.DUE_SOON for t in rows)
        done = sum(t.done for t in rows)
        shown = self.proxy.rowCount()
        status = self.period_status
        self.period_label.setText(status_line(status) if status else "")
        self.counts_label.setText(
            f"逾期 {overdue} · 临期 {soon} · 已完成 {done} / 共 {len(rows)}"
            + (f"（筛选后显示 {shown} 项）" if shown != len(rows) else "")
        )

    # --- selection and detail --------------------------------------------------------------
    def current_task(self) -> TaskRecord | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        task = index.data(RowObjectRole)
        return task if isinstance(task, TaskRecord) else None

    def select_task(self, task_id: int, column: int = COL_TITLE) -> QModelIndex | None:
        row = self.model.row_of(task_id)
        if row is None:
            return None
        index = self.proxy.mapFromSource(self.model.index(row, column))
        if not index.isValid():
            return None
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return index

    def _forget_hidden_task(self) -> None:
        # A filter that hides the current task is a layout change: Qt drops the current index
        # without a currentRowChanged, so the pane would keep showing the hidden task.
        if not self.table.currentIndex().isValid():
            self.detail.show_task(None, [])

    def _show_detail(self) -> None:
        from fazhi_desktop.services import ledgers
        from fazhi_desktop.services import tasks as task_ops

        task = self.current_task()
        ledger_id = self.ledger_id
        if task is None or ledger_id is None:
            self.detail.show_task(None, [])
            return
        task_id = task.id
        # The table loads without 任务要求 to open fast; the pane fetches them for one task.
        full = self.run(
            lambda s: ledgers.load_task_records(
                s,
                ledger_id,
                today=self.today,
                due_soon_days=self.app_settings.due_soon_days,
                task_id=task_id,
            )
        )
        history = self.run(lambda s: task_ops.progress_history(s, task_id))
        self.detail.show_task(full[0] if full else task, history)

    # --- edits ---------------------------------------------------------------------------
    def _on_edit(self, task: TaskRecord, field: str, value: str) -> None:
        from fazhi_desktop.ui import commands

        if field == "progress":
            command: Any = commands.SetProgressCommand(
                self.run, self.refresh, task.id, self.period, value
            )
        else:
            command = commands.SetFieldCommand(self.run, self.refresh, task.id, field, value)
        self._push(command)

    def _push(self, command: Any) -> None:
        try:
            self.undo_stack.push(command)
        except FazhiError as exc:
            self.show_error(str(exc))

    def _edit_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.table.edit(index)

    def add_task(self) -> None:
        from fazhi_desktop.ui import commands

        if self.ledger_id is None:
            self.show_error("请先选择或导入一个台账。")
            return
        current = self.current_task()
        position = current.position + 1 if current else len(self.model.tasks())
        draft = TaskDraft(seq=str(len(self.model.tasks()) + 1), title="新任务")
        command = commands.AddTaskCommand(self.run, self.refresh, self.ledger_id, draft, position)
        self._push(command)
        if command.task_id is not None:
            index = self.select_task(command.task_id, COL_TITLE)
            if index is not None:
                self.table.edit(index)

    def delete_task(self) -> None:
        task = self.current_task()
        if task is None:
            return
        answer = QMessageBox.question(
            self,
            "删除任务",
            f"确定删除任务“{task.seq} {task.title}”及其全部进展记录吗？\n删除后可用 Ctrl+Z 撤销。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            from fazhi_desktop.ui import commands

            self._push(commands.DeleteTaskCommand(self.run, self.refresh, task.id))

    def move_task(self, step: int) -> None:
        from fazhi_desktop.ui import commands

        task = self.current_task()
        if task is None:
            return
        self._push(commands.MoveTaskCommand(self.run, self.refresh, task.id, task.position + step))
        self.select_task(task.id)

    def toggle_done(self) -> None:
        from fazhi_desktop.ui import commands

        task = self.current_task()
        if task is None:
            return
        if task.done:
            self._push(commands.SetDoneCommand(self.run, self.refresh, task.id, False, None))
            return
        day = ask_done_date(self, task, self.today)
        if day is not None:
            self._push(commands.SetDoneCommand(self.run, self.refresh, task.id, True, day))

    def carry_forward(self) -> None:
        """沿用上期: copy the latest earlier progress into the current period (undoable)."""
        from fazhi_desktop.services import reporting

        task = self.current_task()
        if task is None:
            return
        task_id, period = task.id, self.period
        earlier = self.run(lambda s: reporting.previous_progress(s, task_id, period))
        if earlier is None:
            self.statusBar().showMessage("该任务没有上期进展可沿用。", 5000)
            return
        if task.progress_period == period and task.progress.strip():
            answer = QMessageBox.question(
                self,
                "沿用上期进展",
                "本期已填写进展，要用上期内容替换吗？（可用 Ctrl+Z 撤销）",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._on_edit(task, "progress", earlier[1])

    # --- filters -------------------------------------------------------------------------
    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self._update_counts()

    def _on_status_filter(self, label: str) -> None:
        self.proxy.set_status_filter(label)
        self._update_counts()

    def _on_dept_filter(self, label: str) -> None:
        self.proxy.set_department(label)
        self._update_counts()

    def clear_filters(self) -> None:
        self.search.clear()
        self._apply_search()
        self.status_filter.setCurrentIndex(0)
        self.dept_filter.setCurrentIndex(0)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- row heights ---------------------------------------------------------------------
    def _schedule_row_fit(self, *_: object) -> None:
        self._row_height_timer.start()

    def _fit_visible_rows(self) -> None:
        """Grow only the rows on screen to fit their wrapped text: O(visible), not O(rows)."""
        view = self.table
        count = self.proxy.rowCount()
        if count == 0:
            return
        first = view.rowAt(0)
        first = 0 if first < 0 else first
        height = view.viewport().height()
        row = first
        while row < count and view.rowViewportPosition(row) < height:
            view.resizeRowToContents(row)
            row += 1

    # --- messages ------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, APP_TITLE, message)

    def _show_shortcuts(self) -> None:
        QMessageBox.information(
            self,
            "快捷键",
            "F2 / 双击：编辑单元格（直接打字也可开始编辑）\n"
            "  多行编辑时：Enter 换行，Ctrl+Enter 保存，Esc 取消，Tab 保存并离开\n"
            "Ctrl+Z 撤销，Ctrl+Y 重做\n"
            "Ctrl+N 新增任务，Ctrl+Delete 删除任务\n"
            "Alt+↑ / Alt+↓ 上移 / 下移任务\n"
            "Ctrl+D 标记完成 / 取消完成\n"
            "Ctrl+L 沿用上期进展（复制到本期，可撤销）\n"
            "Ctrl+Shift+S 报送（导出本期 Excel 并生成邮件）\n"
            "Ctrl+Shift+O 导入方案，Ctrl+K 关联方案任务，Ctrl+Shift+K 按方案关联全部任务\n"
            "Ctrl+F 搜索，Ctrl+Shift+L 清除筛选，F5 刷新",
        )

    def _show_about(self) -> None:
        from fazhi_desktop import __version__

        QMessageBox.about(
            self,
            "关于法治台账",
            f"法治台账 {__version__}\n法治政府建设工作台账：离线填报、逾期提醒、导出报送。",
        )

    # --- drag and drop -----------------------------------------------------------------
    @staticmethod
    def _dropped_workbook(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            path = Path(url.toLocalFile())
            if path.suffix.lower() in IMPORTABLE:
                return path
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_workbook(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_workbook(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Leave the drop handler first: the preview dialog is modal.
        QTimer.singleShot(0, lambda: self._file_action("import_xlsx", path))

    # --- window state --------------------------------------------------------------------
    def _restore_state(self) -> None:
        place_main_window(self, self.ui_state.value("geometry"))
        header_state = self.ui_state.value("table_header")
        if isinstance(header_state, QByteArray):
            self.table.horizontalHeader().restoreState(header_state)
        splitter_state = self.ui_state.value("splitter")
        if isinstance(splitter_state, QByteArray):
            self.splitter.restoreState(splitter_state)

    def save_state(self) -> None:
        self.ui_state.setValue("geometry", self.saveGeometry())
        self.ui_state.setValue("table_header", self.table.horizontalHeader().saveState())
        self.ui_state.setValue("splitter", self.splitter.saveState())
        if self.ledger_id is not None:
            self.ui_state.setValue("ledger_id", self.ledger_id)
        self.ui_state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # An open editor holds an unsaved cell: commit it rather than lose the clerk's typing.
        editing = self.table.state() == QAbstractItemView.State.EditingState
        focus = self.table.focusWidget() if editing else None
        if focus is not None:
            self.table.commitData(focus)
        self.save_state()
        super().closeEvent(event)
