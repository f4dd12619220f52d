"""Write installer/constraints.txt: exact versions for the Windows build, so builds repeat.

    .venv/bin/python installer/freeze_constraints.py

Pins every runtime dependency in pyproject.toml and PyInstaller (the version the ``dev`` extra
pins), with everything they need in turn, at the versions installed in the running
environment. Packages only Windows needs (PyInstaller's and keyring's Windows helpers) cannot be
read from a Linux environment; they come from WINDOWS_ONLY below. Rerun after changing
dependencies; tests/test_installer.py checks that the file covers pyproject.toml.
"""

from __future__ import annotations

import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "installer" / "constraints.txt"
PLATFORMS = {
    "win32": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
}
# Windows-only dependencies of the pinned packages, with the version to build with.
WINDOWS_ONLY = {"pefile": "2024.8.26", "pywin32-ctypes": "0.2.3"}


def roots() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(text) for text in project["dependencies"]]
    dev = [Requirement(text) for text in project["optional-dependencies"]["dev"]]
    wanted += [r for r in dev if canonicalize_name(r.name) == "pyinstaller"]
    return wanted


def applies(marker: Marker | None) -> str | None:
    """'all', 'win32' or None: on which of the build platforms the requirement is needed."""
    if marker is None:
        return "all"
    hits = [name for name, env in PLATFORMS.items() if marker.evaluate({**env, "extra": ""})]
    if len(hits) == len(PLATFORMS):
        return "all"
    return "win32" if "win32" in hits else None


def main() -> int:
    pins: dict[str, str] = {}
    windows: dict[str, str] = {}
    queue = roots()
    while queue:
        req = queue.pop()
        where = applies(req.marker)
        name = canonicalize_name(req.name)
        if where is None or name in pins or name in windows:
            continue
        try:
            dist = distribution(req.name)
        except PackageNotFoundError:
            if where == "win32" and name in WINDOWS_ONLY:
                windows[name] = WINDOWS_ONLY[name]
                continue
            print(f"{req.name} 未安装，无法固定版本；请先安装它（或写入 WINDOWS_ONLY）。")
            return 1
        target = pins if where == "all" else windows
        target[name] = dist.version
        queue += [Requirement(text) for text in dist.requires or []]
    lines = [
        "# Exact versions for the Windows build (installer/build-windows.ps1); regenerate with",
        "#     .venv/bin/python installer/freeze_constraints.py",
    ]
    lines += [f"{name}=={version}" for name, version in sorted(pins.items())]
    lines += [
        f'{name}=={version} ; sys_platform == "win32"' for name, version in sorted(windows.items())
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"已写入 {OUT.relative_to(ROOT)}：{len(pins) + len(windows)} 个包")
    return 0


if __name__ == "__main__":
    sys.exit(main())
