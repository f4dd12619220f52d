"""Start-up probes of the core benchmarks: ``cold_start_*``, ``first_rows_*``, ``start_*_ms``.

Each run starts a child Python that prints ``FIRST_PAINT`` once the window has painted; how
the figures are taken is described in ``bench_core``'s docstring.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# --- 1. cold start to first paint ---------------------------------------------------------
_PROBE = """
class _FirstPaint(QObject):
    def __init__(self, app, window_type, rows=False):
        super().__init__()
        self.app, self.window_type, self.seen, self.rows = app, window_type, False, rows

    def eventFilter(self, obj, event):
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(obj, self.window_type):
            obj.resize(1366, 768)
            mark("shown")
        elif (kind == QEvent.Type.Paint and not self.seen and isinstance(obj, QWidget)
              and isinstance(obj.window(), self.window_type) and self.painted_enough(obj)):
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False

    def painted_enough(self, obj):
        if not self.rows:
            return True
        table = obj.window().table
        return obj is table.viewport() and table.model().rowCount() > 0

    def report(self):
        mark("first_frame")
        print("FIRST_PAINT", marks_json(), flush=True)
        self.app.quit()
"""
# The timed probes keep no marks.
_NO_MARKS = "def mark(name):\n    pass\ndef marks_json():\n    return ''\n"

# Both app probes end the same way: start the real program under the first-paint probe.
_RUN_APP = (
    "argv = ['fazhi-desktop', *sys.argv[1:]]\n"
    "app = QApplication(argv)\n"
    "probe = _FirstPaint(app, MainWindow, rows=ROWS)\n"
    "app.installEventFilter(probe)\n"
    "sys.exit(main(argv))\n"
)

APP_CHILD = (
    "import sys\n"
    "from PySide6.QtCore import QEvent, QObject, QTimer\n"
    "from PySide6.QtWidgets import QApplication, QWidget\n"
    "from fazhi_desktop.ui.app import main\n"
    "from fazhi_desktop.ui.main_window import MainWindow\n"
    "ROWS = False\n"
    + _NO_MARKS
    + _PROBE
    + _RUN_APP
)
# The same start, timed until the table has painted the ledger's first rows.
APP_ROWS_CHILD = APP_CHILD.replace("ROWS = False\n", "ROWS = True\n")

BARE_CHILD = (
    "import sys\n"
    "from PySide6.QtCore import QEvent, QObject, QTimer\n"
    "from PySide6.QtGui import QStandardItemModel\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget\n"
    + _NO_MARKS
    + _PROBE
    + "app = QApplication(['bare', *sys.argv[1:]])\n"
    "probe = _FirstPaint(app, QMainWindow)\n"
    "app.installEventFilter(probe)\n"
    "window = QMainWindow()\n"
    "table = QTableView(window)\n"
    "model = QStandardItemModel(0, 8, window)\n"
    "table.setModel(model)\n"
    "window.setCentralWidget(table)\n"
    "window.show()\n"
    "sys.exit(app.exec())\n"
)


def child_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p
    )
    for var, sub in (
        ("FAZHI_DATA_DIR", "data"),
        ("FAZHI_CONFIG_DIR", "config"),
        ("FAZHI_LOG_DIR", "log"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_CACHE_HOME", "xdg-cache"),
    ):
        env[var] = str(work / "user" / sub)
    env.pop("FAZHI_DB", None)
    return env


def run_probe(code: str, args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Start a child probe; seconds from Popen to its ``FIRST_PAINT`` line, and that line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    _out, err = proc.communicate(timeout=60)
    if line.split()[:1] != ["FIRST_PAINT"] or proc.returncode != 0:
        raise RuntimeError(f"start-up probe failed (exit {proc.returncode}): {line!r} {err}")
    return elapsed, line


def time_first_paint(code: str, args: list[str], env: dict[str, str]) -> float:
    return run_probe(code, args, env)[0]


def bench_cold_start(db: Path, work: Path, repeats: int, today: dt.date) -> dict[str, float]:
    env = child_env(work)
    app_args = ["--db", str(db), "--today", today.isoformat()]
    time_first_paint(APP_ROWS_CHILD, app_args, env)  # warm-up: OS file cache, .pyc files
    time_first_paint(BARE_CHILD, [], env)
    app_times, rows_times, bare_times = [], [], []
    for _ in range(repeats):
        bare_times.append(time_first_paint(BARE_CHILD, [], env))
        app_times.append(time_first_paint(APP_CHILD, app_args, env))
        rows_times.append(time_first_paint(APP_ROWS_CHILD, app_args, env))
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    rows_s = statistics.median(rows_times)
    return {
        "cold_start_s": app_s,
        "cold_start_max_s": max(app_times),
        "cold_start_bare_s": bare_s,
        "cold_start_ratio": app_s / bare_s,
        "first_rows_s": rows_s,
        "first_rows_max_s": max(rows_times),
        "first_rows_ratio": rows_s / bare_s,
    }


# The app probe again, with marks between its steps; sqlalchemy is imported on its own first
# only to time it (the app imports it anyway, through fazhi_desktop.models.db).
PHASES_CHILD = (
    "import time\n"
    "T0 = time.perf_counter()\n"
    "import json, sys\n"
    "MARKS = {}\n"
    "def mark(name):\n"
    "    MARKS[name] = (time.perf_counter() - T0) * 1000\n"
    "def marks_json():\n"
    "    return json.dumps(MARKS)\n"
    "from PySide6.QtCore import QEvent, QObject, QTimer\n"
    "from PySide6.QtWidgets import QApplication, QWidget\n"
    "mark('import_qt')\n"
    # The window paints before it opens the database, so in a real start this import happens
    # after first paint; it is timed here on its own to show what the deferral saves.
    "import sqlalchemy.orm\n"
    "mark('import_sqlalchemy')\n"
    "from fazhi_desktop.ui.app import main\n"
    "from fazhi_desktop.ui.main_window import MainWindow\n"
    "mark('import_app')\n"
    "ROWS = False\n"
    + _PROBE
    + _RUN_APP
)


def bench_start_phases(
    db: Path, work: Path, today: dt.date, repeats: int = 3
) -> dict[str, float]:
    """Where the cold start goes, in ms (medians): see the module docstring."""
    env = child_env(work)
    args = ["--db", str(db), "--today", today.isoformat()]
    runs: list[dict[str, float]] = []
    for _ in range(repeats):
        elapsed, line = run_probe(PHASES_CHILD, args, env)
        wall = elapsed * 1000
        marks = json.loads(line.split(" ", 1)[1])
        runs.append(
            {
                "start_interpreter_ms": wall - marks["first_frame"],
                "start_import_qt_ms": marks["import_qt"],
                "start_import_sqlalchemy_ms": marks["import_sqlalchemy"] - marks["import_qt"],
                "start_import_app_ms": marks["import_app"] - marks["import_sqlalchemy"],
                "start_main_ms": marks["shown"] - marks["import_app"],
                "start_first_frame_ms": marks["first_frame"] - marks["shown"],
            }
        )
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}
