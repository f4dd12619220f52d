"""The 汇总 menu and view, driven as the office clerk would (file dialogs bypassed)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage, QPainter
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from fazhi_desktop.models.charts import STATUS_COLOURS
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.orm import Ledger, Return
from fazhi_desktop.models.status import Status
from fazhi_desktop.services import backups, summary, summary_views
from fazhi_desktop.services.ledgers import get_ledger
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions import summary as summary_actions
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.saved_bar import SavedBar
from fazhi_desktop.ui.summary.chart_widget import BarChart, status_bars
from fazhi_desktop.ui.summary.models import STATE_FILL, RowObjectRole
from fazhi_desktop.ui.summary.stats_tab import CHARTS
from fazhi_desktop.ui.summary.window import (
    TAB_LIST,
    TAB_PERIOD,
    TAB_REVIEW,
    TAB_STATS,
    TAB_TASKS,
    TAB_UNITS,
    SummaryWindow,
)

sys.path.insert(0, str(Path(__file__).parent))
from conftest import finish, wait_for
from summary_returns import make_template, write_return

UNITS = ("市司法局", "市委编办", "市财政局", "市教育局")
TODAY = dt.date(2026, 12, 10)
NOV = "2026-11"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    with database.session() as s, s.begin():
        make_template(s, 6, UNITS)
    yield database
    database.close()


@pytest.fixture
def window_database(db: Database) -> Database:
    return db


@pytest.fixture
def window_today() -> dt.date:
    return TODAY


def _template_id(db: Database) -> int:
    with db.session() as s:
        return min(led.id for led in s.query(Ledger).all())


def _summary_id(db: Database) -> int:
    with db.session() as s, s.begin():
        return summary.create_summary(s, _template_id(db))


def _rows(db: Database, unit: str) -> list[tuple[str, str, str]]:
    with db.session() as s:
        tasks = get_ledger(s, _template_id(db)).tasks
        return [(t.seq, t.title, f"{unit}第{t.seq}项进展") for t in tasks]


def _returns(db: Database, folder: Path) -> list[Path]:
    """On time, late, and one with a row no task matches (it must show under 待核对)."""
    folder.mkdir(exist_ok=True)
    extra = [("9", "自行增加的宣传活动", "开展宣传两次")]
    return [
        write_return(folder / "a.xlsx", unit="市司法局", period=NOV,
                     rows=_rows(db, "市司法局"), filled_on=dt.date(2026, 11, 25)),
        write_return(folder / "b.xlsx", unit="市委编办", period=NOV,
                     rows=_rows(db, "市委编办") + extra, filled_on=dt.date(2026, 12, 2)),
        write_return(folder / "c.xlsx", unit="市财政局", period=NOV,
                     rows=_rows(db, "市财政局"), filled_on=dt.date(2026, 11, 28)),
    ]  # fmt: skip


def _open(window: MainWindow, qtbot: QtBot, ledger_id: int) -> SummaryWindow:
    window.ledger_id = ledger_id
    window.reload_ledgers()
    action = next(a for a in window.summary_menu.actions() if a.objectName() == "showSummaryAction")
    action.trigger()
    (view,) = [v for v in window.findChildren(SummaryWindow) if v.isVisible()]
    qtbot.waitExposed(view)
    return view


def _returns_in_db(db: Database) -> list[tuple[str, str]]:
    with db.session() as s:
        return sorted((r.unit, r.file_name) for r in s.query(Return).all())


def _finish_result(view: SummaryWindow) -> list[tuple[str, str, str]]:
    dialog = view.result_dialog
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    rows = [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]
    dialog.close()
    return rows  # type: ignore[return-value]


def test_menu_creates_a_summary_with_edited_units(
    window: MainWindow, db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[summary_actions.NewSummaryDialog] = []

    def accept(dialog: summary_actions.NewSummaryDialog) -> int:
        shown.append(dialog)
        assert dialog.units.units() == list(UNITS)  # the template's 责任单位
        dialog.units.view.setCurrentIndex(dialog.units.model.index(1, 0))
        dialog.units.remove_current()
        dialog.units.add_unit("市审计局", edit=False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(summary_actions.NewSummaryDialog, "exec", accept)
    window.ledger_id = _template_id(db)
    action = next(a for a in window.summary_menu.actions() if a.objectName() == "newSummaryAction")
    action.trigger()
    assert shown
    with db.session() as s:
        (created,) = [led for led in s.query(Ledger).all() if led.kind == "summary"]
        # Removed the second; the new one goes after the selection (now 市财政局).
        assert summary.units_of(s, created.id) == ["市司法局", "市财政局", "市审计局", "市教育局"]
    assert window.ledger_id == created.id
    (view,) = window.findChildren(SummaryWindow)
    qtbot.waitExposed(view)
    assert view.ledger_id == created.id
    assert view.period_tab.model.rowCount() == 4  # nobody has reported yet: all 未报送


@pytest.mark.sqlite_only  # checks the file itself
def test_import_three_returns_with_one_broken(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    ledger_id = _summary_id(db)
    view = _open(window, qtbot, ledger_id)
    good = _returns(db, tmp_path / "in")[:2]
    broken = tmp_path / "in" / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = finish(view.import_paths([good[0], broken, good[1]]))
    assert result is not None and not result.cancelled

    rows = _finish_result(view)
    assert [(mark, name) for mark, name, _m in rows] == [
        ("✓", "a.xlsx"), ("✗", "坏文件.xlsx"), ("✓", "b.xlsx"),
    ]  # fmt: skip
    assert "坏文件.xlsx" in rows[1][2]
    assert "导入 2 个" in view.status.text() and "失败 1 个" in view.status.text()
    assert _returns_in_db(db) == [("市司法局", "a.xlsx"), ("市委编办", "b.xlsx")]
    # The batch was preceded by a safety copy of the database.
    assert any(b.reason == backups.CONSOLIDATION for b in backups.list_backups(db.path))

    # 按期间: every unit with its state, coloured; the period is the one chosen.
    view.tabs.setCurrentIndex(TAB_PERIOD)
    view.period_combo.setCurrentIndex(view.period_combo.findData(NOV))
    view._on_period(view.period_combo.currentIndex())
    states = {}
    for row in range(view.period_tab.model.rowCount()):
        unit = view.period_tab.model.index(row, 0).data()
        cell = view.period_tab.model.index(row, 1)
        states[unit] = cell.data()
        fill = cell.data(Qt.ItemDataRole.BackgroundRole).color()
        assert fill == QColor(STATE_FILL[cell.data()])
    assert states == {"市司法局": "已报送", "市委编办": "逾期报送", "市财政局": "未报送",
                      "市教育局": "未报送"}  # fmt: skip
    assert view.period_tab.model.index(0, 2).data() == "2026年11月25日"

    # 按任务: each task has both units' progress under it.
    view.tabs.setCurrentIndex(TAB_TASKS)
    tree = view.task_tab.model
    assert tree.rowCount() == 6
    for row in range(6):
        task = tree.index(row, 0)
        seq = task.data(RowObjectRole).seq
        children = {
            tree.index(r, 0, task).data(): tree.index(r, 1, task).data()
            for r in range(tree.rowCount(task))
        }
        assert children == {u: f"{u}第{seq}项进展" for u in ("市司法局", "市委编办")}
        assert view.task_tab.tree.isExpanded(task)

    # 按单位: a unit's overdue tasks are those whose deadline has passed.
    view.tabs.setCurrentIndex(TAB_UNITS)
    units = [view.unit_tab.model.row_object(r).unit for r in range(view.unit_tab.model.rowCount())]
    view.unit_tab.table.selectRow(units.index("市委编办"))
    with db.session() as s:
        tasks = summary_views.tasks_across_units(s, ledger_id, today=TODAY, period=NOV)
    late = [t.seq for t in tasks if t.deadline is not None and t.deadline < TODAY]
    assert late  # the fixture has overdue tasks, so the list below is not trivially empty
    overdue = view.unit_tab.overdue_model
    shown = [overdue.row_object(r).seq for r in range(overdue.rowCount())]
    assert shown == late
    assert "市委编办" in view.unit_tab.overdue_label.text()

    # 待核对: the row that matched no task is listed, not dropped.
    view.tabs.setCurrentIndex(TAB_REVIEW)
    kinds = [view.review_tab.model.row_object(r) for r in range(view.review_tab.model.rowCount())]
    assert any(i.kind == "未匹配" and "自行增加的宣传活动" in i.text for i in kinds)
    assert view.tabs.tabText(TAB_REVIEW).startswith(f"待核对（{len(kinds)}）")


def test_cancel_after_the_first_file_imports_only_that_file(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    view = _open(window, qtbot, _summary_id(db))
    files = _returns(db, tmp_path / "in")
    seen: list[tuple[int, int, str]] = []
    op = view.import_paths(files)
    assert op is not None

    def click_cancel(done: int, total: int, text: str) -> None:
        seen.append((done, total, text))
        if done == 0:
            dialog = op.dialog
            assert isinstance(dialog, QProgressDialog) and dialog.maximum() == 3
            assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
            (button,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "取消"]
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    op.progressed.connect(click_cancel)
    result = finish(op)
    assert result is not None and result.cancelled
    assert [o.file for o in result.outcomes] == ["a.xlsx"]
    assert _returns_in_db(db) == [("市司法局", "a.xlsx")]
    assert len(seen) == 1 and seen[0][:2] == (0, 3) and "a.xlsx" in seen[0][2]
    assert "已取消，其余 2 个文件没有导入" in view.result_dialog.summary.text()
    _finish_result(view)
    # Nothing half-done: importing the rest afterwards works and skips nothing.
    again = finish(view.import_paths(files))
    assert again is not None
    assert [o.ok for o in again.outcomes] == [True, True, True]
    assert "内容完全相同" in again.outcomes[0].message
    _finish_result(view)
    assert len(_returns_in_db(db)) == 3


def test_folder_and_dropped_files_are_imported(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    view = _open(window, qtbot, _summary_id(db))
    files = _returns(db, tmp_path / "folder")
    (tmp_path / "folder" / "说明.txt").write_text("不是报送文件", encoding="utf-8")
    monkeypatch.setattr(file_dialogs, "ask_folder", lambda *_: files[0].parent)
    qtbot.mouseClick(view.findChild(QPushButton, "importFolder"), Qt.MouseButton.LeftButton)
    wait_for(lambda: view.result_dialog is not None and view.result_dialog.isVisible())
    assert [name for _m, name, _t in _finish_result(view)] == ["a.xlsx", "b.xlsx", "c.xlsx"]

    late = tmp_path / "late"
    late.mkdir()
    view.result_dialog = None
    dropped = write_return(late / "d.xlsx", unit="市教育局", period=NOV,
                           rows=_rows(db, "市教育局"), filled_on=dt.date(2026, 12, 5))  # fmt: skip
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    view.dropEvent(event)
    wait_for(lambda: view.result_dialog is not None and view.result_dialog.isVisible())
    assert len(_returns_in_db(db)) == 4
    _finish_result(view)
    states = {
        view.period_tab.model.index(r, 0).data(): view.period_tab.model.index(r, 1).data()
        for r in range(view.period_tab.model.rowCount())
    }
    assert states["市教育局"] == "逾期报送"


def _painted_colours(image: QImage) -> set[int]:
    """The distinct colours of a sample of the image's pixels: one colour means blank."""
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 5)
    }


