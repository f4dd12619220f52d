"""The Qt binding the program runs on survives a working day of calls.

PySide6 6.12.0 lost a reference to ``None`` on every call of a void Qt method; on Python 3.11,
where ``None`` is counted like any object, the interpreter aborted after a few thousand calls
("deallocating None") — a clerk's window would die within minutes of scrolling and typing.
"""

from __future__ import annotations

import os
import subprocess
import sys

_CALLS = r"""
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
widget = QWidget()
before = sys.getrefcount(None)
for _ in range(50_000):
    widget.setEnabled(True)   # a void call
    app.processEvents()
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_keep_none_alive() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _CALLS],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-1000:]
    # A few references may come and go; 50,000 calls must not have eaten 50,000 of them.
    assert abs(int(proc.stdout.strip())) < 100
