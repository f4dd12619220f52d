"""bootstrap.py's checks of the system, without touching the system."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_bootstrap() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", ROOT / "bootstrap.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_debian_python_without_libpython_asks_for_its_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # What Debian's python3 reports: the shared build's sysconfig, though the interpreter is
    # static and libpython3.X.so.1.0 comes in a package of its own (issue 18, fresh Debian 12).
    bootstrap = load_bootstrap()
    soname = f"libpython3.{sys.version_info.minor}.so.1.0"
    config = {"Py_ENABLE_SHARED": 1, "INSTSONAME": soname, "LIBDIR": str(tmp_path)}
    monkeypatch.setattr(bootstrap.sysconfig, "get_config_var", config.get)
    package = f"libpython3.{sys.version_info.minor}"
    assert bootstrap._python_shared_library() == (soname, (package,))

    (tmp_path / soname).write_bytes(b"")  # a shared build keeps it beside the interpreter
    assert bootstrap._python_shared_library() is None


@pytest.mark.parametrize(
    ("ci", "asked", "wanted"),
    [("", "", False), ("1", "", True), ("1", "0", False), ("", "1", True)],
)
def test_wine_is_installed_in_ci_or_when_asked(
    monkeypatch: pytest.MonkeyPatch, ci: str, asked: str, wanted: bool
) -> None:
    bootstrap = load_bootstrap()
    monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("FAZHI_TEST_WINE", asked)
    assert bootstrap._wine_wanted() is wanted


def test_wine_comes_with_its_32_bit_half(monkeypatch: pytest.MonkeyPatch) -> None:
    bootstrap = load_bootstrap()
    calls: list[object] = []
    monkeypatch.setattr(bootstrap, "IS_LINUX", True)
    monkeypatch.setattr(bootstrap.shutil, "which", lambda _name: None)
    monkeypatch.setattr(bootstrap, "_can_use_apt", lambda: True)
    monkeypatch.setattr(bootstrap.subprocess, "run", lambda cmd, **_kw: calls.append(cmd[-3:]))
    monkeypatch.setattr(bootstrap, "apt_install", lambda groups, _why: calls.append(groups))
    bootstrap._apt_updated = True
    bootstrap._install_wine()
    # i386 first, and the package lists fetched again so that wine32:i386 can be found.
    assert calls == [["dpkg", "--add-architecture", "i386"], [("wine",), ("wine32:i386",)]]
    assert bootstrap._apt_updated is False
