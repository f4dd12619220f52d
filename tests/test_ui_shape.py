"""The shape of ui/: registered actions and the F1 help, the background runner, the file
dialogs' suffix rule, and ui/cli reaching io only through services."""

from __future__ import annotations

import ast
import threading
import time
from pathlib import Path

import pytest
from conftest import finish, wait_for
from PySide6.QtCore import QSettings, QTranslator
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

import fazhi_desktop
from fazhi_desktop.errors import UsageError
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions import menus, view
from fazhi_desktop.ui.actions.registry import FILE, ActionSpec, key_label
from fazhi_desktop.ui.background import Op, Progress
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.translations import install_qt_chinese

PACKAGE = Path(fazhi_desktop.__file__).resolve().parent


def test_f1_help_lists_every_registered_shortcut(
    window: MainWindow, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    (f1,) = [a for a in window.actions() if a.objectName() == "shortcutsAction"]
    # As the program runs, with Qt's Chinese catalogue (its own key names are Chinese there).
    before = set(qapp.findChildren(QTranslator))
    install_qt_chinese(qapp)
    try:
        f1.trigger()
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
    text = shown[0].text()
    for key in ("Ctrl+O", "Ctrl+E", "Ctrl+Shift+E", "Ctrl+P", "Ctrl+Shift+H", "F1", "Alt+↑"):
        assert key in text, key
    assert "上方向" not in text and "Alt+Up" not in text
    registered = [spec for spec in menus.MENU_BAR if spec.keys]
    assert len(registered) >= 20
    for spec in registered:
        label = key_label(QKeySequence(spec.keys[0]))
        if label:  # StandardKey.Quit has no binding on some platforms
            assert label in text, spec.text
    # Undo/redo come from the undo stack, not the registry; they are listed all the same.
    assert "Ctrl+Z" in text and "Ctrl+Y / Ctrl+Shift+Z" in text


def test_every_menu_action_is_registered_once(window: MainWindow) -> None:
    names = [a.objectName() for a in window.actions() if a.objectName()]
    assert len(names) == len(set(names))
    assert {spec.name for spec in menus.MENU_BAR if spec.name} <= set(names)
    assert view.SHORTCUTS.keys == ("F1",)


def test_runner_reports_a_failure_in_chinese(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: said.append((title, text)))

    def broken() -> None:
        raise UsageError("设置项“report_day”应为 1–31 的整数，请在台账设置中改正。")

    op = Op.simple(parent, "正在导出…", broken).run()
    assert not op.done  # run() returned at once: nothing waited for the work
    finish(op)
    assert isinstance(op.error, UsageError)
    assert said == [("法治台账", "设置项“report_day”应为 1–31 的整数，请在台账设置中改正。")]

    def locked() -> None:
        raise PermissionError(13, "Permission denied", "D:/报送/台账.xlsx")

    finish(Op.simple(parent, "正在导出…", locked).run())
    assert "无法读写“D:/报送/台账.xlsx”" in said[1][1] and "重试" in said[1][1]


def test_runner_cancel_stops_between_steps(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    started = threading.Event()

    def steps(progress: Progress) -> int:
        done = 0
        for step in range(200):
            if progress.cancelled():
                break
            progress.report(step, 200, f"第 {step + 1} 步")
            started.set()
            time.sleep(0.01)
            done += 1
        return done

    results: list[int] = []
    op = Op(parent, "正在处理…", steps, cancellable=True).success(results.append).run()
    wait_for(started.is_set)
    dialog = op.dialog
    assert dialog is not None and dialog.isModal()  # the window's menus wait meanwhile
    (button,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "取消"]
    button.click()
    finish(op)
    assert op.cancelled and results and results[0] < 200


@pytest.mark.parametrize(
    ("typed", "selected", "expected"),
    [
        ("2026.11进展", "Excel 工作簿 (*.xlsx)", "2026.11进展.xlsx"),  # not “2026.xlsx”
        ("台账.xlsx", "Excel 工作簿 (*.xlsx)", "台账.xlsx"),
        ("台账.XLSX", "", "台账.XLSX"),
        ("汇总", "PDF 文件 (*.pdf)", "汇总.pdf"),
        ("汇总.pdf", "Excel 工作簿 (*.xlsx)", "汇总.pdf"),
    ],
)
def test_suffix_rule_appends_never_replaces(typed: str, selected: str, expected: str) -> None:
    patterns = "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)"
    assert file_dialogs.with_suffix(Path("/tmp") / typed, patterns, selected).name == expected


def test_save_dialog_remembers_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    class Folders:
        ui_state = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
        app_settings = AppSettings(export_dir=str(tmp_path))

    parent = QWidget()
    qtbot.addWidget(parent)
    starts: list[str] = []
    chosen = tmp_path / "报送" / "2026.11进展"
    chosen.parent.mkdir()

    def save(_p: object, _t: str, start: str, _f: str) -> tuple[str, str]:
        starts.append(start)
        return str(chosen), "Excel 工作簿 (*.xlsx)"

    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", save)
    first = file_dialogs.ask_save(parent, Folders(), "导出", "台账.xlsx", "Excel 工作簿 (*.xlsx)")
    assert first == chosen.parent / "2026.11进展.xlsx"
    file_dialogs.ask_save(parent, Folders(), "导出", "台账.xlsx", "Excel 工作簿 (*.xlsx)")
    assert Path(starts[0]).parent == tmp_path and Path(starts[1]).parent == chosen.parent


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


@pytest.mark.parametrize("layer", ["ui", "cli"])
def test_ui_and_cli_reach_io_only_through_services(layer: str) -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): name
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in _imports(path)
        if name == "fazhi_desktop.io" or name.startswith("fazhi_desktop.io.")
    }
    assert offenders == {}


def test_actions_do_not_import_the_window() -> None:
    for path in sorted((PACKAGE / "ui" / "actions").glob("*.py")):
        assert "fazhi_desktop.ui.main_window" not in _imports(path), path.name


def test_no_second_action_starts_while_work_runs_over_the_window(
    window: MainWindow,
) -> None:
    started: list[object] = []
    spec = ActionSpec(FILE, "导出(&E)…", started.append, ("Ctrl+E",))
    release = threading.Event()
    op = Op.simple(window, "正在导出…", lambda: release.wait(10)).run()
    try:
        assert Op.busy(window)
        window.trigger(spec)  # Ctrl+E again before the progress dialog appeared
    finally:
        release.set()
    finish(op)
    assert started == [] and not Op.busy(window)
    window.trigger(spec)
    assert started == [window]
