"""Rough edges of the main window found in the first hour of real use (issue 16)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import wait_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton

from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.status import Colour
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.task_model import COL_PROGRESS, COL_TITLE, DEFAULT_WIDTHS, RowObjectRole


@pytest.fixture
def window_database(demo_db: Path) -> object:
    db = open_database(demo_db)
    yield db
    db.close()


def _settle(win: MainWindow) -> None:
    """Let the resize, the deferred width and row fit, and the scroll bars they bring, settle."""
    quiet = [0]

    def idle() -> bool:
        yields = getattr(win, "detail_yields", None)
        busy = win.table._fit_timer.isActive() or (yields is not None and yields._timer.isActive())
        quiet[0] = 0 if busy else quiet[0] + 1
        return quiet[0] >= 5

    wait_for(idle)


def _clipped_rows(win: MainWindow) -> list[int]:
    table = win.table
    rows = []
    for row in range(win.proxy.rowCount()):
        top = table.rowViewportPosition(row)
        if top < 0 or top >= table.viewport().height():
            continue
        if table.rowHeight(row) < table.sizeHintForRow(row):
            rows.append(row)
    return rows


def test_rows_fit_after_the_window_grows(window: MainWindow) -> None:
    window.resize(900, 360)
    _settle(window)
    # Long text, loaded in the small window: only the rows on screen are fitted then.
    long = [dataclasses.replace(t, progress="progress words " * 30) for t in window.model.tasks()]
    window.model.set_tasks(long)
    _settle(window)
    window.resize(1366, 1000)
    _settle(window)
    assert window.table.viewport().height() > 500
    assert _clipped_rows(window) == []


def test_rows_fit_after_a_column_narrows_and_on_scroll(window: MainWindow) -> None:
    window.table.setColumnWidth(COL_PROGRESS, 160)
    _settle(window)
    assert _clipped_rows(window) == []
    window.table.verticalScrollBar().setValue(window.table.verticalScrollBar().maximum())
    _settle(window)
    assert _clipped_rows(window) == []


def test_wide_window_gives_the_width_to_title_and_progress(window: MainWindow) -> None:
    window.resize(1920, 1000)
    _settle(window)
    table = window.table
    # No blank band right of the last column, and the spare width went to the two text columns.
    assert table.horizontalHeader().length() >= table.viewport().width() - 1
    assert table.columnWidth(COL_TITLE) > DEFAULT_WIDTHS[COL_TITLE]
    assert table.columnWidth(COL_PROGRESS) > DEFAULT_WIDTHS[COL_PROGRESS]


def test_small_window_keeps_every_column_and_the_pane_yields(window: MainWindow) -> None:
    window.resize(1366, 768)
    _settle(window)
    pane_wide = window.splitter.sizes()[1]
    window.resize(1024, 600)
    _settle(window)
    table = window.table
    assert table.horizontalScrollBar().maximum() == 0, "columns scroll away at 1024×600"
    assert window.splitter.sizes()[1] < pane_wide
    window.resize(1366, 768)
    _settle(window)
    assert window.splitter.sizes()[1] == pane_wide


def test_status_bar_elides_and_keeps_the_unreported_count(window: MainWindow) -> None:
    window.resize(760, 500)
    _settle(window)
    status = window.period_status
    assert status is not None and status.missing_count > 0
    missing = window.findChild(QLabel, "missingLabel")
    assert missing is not None and missing.isVisible()
    assert missing.text() == f"未填报 {status.missing_count} 项"
    assert missing.width() >= missing.fontMetrics().horizontalAdvance(missing.text())
    period = window.findChild(QLabel, "periodLabel")
    assert period is not None
    shown = period.text()
    assert shown.endswith("…") and len(shown) < len(period.toolTip())


def test_legend_chip_filters_by_its_status(window: MainWindow) -> None:
    chip = window.findChild(QToolButton, "legendChip:逾期未完成")
    assert chip is not None
    chip.click()
    assert window.status_filter.currentText() == "逾期未完成"
    shown = [window.proxy.index(r, 0).data(RowObjectRole) for r in range(window.proxy.rowCount())]
    assert shown and all(t.colour is Colour.OVERDUE for t in shown)
    window.status_filter.setCurrentText("已完成")
    done_chip = window.findChild(QToolButton, "legendChip:已完成")
    assert done_chip is not None and done_chip.isChecked() and not chip.isChecked()
    done_chip.click()  # a second click shows everything again
    assert window.proxy.rowCount() == window.model.rowCount()


def test_new_summary_says_what_happened_and_names_the_ledger(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from fazhi_desktop.ui.actions import summary as summary_actions
    from fazhi_desktop.ui.filter_bar import LabelPartsRole, LedgerCombo
    from fazhi_desktop.ui.summary.window import SummaryWindow

    original = window.ledger_combo.currentText()
    monkeypatch.setattr(
        summary_actions.NewSummaryDialog, "exec", lambda _d: QDialog.DialogCode.Accepted
    )
    action = next(a for a in window.summary_menu.actions() if a.objectName() == "newSummaryAction")
    action.trigger()
    combo = window.ledger_combo
    assert isinstance(combo, LedgerCombo)
    title = combo.currentData(Qt.ItemDataRole.ToolTipRole)
    assert title.startswith("【汇总】") and "（汇总）" in title
    message = window.statusBar().currentMessage()
    assert "已建立汇总台账" in message and "已切换" in message and "没有改动" in message
    (view,) = window.findChildren(SummaryWindow)
    assert view.status.text() == message
    assert "【汇总】" in window.windowTitle() and "（汇总）" in window.windowTitle()
    # In a narrow box the middle of the name goes, not the badge, the kind or the count.
    metrics = combo.fontMetrics()
    head, name, tail = combo.currentData(LabelPartsRole)
    shown = combo.shown_text(metrics.horizontalAdvance(head + tail + name) * 2 // 3)
    assert shown.startswith("【汇总】") and "…" in shown
    assert shown.endswith(title[title.rindex("（汇总）") :])
    kinds = [combo.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(combo.count())]
    assert original in kinds and len(kinds) == 2


def test_export_offers_open_file_and_folder(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import finish
    from PySide6.QtWidgets import QPushButton

    from fazhi_desktop.ui import file_dialogs, saved_bar
    from fazhi_desktop.ui.actions import file as file_actions

    target = tmp_path / "导出" / "台账.xlsx"
    target.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "ask_save", lambda *_a, **_k: target)
    opened: list[Path] = []
    monkeypatch.setattr(saved_bar, "open_path", opened.append)
    finish(file_actions.export_xlsx(window))
    assert target.is_file()
    bar = window.findChild(saved_bar.SavedBar)
    assert bar is not None and bar.isVisible()
    assert str(target) in bar.label.text()
    open_file = bar.findChild(QPushButton, "openFileButton")
    open_folder = bar.findChild(QPushButton, "openFolderButton")
    assert open_file is not None and open_folder is not None
    open_file.click()
    open_folder.click()
    assert opened == [target, target.parent]


def test_submission_files_default_to_a_visible_documents_folder() -> None:
    import os

    from fazhi_desktop import paths
    from fazhi_desktop.services import submit
    from fazhi_desktop.settings import AppSettings

    folder = submit.default_folder(AppSettings())
    assert folder == Path(os.environ["FAZHI_DOCUMENTS_DIR"]) / "报送"
    assert paths.data_dir() not in folder.parents


def test_settings_name_the_keyring_of_this_platform(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from PySide6.QtWidgets import QCheckBox

    from fazhi_desktop.ui.actions import settings as settings_actions
    from fazhi_desktop.ui.settings_dialogs import PreferencesDialog, keyring_name

    texts: list[str] = []

    def look(self: PreferencesDialog) -> int:
        box = self.findChild(QCheckBox, "rememberPassword")
        assert box is not None
        texts.append(box.text())
        return 0

    monkeypatch.setattr(PreferencesDialog, "exec", look)
    settings_actions.edit_preferences(window)
    assert texts and "系统密钥库" in texts[0]
    if not sys.platform.startswith("win"):
        assert "Windows" not in texts[0]
    assert "Windows 凭据管理器" in keyring_name("win32")
    assert "Windows" not in keyring_name("linux")


def test_linux_file_dialogs_are_qt_ones_in_chinese(qapp: object) -> None:
    import sys

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from fazhi_desktop.ui.translations import install_qt_chinese

    assert isinstance(qapp, QApplication)
    if not install_qt_chinese(qapp):
        pytest.skip("Qt's Chinese catalogue is not installed")
    native_off = QCoreApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    assert native_off is not sys.platform.startswith(("win", "darwin"))


def test_screenshot_at_a_chosen_size_and_scale(db_path: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    out = tmp_path / "shot.png"
    code = "import sys; from fazhi_desktop.ui.app import main; sys.exit(main(sys.argv))"
    args = ["--db", str(db_path), "--today", "2026-11-22", "--screenshot", str(out)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1.5"}
    subprocess.run(
        [sys.executable, "-c", code, *args, "--screenshot-size", "1024x600"],
        env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1536, 900)
    bad = subprocess.run(
        [sys.executable, "-c", code, *args, "--screenshot-size", "big"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "宽x高" in bad.stderr and "Traceback" not in bad.stderr


def test_a_column_the_user_drags_keeps_its_width(window: MainWindow) -> None:
    _settle(window)
    window.table.horizontalHeader().resizeSection(COL_TITLE, 420)
    _settle(window)
    assert window.table.columnWidth(COL_TITLE) == 420
    # A wider window then shares the new width out in the ratio the user chose.
    before = window.table.columnWidth(COL_PROGRESS)
    window.resize(1700, 768)
    _settle(window)
    assert window.table.columnWidth(COL_TITLE) > 420
    assert window.table.columnWidth(COL_PROGRESS) > before


def test_resizing_a_10000_row_ledger_measures_only_the_rows_on_screen(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    many = [
        dataclasses.replace(task, id=n, seq=str(n), progress="progress words " * (n % 7))
        for n, task in enumerate(window.model.tasks() * 589, start=1)
    ][:10_000]
    window.model.set_tasks(many)
    _settle(window)
    measured: list[int] = []
    original = window.table.resizeRowToContents
    monkeypatch.setattr(
        window.table, "resizeRowToContents", lambda row: (measured.append(row), original(row))
    )
    start = time.perf_counter()
    window.resize(1100, 700)
    _settle(window)
    window.resize(1600, 900)
    _settle(window)
    elapsed = time.perf_counter() - start
    assert 0 < len(measured) < 200, len(measured)
    assert _clipped_rows(window) == []
    # The waits for the event loop dominate; the fitting itself takes a few milliseconds.
    assert elapsed < 10
