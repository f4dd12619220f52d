"""The 汇总 view of a summary ledger: one tab widget per view (按期间, 按任务, 按单位, 待核对,
统计, 应报单位), each fed the same data read for the chosen period.

Returns are imported here (files, a folder, or dropped onto the window) and the 汇总台账 is
exported (xlsx or PDF) through the same service as ``fazhi export-summary``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from fazhi_desktop import APP_TITLE
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.background import Op, attempt, report_failure
from fazhi_desktop.ui.saved_bar import show_saved
from fazhi_desktop.ui.summary.contacts_dialog import ContactsDialog
from fazhi_desktop.ui.summary.importing import ImportResultDialog, import_returns, workbooks_in
from fazhi_desktop.ui.summary.mail_collect import CollectResultDialog, collect_op, password_for
from fazhi_desktop.ui.summary.period_tab import PeriodTab
from fazhi_desktop.ui.summary.remind_dialog import RemindDialog
from fazhi_desktop.ui.summary.review_tab import ReviewTab
from fazhi_desktop.ui.summary.stats_tab import CHARTS, StatsTab
from fazhi_desktop.ui.summary.task_tab import TaskTab
from fazhi_desktop.ui.summary.unit_tab import UnitTab
from fazhi_desktop.ui.summary.units_tab import UnitsTab

if TYPE_CHECKING:
    from fazhi_desktop.services.collect import CollectResult
    from fazhi_desktop.services.consolidate import BatchResult
    from fazhi_desktop.services.summary_overview import ViewData

TAB_PERIOD, TAB_TASKS, TAB_UNITS, TAB_REVIEW, TAB_STATS, TAB_LIST = range(6)
RETURN_FILES = "Excel 文件 (*.xlsx *.xlsm *.xls)"


class SummaryWindow(QDialog):
    """One summary ledger's 汇总 view; non-modal, several may be open."""

    def __init__(self, host: WindowApi, ledger_id: int) -> None:
        super().__init__(host.widget)
        self.setObjectName("summaryWindow")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowMinimizeButtonHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setAcceptDrops(True)
        self.host = host
        self.ledger_id = ledger_id
        self.period: str | None = None
        self.data: ViewData | None = None
        self.batch: Op[Any] | None = None
        self.result_dialog: ImportResultDialog | None = None
        self.collect_dialog: CollectResultDialog | None = None
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
        self.period_tab = PeriodTab(self)
        self.task_tab = TaskTab(self)
        self.unit_tab = UnitTab(self)
        self.review_tab = ReviewTab(self)
        self.stats_tab = StatsTab(self, self.save_chart)
        self.units_tab = UnitsTab(self, self.save_units, self.edit_contacts)
        for tab, label in (
            (self.period_tab, "按期间(&1)"),
            (self.task_tab, "按任务(&2)"),
            (self.unit_tab, "按单位(&3)"),
            (self.review_tab, "待核对(&4)"),
            (self.stats_tab, "统计(&5)"),
            (self.units_tab, "应报单位(&6)"),
        ):
            self.tabs.addTab(tab, label)
        for keys, slot in (
            ("Ctrl+I", self.import_files),
            ("Ctrl+Shift+I", self.import_folder),
            ("Ctrl+E", self.export_summary),
            ("F5", self.reload),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self.reload()

    def _build_top(self) -> QVBoxLayout:
        # The title has a row of its own: a plan's long title beside six buttons pushed the
        # last buttons off a 1366-pixel screen.
        rows = QVBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("summaryTitle")
        self.title.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.title.setWordWrap(True)
        rows.addWidget(self.title)
        top = QHBoxLayout()
        rows.addLayout(top)
        label = QLabel("期间(&P)：", self)
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("periodCombo")
        self.period_combo.setMinimumWidth(140)
        label.setBuddy(self.period_combo)
        self.period_combo.activated.connect(self._on_period)
        top.addWidget(label)
        top.addWidget(self.period_combo)
        top.addStretch(1)
        for text, name, slot in (
            ("导入报送文件(&I)…", "importFiles", self.import_files),
            ("导入文件夹(&F)…", "importFolder", self.import_folder),
            ("收取报送邮件(&M)…", "collectMail", self.collect_mail),
            ("发送催报(&R)…", "sendReminders", self.send_reminders),
            ("导出汇总(&E)…", "exportSummary", self.export_summary),
            ("刷新", "refreshSummary", self.reload),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda *_, s=slot: s())
            top.addWidget(button)
        return rows

    # --- data ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read everything again for the chosen period (after an import, a list change, F5)."""
        from fazhi_desktop.services.remind import reminders_of
        from fazhi_desktop.services.summary_overview import gather

        ledger_id, period, today = self.ledger_id, self.period, self.host.today
        data = attempt(
            self.host.show_error,
            lambda: self.host.run(lambda s: gather(s, ledger_id, period=period, today=today)),
        )
        if data is None:
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
        for tab in (
            self.period_tab,
            self.task_tab,
            self.unit_tab,
            self.review_tab,
            self.stats_tab,
            self.units_tab,
        ):
            tab.show_data(data)
        sent = self.host.run(lambda s: reminders_of(s, ledger_id, data.period))
        self.period_tab.show_reminders(sent)
        self.tabs.setTabText(TAB_REVIEW, f"待核对（{len(data.review)}）(&4)")

    def _on_period(self, index: int) -> None:
        key = self.period_combo.itemData(index)
        if key and key != self.period:
            self.period = str(key)
            self.reload()

    # --- charts ----------------------------------------------------------------------------
    def save_chart(self, key: str) -> Path | None:
        """另存为 PNG: the chart as painted on screen."""
        from fazhi_desktop.services import exports

        if self.data is None:
            return None
        name = f"{self.data.report.label}{CHARTS[key]}.png".replace("/", "_")
        target = file_dialogs.ask_save(self, self.host, "保存统计图", name, "PNG 图片 (*.png)")
        if target is None:
            return None
        png = self.stats_tab.png(key)
        try:
            exports.save_image(target, png)
        except OSError as exc:  # the one error a write can end in here: say which file
            self.host.show_error(f"无法保存“{target.name}”：{exc.strerror or exc}。请另选位置。")
            return None
        self.status.setText(f"已保存统计图：{target}")
        return target

    # --- import ----------------------------------------------------------------------------
    def import_files(self) -> Op[BatchResult] | None:
        paths = file_dialogs.ask_open_many(self, self.host, "导入报送文件（可多选）", RETURN_FILES)
        return self.import_paths(paths) if paths else None

    def import_folder(self) -> Op[BatchResult] | None:
        folder = file_dialogs.ask_folder(self, self.host, "导入文件夹中的全部报送文件")
        return None if folder is None else self.import_paths([folder])

    def import_paths(self, paths: Sequence[Path]) -> Op[BatchResult] | None:
        """Import the returns among ``paths`` (files or folders) in the background."""
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
        op = import_returns(self, self.host.db, self.ledger_id, files, self.host.today)

        def failed(exc: BaseException) -> None:
            self.batch = None
            report_failure(self.host.show_error, exc, "本次没有导入任何文件。")

        self.batch = op.success(lambda result: self._imported(result, len(files))).failure(failed)
        return op.run()

    def _imported(self, result: BatchResult, total: int) -> None:
        self.batch = None
        periods = Counter(o.period for o in result.imported if o.period)
        if periods:  # show the period just imported, not an empty current one
            self.period = periods.most_common(1)[0][0]
        self.reload()
        from fazhi_desktop.services import summary

        units = [o.unit for o in result.imported]
        unlisted = self.host.run(lambda s: summary.unlisted_units(s, self.ledger_id, units))
        self.result_dialog = ImportResultDialog(
            result, total, self, unlisted=unlisted, add_units=self._add_units
        )
        self.result_dialog.open()
        self.status.setText(self.result_dialog.summary.text())

    # --- the collection mailbox and 催报 (ui/summary/mail_collect.py, remind_dialog.py) ---------
    def collect_mail(self) -> Op[CollectResult] | None:
        """收取报送邮件 in the background; afterwards the ✓/✗ list, as after an import."""
        if self.batch is not None or self.host.db is None:
            return None
        go, password = password_for(self, self.host.app_settings)
        if not go:
            return None
        op = collect_op(self, self.host.db, self.ledger_id, self.host.app_settings, password,
                        self.host.today)  # fmt: skip

        def done(result: CollectResult) -> None:
            self.batch = None
            periods = Counter(i.period for i in result.of("imported") if i.period)
            if periods:  # show the period just collected, as after an import
                self.period = periods.most_common(1)[0][0]
            self.reload()
            self.collect_dialog = CollectResultDialog(result, self)
            self.collect_dialog.open()
            self.status.setText(self.collect_dialog.summary.text())

        def failed(exc: BaseException) -> None:
            self.batch = None
            report_failure(self.host.show_error, exc)

        self.batch = op.success(done).failure(failed)
        return op.run()

    def edit_contacts(self) -> ContactsDialog:
        dialog = ContactsDialog(self.host, self.ledger_id, self)
        dialog.open()
        return dialog

    def send_reminders(self) -> RemindDialog | None:
        if self.period is None:
            return None
        dialog = RemindDialog(self.host, self.ledger_id, self.period, self)
        dialog.sent.connect(self.reload)
        dialog.open()
        return dialog

    def _add_units(self, names: list[str]) -> bool:
        """加入应报单位 from the import result: the units that reported but were not listed."""
        from fazhi_desktop.services import summary

        done = attempt(
            self.host.show_error,
            lambda: self.host.run(lambda s: summary.add_units(s, self.ledger_id, names)),
        )
        if done is None:
            return False
        self.reload()
        return True

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
        # Leave the drop handler first: the progress dialog is modal.
        QTimer.singleShot(0, lambda: self.import_paths(paths))

    @staticmethod
    def _dropped(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        if not event.mimeData().hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        return [p for p in paths if p.is_dir() or workbooks_in([p])]

    # --- export ----------------------------------------------------------------------------
    def export_summary(self) -> Op[int | None] | None:
        from fazhi_desktop.services import summary_export

        ledger_id, period, host = self.ledger_id, self.period, self.host
        snap = attempt(
            host.show_error,
            lambda: host.run(
                lambda s: summary_export.snapshot(
                    s,
                    ledger_id,
                    today=host.today,
                    period=period,
                    due_soon_days=host.app_settings.due_soon_days,
                )
            ),
        )
        if snap is None:
            return None
        target = file_dialogs.ask_save(
            self,
            host,
            "导出汇总台账",
            summary_export.file_name(snap, ".xlsx"),
            "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)",
        )
        if target is None:
            return None
        if attempt(host.show_error, lambda: summary_export.check_target(target)) is None:
            return None
        settings = host.app_settings

        def done(pages: int | None) -> None:
            extra = f"（共 {pages} 页）" if pages else ""
            self.status.setText(f"已导出 {snap.period_label}汇总台账：{target}{extra}")
            show_saved(self, f"已导出 {snap.period_label}汇总台账{extra}：{target.name}", target)

        op = Op.simple(
            self, "正在导出汇总台账…", lambda: summary_export.export_summary(snap, target, settings)
        )
        return op.success(done).shown_by(host.show_error).run()

    # --- the list of units -----------------------------------------------------------------
    def save_units(self, names: list[str]) -> bool:
        from fazhi_desktop.services import summary

        if not names:
            self.host.show_error("应报单位名单不能为空。请至少添加一个单位后再保存。")
            return False
        ledger_id = self.ledger_id
        saved = attempt(
            self.host.show_error,
            lambda: self.host.run(lambda s: summary.set_units(s, ledger_id, names)) or True,
        )
        if saved is None:
            return False
        self.units_tab.dirty = False
        self.reload()
        self.status.setText(
            f"已保存应报单位名单：{len(self.data.units) if self.data else 0} 个单位。"
        )
        return True

    def reject(self) -> None:
        """Esc, the close button and closeEvent all come here: ask about an unsaved list."""
        if self.units_tab.dirty:
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
            if answer == QMessageBox.StandardButton.Save and not self.units_tab.save():
                return
            self.units_tab.dirty = False
        super().reject()
