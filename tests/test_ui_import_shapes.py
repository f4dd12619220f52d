"""The import dialogs and issue 14: the task-level control, and the rows a 台账 import left out."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from test_import_cli import POINTS

from fazhi_desktop.models.records import LedgerDraft
from fazhi_desktop.ui.plan_dialog import PlanImportDialog


def test_the_level_box_offers_the_documents_levels_and_reparses(qtbot: QtBot) -> None:
    saved: list[LedgerDraft] = []
    widget = PlanImportDialog(None, save=lambda draft: saved.append(draft) or 1)
    qtbot.addWidget(widget)
    widget.set_text(POINTS)
    box = widget.level_box
    assert box.currentText() == "自动判断（现为“1.”）"
    assert [box.itemData(i) for i in range(box.count())] == [None, 1, 3]
    assert widget.model.rowCount() == 3
    box.setCurrentIndex(box.findData(1))  # the user means the sections
    assert widget.model.rowCount() == 2
    assert widget.draft().tasks[0].title == "深入学习贯彻习近平法治思想"
    assert box.level() == 1  # the choice survives the new parse
    box.setCurrentIndex(0)
    assert widget.model.rowCount() == 3


def test_the_ledger_preview_lists_the_rows_it_did_not_use(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPlainTextEdit

    from fazhi_desktop.models.records import TaskDraft, Unused
    from fazhi_desktop.ui.import_preview import ImportPreviewDialog

    draft = LedgerDraft(
        title="2024年工作台账",
        tasks=[TaskDraft(seq="1", title="任务甲")],
        unused=[Unused(4, "第 4 行", "2", "只有序号的空行")],
    )
    dialog = ImportPreviewDialog(draft, "台账.xlsx")
    qtbot.addWidget(dialog)
    listed = dialog.findChild(QPlainTextEdit, "previewUnused")
    assert listed is not None and listed.toPlainText() == "第 4 行：2（只有序号的空行）"
