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


def test_the_ledger_preview_says_where_each_task_came_from_and_asks_for_the_year(
    window: object, tmp_path: object, monkeypatch: object
) -> None:
    """A 台账 naming no year: the preview shows each task's row, and the year the clerk gives
    there is the one 年底前 is read in (issue 14: one rule, shown in the preview, asked for)."""
    import datetime as dt
    from pathlib import Path

    import pytest
    from conftest import finish, wait_for
    from openpyxl import Workbook
    from PySide6.QtWidgets import QPushButton, QSpinBox

    from fazhi_desktop.ui import import_preview
    from fazhi_desktop.ui.actions import file as file_actions

    assert isinstance(tmp_path, Path) and isinstance(monkeypatch, pytest.MonkeyPatch)
    book = Workbook()
    sheet = book.active
    sheet.append(["工作台账"])
    sheet.append(["序号", "主要任务", "完成时间", "进展情况", "责任科室", "责任人", "备注"])
    sheet.append(["1", "完善行政执法制度", "年底前", "", "法制科", "张三", ""])
    sheet.append(["2", "开展普法宣传", "6月底前", "", "宣传科", "李四", ""])
    path = tmp_path / "台账.xlsx"
    book.save(path)

    seen: list[tuple[list[str], list[dt.date | None]]] = []

    def answer(dialog: import_preview.ImportPreviewDialog) -> int:
        model = dialog.findChild(import_preview.QTableView, "previewTable").model()
        sources = [model.index(r, 0).data() for r in range(model.rowCount())]
        seen.append((sources, [t.deadline for t in model._tasks]))
        if len(seen) == 1:  # first look: no year known; give 2025 and read again
            dialog.findChild(QSpinBox, "previewYear").setValue(2025)
            dialog.findChild(QPushButton, "previewReread").click()
            return dialog.result()
        return int(import_preview.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(import_preview.ImportPreviewDialog, "exec", answer)
    finish(file_actions.import_xlsx(window, path))  # type: ignore[arg-type]
    wait_for(lambda: len(seen) == 2)  # the second read runs in the background too
    first, second = seen
    assert first[0] == ["第 3 行", "第 4 行"]
    assert first[1] == [None, None]
    assert second[1] == [dt.date(2025, 12, 31), dt.date(2025, 6, 30)]
