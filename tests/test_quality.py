"""ruff and mypy are part of the test suite, so CI keeps the code clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_clean() -> None:
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean() -> None:
    result = _run("mypy", "--no-incremental")
    assert result.returncode == 0, result.stdout + result.stderr


# --- slow tests are marked slow --------------------------------------------------------------

import ast  # noqa: E402

# What makes a test slow: it starts LibreOffice (soffice) or builds with PyInstaller.
_SLOW_WORDS = ("soffice", '"PyInstaller"', "'PyInstaller'", "frozen_bundle")


def _decorated_slow(node: ast.FunctionDef) -> bool:
    return any("mark.slow" in ast.unparse(d) for d in node.decorator_list)


def _slow_fixture_names(tree: ast.Module, source: str) -> set[str]:
    """Fixtures of this file that start a slow tool, directly or through another fixture."""
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    slow = {
        name
        for name, node in functions.items()
        if any(w in (ast.get_source_segment(source, node) or "") for w in _SLOW_WORDS)
    }
    changed = True
    while changed:  # a fixture that requests a slow fixture is slow too
        changed = False
        for name, node in functions.items():
            if name not in slow and {a.arg for a in node.args.args} & slow:
                slow.add(name)
                changed = True
    return slow


def unmarked_slow_tests(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    slow = _slow_fixture_names(tree, source)
    return [
        f"{path.name}::{node.name}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("test_")
        and (node.name in slow or {a.arg for a in node.args.args} & slow)
        and not _decorated_slow(node)
    ]


def test_every_libreoffice_and_pyinstaller_test_is_marked_slow() -> None:
    # This file names the words it looks for, so it is not scanned itself.
    files = sorted(f for f in (ROOT / "tests").glob("test_*.py") if f.name != Path(__file__).name)
    found = [t for f in files for t in unmarked_slow_tests(f)]
    assert found == [], "mark these @pytest.mark.slow: they start LibreOffice or PyInstaller"


def test_the_slow_check_sees_fixtures(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "import pytest\n"
        "@pytest.fixture\ndef converted():\n    return run(['soffice'])\n"
        "def test_a(converted):\n    pass\n"
        "@pytest.mark.slow\ndef test_b(converted):\n    pass\n"
        "def test_c():\n    pass\n",
        encoding="utf-8",
    )
    assert unmarked_slow_tests(sample) == ["test_sample.py::test_a"]


# --- small modules -----------------------------------------------------------------------------

MAX_MODULE_LINES = 450


def test_no_module_is_over_450_lines() -> None:
    """A module that outgrows this has more than one job: split it where the jobs part."""
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "fazhi_desktop").rglob("*.py")
    }
    assert len(sizes) > 50
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}
