"""Unexpected errors: logged to the rotating file and shown in Chinese, the program keeps going."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from fazhi_desktop import __version__, logs
from fazhi_desktop.errors import UsageError
from fazhi_desktop.ui import error_dialog
from fazhi_desktop.ui.error_dialog import ErrorDialog
from fazhi_desktop.ui.excepthook import install_excepthook


def captured(exc: BaseException) -> error_dialog.ExcInfo:
    try:
        raise exc
    except BaseException:
        kind, value, tb = sys.exc_info()
        assert kind is not None and value is not None
        return kind, value, tb


@pytest.fixture
def log_file() -> Iterator[Path]:
    path = logs.setup_logging()
    yield path
    logs.shutdown_logging()


def test_log_goes_to_a_rotating_file_in_the_log_dir(log_file: Path) -> None:
    from fazhi_desktop import paths

    assert log_file == paths.log_dir() / "fazhi-desktop.log"
    logs.log_startup("fazhi-desktop", Path("台账.sqlite3"))
    logging.getLogger("fazhi_desktop.services.backups").info("子模块的记录")
    handlers = [h for h in logs.log.handlers if isinstance(h, RotatingFileHandler)]
    assert len(handlers) == 1
    assert handlers[0].maxBytes == logs.MAX_BYTES and handlers[0].backupCount == 5
    handlers[0].flush()
    text = log_file.read_text(encoding="utf-8")
    assert f"fazhi-desktop {__version__} 启动（源码运行" in text and "台账.sqlite3" in text
    assert "子模块的记录" in text


def test_setting_up_twice_keeps_one_handler(log_file: Path) -> None:
    logs.setup_logging()
    assert sum(isinstance(h, RotatingFileHandler) for h in logs.log.handlers) == 1
    logs.shutdown_logging()
    assert not any(isinstance(h, RotatingFileHandler) for h in logs.log.handlers)


def test_dialog_shows_the_log_path_and_copies_the_report(qtbot: QtBot, tmp_path: Path) -> None:
    log_path = tmp_path / "logs" / "fazhi-desktop.log"
    dialog = ErrorDialog(captured(KeyError("task_id")), log_path)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "法治台账 - 意外错误"
    from PySide6.QtWidgets import QLabel

    path_label = dialog.findChild(QLabel, "logPath")
    assert path_label is not None and path_label.text() == f"日志文件：{log_path}"
    details = dialog.details.toPlainText()
    assert "Traceback" in details and "KeyError: 'task_id'" in details
    assert f"法治台账 {__version__}" in details and str(log_path) in details
    assert dialog.copy_button.text() == "复制错误信息(&C)"
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.report == details
    assert dialog.copy_button.text() == "已复制"


def test_a_user_error_shows_its_own_chinese_message(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLabel

    dialog = ErrorDialog(captured(UsageError("序号“9”不存在。")), tmp_path / "x.log")
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("错误：序号“9”不存在。" in t for t in texts)
    assert any(t == f"日志文件：{tmp_path / 'x.log'}" for t in texts)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown(
    qtbot: QtBot, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[ErrorDialog] = []

    def fake_exec(self: ErrorDialog) -> int:
        shown.append(self)
        # A second error while the dialog is up (say, in a repaint) must not stack dialogs.
        sys.excepthook(*captured(RuntimeError("第二个错误")))
        return 0

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    button = QPushButton("出错")
    qtbot.addWidget(button)

    def broken_slot() -> None:
        raise RuntimeError("测试用的意外错误")

    button.clicked.connect(broken_slot)
    previous = sys.excepthook
    uninstall = install_excepthook()
    try:
        button.click()  # returns: the error did not end the program
    finally:
        uninstall()
    assert sys.excepthook is previous
    assert len(shown) == 1
    assert "RuntimeError: 测试用的意外错误" in shown[0].report
    for handler in logs.log.handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "未处理的异常" in text and "broken_slot" in text
    assert "RuntimeError: 测试用的意外错误" in text and "RuntimeError: 第二个错误" in text


def test_unattended_runs_print_instead_of_showing(
    log_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(ErrorDialog, "exec", lambda self: pytest.fail("no dialog expected"))
    previous = sys.excepthook
    uninstall = install_excepthook(interactive=False)
    try:
        sys.excepthook(*captured(ValueError("截图时出错")))
    finally:
        uninstall()
    assert sys.excepthook is previous
    assert "ValueError: 截图时出错" in capsys.readouterr().err
    for handler in logs.log.handlers:
        handler.flush()
    assert "ValueError: 截图时出错" in log_file.read_text(encoding="utf-8")


def test_an_error_before_the_first_paint_still_reaches_the_log(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Logging is set up after the first paint; an earlier error sets it up itself."""
    logs.shutdown_logging()
    uninstall = install_excepthook(interactive=False)
    try:
        sys.excepthook(*captured(OSError("窗口还没画出来")))
    finally:
        uninstall()
    assert logs.is_set_up()
    logs.shutdown_logging()
    assert "窗口还没画出来" in logs.log_path().read_text(encoding="utf-8")
    capsys.readouterr()


def test_a_start_up_failure_is_logged_and_exits_1(
    qapp: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from fazhi_desktop.ui import app as app_module

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("窗口创建失败")

    monkeypatch.setattr(app_module, "MainWindow", broken)
    shot = tmp_path / "shot.png"
    argv = ["fazhi-desktop", "--db", str(tmp_path / "a.sqlite3"), "--screenshot", str(shot)]
    assert app_module.main(argv) == 1
    assert "RuntimeError: 窗口创建失败" in capsys.readouterr().err
    assert "RuntimeError: 窗口创建失败" in logs.log_path().read_text(encoding="utf-8")
    assert not logs.is_set_up()  # main() leaves nothing attached behind it
