"""Every file and folder chooser of the program: one remembered folder, one suffix rule.

The folder last used (for any import or export) is where the next dialog opens; before any, the
export folder from 程序设置, else the home folder. A name typed without the file type's suffix
gets it appended — never replaced: ``Path.with_suffix`` would turn “2026.11进展” into
“2026.xlsx”. Tests replace the ``ask_*`` functions (or ``QFileDialog``'s static methods).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from fazhi_desktop.settings import AppSettings

LAST_DIR = "last_dir"
_SUFFIX = re.compile(r"\*(\.\w+)")


class Folders(Protocol):
    """Where the remembered folder is kept (the main window has both)."""

    ui_state: QSettings
    app_settings: AppSettings


def start_dir(folders: Folders) -> str:
    remembered = folders.ui_state.value(LAST_DIR)
    if isinstance(remembered, str) and Path(remembered).is_dir():
        return remembered
    return folders.app_settings.export_dir or str(Path.home())


def remember(folders: Folders, folder: Path) -> None:
    folders.ui_state.setValue(LAST_DIR, str(folder))


def with_suffix(path: Path, patterns: str, selected: str = "") -> Path:
    """``path`` ending in one of the suffixes ``patterns`` allow; else with the chosen filter's
    (or the first) suffix appended to the whole name."""
    allowed = [s.lower() for s in _SUFFIX.findall(patterns)]
    wanted = _SUFFIX.findall(selected) or allowed
    if wanted and path.suffix.lower() not in allowed:
        return path.with_name(path.name + wanted[0])
    return path


def ask_save(
    parent: QWidget, folders: Folders, title: str, name: str, patterns: str
) -> Path | None:
    """The file to write (suffix rule applied), or None; remembers its folder."""
    suggested = str(Path(start_dir(folders)) / name)
    chosen, selected = QFileDialog.getSaveFileName(parent, title, suggested, patterns)
    if not chosen:
        return None
    path = with_suffix(Path(chosen), patterns, selected)
    remember(folders, path.parent)
    return path


def ask_open(parent: QWidget, folders: Folders, title: str, patterns: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, title, start_dir(folders), patterns)
    if not chosen:
        return None
    path = Path(chosen)
    remember(folders, path.parent)
    return path


def ask_open_many(parent: QWidget, folders: Folders, title: str, patterns: str) -> list[Path]:
    chosen, _ = QFileDialog.getOpenFileNames(parent, title, start_dir(folders), patterns)
    paths = [Path(c) for c in chosen]
    if paths:
        remember(folders, paths[0].parent)
    return paths


def ask_folder(
    parent: QWidget, folders: Folders | None, title: str, start: str = ""
) -> Path | None:
    """A folder; with ``folders`` it opens at (and remembers) the shared remembered folder."""
    begin = start or (start_dir(folders) if folders is not None else "")
    chosen = QFileDialog.getExistingDirectory(parent, title, begin)
    if not chosen:
        return None
    path = Path(chosen)
    if folders is not None:
        remember(folders, path)
    return path


def ask_file(parent: QWidget, title: str, start: str, patterns: str) -> Path | None:
    """A file to read from a settings field (no remembered folder: it opens at the field's)."""
    chosen, _ = QFileDialog.getOpenFileName(parent, title, start, patterns)
    return Path(chosen) if chosen else None
