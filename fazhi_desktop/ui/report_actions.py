"""文件 → 生成年度报告初稿: choose the year and the 台账, write the .docx, offer to open it.

Services and python-docx are imported on use: this module is imported while the menu is built,
before the window has painted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.ui.background import run_with_progress
from fazhi_desktop.ui.dialogs import ok_cancel_buttons
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from fazhi_desktop.models.report_records import AnnualReport
    from fazhi_desktop.services.ledgers import LedgerSummary
    from fazhi_desktop.ui.main_window import MainWindow

ACTION_TEXT = "生成年度报告初稿(&Y)…"


def add_annual_report_action(window: MainWindow, menu: QMenu) -> QAction:
    action = window._action(ACTION_TEXT, lambda: generate_annual_report(window))
    action.setObjectName("annualReportAction")
    menu.addAction(action)
    return action


def open_path(path: Path) -> None:
    """Hand a file or folder to the system; tests replace this."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class AnnualReportDialog(QDialog):
    """Year, the 台账 to draw from (the ordinary ones of the year ticked), the reporting unit."""

    def __init__(
        self,
        ledgers: Sequence[LedgerSummary],
        *,
        year: int,
        today: dt.date,
        current: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("生成年度报告初稿")
        self._ledgers = list(ledgers)
        self._current = current
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                "按全年台账生成《关于某年法治政府建设情况的报告》初稿（Word 文档）：\n"
                "主要举措和成效、存在的不足、下一年度安排取自台账，其余部分留有撰写提示。"
            )
        )
        self.year = QSpinBox(self)
        self.year.setObjectName("reportYear")
        self.year.setRange(2000, today.year)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        form.addRow("报告年度(&N)：", self.year)
        self.ledger_list = QListWidget(self)
        self.ledger_list.setObjectName("reportLedgers")
        for summary in self._ledgers:
            year_text = f"{summary.year}年 " if summary.year else ""
            item = QListWidgetItem(
                f"{year_text}{summary.title or '未命名台账'}（{summary.task_count}项）"
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.ledger_list.addItem(item)
        form.addRow("汇总的台账(&L)：", self.ledger_list)
        self.unit = QLineEdit(self)
        self.unit.setObjectName("reportUnit")
        self.unit.setPlaceholderText("留空则取台账的填报单位")
        form.addRow("报告单位(&U)：", self.unit)
        self.buttons = ok_cancel_buttons(self, "生成")
        form.addRow(self.buttons)
        self.year.valueChanged.connect(self._tick_year)
        self.ledger_list.itemChanged.connect(lambda *_: self._update_ok())
        self._tick_year(year)
        self.resize(560, 360)

    def _tick_year(self, year: int) -> None:
        """Tick the 台账 of the chosen year (as `fazhi annual-report` takes them by default: not a
        汇总 ledger, which would count its tasks twice); with none, the one the window shows."""
        ids = {s.id for s in self._ledgers if s.year == year and s.kind == LedgerKind.LEDGER}
        if not ids and self._current is not None:
            ids = {self._current}
        for row in range(self.ledger_list.count()):
            item = self.ledger_list.item(row)
            ticked = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(bool(self.ledger_ids))

    @property
    def ledger_ids(self) -> list[int]:
        ids = []
        for row in range(self.ledger_list.count()):
            item = self.ledger_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids


def generate_annual_report(window: MainWindow) -> Path | None:
    """Ask, gather, write in the background; returns the file written (None if cancelled)."""
    from fazhi_desktop.services import annual_report, ledgers
    from fazhi_desktop.ui.file_actions import _ask_save

    if window.db is None:
        return None
    summaries = [s for s in window.run(ledgers.list_ledgers) if s.kind != LedgerKind.PLAN]
    if not summaries:
        window.show_error("还没有工作台账，无法生成年度报告。请先导入一个 Excel 台账。")
        return None
    current = next((s for s in summaries if s.id == window.ledger_id), None)
    year = annual_report.default_year(window.today)
    if current is not None and current.year and current.year <= window.today.year:
        year = current.year
    dialog = AnnualReportDialog(
        summaries,
        year=year,
        today=window.today,
        current=current.id if current else None,
        parent=window,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen_year, ids, unit = dialog.year.value(), dialog.ledger_ids, dialog.unit.text()
    try:
        report = window.run(
            lambda s: annual_report.build_annual_report(
                s,
                chosen_year,
                today=window.today,
                ledger_ids=ids,
                unit=unit,
                due_soon_days=window.app_settings.due_soon_days,
            )
        )
    except FazhiError as exc:
        window.show_error(str(exc))
        return None
    name = f"{report.unit or '年度报告'}{chosen_year}年法治政府建设情况报告（初稿）.docx"
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in name)
    target = _ask_save(window, "保存年度报告初稿", name, "Word 文档 (*.docx)")
    if target is None:
        return None
    if target.suffix.lower() != ".docx":
        target = target.with_name(target.name + ".docx")
    if not _write(window, report, target):
        return None
    _offer_to_open(window, target, report.warnings)
    return target


def _write(window: MainWindow, report: AnnualReport, target: Path) -> bool:
    from fazhi_desktop.io.docx.annual_report import write_annual_report

    try:
        run_with_progress(
            window, "正在生成年度报告初稿…", lambda: write_annual_report(report, target)
        )
    except FazhiError as exc:
        window.show_error(str(exc))
        return False
    except OSError as exc:
        window.show_error(f"无法写入“{target}”：{exc.strerror or exc}。请另选位置后重试。")
        return False
    return True


def _offer_to_open(window: MainWindow, target: Path, warnings: Sequence[str]) -> None:
    window.statusBar().showMessage(f"已生成年度报告初稿：{target}", 8000)
    box = QMessageBox(window)
    box.setObjectName("annualReportDone")
    box.setWindowTitle("年度报告初稿已生成")
    box.setIcon(QMessageBox.Icon.Information)
    notes = "".join(f"\n注意：{w}" for w in warnings)
    box.setText(f"已保存到：\n{target}\n\n灰色斜体的“撰写提示”段落请在定稿前删除。{notes}")
    open_file = box.addButton("打开文件(&O)", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("打开所在文件夹(&F)", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_file:
        open_path(target)
    elif clicked is open_folder:
        open_path(target.parent)
