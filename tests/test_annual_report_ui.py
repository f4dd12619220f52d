"""文件 → 生成年度报告初稿, driven from the window's menu with the demo 台账."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from conftest import TODAY, wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from fazhi_desktop.models.report_records import PARTS
from fazhi_desktop.services.ledgers import LedgerSummary
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions import annual_report as report_actions
from fazhi_desktop.ui.annual_report_dialog import AnnualReportDialog
from fazhi_desktop.ui.main_window import MainWindow


def _menu_action(win: MainWindow) -> object:
    (action,) = [a for a in win.file_menu.actions() if a.objectName() == "annualReportAction"]
    assert action.text() == "生成年度报告初稿(&Y)…"
    return action


def test_menu_writes_the_draft_and_opens_its_folder(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "报告"
    folder.mkdir()
    shown: list[AnnualReportDialog] = []

    def accept(dialog: AnnualReportDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    def save_as(_parent: object, _title: str, start: str, _pattern: str) -> tuple[str, str]:
        assert start.endswith(".docx") and str(TODAY.year) in start
        return str(folder / "初稿"), ""  # no suffix typed: the program adds it

    def click_open_folder(box: QMessageBox) -> int:
        assert box.objectName() == "annualReportDone" and "撰写提示" in box.text()
        next(b for b in box.buttons() if b.text() == "打开所在文件夹(&F)").click()
        return 0

    opened: list[Path] = []
    monkeypatch.setattr(AnnualReportDialog, "exec", accept)
    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(QMessageBox, "exec", click_open_folder)
    monkeypatch.setattr(report_actions, "open_path", opened.append)
    _menu_action(window).trigger()  # type: ignore[attr-defined]
    wait_for(lambda: opened)  # the draft is written in the background

    # The dialog proposed the shown 台账's year, with that 台账 ticked.
    (dialog,) = shown
    assert dialog.year.value() == TODAY.year and dialog.ledger_ids == [window.ledger_id]
    written = folder / "初稿.docx"
    assert opened == [folder]
    doc = docx.Document(str(written))
    parts = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert [p.split("、", 1)[1] for p in parts] == list(PARTS)
    assert "已生成年度报告初稿" in window.statusBar().currentMessage()


def test_a_year_without_tasks_is_explained_and_nothing_is_asked_or_written(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def earlier_year(dialog: AnnualReportDialog) -> int:
        dialog.year.setValue(TODAY.year - 1)  # no 台账 of that year: the shown one stays ticked
        return QDialog.DialogCode.Accepted

    def no_save_dialog(*_args: object) -> tuple[str, str]:
        raise AssertionError("the save dialog must not open")

    errors: list[str] = []
    monkeypatch.setattr(AnnualReportDialog, "exec", earlier_year)
    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", no_save_dialog)
    monkeypatch.setattr(window, "show_error", errors.append)
    assert report_actions.generate_annual_report(window) is None
    assert len(errors) == 1 and f"没有属于 {TODAY.year - 1} 年的任务" in errors[0]


def _summary(id_: int, year: int | None, title: str, kind: str = "ledger") -> LedgerSummary:
    return LedgerSummary(id=id_, title=title, year=year, unit="", kind=kind, task_count=3)


def test_dialog_ticks_the_ledgers_of_the_chosen_year(qtbot: QtBot, tmp_path: Path) -> None:
    summaries = [
        _summary(1, 2025, "2025年台账"),
        _summary(2, 2025, "2025年执法科台账"),
        _summary(3, 2026, "2026年台账"),
        _summary(4, None, "年度未填的台账"),
        _summary(5, 2025, "2025年台账（汇总）", kind="summary"),
    ]
    dialog = AnnualReportDialog(summaries, year=2025, today=dt.date(2026, 2, 1), current=4)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.ledger_ids == [1, 2] and ok.isEnabled()
    assert dialog.year.maximum() == 2026  # a report for a year not yet begun cannot be asked
    dialog.year.setValue(2026)
    assert dialog.ledger_ids == [3]
    dialog.year.setValue(2024)  # none of that year: the 台账 the window shows
    assert dialog.ledger_ids == [4]
    dialog.ledger_list.item(3).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.ledger_ids == [] and not ok.isEnabled()
    dialog.ledger_list.item(4).setCheckState(Qt.CheckState.Checked)  # a 汇总 ledger, by hand
    assert dialog.ledger_ids == [5] and ok.isEnabled()
    dialog.show()
    qtbot.waitExposed(dialog)
    shot = tmp_path / "annual-report-dialog.png"
    assert dialog.grab().save(str(shot)) and shot.stat().st_size > 1000
