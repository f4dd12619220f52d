"""Every test gets its own user dirs and database file; Qt runs offscreen."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never read or write the real user's keyring; the "no keyring" backend is the default and
# tests that need a working one install an in-memory backend of their own.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does may touch the real user's data, config or logs."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("FAZHI_DATA_DIR", "data"),
        ("FAZHI_CONFIG_DIR", "config"),
        ("FAZHI_LOG_DIR", "log"),
        ("FAZHI_DOCUMENTS_DIR", "documents"),
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_CACHE_HOME", "xdg-cache"),
        ("XDG_STATE_HOME", "xdg-state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("FAZHI_DB", raising=False)


# Modules whose tests run on both engines: the SQLite file and a PostgreSQL server (单位模式).
# A test of the file itself (sqlite3, backups, paths) is marked ``sqlite_only``.
BOTH_ENGINES = frozenset(
    {
        "test_services",
        "test_cli",
        "test_reporting",
        "test_returns",
        "test_summary",
        "test_submit",
        "test_plan_cli",
        "test_plan_link",
        "test_annual_report",
        "test_config",
        "test_import_cli",
        "test_summary_export",
        "test_export_consistency",
        "test_faults_output",
        "test_ui_reporting",
        "test_ui_summary",
        "test_ui",
        "test_ui_edges",
        "test_collect",
    }
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if (
        module in BOTH_ENGINES
        and "db_path" in metafunc.fixturenames
        and metafunc.definition.get_closest_marker("sqlite_only") is None
    ):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A private PostgreSQL cluster for the whole run (tests/pg_cluster.py)."""
    from pg_cluster import start_cluster

    cluster = start_cluster()
    if cluster is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL (Debian package postgresql) is required in CI")
        pytest.skip("PostgreSQL not installed")
    yield cluster
    cluster.remove()


@pytest.fixture
def own_cluster() -> Iterator[Any]:
    """A cluster of the test's own: killing it must not disturb the other tests' server."""
    from pg_cluster import start_cluster

    cluster = start_cluster()
    if cluster is None:
        pytest.skip("PostgreSQL not installed")
    yield cluster
    cluster.remove()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The database engine a test runs on; "sqlite" unless the module runs on both."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def db_path(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    """The database a test opens: a file, or (engine "postgresql") a fresh server database URL."""
    if engine == "postgresql":
        return request.getfixturevalue("pg_cluster").new_database()
    return tmp_path / "ledger.sqlite3"


@pytest.fixture
def database(db_path: Path) -> Iterator[object]:
    from fazhi_desktop.models.db import open_database

    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture
def demo_db(db_path: Path) -> Path:
    """A database file holding the demo ledger as of TODAY."""
    from fazhi_desktop.models.db import open_database
    from fazhi_desktop.services.demo import create_demo

    db = open_database(db_path)
    with db.session() as session, session.begin():
        create_demo(session, TODAY)
    db.close()
    return db_path


def require_tool(name: str) -> str:
    """Path of an external tool; missing is a skip on a dev machine and a failure in the Linux CI
    (bootstrap.py installs them there; the Windows runner has few of them: a skip)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") and sys.platform.startswith("linux"):
            pytest.fail(f"{name} is required in CI but not installed")
        pytest.skip(f"{name} not installed")
    return path


# --- the main window, shared by the UI tests ---------------------------------------------------


@pytest.fixture
def window_database(database: Any) -> Any:
    """The database the ``window`` fixture opens; a test module overrides it to start with data."""
    return database


@pytest.fixture
def window_today() -> dt.date:
    return TODAY


@pytest.fixture
def window(
    qtbot: Any, window_database: Any, window_today: dt.date, tmp_path: Path
) -> Iterator[Any]:
    """The main window as the program opens it, shown at a laptop's size."""
    from PySide6.QtCore import QSettings

    from fazhi_desktop.settings import AppSettings
    from fazhi_desktop.ui import app as app_module
    from fazhi_desktop.ui.summary.window import SummaryWindow

    ui_state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = app_module.open_window(
        window_database, today=window_today, settings=AppSettings(), ui_state=ui_state
    )
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for view in win.findChildren(SummaryWindow):
        view.units_tab.dirty = False  # an edit a test left unsaved must not ask on close
        view.close()
    win.close()


def wait_for(condition: Callable[[], object], seconds: float = 20.0) -> None:
    """Let the event loop run until ``condition`` holds.

    Not qtbot.waitUntil: after a test that ran the application's own exec() (test_ui's
    screenshot mode), Qt has a quit request pending and every new event loop returns at once.
    The sleep keeps the number of processEvents calls small (PySide6 on Python 3.11 loses a
    reference to None on each, and thousands of calls end the interpreter).
    """
    import time

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)


def finish(op: Any) -> Any:
    """Wait for a background op (ui/background.Op) to end; its result (None if it failed)."""
    assert op is not None, "no background work was started"
    wait_for(lambda: op.done)
    return op.result


@pytest.fixture
def ledger_window(window: Any) -> Any:
    """The main window on the demo ledger (the sort and filter tests' name for ``window``)."""
    return window
