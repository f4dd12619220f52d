"""The Windows installer, run: the compiled NSIS setup installs and uninstalls under wine.

Compiling the script (tests/test_installer.py) proves little; here the installer built from
installer/fazhi-desktop.nsi over a stand-in payload runs silently (``/S``) under wine in a private
prefix, as a clerk's per-user install would on Windows: the files land in
%LOCALAPPDATA%\\Programs\\fazhi-desktop, the Start-menu and desktop shortcuts and the HKCU
uninstall key exist; then the uninstaller runs silently and the user's data folder (where
platformdirs puts it on Windows, as fazhi_desktop/paths.py asks) is still there, byte for byte.

Needs Debian's ``wine`` and its 32-bit half ``wine32:i386`` (an NSIS installer is a 32-bit
program): ``python3 bootstrap.py test`` installs them in CI or when FAZHI_TEST_WINE=1 asks; on a
machine without them the test is skipped, saying so. No display is needed for a silent install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_tool
from platformdirs import windows as platformdirs_windows
from test_installer import VERSION, compile_installer, stage_payload

from fazhi_desktop import paths

APP_NAME = "法治台账"
UNINSTALL_KEY = r"Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\fazhi-desktop"


class Wine:
    """wine in a private prefix, with a private home so nothing reaches the real desktop."""

    def __init__(self, base: Path) -> None:
        if not sys.platform.startswith("linux"):
            pytest.skip("wine 检验只在 Linux 上运行（Windows 上安装包由 CI 的构建任务生成）")
        self.wine = require_tool("wine")
        server = shutil.which("wineserver") or shutil.which("wineserver-stable")
        self.server = server or next(
            (
                p
                for p in ("/usr/lib/wine/wineserver", "/usr/lib/wine/wineserver64")
                if Path(p).is_file()
            ),
            None,
        )
        if self.server is None:
            pytest.skip("找不到 wineserver（wine 安装不完整）")
        self.prefix = base / "prefix"
        home = base / "home"
        (home / "Desktop").mkdir(parents=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("WINE", "XDG_"))}
        self.env.pop("DISPLAY", None)  # a silent install draws nothing
        self.env.update(
            WINEPREFIX=str(self.prefix),
            WINEDEBUG="-all",
            # No Mono/Gecko download prompts, no menu entries in the (private) home.
            WINEDLLOVERRIDES="mscoree=d;mshtml=d;winemenubuilder.exe=d",
            HOME=str(home),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DESKTOP_DIR=str(home / "Desktop"),
        )

    def run(self, exe: Path, *args: str) -> None:
        """Run ``exe`` and wait for every process it started (an uninstaller re-launches itself
        from %TEMP%, and the registry reaches user.reg only once wineserver is done)."""
        proc = subprocess.run(
            [self.wine, str(exe), *args],
            capture_output=True,
            text=True,
            errors="replace",
            env=self.env,
            timeout=600,
        )
        subprocess.run([self.server, "-w"], env=self.env, timeout=600, check=False)
        output = proc.stdout + proc.stderr
        if "wine32 is missing" in output or "Bad EXE format" in output:
            reason = "wine 缺少 32 位部分（请安装 wine32:i386，先 dpkg --add-architecture i386）"
            if os.environ.get("CI"):
                pytest.fail(reason)
            print(reason)
            pytest.skip(reason)
        assert proc.returncode == 0, f"{exe.name} {args}: {output[-3000:]}"

    def user_dir(self) -> Path:
        users = [p for p in (self.prefix / "drive_c" / "users").iterdir() if p.name != "Public"]
        assert len(users) == 1, users
        return users[0]


def registry_key(user_reg: Path, key: str) -> dict[str, str] | None:
    """The string and dword values of one key in wine's user.reg, or None if it is absent."""
    text = user_reg.read_text(encoding="utf-8", errors="replace")
    match = re.search(rf"^\[{re.escape(key)}\][^\n]*\n(.*?)(?:\n\n|\Z)", text, re.S | re.M)
    if match is None:
        return None
    values: dict[str, str] = {}
    for name, value in re.findall(r'^"([^"]+)"=(.*)$', match.group(1), re.M):
        if value.startswith('"'):
            # user.reg escapes: \\x6cd5 is a UTF-16 unit, \\\\ a backslash, \\" a quote.
            value = re.sub(
                r"\\(x[0-9a-fA-F]{1,4}|.)",
                lambda m: chr(int(m[1][1:], 16)) if m[1][0] == "x" else m[1],
                value[1:-1],
            )
        values[name] = value
    return values


