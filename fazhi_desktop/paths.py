"""Where the program keeps its files, and where its bundled resources are.

Environment overrides exist so tests, scripts and a portable install can redirect everything:
``FAZHI_DB`` (the database file), ``FAZHI_DATA_DIR``, ``FAZHI_CONFIG_DIR``, ``FAZHI_LOG_DIR``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import PlatformDirs

from fazhi_desktop import APP_NAME

_DIRS = PlatformDirs(APP_NAME, appauthor=False, roaming=False)
DB_FILENAME = "fazhi.sqlite3"


def _dir_from_env(var: str, default: str) -> Path:
    value = os.environ.get(var)
    path = Path(value) if value else Path(default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _dir_from_env("FAZHI_DATA_DIR", _DIRS.user_data_dir)


def config_dir() -> Path:
    return _dir_from_env("FAZHI_CONFIG_DIR", _DIRS.user_config_dir)


def log_dir() -> Path:
    return _dir_from_env("FAZHI_LOG_DIR", _DIRS.user_log_dir)


def default_db_path() -> Path:
    """``--db`` beats ``FAZHI_DB`` beats the user data dir; callers pass ``--db`` themselves."""
    env = os.environ.get("FAZHI_DB")
    if env:
        return Path(env)
    return data_dir() / DB_FILENAME


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``, from a source checkout or a PyInstaller bundle alike."""
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return base.joinpath("resources", *parts)
