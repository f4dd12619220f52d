"""Where the program keeps its files, and where its bundled resources are.

Environment overrides exist so tests and scripts can redirect everything:
``FAZHI_DB`` (the database file), ``FAZHI_DATA_DIR``, ``FAZHI_CONFIG_DIR``, ``FAZHI_LOG_DIR``.

Portable mode: a file named ``portable`` next to the installed executables keeps the database,
its backups, settings and logs in a ``data`` folder beside them (for running from a USB stick).
The environment overrides still win, then portable mode, then the platformdirs user folders.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from platformdirs import PlatformDirs

from fazhi_desktop import APP_NAME, APP_TITLE
from fazhi_desktop.errors import InputFileError

_DIRS = PlatformDirs(APP_NAME, appauthor=False, roaming=False)
DB_FILENAME = "fazhi.sqlite3"
PORTABLE_MARKER = "portable"
PORTABLE_DATA = "data"


def is_frozen() -> bool:
    """True inside the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def program_dir() -> Path:
    """The folder holding the executables (bundle) or the source checkout (from source)."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def portable_dir() -> Path | None:
    """The portable data folder when the ``portable`` marker sits next to the executables.

    Only the frozen program looks for it: from source, "next to the executable" would be the
    Python interpreter's folder.
    """
    if not is_frozen():
        return None
    base = program_dir()
    return base / PORTABLE_DATA if (base / PORTABLE_MARKER).exists() else None


def _dir(var: str, portable_sub: str | None, default: str) -> Path:
    value = os.environ.get(var)
    portable = portable_dir()
    if value:
        path = Path(value)
    elif portable is not None:
        path = portable / portable_sub if portable_sub else portable
    else:
        path = Path(default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _dir("FAZHI_DATA_DIR", None, _DIRS.user_data_dir)


def config_dir() -> Path:
    return _dir("FAZHI_CONFIG_DIR", "config", _DIRS.user_config_dir)


def log_dir() -> Path:
    return _dir("FAZHI_LOG_DIR", "logs", _DIRS.user_log_dir)


def documents_dir() -> Path:
    """The program's folder under the user's 文档 (Documents), where files meant for the user
    (报送 attachments, mail drafts) go: visible in the file manager, unlike the data folder."""
    value = os.environ.get("FAZHI_DOCUMENTS_DIR")
    path = Path(value) if value else Path(_DIRS.user_documents_dir) / APP_TITLE
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """``--db`` beats ``FAZHI_DB`` beats the data dir; callers pass ``--db`` themselves."""
    env = os.environ.get("FAZHI_DB")
    if env:
        return Path(env)
    return data_dir() / DB_FILENAME


# ``--db``/``FAZHI_DB`` naming a server (单位模式, models/server_db.py) rather than a file.
SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_server_url(target: str | Path) -> bool:
    """Whether ``--db``/``FAZHI_DB`` names a server (``postgresql://…``) rather than a file."""
    if not isinstance(target, str) or "://" not in target:
        return False
    return target.split("://", 1)[0].lower() in SERVER_SCHEMES


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``, from a source checkout or a PyInstaller bundle alike.

    Every bundled file (fonts, demo data, icons) is found through here, so the spec in
    ``installer/`` only has to copy ``resources/`` into the bundle.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return base.joinpath("resources", *parts)


def require_regular_file(path: Path) -> None:
    """Refuse, before opening it, what is not a file on disk: reading a FIFO or a device blocks
    forever. A missing file passes: the caller says so in its own words."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        raise InputFileError(f"“{path}”是一个文件夹，不是文件。请选择要读取的文件。")
    if not stat.S_ISREG(mode):
        raise InputFileError(
            f"“{path}”不是普通文件（而是管道或设备），程序不读取它。请选择磁盘上保存的文件。"
        )