def windows_path(path: Path, user: Path) -> str:
    """``…/drive_c/users/x/AppData/…`` as Windows spells it: ``C:\\users\\x\\AppData\\…``."""
    drive_c = user.parent.parent
    return "C:\\" + "\\".join(path.relative_to(drive_c).parts)


def windows_data_dirs(local_appdata: Path) -> list[Path]:
    """Where the program keeps its data on Windows: platformdirs with fazhi_desktop.paths's
    settings, its Windows folder (CSIDL_LOCAL_APPDATA) being the prefix's."""
    dirs = platformdirs_windows.Windows(
        paths._DIRS.appname, appauthor=paths._DIRS.appauthor, roaming=paths._DIRS.roaming
    )
    original = platformdirs_windows.get_win_folder
    platformdirs_windows.get_win_folder = lambda _csidl: str(local_appdata)  # type: ignore[assignment]
    try:
        return [Path(dirs.user_data_dir), Path(dirs.user_config_dir), Path(dirs.user_log_dir)]
    finally:
        platformdirs_windows.get_win_folder = original  # type: ignore[assignment]


@pytest.mark.slow
def test_installer_installs_and_uninstalls_under_wine_keeping_the_data(tmp_path: Path) -> None:
    wine = Wine(tmp_path)
    payload = stage_payload(tmp_path / "payload" / "fazhi-desktop")
    setup = compile_installer(payload, tmp_path / "out")

    wine.run(setup, "/S")
    user = wine.user_dir()
    local = user / "AppData" / "Local"
    installed = local / "Programs" / "fazhi-desktop"
    wanted = sorted(p.relative_to(payload) for p in payload.rglob("*") if p.is_file())
    for rel in wanted:
        assert (installed / rel).read_bytes() == (payload / rel).read_bytes(), rel
    assert (installed / "uninstall.exe").read_bytes()[:2] == b"MZ"

    start_menu = user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    shortcuts = [start_menu / f"{APP_NAME}.lnk", user / "Desktop" / f"{APP_NAME}.lnk"]
    target = windows_path(installed / "fazhi-desktop.exe", user)
    for lnk in shortcuts:
        data = lnk.read_bytes()
        assert data[:4] == b"L\0\0\0", lnk  # a shell link
        assert target.encode("utf-16-le") in data or target.encode("ascii") in data, lnk

    key = registry_key(wine.prefix / "user.reg", UNINSTALL_KEY)
    assert key is not None, "HKCU uninstall key missing"
    assert key["DisplayName"] == APP_NAME and key["Publisher"] == APP_NAME
    assert key["DisplayVersion"] == VERSION
    location = windows_path(installed, user)
    assert key["InstallLocation"] == location
    assert key["UninstallString"] == f'"{location}\\uninstall.exe"'
    assert key["QuietUninstallString"] == f'"{location}\\uninstall.exe" /S'
    assert key["DisplayIcon"] == target

    # A year of work, where the program keeps it on Windows.
    data_dirs = windows_data_dirs(local)
    assert data_dirs[0] == local / "fazhi-desktop"  # the NSIS script's DATA_DIR
    user_files = {
        data_dirs[0] / "fazhi.sqlite3": b"SQLite format 3\0" + "台账".encode() * 100,
        data_dirs[0] / "backups" / "fazhi.2026-11-30.sqlite3": b"SQLite format 3\0backup",
        data_dirs[1] / "window.ini": "[窗口]\n".encode(),
        data_dirs[2] / "fazhi-desktop.log": "启动\n".encode(),
    }
    for path, content in user_files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    wine.run(installed / "uninstall.exe", "/S")
    assert not installed.exists(), sorted(installed.rglob("*"))
    for lnk in shortcuts:
        assert not lnk.exists(), lnk
    assert registry_key(wine.prefix / "user.reg", UNINSTALL_KEY) is None
    for path, content in user_files.items():
        assert path.read_bytes() == content, path  # the silent uninstall kept the data
