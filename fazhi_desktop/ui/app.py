"""Start the window: ``fazhi-desktop [--db PATH] [--today YYYY-MM-DD] [--screenshot OUT.png]``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fazhi_desktop import APP_NAME, APP_TITLE, paths
from fazhi_desktop.errors import FazhiError
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.services.demo import create_demo
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.fonts import install_fonts
from fazhi_desktop.ui.main_window import MainWindow

SCREENSHOT_SIZE = (1366, 768)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fazhi-desktop", description="法治台账")
    parser.add_argument("--db", help="数据库文件")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="把某天当作今天 (YYYY-MM-DD)")
    parser.add_argument("--screenshot", help="按 1366×768 渲染主窗口，保存为 PNG 后退出")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def open_window(
    db: Database, *, today: dt.date, settings: AppSettings, ui_state: QSettings
) -> MainWindow:
    with db.session() as session, session.begin():
        create_demo(session, today)
    return MainWindow(db, today=today, settings=settings, ui_state=ui_state)


def ui_state_file() -> QSettings:
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    install_fonts(app)
    today = args.today or dt.date.today()
    db_path = Path(args.db) if args.db else paths.default_db_path()
    try:
        db = open_database(db_path)
        window = open_window(db, today=today, settings=AppSettings.load(), ui_state=ui_state_file())
    except FazhiError as exc:
        if args.screenshot:
            print(f"错误：{exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_TITLE, str(exc))
        return 2
    if args.screenshot:
        return take_screenshot(app, window, Path(args.screenshot))
    window.show()
    code = app.exec()
    db.close()
    return int(code)


def take_screenshot(app: QApplication, window: MainWindow, target: Path) -> int:
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    result = {"ok": False}

    def grab() -> None:
        result["ok"] = window.grab().save(str(target), "PNG")
        window.close()
        app.quit()

    # Two event-loop turns: layout, then the visible rows' heights, then paint.
    QTimer.singleShot(200, grab)
    app.exec()
    if not result["ok"]:
        print(f"错误：无法保存截图到“{target}”。", file=sys.stderr)
        return 2
    print(f"截图已保存：{target}")
    return 0
