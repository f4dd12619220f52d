"""The window, driven through the real table view as a clerk would."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, finish, require_tool
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from fazhi_desktop.cli import main as cli_main
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.status import Colour
from fazhi_desktop.services import ledgers
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui import app as app_module
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions import file as file_actions
from fazhi_desktop.ui.actions import tasks as task_actions
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.task_model import COL_PROGRESS, COL_STATUS, COL_TITLE, RowObjectRole


def _ui_state(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def _proxy_row_of_seq(win: MainWindow, seq: str) -> int:
    for row in range(win.proxy.rowCount()):
        if win.proxy.index(row, 0).data(RowObjectRole).seq == seq:
            return row
    raise AssertionError(f"no row with seq {seq}")


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as a clerk does: Latin by keys, Chinese committed by the IME, Enter for new lines."""
    for chunk in re.findall(r"\n|[\x20-\x7e]+|[^\x20-\x7e\n]+", text):
        if chunk == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def _type_progress(qtbot: QtBot, win: MainWindow, seq: str, text: str) -> None:
    index = win.proxy.index(_proxy_row_of_seq(win, seq), COL_PROGRESS)
    win.table.setCurrentIndex(index)
    win.table.setFocus()
    qtbot.keyClick(win.table, Qt.Key.Key_F2)
    editor = win.table.findChild(QPlainTextEdit, "multiLineEditor")
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    _type(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def _db_progress(db_path: Path, seq: str) -> str:
    db = open_database(db_path)
    try:
        with db.session() as s:
            record = ledgers.load_record(s, ledgers.resolve_ledger_id(s, None), today=TODAY)
        return next(t.progress for t in record.tasks if t.seq == seq)
    finally:
        db.close()


def test_demo_shows_every_colour_and_counts(window: MainWindow) -> None:
    assert window.model.rowCount() == 17
    colours = {t.colour for t in window.model.tasks()}
    assert {Colour.OVERDUE, Colour.DUE_SOON, Colour.DONE, Colour.DONE_LATE, Colour.NONE} <= colours
    text = window.counts_label.text()
    overdue = sum(t.colour is Colour.OVERDUE for t in window.model.tasks())
    assert f"逾期 {overdue}" in text and "共 17" in text
    brush = window.proxy.index(0, COL_TITLE).data(Qt.ItemDataRole.BackgroundRole)
    first = window.model.tasks()[0]
    assert (brush is None) == (first.colour is Colour.NONE)
    assert window.period_label.text().startswith("填报期间：2026年11月")


def test_progress_edit_through_table_is_saved_at_once(
    qtbot: QtBot, window: MainWindow, db_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    text = "=已完成80%，第一行\n第二行"
    _type_progress(qtbot, window, "3", text)
    shown = window.proxy.index(_proxy_row_of_seq(window, "3"), COL_PROGRESS).data()
    assert shown == text
    # Another connection sees it before the window closes: the edit was committed at once.
    assert _db_progress(db_path, "3") == text
    window.close()
    assert _db_progress(db_path, "3") == text
    assert cli_main(["--db", str(db_path), "--today", TODAY.isoformat(), "list", "--json"]) == 0
    listed = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert next(t for t in listed[0]["tasks"] if t["seq"] == "3")["progress"] == text


def test_escape_cancels_edit(qtbot: QtBot, window: MainWindow, db_path: Path) -> None:
    before = _db_progress(db_path, "2")
    index = window.proxy.index(_proxy_row_of_seq(window, "2"), COL_PROGRESS)
    window.table.setCurrentIndex(index)
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    editor = window.table.findChild(QPlainTextEdit, "multiLineEditor")
    assert editor is not None
    _type(qtbot, editor, "不要保存")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert _db_progress(db_path, "2") == before


def test_undo_and_redo_progress(qtbot: QtBot, window: MainWindow, db_path: Path) -> None:
    before = _db_progress(db_path, "6")
    _type_progress(qtbot, window, "6", "十一月推进情况")
    assert _db_progress(db_path, "6") == "十一月推进情况"
    window.undo_action.trigger()
    assert _db_progress(db_path, "6") == before
    window.redo_action.trigger()
    assert _db_progress(db_path, "6") == "十一月推进情况"


def test_other_fields_editable_and_deadline_rederived(window: MainWindow) -> None:
    row = _proxy_row_of_seq(window, "13")
    index = window.proxy.index(row, 2)
    assert window.proxy.setData(index, "11.20")
    task = window.proxy.index(row, 0).data(RowObjectRole)
    assert task.deadline == dt.date(2026, 11, 20)
    assert task.colour is Colour.OVERDUE
    window.undo_action.trigger()
    task = window.proxy.index(row, 0).data(RowObjectRole)
    assert task.deadline == dt.date(2027, 3, 2)


def test_search_and_filters(qtbot: QtBot, window: MainWindow) -> None:
    _type(qtbot, window.search, "行政复议")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)
    assert "行政复议" in window.proxy.index(0, COL_TITLE).data()
    window.clear_filters()
    assert window.proxy.rowCount() == 17
    window.status_filter.setCurrentText("逾期未完成")
    shown = [window.proxy.index(r, 0).data(RowObjectRole) for r in range(window.proxy.rowCount())]
    assert shown and all(t.colour is Colour.OVERDUE for t in shown)
    window.status_filter.setCurrentIndex(0)
    window.dept_filter.setCurrentText("机关总支")
    shown = [window.proxy.index(r, 0).data(RowObjectRole) for r in range(window.proxy.rowCount())]
    assert shown and all("机关总支" in t.department for t in shown)
    assert len(shown) < 17


def test_add_delete_with_confirmation_and_undo(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.select_task(window.model.tasks()[4].id)
    task_actions.add_task(window)
    QApplication.processEvents()
    assert window.model.rowCount() == 18
    assert window.model.tasks()[5].title == "新任务"
    window.undo_action.trigger()
    assert window.model.rowCount() == 17

    victim = window.model.tasks()[2]
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: QMessageBox.StandardButton.No,
    )
    window.select_task(victim.id)
    task_actions.delete_task(window)
    assert window.model.rowCount() == 17
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: QMessageBox.StandardButton.Yes,
    )
    task_actions.delete_task(window)
    assert window.model.rowCount() == 16
    assert victim.id not in {t.id for t in window.model.tasks()}
    window.undo_action.trigger()
    restored = window.model.tasks()[2]
    assert (restored.id, restored.title, restored.progress) == (
        victim.id,
        victim.title,
        victim.progress,
    )


