"""Listening for other people's changes on the server (LISTEN/NOTIFY), in a thread of its own.

The history trigger (models/office_schema.py) NOTIFYs ``fazhi_changes`` with the ledger id on
every change. One extra connection per open window waits for those notifications and calls
``on_change(ledger id text)`` from its thread; the window moves the call to its own thread.
The wait wakes every second to notice ``stop()``; a dropped connection is retried quietly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import URL

from fazhi_desktop.models.office_schema import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


class ChangeListener:
    def __init__(self, url: URL, on_change: Callable[[str], None]) -> None:
        # The engine's own URL: with the password however it was given (URL, keyring).
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._on_change = on_change
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="fazhi-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=3)

    def _deliver(self, payload: str) -> None:
        try:
            self._on_change(payload)
        except Exception:
            # The receiver is gone (its window closed): nobody is left to tell.
            log.info("变更通知无人接收，停止监听", exc_info=True)
            self._stopped.set()

    def _listen(self) -> None:
        while not self._stopped.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stopped.is_set():
                        for note in conn.notifies(timeout=1.0):
                            self._deliver(note.payload)
            except Exception:  # a thread has no one to raise to: retry, quietly
                log.info("单位数据库的变更通知连接中断，稍后重试", exc_info=True)
                self._stopped.wait(2.0)
