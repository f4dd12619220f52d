"""Opens 打印预览 on the demo ledger as the window's menu does, grabs it, and closes it.

Run by tests/test_real_display.py under Xvfb; argv: database path, PNG to write.
"""

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication

from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import ledgers
from fazhi_desktop.services.demo import create_demo
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui import printing

app = QApplication(sys.argv)
db = open_database(Path(sys.argv[1]))
today = dt.date(2026, 11, 22)
with db.session() as session, session.begin():
    create_demo(session, today)
with db.session() as session:
    record = ledgers.load_record(session, ledgers.list_ledgers(session)[0].id, today=today)


def grab_and_close() -> None:
    for widget in app.topLevelWidgets():
        if isinstance(widget, QPrintPreviewDialog) and widget.isVisible():
            widget.grab().save(sys.argv[2])
            widget.close()
            return
    QTimer.singleShot(200, grab_and_close)


QTimer.singleShot(1500, grab_and_close)
printing.preview_ledger(None, record, AppSettings())
print("closed")