def test_move_and_mark_done(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = window.model.tasks()[:2]
    window.select_task(second.id)
    task_actions.move_task(window, -1)
    assert [t.id for t in window.model.tasks()[:2]] == [second.id, first.id]
    window.undo_action.trigger()
    assert [t.id for t in window.model.tasks()[:2]] == [first.id, second.id]

    overdue = next(t for t in window.model.tasks() if t.colour is Colour.OVERDUE)
    monkeypatch.setattr(task_actions, "ask_done_date", lambda *a: TODAY)
    window.select_task(overdue.id)
    task_actions.toggle_done(window)
    task = window.model.tasks()[window.model.row_of(overdue.id) or 0]
    assert task.done and task.colour is Colour.DONE_LATE
    status_text = window.proxy.index(
        window.proxy.mapFromSource(
            window.model.index(window.model.row_of(overdue.id) or 0, 0)
        ).row(),
        COL_STATUS,
    ).data()
    assert status_text == "逾期完成"


def test_detail_pane_shows_requirements_and_history(window: MainWindow) -> None:
    task = window.model.tasks()[0]
    window.select_task(task.id)
    html = window.detail.toPlainText()
    assert "任务要求" in html and "进展情况（按月）" in html
    assert "立法" in html and "2026年11月" in html and "2026年10月" in html


def test_geometry_and_column_widths_remembered(qtbot: QtBot, db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    try:
        win = app_module.open_window(
            db, today=TODAY, settings=AppSettings(), ui_state=_ui_state(tmp_path)
        )
        qtbot.addWidget(win)
        win.table.setColumnWidth(COL_TITLE, 333)
        win.close()
        again = MainWindow(db, today=TODAY, settings=AppSettings(), ui_state=_ui_state(tmp_path))
        qtbot.addWidget(again)
        assert again.table.columnWidth(COL_TITLE) == 333
        again.close()
    finally:
        db.close()


def test_screenshot_mode(db_path: Path, tmp_path: Path, qapp: QApplication) -> None:
    out = tmp_path / "shot.png"
    code = app_module.main(
        [
            "fazhi-desktop",
            "--db",
            str(db_path),
            "--today",
            TODAY.isoformat(),
            "--screenshot",
            str(out),
        ]
    )
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    # Later event loops in this process still run: no quit request was left behind.
    import time

    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(150, loop.quit)
    start = time.perf_counter()
    loop.exec()
    assert time.perf_counter() - start >= 0.1


def test_print_path_renders_every_page(demo_db: Path, tmp_path: Path, qapp: QApplication) -> None:
    """The 打印 path without a printer: Qt's PDF printer stands in for the system one."""
    from PySide6.QtPrintSupport import QPrinter

    from fazhi_desktop.services import exports
    from fazhi_desktop.ui import printing

    pdfinfo = require_tool("pdfinfo")
    db = open_database(demo_db)
    try:
        with db.session() as s:
            record = exports.snapshot(s, 1, today=TODAY, settings=AppSettings())
    finally:
        db.close()
    source = tmp_path / "ledger.pdf"
    pages = exports.export_pdf(record, source, AppSettings())
    printer = printing._printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert printing.render_pdf_to_printer(source, printer) == pages
    info = subprocess.run(
        [pdfinfo, str(tmp_path / "printed.pdf")], capture_output=True, text=True, check=True
    ).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert int(fields["Pages"]) == pages
    width, height = (float(v) for v in fields["Page size"].split("pts")[0].split(" x "))
    assert round(width) == 842 and round(height) == 595  # A4 landscape


def test_screenshot_mode_reports_a_bad_database(
    tmp_path: Path, qapp: QApplication, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_text("这不是数据库", encoding="utf-8")
    out = tmp_path / "shot.png"
    code = app_module.main(["fazhi-desktop", "--db", str(bad), "--screenshot", str(out)])
    assert code == 2
    assert "不是法治台账的数据库" in capsys.readouterr().err
    assert not out.exists()
    assert bad.read_text(encoding="utf-8") == "这不是数据库"


def test_import_xlsx_from_the_window_after_preview(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fazhi_desktop.services import exports
    from fazhi_desktop.ui import import_preview

    record = window.run(lambda s: exports.snapshot(s, 1, today=TODAY, settings=AppSettings()))
    workbook = tmp_path / "返回台账.xlsx"
    exports.export_xlsx(record, workbook, AppSettings())

    monkeypatch.setattr(import_preview.ImportPreviewDialog, "exec", lambda self: 0)
    finish(file_actions.import_xlsx(window, workbook))  # cancelled in the preview: nothing saved
    assert window.ledger_combo.count() == 1

    monkeypatch.setattr(
        import_preview.ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted
    )
    finish(file_actions.import_xlsx(window, workbook))
    assert window.ledger_id is not None and window.ledger_id != 1
    assert window.ledger_combo.count() == 2
    assert [t.title for t in window.model.tasks()] == [t.title for t in record.tasks]


def test_cli_export_then_import_round_trip(
    demo_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    out = tmp_path / "台账.xlsx"
    base = ["--db", str(demo_db), "--today", TODAY.isoformat()]
    assert cli_main([*base, "export-xlsx", "-o", str(out)]) == 0
    assert cli_main([*base, "import-xlsx", str(out)]) == 0
    capsysbinary.readouterr()
    assert cli_main([*base, "list", "--json"]) == 0
    first, second = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    # What the issue asks to survive; done-ness needs the optional 状态 column.
    keys = ("seq", "task", "deadline", "progress", "department", "owner")
    assert [[t[k] for k in keys] for t in first["tasks"]] == [
        [t[k] for k in keys] for t in second["tasks"]
    ]


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_export_from_the_window_remembers_the_folder(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    folder = tmp_path / "报送"
    folder.mkdir()
    asked: list[str] = []

    def fake_dialog(_parent: object, _title: str, start: str, _pattern: str) -> tuple[str, str]:
        asked.append(start)
        return str(folder / "台账"), ""  # no suffix typed: the program adds it

    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", fake_dialog)
    finish(file_actions.export(window, kind))
    written = folder / f"台账.{kind}"
    assert written.is_file() and written.stat().st_size > 1000
    finish(file_actions.export(window, kind))
    assert Path(asked[1]).parent == folder


def test_print_action_goes_through_the_print_dialog(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from fazhi_desktop.ui import printing

    out = tmp_path / "paper.pdf"
    real_printer = printing._printer

    def pdf_printer() -> QPrinter:
        printer = real_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(printing, "_printer", pdf_printer)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Rejected)
    file_actions.print_ledger(window)
    assert not out.exists()  # cancelled in the dialog: nothing printed
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Accepted)
    file_actions.print_ledger(window)
    assert out.is_file() and out.stat().st_size > 10_000
