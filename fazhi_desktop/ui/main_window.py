"""The main window: ledger selector, search and filters, the task table and the detail pane.

Its commands live in ``ui/actions/`` and reach it only through the methods of
:class:`~fazhi_desktop.ui.actions.window_api.WindowApi` (run, push, refresh, show_error, …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

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
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop import APP_TITLE
from fazhi_desktop.errors import FazhiError
from fazhi_desktop.models.periods import period_of
from fazhi_desktop.models.records import LedgerListing, TaskRecord
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.detail_pane import DetailPane
from fazhi_desktop.ui.filter_bar import FilterBar
from fazhi_desktop.ui.filter_proxy import TaskFilterProxy
from fazhi_desktop.ui.reminder_bar import ReminderBar, missing_text, status_line
from fazhi_desktop.ui.status_bar import StatusLine
from fazhi_desktop.ui.task_model import COL_TITLE, RowObjectRole, TaskTableModel
from fazhi_desktop.ui.task_table import DetailYields, TaskTable
from fazhi_desktop.ui.window_geometry import place_main_window

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fazhi_desktop.models.db import Database
    from fazhi_desktop.services.first_screen import FirstScreen
    from fazhi_desktop.services.reporting import PeriodStatus
    from fazhi_desktop.ui.actions.registry import ActionSpec

# Importing SQLAlchemy costs more than starting Qt. The window is painted first and the
# database attached a moment later, so everything that pulls in SQLAlchemy (services,
# undo commands, the actions' services) is imported where it is used, not here. The same for
# the action areas and the background runner: the first frame needs neither (issue 17).
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
        menus_later: bool = False,
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
        self.splitter = splitter
        self.detail_yields = DetailYields(splitter, self.table, self.detail)
        self.reminder = ReminderBar(self, self._submit_from_reminder)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.reminder)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self._build_toolbar()
        self._build_actions(later=menus_later)
        self._build_status_bar()
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
    def _build_table(self) -> TaskTable:
        table = TaskTable(self, self.proxy)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.proxy.layoutChanged.connect(self._forget_hidden_task)
        return table

    def _build_toolbar(self) -> None:
        bar = FilterBar(self, self.proxy)
        self.addToolBar(bar)
        self.filter_bar = bar
        self.ledger_combo, self.search = bar.ledger_combo, bar.search
        self.status_filter, self.dept_filter = bar.status_filter, bar.dept_filter
        self.ledger_combo.currentIndexChanged.connect(self._on_ledger_chosen)
        bar.filtered.connect(self._update_counts)

    def _build_actions(self, *, later: bool) -> None:
        """The menus from the registered actions (``ui/actions/menus.py``).

        ``later``: only the menu titles now (the first frame shows them, so nothing moves),
        the actions, and the area modules behind them, once the window has painted.
        """
        from fazhi_desktop.ui.actions.registry import FILE, SUMMARY, TOOLS, menu_titles

        self.undo_action = self.undo_stack.createUndoAction(self, "撤销")
        self.redo_action = self.undo_stack.createRedoAction(self, "重做")
        self.menus = menu_titles(self)
        self.file_menu, self.tools_menu = self.menus[FILE], self.menus[TOOLS]
        self.summary_menu = self.menus[SUMMARY]
        self.summary_menu.setObjectName("summaryMenu")
        if later:
            self.first_painted.connect(self._fill_menus, Qt.ConnectionType.SingleShotConnection)
        else:
            self._fill_menus()

    def _fill_menus(self) -> None:
        from fazhi_desktop.ui.actions.menus import fill_menus

        fill_menus(self, self.menus, [self.undo_action, self.redo_action], self.trigger)

    def trigger(self, spec: ActionSpec) -> None:
        """Run a registered action; before the database is attached most do nothing, and
        while background work runs over the window none starts (its dialog comes later)."""
        from fazhi_desktop.ui.background import Op

        if spec.handler is None or (spec.needs_db and self.db is None) or Op.busy(self):
            return
        spec.handler(self)

    def shortcut_help(self) -> str:
        from fazhi_desktop.ui.actions.registry import shortcut_help

        return shortcut_help(list(self.menus.values()))

    def _submit_from_reminder(self) -> None:
        from fazhi_desktop.ui.actions import submission

        self.trigger(submission.SUBMIT)

    def _build_status_bar(self) -> None:
        line = StatusLine(self.statusBar(), self.status_filter)
        self.period_label, self.missing_label, self.counts_label = (
            line.period,
            line.missing,
            line.counts,
        )
        self.legend_chips, self._due_soon_chip = line.chips, line.due_soon_chip
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
        if self.db is None:  # the first screen is up, the database not yet attached
            raise FazhiError("正在打开数据库，请稍候再试。")
        with self.db.session() as session, session.begin():
            return fn(session)

    def reload_ledgers(self) -> None:
        from fazhi_desktop.services import ledgers

        self._fill_ledger_combo(self.run(ledgers.list_ledgers))
        self._on_ledger_chosen()

    def show_first_screen(self, screen: FirstScreen) -> None:
        """Rows read before the database is attached (see services.first_screen); the full
        load in attach_database replaces them a moment later."""
        self._fill_ledger_combo(screen.ledgers)
        # Only the first rows: counts and the 科室 list wait for the whole ledger.
        self.model.set_tasks(screen.tasks)

    def wanted_ledger(self) -> object:
        return self.ledger_id or self.ui_state.value("ledger_id", None)

    def _fill_ledger_combo(self, listed: list[LedgerListing]) -> None:
        self.filter_bar.fill_ledgers(listed, self.wanted_ledger())

    def _on_ledger_chosen(self, *_: object) -> None:
        data = self.ledger_combo.currentData()
        self.ledger_id = int(data) if data is not None else None
        self.setWindowTitle(self.filter_bar.window_title())
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
            self.filter_bar.fill_departments(self.model.tasks())
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

    def _update_counts(self) -> None:
        tally = self.model.tally()  # cached: this runs on every keystroke
        shown = self.proxy.rowCount()
        status = self.period_status
        self.period_label.setText(status_line(status) if status else "")
        self.missing_label.setText(missing_text(status) if status else "")
        self.counts_label.setText(
            f"逾期 {tally.overdue} · 临期 {tally.due_soon} · 已完成 {tally.done} / 共 {tally.total}"
            + (f"（筛选后显示 {shown} 项）" if shown != tally.total else "")
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
        task = self.current_task()
        ledger_id = self.ledger_id
        # No database yet (the first screen): the pane fills once it is attached.
        if task is None or ledger_id is None or self.db is None:
            self.detail.show_task(None, [])
            return
        from fazhi_desktop.services import ledgers
        from fazhi_desktop.services import tasks as task_ops

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

    # --- edits (the actions live in ui/actions/tasks.py) -------------------------------------
    def _on_edit(self, task: TaskRecord, field: str, value: str) -> None:
        from fazhi_desktop.ui.actions import tasks

        tasks.edit_field(self, task.id, field, value)

    def push(self, command: QUndoCommand) -> None:
        from fazhi_desktop.ui.background import attempt

        attempt(self.show_error, lambda: self.undo_stack.push(command))

    def edit_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.table.edit(index)

    def task_count(self) -> int:
        return len(self.model.tasks())

    # --- filters -------------------------------------------------------------------------
    def clear_filters(self) -> None:
        self.filter_bar.clear_filters()

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    # --- messages ------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, APP_TITLE, message)

    def show_status(self, message: str, msecs: int = 8000) -> None:
        self.statusBar().showMessage(message, msecs)

    @property
    def widget(self) -> QWidget:
        return self

    # --- drag and drop -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from fazhi_desktop.ui.actions.file import accept_drag

        accept_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        from fazhi_desktop.ui.actions.file import drop_workbook

        drop_workbook(self, event)

    # --- window state --------------------------------------------------------------------
    def _restore_state(self) -> None:
        place_main_window(self, self.ui_state.value("geometry"))
        header_state = self.ui_state.value("table_header")
        if isinstance(header_state, QByteArray):
            self.table.horizontalHeader().restoreState(header_state)
        splitter_state = self.ui_state.value("splitter")
        if isinstance(splitter_state, QByteArray):
            self.splitter.restoreState(splitter_state)
            self.detail_yields.wanted = self.splitter.sizes()[1] or self.detail_yields.wanted

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
