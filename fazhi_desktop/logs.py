"""The program's log: a rotating UTF-8 file in the user log dir (``paths.log_dir()``).

What goes there: start-up (version, bundle or source, portable mode, database), backups,
restores, migrations and every unexpected exception with its traceback, so a clerk can send
the file to whoever maintains the program. Hard crashes inside Qt (no Python traceback) are
written by ``faulthandler`` to ``crash.log`` beside it.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from pathlib import Path
from typing import IO, Any

from fazhi_desktop import __version__, paths

LOG_FILENAME = "fazhi-desktop.log"
CRASH_FILENAME = "crash.log"
# Five files of 1 MB: months of normal use, small enough to attach to a message.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"

log = logging.getLogger("fazhi_desktop")


class _State:
    handler: logging.Handler | None = None
    crash_file: IO[str] | None = None
    previous_thread_hook: Any = None


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the program's log records to the rotating file; returns the log file's path.

    Safe to call again (tests start the window many times in one process): the previous
    handler is replaced, not duplicated. The window calls it just after its first paint:
    logging.handlers alone takes longer to import than painting an empty window.
    """
    from logging.handlers import RotatingFileHandler

    shutdown_logging()
    folder = paths.log_dir()
    path = folder / LOG_FILENAME
    # delay: the file is created on the first record, so a read-only log folder costs nothing
    # until something is worth writing.
    handler = RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    log.addHandler(handler)
    log.setLevel(level)
    _State.handler = handler
    # Under pytest (or ``python -X faulthandler``) it already writes to the console: keep that.
    if not faulthandler.is_enabled():
        try:
            _State.crash_file = (folder / CRASH_FILENAME).open("a", encoding="utf-8")
            faulthandler.enable(_State.crash_file)
        except OSError:
            _State.crash_file = None
    _State.previous_thread_hook = threading.excepthook
    threading.excepthook = _thread_exception
    return path


def shutdown_logging() -> None:
    """Detach what ``setup_logging`` attached (the end of ``main`` in tests)."""
    if _State.handler is not None:
        log.removeHandler(_State.handler)
        _State.handler.close()
        _State.handler = None
    if _State.crash_file is not None:
        faulthandler.disable()
        _State.crash_file.close()
        _State.crash_file = None
    if _State.previous_thread_hook is not None:
        threading.excepthook = _State.previous_thread_hook
        _State.previous_thread_hook = None


def log_path() -> Path:
    return paths.log_dir() / LOG_FILENAME


def is_set_up() -> bool:
    return _State.handler is not None


def log_startup(program: str, db_path: Path) -> None:
    mode = "打包版" if paths.is_frozen() else "源码运行"
    portable = paths.portable_dir()
    log.info(
        "%s %s 启动（%s%s，Python %s），数据库：%s",
        program,
        __version__,
        mode,
        f"，便携模式：{portable}" if portable else "",
        sys.version.split()[0],
        db_path,
    )


def _thread_exception(args: threading.ExceptHookArgs) -> None:
    log.error(
        "线程 %s 中的未处理异常",
        args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
    )
    previous = _State.previous_thread_hook
    if previous is not None:
        previous(args)
