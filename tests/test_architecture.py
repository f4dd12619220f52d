"""The architecture the README draws is the one the code has.

Only ``fazhi_desktop/ui/`` may use Qt: the core must run (CLI, exporters, tests) without it.

``ui/`` and ``cli/`` call ``services/``; services use ``models/`` (storage, records, rules) and
``io/`` (file formats); ``io/`` uses ``models/``; nothing imports upward, and no two modules
import each other, not even through a function-level import. Read from the source with ``ast``
(nothing is imported), so a lazy import inside a function counts like any other.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
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


# --- the layers: who may import whom -------------------------------------------------------

PACKAGE = "fazhi_desktop"

# Which layer each module belongs to, by the first part of its name below the package.
# Base modules hold no logic that depends on the program's state: anyone may use them.
LAYER_OF_TOP = {
    "": "base",  # fazhi_desktop/__init__.py: name and version
    "errors": "base",
    "textnorm": "base",
    "paths": "base",
    "file_names": "base",
    "logs": "base",
    "bulk": "base",
    "vocab": "base",
    "models": "models",
    "io": "io",
    "settings": "services",  # the program settings file, read and validated for the services
    "services": "services",
    "cli": "cli",
    "ui": "ui",
    "__main__": "entry",
}

ALLOWED = {
    "base": {"base"},
    "models": {"base", "models"},
    "io": {"base", "models", "io"},
    "services": {"base", "models", "io", "services"},
    # The front ends use records and enums from models, never a file format directly.
    "cli": {"base", "models", "services", "cli"},
    "ui": {"base", "models", "services", "ui"},
    "entry": {"base", "cli", "ui"},
}


def module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(PACKAGE_DIR).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    below = module.split(".")[1:]
    top = below[0] if below else ""
    if top not in LAYER_OF_TOP:
        raise AssertionError(f"{module}: not in the layer table; add it to LAYER_OF_TOP")
    return LAYER_OF_TOP[top]


def _modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def imported_modules(module: str, path: Path, known: set[str]) -> Iterator[str]:
    """Every package module ``module`` imports, anywhere in its body."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            # "from pkg import sub" imports the submodule pkg.sub.
            targets = [source] + [f"{source}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                while target not in known and "." in target:
                    target = target.rpartition(".")[0]
                if target in known and target != module:
                    yield target


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {m: set(imported_modules(m, p, known)) for m, p in modules.items()}


def test_every_module_has_a_layer() -> None:
    for module in _modules():
        layer_of(module)


def test_imports_follow_the_layers() -> None:
    graph = _graph()
    assert len(graph) > 50, "the scan found too few modules to be looking in the right place"
    wrong = sorted(
        f"{m} ({layer_of(m)}) → {d} ({layer_of(d)})"
        for m, deps in graph.items()
        for d in deps
        if layer_of(d) not in ALLOWED[layer_of(m)]
    )
    assert wrong == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state and (found := visit(dep)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def _without_package_inits(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    # Importing a.b.c runs a/__init__ and a/b/__init__ first; that is Python's order, not a
    # dependency of the package on its members, so edges into a package's own parents are dropped.
    return {
        m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()
    }


def test_no_import_cycles() -> None:
    assert find_cycle(_without_package_inits(_graph())) is None


@pytest.mark.parametrize(
    ("graph", "cyclic"),
    [
        ({"a": {"b"}, "b": {"a"}}, True),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, False),
    ],
)
def test_cycle_finder(graph: dict[str, set[str]], cyclic: bool) -> None:
    assert (find_cycle(graph) is not None) is cyclic


def test_function_level_imports_are_seen(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text(
        "def f():\n    from fazhi_desktop.io.atomic import write_bytes_atomic\n",
        encoding="utf-8",
    )
    found = set(imported_modules("fazhi_desktop.ui.mod", source, {"fazhi_desktop.io.atomic"}))
    assert found == {"fazhi_desktop.io.atomic"}
