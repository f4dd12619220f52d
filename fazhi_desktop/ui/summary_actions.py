"""The 汇总(&S) menu: make a summary ledger, import the units' returns, open the 汇总 view.

Imported while the menu is built, before the window has painted: services and the view are
imported on use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QMenu,
)

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.ui.dialogs import ok_cancel_buttons
from fazhi_desktop.ui.summary_units import UnitListEditor
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fazhi_desktop.services.ledgers import LedgerSummary
    from fazhi_desktop.ui.main_window import MainWindow
    from fazhi_desktop.ui.summary_window import SummaryWindow



def add_summary_menu(window: MainWindow) -> QMenu:
    menu = window.menuBar().addMenu("汇总(&S)")
    menu.setObjectName("summaryMenu")
    for text, name, slot, keys in (
        ("新建汇总台账(&N)…", "newSummaryAction", lambda: new_summary(window), None),
        ("导入报送文件(&I)…", "importReturnsAction", lambda: import_returns(window), None),
        ("汇总情况(&S)", "showSummaryAction", lambda: show_summary(window), "Ctrl+Shift+H"),
    ):
        action = window._action(text, slot, keys)
        action.setObjectName(name)
        menu.addAction(action)
    return menu


def _label(summary: LedgerSummary) -> str:
    title = summary.title or "未命名台账"
    # Most titles start with their year (“2026年法治政府建设…”); say it once.
    year = f"{summary.year}年 " if summary.year and not title.startswith(str(summary.year)) else ""
    kind = (
        LedgerKind(summary.kind).badge
    )
    return f"{kind}{year}{title}（{summary.task_count}项）"


class NewSummaryDialog(QDialog):
    """Choose the plan or 台账 to copy the tasks from; review the units expected to report."""

    def __init__(
        self, window: MainWindow, templates: Sequence[LedgerSummary], current: int | None
    ) -> None:
        super().__init__(window)
        self.setObjectName("newSummaryDialog")
        self.setWindowTitle("新建汇总台账")
        self._window = window
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
        for summary in self._templates:
            self.template.addItem(_label(summary), summary.id)
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
        self.units.set_units(self._window.run(lambda s: summary.default_units(s, template_id)))
        self._update_ok()

    def _update_ok(self) -> None:
        names = self.units.units()
        self.count.setText(
            f"共 {len(names)} 个单位" if names else "模板中没有具体的责任单位，请点“添加单位”。"
        )
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(bool(names))


def new_summary(window: MainWindow) -> int | None:
    """Ask for the template and the units, create the summary ledger, open its view."""
    from fazhi_desktop.services import ledgers, summary

    if window.db is None:
        return None
    templates = [s for s in window.run(ledgers.list_ledgers) if s.kind != LedgerKind.SUMMARY]
    if not templates:
        window.show_error("还没有可作模板的方案或台账。请先用“文件 → 导入 Excel 台账”导入一个。")
        return None
    dialog = NewSummaryDialog(window, templates, window.ledger_id)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    template_id, names = dialog.template_id, dialog.units.units()

    def create(session: Session) -> int:
        return summary.create_summary(session, template_id, units=names)

    try:
        ledger_id = window.run(create)
    except FazhiError as exc:
        window.show_error(str(exc))
        return None
    window.ledger_id = ledger_id
    window.reload_ledgers()
    window.statusBar().showMessage(f"已建立汇总台账，应报单位 {len(names)} 个。", 8000)
    open_summary(window, ledger_id)
    return ledger_id


def _summary_ledger(window: MainWindow) -> int | None:
    """The current ledger if it is a summary; else the only one; else ask which."""
    from fazhi_desktop.services import ledgers

    if window.db is None:
        return None
    summaries = [s for s in window.run(ledgers.list_ledgers) if s.kind == LedgerKind.SUMMARY]
    if not summaries:
        window.show_error(
            "还没有汇总台账。请先用“汇总 → 新建汇总台账”以方案或台账为模板建立，"
            "再导入各单位的报送文件。"
        )
        return None
    current = next((s for s in summaries if s.id == window.ledger_id), None)
    if current is not None:
        return current.id
    if len(summaries) == 1:
        return summaries[0].id
    labels = [_label(s) for s in summaries]
    chosen, ok = QInputDialog.getItem(window, "选择汇总台账", "汇总台账：", labels, 0, False)
    if not ok:
        return None
    return summaries[labels.index(chosen)].id


def open_summary(window: MainWindow, ledger_id: int) -> SummaryWindow:
    """Show the 汇总 view of ``ledger_id`` (bringing an open one to the front)."""
    from fazhi_desktop.ui.summary_window import SummaryWindow

    for child in window.findChildren(SummaryWindow):
        if child.ledger_id == ledger_id and child.isVisible():
            child.raise_()
            child.activateWindow()
            return child
    view = SummaryWindow(window, ledger_id)
    view.show()
    return view


def show_summary(window: MainWindow) -> SummaryWindow | None:
    ledger_id = _summary_ledger(window)
    return None if ledger_id is None else open_summary(window, ledger_id)


def import_returns(window: MainWindow) -> SummaryWindow | None:
    """Open the 汇总 view and ask for the returns to import into it."""
    view = show_summary(window)
    if view is not None:
        view.import_files()
    return view
