"""新建汇总台账: the plan or 台账 whose tasks are copied, and the units expected to report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel

from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.dialogs import ok_cancel_buttons
from fazhi_desktop.ui.summary.unit_list import UnitListEditor
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from fazhi_desktop.services.ledgers import LedgerSummary



def ledger_label(ledger: LedgerSummary) -> str:
    title = ledger.title or "未命名台账"
    # Most titles start with their year (“2026年法治政府建设…”); say it once.
    year = f"{ledger.year}年 " if ledger.year and not title.startswith(str(ledger.year)) else ""
    kind = LedgerKind(ledger.kind).badge
    return f"{kind}{year}{title}（{ledger.task_count}项）"


class NewSummaryDialog(QDialog):
    """Choose the plan or 台账 to copy the tasks from; review the units expected to report."""

    def __init__(
        self, api: WindowApi, templates: Sequence[LedgerSummary], current: int | None
    ) -> None:
        super().__init__(api.widget)
        self.setObjectName("newSummaryDialog")
        self.setWindowTitle("新建汇总台账")
        self._api = api
        self._templates = list(templates)
        form = QFormLayout(self)
        intro = QLabel(
            "汇总台账复制模板的全部任务（序号、主要任务、完成时间、任务要求），"
            "用来汇总各单位报送的进展。应报单位默认取模板“责任单位”中的具体单位，可增删改名。",
            self,
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.template = QComboBox(self)
        self.template.setObjectName("templateCombo")
        for ledger in self._templates:
            self.template.addItem(ledger_label(ledger), ledger.id)
        index = self.template.findData(current) if current is not None else -1
        self.template.setCurrentIndex(max(index, 0))
        self.template.currentIndexChanged.connect(lambda *_: self._load_units())
        form.addRow("模板（方案或台账）(&T)：", self.template)
        self.units = UnitListEditor(self)
        self.units.changed.connect(self._update_ok)
        form.addRow("应报单位(&U)：", self.units)
        self.count = QLabel(self)
        form.addRow("", self.count)
        self.buttons = ok_cancel_buttons(self, "建立")
        form.addRow(self.buttons)
        self._load_units()
        self.resize(640, 520)

    @property
    def template_id(self) -> int:
        return int(self.template.currentData())

    def _load_units(self) -> None:
        from fazhi_desktop.services import summary

        template_id = self.template_id
        self.units.set_units(self._api.run(lambda s: summary.default_units(s, template_id)))
        self._update_ok()

    def _update_ok(self) -> None:
        names = self.units.units()
        self.count.setText(
            f"共 {len(names)} 个单位" if names else "模板中没有具体的责任单位，请点“添加单位”。"
        )
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(bool(names))
