"""Where files go: user folders, environment overrides, portable mode, bundled resources."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import fazhi_desktop
from fazhi_desktop import paths

PACKAGE = Path(fazhi_desktop.__file__).resolve().parent


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to be the PyInstaller bundle installed in ``tmp_path/程序``."""
    folder = tmp_path / "程序"
    (folder / "_internal").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "fazhi-desktop.exe"))
    monkeypatch.setattr(sys, "_MEIPASS", str(folder / "_internal"), raising=False)
    for var in ("FAZHI_DATA_DIR", "FAZHI_CONFIG_DIR", "FAZHI_LOG_DIR", "FAZHI_DB"):
        monkeypatch.delenv(var, raising=False)
    return folder


def test_environment_overrides_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("FAZHI_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("FAZHI_LOG_DIR", str(tmp_path / "l"))
    assert paths.data_dir() == tmp_path / "d"
    assert paths.config_dir() == tmp_path / "c"
    assert paths.log_dir() == tmp_path / "l"
    assert paths.default_db_path() == tmp_path / "d" / paths.DB_FILENAME
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "x.sqlite3"))
    assert paths.default_db_path() == tmp_path / "x.sqlite3"


def test_source_checkout_is_never_portable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    assert not paths.is_frozen()
    assert paths.portable_dir() is None


def test_installed_bundle_uses_the_user_folders(frozen: Path) -> None:
    assert paths.portable_dir() is None
    assert paths.program_dir() == frozen
    assert frozen not in paths.data_dir().parents
    assert frozen not in paths.log_dir().parents


def test_portable_marker_keeps_everything_beside_the_program(frozen: Path) -> None:
    (frozen / "portable").write_text("", encoding="utf-8")
    data = frozen / "data"
    assert paths.portable_dir() == data
    assert paths.data_dir() == data
    assert paths.default_db_path() == data / "fazhi.sqlite3"
    assert paths.config_dir() == data / "config"
    assert paths.log_dir() == data / "logs"
    assert all(p.is_dir() for p in (data, data / "config", data / "logs"))


def test_environment_beats_portable(frozen: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (frozen / "portable").write_text("", encoding="utf-8")
    monkeypatch.setenv("FAZHI_LOG_DIR", str(frozen / "elsewhere"))
    assert paths.log_dir() == frozen / "elsewhere"
    assert paths.data_dir() == frozen / "data"


def test_resources_come_from_the_bundle_when_frozen(frozen: Path) -> None:
    expected = frozen / "_internal" / "resources" / "fonts" / "x.ttc"
    assert paths.resource_path("fonts", "x.ttc") == expected


@pytest.mark.parametrize(
    "parts",
    [
        ("fonts", "wqy-microhei.ttc"),
        ("fonts", "uming.ttc"),
        ("demo", "puyang-2020.json"),
        ("icons", "fazhi.ico"),
        ("icons", "fazhi.png"),
        ("LICENSES.md",),
    ],
)
def test_resources_exist_in_the_source_checkout(parts: tuple[str, ...]) -> None:
    path = paths.resource_path(*parts)
    assert path.is_file() and path.stat().st_size > 0


def test_only_paths_py_knows_where_the_program_lives() -> None:
    """One helper for bundled files: nothing else may build paths from __file__ or _MEIPASS."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "paths.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "__file__":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} __file__")
            meipass = (isinstance(node, ast.Constant) and node.value == "_MEIPASS") or (
                isinstance(node, ast.Attribute) and node.attr == "_MEIPASS"
            )
            if meipass:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} _MEIPASS")
    assert offenders == []
