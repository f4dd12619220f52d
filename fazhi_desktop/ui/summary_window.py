"""The 汇总 view of a summary ledger: who reported, each task across units, each unit's
overdue tasks, what needs review, the charts, and the list of units expected to report.

Returns are imported from here (files, a folder, or dropped onto the window) and the 汇总台账
is exported (xlsx or PDF) through the same service as ``fazhi export-summary``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop import APP_TITLE
from fazhi_desktop.errors import FazhiError
from fazhi_desktop.ui.background import run_with_progress
from fazhi_desktop.ui.summary_data import OverdueRow, UnitOverview, ViewData, gather
from fazhi_desktop.ui.summary_import import BatchImport, ImportResultDialog, workbooks_in
from fazhi_desktop.ui.summary_models import (
    STATE_FILL,
    ColumnSpec,
    RecordTableModel,
    TaskTreeModel,
    date_text,
)
from fazhi_desktop.ui.summary_units import UnitListEditor
from fazhi_desktop.vocab.kinds import ReportState

if TYPE_CHECKING:
    from fazhi_desktop.services.consolidate import BatchResult
    from fazhi_desktop.services.summary_views import ReviewItem, UnitState
    from fazhi_desktop.ui.main_window import MainWindow

TAB_PERIOD, TAB_TASKS, TAB_UNITS, TAB_REVIEW, TAB_STATS, TAB_LIST = range(6)
CHARTS = (
    ("completion", "各单位任务完成率"),
    ("status", "任务状态分布"),
    ("overdue", "逾期未完成任务（按月份）"),
)
# Expanding every task costs layout time; beyond this many unit rows they start folded.
EXPAND_LIMIT = 3000


# --- file dialogs (tests replace these) -----------------------------------------------------


def ask_open_files(parent: QWidget, start: str) -> list[Path]:
    chosen, _ = QFileDialog.getOpenFileNames(
        parent, "导入报送文件（可多选）", start, "Excel 文件 (*.xlsx *.xlsm *.xls)"
    )
    return [Path(c) for c in chosen]


def ask_folder(parent: QWidget, start: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, "导入文件夹中的全部报送文件", start)
    return Path(chosen) if chosen else None


def ask_save_path(parent: QWidget, title: str, suggested: Path, patterns: str) -> Path | None:
    """The file to write; a name typed without a suffix gets the chosen file type's."""
    chosen, selected = QFileDialog.getSaveFileName(parent, title, str(suggested), patterns)
    if not chosen:
        return None
    path = Path(chosen)
    every = re.findall(r"\*(\.\w+)", patterns)
    wanted = re.findall(r"\*(\.\w+)", selected) or every
    if wanted and path.suffix.lower() not in every:
        path = path.with_name(path.name + wanted[0])
    return path


def _table(parent: QWidget, name: str, model: Any) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _state_columns() -> list[ColumnSpec[UnitState]]:
    return [
        ColumnSpec("单位", lambda u: u.unit if u.expected else f"{u.unit}（不在应报名单中）"),
        ColumnSpec("报送情况", lambda u: u.state, lambda u: STATE_FILL.get(u.state)),
        ColumnSpec("收到日期", lambda u: date_text(u.received_on)),
        ColumnSpec("报送文件", lambda u: u.file_name),
    ]


def _overview_columns() -> list[ColumnSpec[UnitOverview]]:
    return [
        ColumnSpec("单位", lambda u: u.unit),
        ColumnSpec("本期", lambda u: u.state, lambda u: STATE_FILL.get(u.state)),
        ColumnSpec("报送任务", lambda u: str(u.reported)),
        ColumnSpec("已完成", lambda u: str(u.done)),
        ColumnSpec("完成率", lambda u: u.rate),
        ColumnSpec("逾期未完成", lambda u: str(len(u.overdue)),
                   lambda u: STATE_FILL[ReportState.MISSING] if u.overdue else None),
    ]  # fmt: skip


def _overdue_columns() -> list[ColumnSpec[OverdueRow]]:
    return [
        ColumnSpec("序号", lambda r: r.seq),
        ColumnSpec("主要任务", lambda r: r.title),
        ColumnSpec("完成时间", lambda r: r.deadline),
        ColumnSpec("最近报送的进展", lambda r: r.progress),
    ]


