"""Start the window: ``fazhi-desktop [--db PATH] [--today YYYY-MM-DD] [--screenshot OUT.png]``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fazhi_desktop import APP_NAME, APP_TITLE, paths
from fazhi_desktop.errors import FazhiError
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.fonts import install_fonts
from fazhi_desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from fazhi_desktop.models.db import Database

SCREENSHOT_SIZE = (1366, 768)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fazhi-desktop", description="法治台账")
    parser.add_argument("--db", help="数据库文件")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="把某天当作今天 (YYYY-MM-DD)")
    parser.add_argument("--screenshot", help="按 1366×768 渲染主窗口，保存为 PNG 后退出")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def _ensure_demo(db: Database, today: dt.date) -> None:
    """On an empty database, create the demo 台账 so a first start shows something."""
    from fazhi_desktop.services.demo import create_demo

    with db.session() as session, session.begin():
        create_demo(session, today)


def open_database_with_demo(db_path: Path, today: dt.date) -> Database:
    from fazhi_desktop.models.db import open_database

    db = open_database(db_path)
    _ensure_demo(db, today)
    return db


def open_window(
    db: Database, *, today: dt.date, settings: AppSettings, ui_state: QSettings
) -> MainWindow:
    _ensure_demo(db, today)
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
    # Paint first, then open the database: importing SQLAlchemy and loading the ledger take
    # longer than starting Qt, and an empty window that fills a moment later feels faster.
    window = MainWindow(None, today=today, settings=AppSettings.load(), ui_state=ui_state_file())
    opened: list[Database] = []
    failed: list[str] = []
    saved: list[bool] = []

    def attach() -> None:
        try:
            db = open_database_with_demo(db_path, today)
        except FazhiError as exc:
            failed.append(str(exc))
            if args.screenshot:
                print(f"错误：{exc}", file=sys.stderr)
            else:
                QMessageBox.critical(window, APP_TITLE, str(exc))
            window.close()
            app.quit()
            return
        opened.append(db)
        window.attach_database(db)
        if args.screenshot:
            # A few event-loop turns: layout, the visible rows' heights, then paint.
            QTimer.singleShot(200, grab)

    def grab() -> None:
        saved.append(window.grab().save(args.screenshot, "PNG"))
        window.close()
        app.quit()

    window.first_painted.connect(attach, Qt.ConnectionType.SingleShotConnection)
    if args.screenshot:
        window.resize(*SCREENSHOT_SIZE)
    window.show()
    code = int(app.exec())
    for db in opened:
        db.close()
    if failed:
        return 2
    if args.screenshot:
        if not any(saved):
            print(f"错误：无法保存截图到“{args.screenshot}”。", file=sys.stderr)
            return 2
        print(f"截图已保存：{args.screenshot}")
    return code
