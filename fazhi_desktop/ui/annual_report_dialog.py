"""The 生成年度报告初稿 dialog: the year, the 台账 to draw from, the reporting unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from fazhi_desktop.ui.dialogs import ok_cancel_buttons
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from fazhi_desktop.services.ledgers import LedgerSummary


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
        for ledger in self._ledgers:
            year_text = f"{ledger.year}年 " if ledger.year else ""
            item = QListWidgetItem(
                f"{year_text}{ledger.title or '未命名台账'}（{ledger.task_count}项）"
            )
            item.setData(Qt.ItemDataRole.UserRole, ledger.id)
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
