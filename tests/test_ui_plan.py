"""The 导入方案 dialog and the link commands, driven through the real widgets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, finish, wait_for
from plan_samples import (
    INLINE_POINTS,
    WORK_POINTS,
    WORK_POINTS_UNPLACED,
    attachment_text,
    write_work_points_docx,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot
from test_plan_link import TRUTH_004

from fazhi_desktop.models.orm import Task
from fazhi_desktop.models.records import LedgerDraft
from fazhi_desktop.services import imports, plans
from fazhi_desktop.ui.actions import plan as plan_actions
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.plan_dialog import PlanImportDialog
from fazhi_desktop.ui.plan_link import LinkPlanDialog, PlanTaskChooser
from fazhi_desktop.ui.plan_preview_model import COL_DEADLINE, COL_REQUIREMENTS, COL_TITLE
from fazhi_desktop.ui.task_model import RowObjectRole

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[tuple[PlanImportDialog, list[LedgerDraft]]]:
    saved: list[LedgerDraft] = []

    def save(draft: LedgerDraft) -> int:
        saved.append(draft)
        return 7

    widget = PlanImportDialog(None, save=save)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget, saved
    widget.close()


def _button(widget: QDialog, name: str) -> QPushButton:
    button = widget.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _select_unplaced(widget: PlanImportDialog, texts: list[str]) -> None:
    widget.unplaced.clearSelection()
    for row in range(widget.unplaced.rowCount()):
        cell = widget.unplaced.item(row, 1)
        if cell is not None and cell.text() in texts:
            widget.unplaced.selectRow(row)


def _type(qtbot: QtBot, editor: QPlainTextEdit, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(editor, event)


def test_a_docx_plan_is_previewed_corrected_and_saved(
    dialog: tuple[PlanImportDialog, list[LedgerDraft]],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    widget, saved = dialog
    assert not widget.save_button.isEnabled()
    finish(widget.load_file(write_work_points_docx(tmp_path / "工作要点.docx")))
    model = widget.model
    assert model.rowCount() == len(WORK_POINTS)
    assert [model.index(r, COL_TITLE).data() for r in range(model.rowCount())] == [
        w.title for w in WORK_POINTS
    ]
    assert widget.title_edit.text() == "某某区2024年法治政府建设工作要点"
    assert widget.year_box.value() == 2024
    assert widget.unplaced.rowCount() == len(WORK_POINTS_UNPLACED)
    assert "未识别的段落（8 处）" in widget.unplaced_label.text()

    # Correct a title as a clerk does: F2, type, Ctrl+Enter.
    index = model.index(0, COL_TITLE)
    widget.table.setCurrentIndex(index)
    widget.table.setFocus()
    qtbot.keyClick(widget.table, Qt.Key.Key_F2)
    editor = widget.table.findChild(QPlainTextEdit, "multiLineEditor")
    assert editor is not None
    editor.selectAll()
    _type(qtbot, editor, "深入学习贯彻习近平法治思想（修订）")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert model.tasks()[0].title == "深入学习贯彻习近平法治思想（修订）"

    # The closing section becomes a task of its own; its sentence a 任务要求 of task (四).
    _select_unplaced(widget, ["三、保障措施"])
    qtbot.mouseClick(_button(widget, "unplacedToTask"), Qt.MouseButton.LeftButton)
    assert model.rowCount() == 5
    new = model.tasks()[4]
    assert (new.seq, new.title) == ("三、", "保障措施")
    widget.table.selectRow(3)
    _select_unplaced(widget, ["各单位要加强组织领导，确保各项任务落到实处。"])
    qtbot.mouseClick(_button(widget, "unplacedToRequirement"), Qt.MouseButton.LeftButton)
    assert model.tasks()[3].requirements[-1] == "各单位要加强组织领导，确保各项任务落到实处。"
    assert widget.unplaced.rowCount() == 6

    # Saving with paragraphs left asks first; "No" keeps the dialog open.
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> Any:
        def ask(*args: Any, **_: Any) -> QMessageBox.StandardButton:
            asked.append(str(args[2]))
            return reply

        return ask

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert saved == [] and widget.isVisible() and "6 处" in asked[0]

    widget.unplaced.selectAll()
    qtbot.keyClick(widget.unplaced, Qt.Key.Key_Delete)
    assert widget.unplaced.rowCount() == 0
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1  # nothing left to ask about
    assert widget.result() == QDialog.DialogCode.Accepted and widget.saved_ledger_id == 7
    (draft,) = saved
    assert draft.kind == "plan" and draft.year == 2024 and draft.source == "工作要点.docx"
    assert [t.title for t in draft.tasks][1:4] == [w.title for w in WORK_POINTS[1:]]
    assert draft.tasks[1].deadline == dt.date(2024, 12, 31)


def test_pasted_text_is_parsed_and_reparsed(
    dialog: tuple[PlanImportDialog, list[LedgerDraft]], qtbot: QtBot
) -> None:
    widget, _saved = dialog
    widget.source.setFocus()
    widget.set_text(INLINE_POINTS)
    assert widget.model.rowCount() == 4
    assert widget.year_box.value() == 2024
    # The clerk adds a task to the text and presses F5.
    widget.source.setPlainText(
        INLINE_POINTS.replace(
            "三、保障措施",
            "５．推进政务公开。（牵头单位：县政府办；完成时限：9月底前）\n三、保障措施",
        )
    )
    qtbot.keyClick(widget.source, Qt.Key.Key_F5)
    assert widget.model.rowCount() == 5
    fifth = widget.model.tasks()[4]
    assert (fifth.title, fifth.department, fifth.deadline) == (
        "推进政务公开",
        "县政府办",
        dt.date(2024, 9, 30),
    )
    # Another year moves every date that names none.
    widget.year_box.setValue(2025)
    assert widget.model.tasks()[4].deadline == dt.date(2025, 9, 30)
    assert widget.model.index(0, COL_DEADLINE).data() == "2024-06-30"  # its text names 2024
    assert "1. 严格合法性审核" in widget.model.index(2, COL_REQUIREMENTS).data()
    # Selecting a task shows where it is in the text.
    widget.table.selectRow(4)
    assert widget.source.textCursor().selectedText().startswith("５．推进政务公开")


def test_what_is_not_a_plan_is_said_in_the_dialog(
    dialog: tuple[PlanImportDialog, list[LedgerDraft]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    widget, _saved = dialog
    widget.set_text("今天开会，讨论了很多事情。\n大家都发了言。")
    assert widget.model.rowCount() == 0 and not widget.save_button.isEnabled()
    assert "没有在" in widget.status.text() and "找到任务" in widget.status.text()
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *args, **_: warnings.append(str(args[2])) or 0
    )
    old = tmp_path / "旧方案.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    op = widget.load_file(old)
    finish(op)
    assert op.error is not None and widget.model.rowCount() == 0
    assert "另存为" in warnings[0] and ".docx" in warnings[0]


# --- the window -------------------------------------------------------------------------------


def _links(win: MainWindow, ledger_id: int) -> dict[str, str | None]:
    def read(session: Any) -> dict[str, str | None]:
        out = {}
        for task in session.query(Task).filter(Task.ledger_id == ledger_id):
            target = session.get(Task, task.plan_task_id) if task.plan_task_id else None
            out[task.seq] = target.seq if target else None
        return out

    return win.run(read)


def _select_seq(win: MainWindow, seq: str) -> None:
    for row in range(win.proxy.rowCount()):
        if win.proxy.index(row, 0).data(RowObjectRole).seq == seq:
            win.table.setCurrentIndex(win.proxy.index(row, 1))
            return
    raise AssertionError(seq)


def test_menu_entries(window: MainWindow) -> None:
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts[texts.index("导入 Excel 台账(&I)…") + 1] == plan_actions.IMPORT_TEXT
    names = {a.objectName(): a.shortcut().toString() for a in window.actions()}
    assert names["importPlanAction"] == "Ctrl+Shift+O"
    assert names["linkTaskAction"] == "Ctrl+K"
    assert names["linkLedgerAction"] == "Ctrl+Shift+K"


def test_import_a_plan_and_link_the_ledger_from_the_window(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = imports.read_xlsx(FIXTURES / "notice_004_lo.xlsx", today=TODAY)
    ledger_id = window.run(lambda s: imports.save_draft(s, draft, today=TODAY).ledger_id)
    window.ledger_id = ledger_id
    window.reload_ledgers()
    plan_file = tmp_path / "方案.txt"
    plan_file.write_text(attachment_text(), encoding="gb18030")

    questions: list[str] = []

    def yes(*args: Any, **_: Any) -> QMessageBox.StandardButton:
        questions.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    def save_and_close(self: PlanImportDialog) -> int:
        wait_for(lambda: self.loading is None)  # the file is read in the background
        self.save()
        return int(self.result())

    monkeypatch.setattr(QMessageBox, "question", yes)
    monkeypatch.setattr(PlanImportDialog, "exec", save_and_close)
    shown: list[LinkPlanDialog] = []

    def accept(self: LinkPlanDialog) -> int:
        shown.append(self)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(LinkPlanDialog, "exec", accept)
    plan_id = plan_actions.import_plan(window, plan_file)
    assert plan_id is not None
    assert any("当前台账" in q for q in questions)  # the offer to link
    assert window.ledger_id == ledger_id  # still on the 台账, now linked
    assert shown and shown[0].summary.text().startswith("17 项任务中 17 项将关联")
    assert _links(window, ledger_id) == TRUTH_004

    _select_seq(window, "1")
    pane = window.detail.toPlainText()
    assert "坚持立、改、废、释并举" in pane and "加强政府立法机构和政府立法队伍建设" in pane

    window.undo_stack.undo()
    assert set(_links(window, ledger_id).values()) == {None}
    _select_seq(window, "1")
    assert "坚持立、改、废、释并举" not in window.detail.toPlainText()
    window.undo_stack.redo()
    assert _links(window, ledger_id) == TRUTH_004


def test_correct_one_link_by_hand(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = imports.read_xlsx(FIXTURES / "notice_004_lo.xlsx", today=TODAY)
    ledger_id = window.run(lambda s: imports.save_draft(s, draft, today=TODAY).ledger_id)
    plan_draft = plans.parse_plan_text(attachment_text()).draft
    plan_id = window.run(lambda s: plans.save_plan(s, plan_draft, today=TODAY).ledger_id)
    window.run(lambda s: plans.link_plan(s, ledger_id, plan_id))
    window.ledger_id = ledger_id
    window.reload_ledgers()
    _select_seq(window, "16")
    seen: list[str] = []

    def pick(label: str) -> Any:
        def choose(self: PlanTaskChooser) -> int:
            seen.append(self.list.currentItem().text())
            for i in range(self.list.count()):
                if self.list.item(i).text().startswith(label):
                    self.list.setCurrentRow(i)
            return int(QDialog.DialogCode.Accepted)

        return choose

    monkeypatch.setattr(PlanTaskChooser, "exec", pick("(二十三)"))
    assert plan_actions.link_current_task(window)
    assert seen == ["(二十四) 加强宣传引导,完善法治政府建设研究宣传机制"]  # the current link
    assert _links(window, ledger_id)["16"] == "(二十三)"
    assert "加强中国特色社会主义法治政府建设理论研究" in window.detail.toPlainText()

    def unlink(self: PlanTaskChooser) -> int:
        self._choose_unlink()
        return int(self.result())

    monkeypatch.setattr(PlanTaskChooser, "exec", unlink)
    assert plan_actions.link_current_task(window)
    assert _links(window, ledger_id)["16"] is None
    window.undo_stack.undo()
    assert _links(window, ledger_id)["16"] == "(二十三)"
    window.undo_stack.undo()
    assert _links(window, ledger_id)["16"] == "(二十四)"


def test_linking_needs_a_plan_and_a_ledger(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", errors.append)
    assert not plan_actions.link_ledger(window)
    assert not plan_actions.link_current_task(window)
    assert all(re.search("导入方案", e) for e in errors) and len(errors) == 2
