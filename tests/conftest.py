"""Every test gets its own user dirs and database file; Qt runs offscreen."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
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
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_CACHE_HOME", "xdg-cache"),
        ("XDG_STATE_HOME", "xdg-state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("FAZHI_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
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
    """Path of an external tool; missing is a skip on a dev machine and a failure in CI."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI but not installed")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture
def ledger_window(qtbot: Any, db_path: Path, tmp_path: Path) -> Iterator[Any]:
    """The main window on the demo ledger, 1366×768, shown (as the app opens it)."""
    from PySide6.QtCore import QSettings

    from fazhi_desktop.models.db import open_database
    from fazhi_desktop.settings import AppSettings
    from fazhi_desktop.ui import app as app_module

    db = open_database(db_path)
    ui_state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = app_module.open_window(db, today=TODAY, settings=AppSettings(), ui_state=ui_state)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    db.close()