def test_stats_tab_paints_the_charts_and_saves_png(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    view = _open(window, qtbot, _summary_id(db))
    finish(view.import_paths(_returns(db, tmp_path / "in")))
    _finish_result(view)
    view.tabs.setCurrentIndex(TAB_STATS)
    for key in CHARTS:
        chart = view.findChild(BarChart, f"chart_{key}")
        image = chart.grab().toImage()
        assert image.width() > 600 and image.height() > 80
        assert len(_painted_colours(image)) > 3  # title, labels and bars, not a blank box
    completion = view.stats_tab.charts["completion"]
    assert [b.label for b in completion.bars] == ["市司法局", "市委编办", "市财政局"]
    status = view.stats_tab.charts["status"]
    painted = _painted_colours(status.grab().toImage())
    for bar in status.bars:  # each status's bar in its own colour
        assert bar.value > 0 and QColor(STATUS_COLOURS[bar.label]).rgb() in painted
    target = tmp_path / "图" / "完成率.png"
    target.parent.mkdir()
    asked: list[str] = []

    def save_as(_parent: object, _folders: object, _title: str, name: str, patterns: str) -> Path:
        asked.append(name)
        assert "png" in patterns.lower()
        return target

    monkeypatch.setattr(file_dialogs, "ask_save", save_as)
    qtbot.mouseClick(view.findChild(QPushButton, "save_completion"), Qt.MouseButton.LeftButton)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = QImage(str(target))
    assert saved.size() == completion.grab().size()
    assert "各单位任务完成率" in asked[0]
    assert str(target) in view.status.text()


def _texts_painted(widget: QWidget) -> list[str]:
    """The strings the widget's paintEvent hands to QPainter.drawText."""
    texts: list[str] = []
    original = QPainter.drawText

    def spy(painter: QPainter, *args: Any) -> Any:
        texts.extend(a for a in args if isinstance(a, str))
        return original(painter, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QPainter, "drawText", spy)
        widget.grab()
    return texts


def test_stats_tab_says_no_data_without_returns(
    window: MainWindow, db: Database, qtbot: QtBot
) -> None:
    view = _open(window, qtbot, _summary_id(db))
    view.tabs.setCurrentIndex(TAB_STATS)
    for key, title in CHARTS.items():
        chart = view.stats_tab.charts[key]
        assert chart.bars == []
        assert _texts_painted(chart) == [title, "暂无数据"]
    chart = view.stats_tab.charts["status"]
    chart.set_bars(status_bars([(Status.IN_PROGRESS.value, 3)]))
    assert "暂无数据" not in _texts_painted(chart)
    assert len(_painted_colours(chart.grab().toImage())) > 3


def test_units_tab_edits_the_list(window: MainWindow, db: Database, qtbot: QtBot) -> None:
    ledger_id = _summary_id(db)
    view = _open(window, qtbot, ledger_id)
    view.tabs.setCurrentIndex(TAB_LIST)
    editor = view.units_tab.editor
    assert editor.units() == list(UNITS)
    assert not view.units_tab.save_button.isEnabled()
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    editor.model.setData(editor.model.index(0, 0), "濮阳市司法局")  # rename
    editor.view.setCurrentIndex(editor.model.index(3, 0))
    editor.remove_current()
    editor.add_unit("市审计局", edit=False)
    editor.move_current(-1)
    assert view.units_tab.save_button.isEnabled() and "未保存" in view.units_tab.state.text()
    qtbot.mouseClick(view.units_tab.save_button, Qt.MouseButton.LeftButton)
    expected = ["濮阳市司法局", "市委编办", "市审计局", "市财政局"]
    with db.session() as s:
        assert summary.units_of(s, ledger_id) == expected
    assert [
        view.period_tab.model.index(r, 0).data() for r in range(view.period_tab.model.rowCount())
    ] == expected
    assert not view.units_tab.save_button.isEnabled()


def test_export_from_the_view_writes_xlsx_and_pdf(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import openpyxl

    view = _open(window, qtbot, _summary_id(db))
    finish(view.import_paths(_returns(db, tmp_path / "in")))
    _finish_result(view)
    for name in ("汇总.xlsx", "汇总.pdf"):
        target = tmp_path / name
        monkeypatch.setattr(file_dialogs, "ask_save", lambda *_a, t=target: t)
        qtbot.mouseClick(view.findChild(QPushButton, "exportSummary"), Qt.MouseButton.LeftButton)
        wait_for(lambda t=target: str(t) in view.status.text())  # written in the background
        assert target.exists()
        bar = view.findChild(SavedBar)  # 打开文件 / 打开所在文件夹 in one click
        assert bar is not None and bar.isVisible() and bar.path == target
    book = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    missing = [r[1].value for r in book["未报送单位"].iter_rows(min_row=4) if r[1].value]
    assert missing == ["市教育局", "市委编办"]  # 未报送 first, then 逾期报送
    assert (tmp_path / "汇总.pdf").read_bytes().startswith(b"%PDF")


def test_summary_view_needs_a_summary_ledger(window: MainWindow, db: Database) -> None:
    errors: list[str] = []
    window.show_error = errors.append  # type: ignore[method-assign]
    assert summary_actions.show_summary(window) is None
    assert "还没有汇总台账" in errors[0]


def test_statuses_are_coloured_in_the_task_tree(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    view = _open(window, qtbot, _summary_id(db))
    finish(view.import_paths(_returns(db, tmp_path / "in")))
    _finish_result(view)
    tree = view.task_tab.model
    coloured = 0
    for row in range(tree.rowCount()):
        task = tree.index(row, 0)
        for child in range(tree.rowCount(task)):
            status = tree.index(child, 2, task)
            brush = status.data(Qt.ItemDataRole.BackgroundRole)
            if status.data() == Status.OVERDUE.value:
                assert brush is not None
                coloured += 1
    assert coloured > 0


_START = """
import datetime as dt, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from fazhi_desktop.models.db import open_database
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.app import open_window
win = open_window(open_database(sys.argv[1]), today=dt.date(2026, 11, 22), settings=AppSettings(),
                  ui_state=QSettings(sys.argv[2], QSettings.Format.IniFormat))
assert [a.objectName() for a in win.summary_menu.actions()]
print(" ".join(m for m in ("matplotlib", "openpyxl", "reportlab") if m in sys.modules))
"""


def test_window_start_does_not_import_matplotlib(db_path: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", _START, str(db_path), str(tmp_path / "w.ini")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "matplotlib" not in result.stdout.split()


def test_closing_with_an_unsaved_unit_list_asks_first(
    window: MainWindow, db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    ledger_id = _summary_id(db)
    view = _open(window, qtbot, ledger_id)
    view.units_tab.editor.add_unit("市审计局", edit=False)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: answers.pop(0))
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.isVisible()  # 取消: the edit is kept on screen
    view.close()
    assert not view.isVisible() and answers == []
    with db.session() as s:
        assert "市审计局" in summary.units_of(s, ledger_id)


def test_import_finishes_after_the_application_was_asked_to_quit(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    """Once quit was requested, every new QEventLoop returns at once; the import must not hang.

    (Earlier tests that run the application's own exec() can leave it in that state.)
    """
    view = _open(window, qtbot, _summary_id(db))
    files = _returns(db, tmp_path / "in")
    qapp.exit(0)
    try:
        result = finish(view.import_paths(files))
        assert result is not None and len(result.imported) == 3
        _finish_result(view)
    finally:
        # Ends the quit request (closing the windows), so later tests get working event loops.
        QTimer.singleShot(0, qapp.quit)
        qapp.exec()


def test_return_from_an_unlisted_unit_is_flagged_and_added_in_one_click(
    window: MainWindow, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    ledger_id = _summary_id(db)
    with db.session() as s, s.begin():
        summary.set_units(s, ledger_id, ["市司法局", "市委编办"])
    view = _open(window, qtbot, ledger_id)
    folder = tmp_path / "in"
    folder.mkdir()
    listed = write_return(
        folder / "a.xlsx",
        unit="市司法局",
        period=NOV,
        rows=_rows(db, "市司法局"),
        filled_on=dt.date(2026, 11, 25),
    )
    other = write_return(folder / "c.xlsx", unit="市财政局", period=NOV,
                         rows=_rows(db, "市财政局"), filled_on=dt.date(2026, 11, 28))  # fmt: skip
    finish(view.import_paths([listed, other]))
    dialog = view.result_dialog
    assert dialog is not None
    marks = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert marks == ["✓", "⚠"]
    assert "市财政局不在应报单位名单中" in dialog.summary.text()
    button = dialog.findChild(QPushButton, "addUnitsButton")
    assert button is not None and button.text() == "加入应报单位"
    button.click()
    with db.session() as s:
        assert summary.units_of(s, ledger_id) == ["市司法局", "市委编办", "市财政局"]
    assert [dialog.model.index(r, 0).data() for r in range(2)] == ["✓", "✓"]
    assert not button.isEnabled()
    dialog.close()


def test_every_button_fits_a_1366_screen_beside_a_long_title(
    window: MainWindow, db: Database, qtbot: QtBot
) -> None:
    """The plan's long title shared a row with six buttons and pushed 导出汇总 and 刷新 off a
    1366-pixel screen."""
    view = _open(window, qtbot, _summary_id(db))
    view.title.setText("关于印发《某某市2026年法治政府建设工作要点》重点任务分工方案的通知" * 2)
    view.resize(1366, 740)
    qtbot.wait(10)
    assert view.minimumSizeHint().width() <= 1366
    for name in ("importFiles", "collectMail", "sendReminders", "exportSummary", "refreshSummary"):
        button = view.findChild(QPushButton, name)
        assert button is not None
        right = button.mapTo(view, button.rect().topRight()).x()
        assert 0 <= right <= view.width(), name