def _review_columns() -> list[ColumnSpec[ReviewItem]]:
    return [
        ColumnSpec("类别", lambda i: i.kind),
        ColumnSpec("单位", lambda i: i.unit),
        ColumnSpec("期间", lambda i: i.period),
        ColumnSpec("文件", lambda i: i.file_name),
        ColumnSpec("行", lambda i: "" if i.row is None else str(i.row)),
        ColumnSpec("说明", lambda i: i.text),
    ]


class SummaryWindow(QDialog):
    """One summary ledger's 汇总 view; non-modal, several may be open."""

    # (files done, files in the batch, file starting): follows the import as it runs.
    import_progress = Signal(int, int, str)

    def __init__(self, host: MainWindow, ledger_id: int) -> None:
        super().__init__(host)
        self.setObjectName("summaryWindow")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowMinimizeButtonHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setAcceptDrops(True)
        self.host = host
        self.ledger_id = ledger_id
        self.period: str | None = None
        self.data: ViewData | None = None
        self.batch: BatchImport | None = None
        self.result_dialog: ImportResultDialog | None = None
        self.chart_png: dict[str, bytes] = {}
        self._charts_stale = True
        self._units_dirty = False
        self.resize(1240, 780)

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top())
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("summaryTabs")
        layout.addWidget(self.tabs, 1)
        self.status = QLabel(self)
        self.status.setObjectName("summaryStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._build_period_tab()
        self._build_task_tab()
        self._build_unit_tab()
        self._build_review_tab()
        self._build_stats_tab()
        self._build_list_tab()
        self.tabs.currentChanged.connect(self._on_tab)
        for keys, slot in (
            ("Ctrl+I", self.import_files),
            ("Ctrl+Shift+I", self.import_folder),
            ("Ctrl+E", self.export_summary),
            ("F5", self.reload),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self.reload()

    # --- building --------------------------------------------------------------------------
    def _build_top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("summaryTitle")
        self.title.setStyleSheet("font-weight: bold; font-size: 15px;")
        top.addWidget(self.title, 1)
        label = QLabel("期间(&P)：", self)
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("periodCombo")
        self.period_combo.setMinimumWidth(140)
        label.setBuddy(self.period_combo)
        self.period_combo.activated.connect(self._on_period)
        top.addWidget(label)
        top.addWidget(self.period_combo)
        for text, name, slot in (
            ("导入报送文件(&I)…", "importFiles", self.import_files),
            ("导入文件夹(&F)…", "importFolder", self.import_folder),
            ("导出汇总(&E)…", "exportSummary", self.export_summary),
            ("刷新", "refreshSummary", self.reload),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda *_, s=slot: s())
            top.addWidget(button)
        return top

    def _build_period_tab(self) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.period_counts = QLabel(page)
        self.period_counts.setObjectName("periodCounts")
        layout.addWidget(self.period_counts)
        self.period_model: RecordTableModel[UnitState] = RecordTableModel(_state_columns(), self)
        self.period_table = _table(page, "periodTable", self.period_model)
        for column, width in enumerate((260, 90, 130)):
            self.period_table.setColumnWidth(column, width)
        layout.addWidget(self.period_table, 1)
        hint = QLabel(
            "提示：可以把各单位报送的 Excel 文件（或整个文件夹）直接拖到本窗口导入。", page
        )
        hint.setStyleSheet("color: #666;")
        layout.addWidget(hint)
        self.tabs.addTab(page, "按期间(&1)")

    def _build_task_tab(self) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        buttons = QHBoxLayout()
        expand = QPushButton("全部展开", page)
        collapse = QPushButton("全部折叠", page)
        buttons.addWidget(expand)
        buttons.addWidget(collapse)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.task_model = TaskTreeModel(self)
        self.task_tree = QTreeView(page)
        self.task_tree.setObjectName("taskTree")
        self.task_tree.setModel(self.task_model)
        self.task_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.task_tree.setWordWrap(True)
        self.task_tree.setUniformRowHeights(False)
        self.task_tree.setAlternatingRowColors(True)
        for column, width in enumerate((300, 520, 90)):
            self.task_tree.setColumnWidth(column, width)
        expand.clicked.connect(self.task_tree.expandAll)
        collapse.clicked.connect(self.task_tree.collapseAll)
        layout.addWidget(self.task_tree, 1)
        self.tabs.addTab(page, "按任务(&2)")

    def _build_unit_tab(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.unit_model: RecordTableModel[UnitOverview] = RecordTableModel(
            _overview_columns(), self
        )
        self.unit_table = _table(splitter, "unitTable", self.unit_model)
        self.unit_table.setColumnWidth(0, 200)
        self.unit_table.selectionModel().currentRowChanged.connect(
            lambda *_: self._show_unit_overdue()
        )
        right = QWidget(splitter)
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        self.overdue_label = QLabel(right)
        self.overdue_label.setObjectName("overdueLabel")
        layout.addWidget(self.overdue_label)
        self.overdue_model: RecordTableModel[OverdueRow] = RecordTableModel(
            _overdue_columns(), self
        )
        self.overdue_table = _table(right, "overdueTable", self.overdue_model)
        for column, width in enumerate((50, 260, 100)):
            self.overdue_table.setColumnWidth(column, width)
        layout.addWidget(self.overdue_table, 1)
        splitter.addWidget(self.unit_table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.tabs.addTab(splitter, "按单位(&3)")

    def _build_review_tab(self) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        note = QLabel(
            "以下内容已随报送保存，但没有计入汇总或需要确认：未能对应任务的行、同一任务的重复行、"
            "同一期的重复报送、不在应报名单中的单位。请与报送单位核对后，更正名单或请其重新报送。",
            page,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.review_model: RecordTableModel[ReviewItem] = RecordTableModel(_review_columns(), self)
        self.review_table = _table(page, "reviewTable", self.review_model)
        for column, width in enumerate((70, 140, 80, 200, 40)):
            self.review_table.setColumnWidth(column, width)
        layout.addWidget(self.review_table, 1)
        self.tabs.addTab(page, "待核对(&4)")

    def _build_stats_tab(self) -> None:
        scroll = QScrollArea(self)
        scroll.setObjectName("statsArea")
        scroll.setWidgetResizable(True)
        page = QWidget(scroll)
        layout = QVBoxLayout(page)
        self.stats_counts = QLabel(page)
        layout.addWidget(self.stats_counts)
        self.chart_labels: dict[str, QLabel] = {}
        self.chart_buttons: dict[str, QPushButton] = {}
        for key, title in CHARTS:
            row = QHBoxLayout()
            heading = QLabel(f"<b>{title}</b>", page)
            row.addWidget(heading)
            row.addStretch(1)
            button = QPushButton("保存为 PNG…", page)
            button.setObjectName(f"save_{key}")
            button.clicked.connect(lambda *_, k=key: self.save_chart(k))
            row.addWidget(button)
            layout.addLayout(row)
            image = QLabel(page)
            image.setObjectName(f"chart_{key}")
            image.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            layout.addWidget(image)
            self.chart_labels[key] = image
            self.chart_buttons[key] = button
        layout.addStretch(1)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, "统计(&5)")

    def _build_list_tab(self) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        note = QLabel(
            "应报送的单位：据此判断本期哪些单位未报送。双击或按 F2 改名；改动后点“保存名单”。"
            "已导入的报送不受影响。",
            page,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.unit_editor = UnitListEditor(page)
        self.unit_editor.changed.connect(self._on_units_edited)
        layout.addWidget(self.unit_editor, 1)
        buttons = QHBoxLayout()
        self.units_state = QLabel(page)
        self.units_state.setObjectName("unitsState")
        buttons.addWidget(self.units_state, 1)
        self.save_units_button = QPushButton("保存名单(&S)", page)
        self.save_units_button.setObjectName("saveUnits")
        self.save_units_button.clicked.connect(self.save_units)
        discard = QPushButton("放弃修改", page)
        discard.setObjectName("discardUnits")
        discard.clicked.connect(self._discard_units)
        buttons.addWidget(self.save_units_button)
        buttons.addWidget(discard)
        layout.addLayout(buttons)
        self.tabs.addTab(page, "应报单位(&6)")

    # --- data ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read everything again for the chosen period (after an import, a list change, F5)."""
        ledger_id, period, today = self.ledger_id, self.period, self.host.today
        try:
            data = self.host.run(lambda s: gather(s, ledger_id, period=period, today=today))
        except FazhiError as exc:
            self.host.show_error(str(exc))
            return
        self.data = data
        self.period = data.period
        self.setWindowTitle(f"汇总情况 — {data.title}")
        self.title.setText(data.title)
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for key, label in data.periods:
            self.period_combo.addItem(label, key)
        self.period_combo.setCurrentIndex(max(self.period_combo.findData(data.period), 0))
        self.period_combo.blockSignals(False)

        report = data.report
        counts = {s: len(report.names(s)) for s in ReportState}
        due = report.due
        summary_line = (
            f"{report.label}（{due.month}月{due.day}日截止）：应报 {len(data.units)} 个单位，"
            + "，".join(f"{k} {v}" for k, v in counts.items())
        )
        self.period_counts.setText(summary_line)
        self.stats_counts.setText(summary_line)
        self.period_model.set_rows(data.states)
        self.period_table.resizeRowsToContents()
        self.task_model.set_tasks(data.tasks)
        if sum(len(t.units) for t in data.tasks) <= EXPAND_LIMIT:
            self.task_tree.expandAll()
        current = self.unit_table.currentIndex().row()
        self.unit_model.set_rows(data.overview)
        if data.overview:
            self.unit_table.selectRow(min(max(current, 0), len(data.overview) - 1))
        self._show_unit_overdue()
        self.review_model.set_rows(data.review)
        self.review_table.resizeRowsToContents()
        self.tabs.setTabText(TAB_REVIEW, f"待核对（{len(data.review)}）(&4)")
        if not self._units_dirty:
            self.unit_editor.set_units(data.units)
            self._show_units_state()
        self._charts_stale = True
        if self.tabs.currentIndex() == TAB_STATS:
            self.render_charts()

    def _on_period(self, index: int) -> None:
        key = self.period_combo.itemData(index)
        if key and key != self.period:
            self.period = str(key)
            self.reload()

    def _on_tab(self, index: int) -> None:
        if index == TAB_STATS and self._charts_stale:
            self.render_charts()

    def _show_unit_overdue(self) -> None:
        index = self.unit_table.currentIndex()
        if not index.isValid():
            self.overdue_model.set_rows([])
            self.overdue_label.setText("选择左侧的单位，查看其逾期未完成的任务。")
            return
        unit = self.unit_model.row_object(index.row())
        self.overdue_model.set_rows(unit.overdue)
        self.overdue_table.resizeRowsToContents()
        self.overdue_label.setText(
            f"<b>{unit.unit}</b> 逾期未完成的任务：{len(unit.overdue)} 项"
            + ("（尚无报送）" if not unit.reported else "")
        )

    # --- charts ----------------------------------------------------------------------------
    def render_charts(self) -> None:
        data = self.data
        if data is None:
            return
        figures = data.figures

        def draw() -> tuple[bytes, bytes, bytes]:
            from fazhi_desktop.io import charts

            return (
                charts.completion_chart(figures.completion),
                charts.status_chart(figures.status_counts),
                charts.overdue_chart(figures.overdue_by_month),
            )

        try:
            images = run_with_progress(self, "正在生成统计图…", draw)
        except (FazhiError, OSError, RuntimeError) as exc:
            self.host.show_error(f"无法生成统计图：{exc}")
            return
        for (key, _title), png in zip(CHARTS, images, strict=True):
            self.chart_png[key] = png
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            label = self.chart_labels[key]
            label.setPixmap(pixmap)
            label.setMinimumSize(QSize(pixmap.width(), pixmap.height()))
        self._charts_stale = False

    def save_chart(self, key: str) -> Path | None:
        from fazhi_desktop.io.atomic import write_bytes_atomic

        if self._charts_stale or key not in self.chart_png:
            self.render_charts()
        png = self.chart_png.get(key)
        if png is None or self.data is None:
            return None
        title = dict(CHARTS)[key]
        name = f"{self.data.report.label}{title}.png".replace("/", "_")
        target = ask_save_path(
            self, "保存统计图", Path(self._start_dir()) / name, "PNG 图片 (*.png)"
        )
        if target is None:
            return None
        try:
            write_bytes_atomic(target, png)
        except (FazhiError, OSError) as exc:
            self.host.show_error(f"无法保存“{target.name}”：{exc}")
            return None
        self._remember_dir(target.parent)
        self.status.setText(f"已保存统计图：{target}")
        return target

    # --- import ----------------------------------------------------------------------------
    def _start_dir(self) -> str:
        remembered = self.host.ui_state.value("last_dir")
        if isinstance(remembered, str) and Path(remembered).is_dir():
            return remembered
        return self.host.app_settings.export_dir or str(Path.home())

    def _remember_dir(self, folder: Path) -> None:
        self.host.ui_state.setValue("last_dir", str(folder))

    def import_files(self) -> BatchResult | None:
        paths = ask_open_files(self, self._start_dir())
        if not paths:
            return None
        self._remember_dir(paths[0].parent)
        return self.import_paths(paths)

    def import_folder(self) -> BatchResult | None:
        folder = ask_folder(self, self._start_dir())
        if folder is None:
            return None
        self._remember_dir(folder)
        return self.import_paths([folder])

    def import_paths(self, paths: Sequence[Path]) -> BatchResult | None:
        """Import the returns among ``paths`` (files or folders), then show what happened."""
        if self.batch is not None:
            return None  # a batch is already running (its dialog is modal to this window)
        files = workbooks_in(paths)
        if not files:
            names = "、".join(f"“{p.name}”" for p in paths[:3])
            self.host.show_error(
                f"{names}中没有 Excel 文件（.xlsx、.xlsm 或 .xls）。"
                "请选择各单位报送的 Excel 文件，或存放这些文件的文件夹。"
            )
            return None
        assert self.host.db is not None
        self.batch = BatchImport(self, self.host.db, self.ledger_id, self.host.today)
        self.batch.progressed.connect(self.import_progress)
        try:
            result = self.batch.run(files)
        except FazhiError as exc:
            self.host.show_error(f"{exc}\n本次没有导入任何文件。")
            return None
        finally:
            self.batch.deleteLater()
            self.batch = None
        periods = Counter(o.period for o in result.imported if o.period)
        if periods:  # show the period just imported, not an empty current one
            self.period = periods.most_common(1)[0][0]
        self.reload()
        self.result_dialog = ImportResultDialog(result, len(files), self)
        self.result_dialog.open()
        self.status.setText(self.result_dialog.summary.text())
        return result

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Leave the drop handler first: the progress dialog runs an event loop.
        QTimer.singleShot(0, lambda: self.import_paths(paths))

    @staticmethod
    def _dropped(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        if not event.mimeData().hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        return [p for p in paths if p.is_dir() or workbooks_in([p])]

    # --- export ----------------------------------------------------------------------------
    def export_summary(self) -> Path | None:
        from fazhi_desktop.services import summary_export

        ledger_id, period, host = self.ledger_id, self.period, self.host
        try:
            snap = host.run(
                lambda s: summary_export.snapshot(
                    s,
                    ledger_id,
                    today=host.today,
                    period=period,
                    due_soon_days=host.app_settings.due_soon_days,
                )
            )
        except FazhiError as exc:
            host.show_error(str(exc))
            return None
        suggested = Path(self._start_dir()) / summary_export.file_name(snap, ".xlsx")
        target = ask_save_path(
            self, "导出汇总台账", suggested, "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)"
        )
        if target is None:
            return None
        settings = host.app_settings
        try:
            summary_export.check_target(target)
            pages = run_with_progress(
                self,
                "正在导出汇总台账…",
                lambda: summary_export.export_summary(snap, target, settings),
            )
        except FazhiError as exc:
            host.show_error(str(exc))
            return None
        self._remember_dir(target.parent)
        extra = f"（共 {pages} 页）" if pages else ""
        self.status.setText(f"已导出 {snap.period_label}汇总台账：{target}{extra}")
        return target

    # --- the list of units -----------------------------------------------------------------
    def _on_units_edited(self) -> None:
        self._units_dirty = True
        self._show_units_state()

    def _show_units_state(self) -> None:
        count = len(self.unit_editor.units())
        state = "（有未保存的修改）" if self._units_dirty else ""
        self.units_state.setText(f"共 {count} 个单位{state}")
        self.save_units_button.setEnabled(self._units_dirty)

    def _discard_units(self) -> None:
        self._units_dirty = False
        if self.data is not None:
            self.unit_editor.set_units(self.data.units)
        self._show_units_state()

    def save_units(self) -> bool:
        from fazhi_desktop.services import summary

        names = self.unit_editor.units()
        if not names:
            self.host.show_error("应报单位名单不能为空。请至少添加一个单位后再保存。")
            return False
        ledger_id = self.ledger_id
        try:
            self.host.run(lambda s: summary.set_units(s, ledger_id, names))
        except FazhiError as exc:
            self.host.show_error(str(exc))
            return False
        self._units_dirty = False
        self.reload()
        self.status.setText(
            f"已保存应报单位名单：{len(self.data.units) if self.data else 0} 个单位。"
        )
        return True

    def reject(self) -> None:
        """Esc, the close button and closeEvent all come here: ask about an unsaved list."""
        if self._units_dirty:
            answer = QMessageBox.question(
                self,
                APP_TITLE,
                "应报单位名单有未保存的修改，要保存吗？",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save_units():
                return
            self._units_dirty = False
        super().reject()
