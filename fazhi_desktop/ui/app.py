"""Start the window: ``fazhi-desktop [--db PATH] [--today YYYY-MM-DD] [--screenshot OUT.png]``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from fazhi_desktop import APP_NAME, APP_TITLE, logs, paths
from fazhi_desktop.errors import FazhiError, LoginFailedError
from fazhi_desktop.services import first_screen
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui import single_instance
from fazhi_desktop.ui.excepthook import install_excepthook
from fazhi_desktop.ui.fonts import install_fonts
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.translations import install_qt_chinese
from fazhi_desktop.ui.window_geometry import install_screen_fit

if TYPE_CHECKING:
    from fazhi_desktop.models.db import Database

SCREENSHOT_SIZE = (1366, 768)


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().replace("×", "x").partition("x")
    if not (sep and width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"“{text}”不是窗口大小，请写成 宽x高，如 1024x600")
    return int(width), int(height)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fazhi-desktop", description="法治台账")
    parser.add_argument("--db", help="数据库文件")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="把某天当作今天 (YYYY-MM-DD)")
    parser.add_argument("--screenshot", help="按 1366×768 渲染主窗口，保存为 PNG 后退出")
    parser.add_argument(
        "--screenshot-size",
        type=_size,
        default=SCREENSHOT_SIZE,
        help="截图的窗口大小（逻辑像素），如 1024x600；缩放比例用环境变量 QT_SCALE_FACTOR",
    )
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


def office_target(db_arg: str | None) -> str | None:
    """The server URL of ``--db`` or ``FAZHI_DB`` (单位模式), or None for a local file."""
    target = db_arg or os.environ.get("FAZHI_DB")
    return target if target and paths.is_server_url(target) else None


def open_server(target: str) -> Database:
    # A shared database gets no demo ledger: everyone would see it.
    from fazhi_desktop.models.db import open_database

    return open_database(target)


def open_window(
    db: Database, *, today: dt.date, settings: AppSettings, ui_state: QSettings
) -> MainWindow:
    _ensure_demo(db, today)
    return MainWindow(db, today=today, settings=settings, ui_state=ui_state)


def ui_state_file() -> QSettings:
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def already_open(db_path: Path) -> int:
    """A second start for the same database: bring the first window forward, or say why not."""
    if single_instance.ask_first_to_raise(db_path):
        print(f"数据库“{db_path}”已在另一个法治台账窗口中打开，已切换到该窗口。")
        return 0
    QMessageBox.warning(
        None,
        APP_TITLE,
        f"数据库“{db_path}”已在另一个法治台账窗口中打开，不能同时打开两次。\n"
        "请在任务栏中找到并切换到那个窗口继续工作。\n"
        "如果找不到它，请稍等片刻再试；仍不行时，可在任务管理器中结束 fazhi-desktop 后重新打开。",
    )
    return 1


def after_start(window: MainWindow, db: Database, guard: single_instance.InstanceGuard) -> None:
    """Once the ledger is on screen: answer second starts, and make the day's first backup."""
    from fazhi_desktop.services import backups

    guard.listen()
    try:
        backups.daily_backup(db.path)
    except FazhiError as exc:
        logs.log.warning("每日自动备份失败：%s", exc)
        window.statusBar().showMessage(f"今天的自动备份没有成功：{exc}", 15000)


def launch() -> NoReturn:
    """The program's entry point: run the window, then leave without tearing Qt down.

    By the time :func:`main` returns, the database is closed, the window state saved and the
    single-instance lock released; Python's teardown of thousands of Qt wrappers would still
    take most of a second, which a clerk sees as a program hanging after Ctrl+Q.
    """
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    # --screenshot runs unattended: an error is printed, never a dialog waiting for a click.
    uninstall_hook = install_excepthook(interactive=not args.screenshot)
    try:
        return _run(argv, args)
    except Exception:
        # Start-up itself failed, outside the event loop: log and explain, never just vanish.
        sys.excepthook(*sys.exc_info())
        return 1
    finally:
        uninstall_hook()
        logs.shutdown_logging()


def _run(argv: list[str], args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setWindowIcon(QIcon(str(paths.resource_path("icons", "fazhi.png"))))
    install_fonts(app)
    if not args.screenshot:  # a screenshot is taken at the office size, whatever the screen
        install_screen_fit(app)  # parented to the app: lives as long as it
    qt_chinese = install_qt_chinese(app)
    today = args.today or dt.date.today()
    db_path = Path(args.db) if args.db else paths.default_db_path()
    server = office_target(args.db)  # 单位模式: no file to lock, back up or peek into
    guard = None
    # A screenshot only reads; it may run beside the open window.
    if not args.screenshot and server is None:
        guard = single_instance.claim(db_path)
        if guard is None:
            return already_open(db_path)
    # Paint first, then open the database: importing SQLAlchemy and loading the ledger take
    # longer than starting Qt, and an empty window that fills a moment later feels faster.
    settings = AppSettings.load()
    window = MainWindow(
        None, today=today, settings=settings, ui_state=ui_state_file(), menus_later=True
    )
    # The first rows, read with sqlite3 alone, so they are in the first frame (issue 17).
    screen = first_screen.peek(
        db_path, wanted=window.wanted_ledger(), today=today, due_soon_days=settings.due_soon_days
    )
    if screen is not None:
        window.show_first_screen(screen)
    if guard is not None:
        guard.raise_requested.connect(lambda: single_instance.bring_to_front(window))
    opened: list[Database] = []
    failed: list[str] = []
    saved: list[bool] = []

    def attach() -> None:
        logs.setup_logging()  # after the first paint: see setup_logging
        logs.log_startup("fazhi-desktop", db_path)
        if not qt_chinese:
            logs.log.warning("找不到 Qt 的中文翻译 qtbase_zh_CN.qm：标准按钮将显示英文")
        try:
            try:
                db = open_server(server) if server else open_database_with_demo(db_path, today)
            except LoginFailedError as exc:
                if args.screenshot or server is None:
                    raise
                from fazhi_desktop.ui.office_dialog import log_in

                asked = log_in(window, server, str(exc))
                if asked is None:
                    raise FazhiError("没有登录单位数据库，程序退出。") from exc
                db = asked
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
        if db.is_server:
            # Only 单位模式 needs the live link (and the background runner it uses): a local
            # file's first frame goes without them (issue 17).
            from fazhi_desktop.ui import office_link

            office_link.install(window, db)
        if guard is not None:
            QTimer.singleShot(300, lambda: after_start(window, db, guard))
        if args.screenshot:
            # A few event-loop turns: layout, the visible rows' heights, then paint.
            QTimer.singleShot(200, grab)

    def grab() -> None:
        saved.append(window.grab().save(args.screenshot, "PNG"))
        app.quit()

    window.first_painted.connect(attach, Qt.ConnectionType.SingleShotConnection)
    if args.screenshot:
        window.resize(*args.screenshot_size)
    window.show()
    code = int(app.exec())
    # Closing the last window while the loop still runs would queue a second quit that makes
    # every later event loop in this process (a test session) return at once.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    window.close()
    app.setQuitOnLastWindowClosed(quit_on_close)
    for db in opened:
        db.close()
    if guard is not None:
        guard.release()
    if failed:
        return 2
    if args.screenshot:
        if not any(saved):
            print(f"错误：无法保存截图到“{args.screenshot}”。", file=sys.stderr)
            return 2
        print(f"截图已保存：{args.screenshot}")
    return code
