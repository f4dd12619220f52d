"""Only ``fazhi_desktop/ui/`` may use Qt: the core must run (CLI, exporters, tests) without it."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import fazhi_desktop

PACKAGE_DIR = Path(fazhi_desktop.__file__).resolve().parent
UI_DIR = PACKAGE_DIR / "ui"
QT_ROOTS = ("PySide6", "shiboken6")


# A whole string that is a Qt module name; prose that merely mentions PySide6 does not count.
_QT_STRING = re.compile(r"(?:PySide6|shiboken6)(?:\.\w+)*")


def _is_qt(name: str) -> bool:
    return any(name == root or name.startswith(root + ".") for root in QT_ROOTS)


def qt_imports(source: str) -> list[str]:
    """Every way ``source`` names a Qt module: import statements and importlib-style strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_qt(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_qt(node.module or ""):
            found.append(node.module or "")
        elif isinstance(node, ast.Constant) and _QT_STRING.fullmatch(str(node.value).strip()):
            # importlib.import_module("PySide6.QtCore"), __import__("PySide6"), lazy loaders.
            found.append(str(node.value).strip())
    return found


def _python_files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "import os, PySide6.QtCore as qc",
        "from PySide6 import QtWidgets",
        "from PySide6.QtGui import QColor",
        "def f():\n    from PySide6.QtCore import Qt\n",
        "import importlib\nm = importlib.import_module('PySide6.QtWidgets')",
        "Qt = __import__('PySide6')",
        "import shiboken6",
    ],
)
def test_scanner_finds_every_form(source: str) -> None:
    assert qt_imports(source)


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6x",
        "from . import PySide6_helpers",
        "x = 'PySide66'",
        "# import PySide6",
        "'''Only ui/ may import PySide6.'''",
        "msg = 'PySide6.QtCore is heavy'",
    ],
)
def test_scanner_ignores_lookalikes(source: str) -> None:
    assert not qt_imports(source)


def test_only_the_ui_package_imports_qt() -> None:
    files = _python_files()
    assert len(files) > 10, "the scan found too few files to be looking in the right place"
    offenders = {}
    ui_users = []
    for path in files:
        found = qt_imports(path.read_text(encoding="utf-8"))
        if not found:
            continue
        if UI_DIR in path.parents:
            ui_users.append(path)
        else:
            offenders[str(path.relative_to(PACKAGE_DIR.parent))] = found
    assert offenders == {}, "Qt outside fazhi_desktop/ui/ (move the code into ui/)"
    # If no ui module imports Qt the scan itself is broken, not the rule kept.
    assert ui_users


# Walks the package without importing it: walk_packages would import fazhi_desktop.ui itself.
_IMPORT_EVERY_CORE_MODULE = r"""
import importlib, json, os, pkgutil, sys
import fazhi_desktop

def walk(path, prefix):
    for info in pkgutil.iter_modules(path, prefix):
        name = info.name
        if name == "fazhi_desktop.ui" or name.startswith("fazhi_desktop.ui."):
            continue
        if name.rsplit(".", 1)[-1] == "__main__":
            continue
        yield name
        if info.ispkg:
            folder = os.path.join(info.module_finder.path, name.rsplit(".", 1)[-1])
            yield from walk([folder], name + ".")

names = list(walk(fazhi_desktop.__path__, "fazhi_desktop."))
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"imported": names, "qt": qt}))
"""


def test_importing_every_core_module_loads_no_qt() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERY_CORE_MODULE],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["qt"] == []
    imported = set(result["imported"])
    # The walk really reached the core, subpackages included.
    for name in (
        "fazhi_desktop.models.db",
        "fazhi_desktop.models.orm",
        "fazhi_desktop.services.ledgers",
        "fazhi_desktop.services.tasks",
        "fazhi_desktop.cli",
        "fazhi_desktop.cli.core_cmds",
        "fazhi_desktop.io.atomic",
        "fazhi_desktop.settings",
    ):
        assert name in imported
    assert not any(name.startswith("fazhi_desktop.ui") for name in imported)
