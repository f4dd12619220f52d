"""An ESTIMATE of the Windows bundle, made on Linux from the Linux PyInstaller bundle.

A Windows PyInstaller bundle cannot be built here, so the Windows installer's size budget is
checked on Linux against a stand-in: the Linux bundle minus what only Linux carries, its
libraries stripped (Windows DLLs carry no symbols), compiled by the real NSIS script with its
real LZMA settings. It is an estimate, not a measurement:

- left out, as Windows has no use for them: ICU (Qt uses Windows' own icu.dll), the X11/xcb,
  GLib, GnuTLS, Kerberos … libraries PyInstaller copies from /usr/lib, Qt's xcb and D-Bus parts,
  the Secret Service stack of keyring (cryptography, jeepney, secretstorage: Linux-only
  dependencies), and the fonts fazhi_desktop.io.pdf.fonts.NOT_BUNDLED_ON_WINDOWS names;
- kept as stand-ins for their Windows counterparts: libpython (python311.dll), OpenSSL, SQLite,
  the Qt, PySide6 and Python-extension libraries, everything Python;
- missing: what only Windows carries (the MSVC runtime, Qt's windows platform and style
  plugins, pywin32-ctypes), a few MB.

On the Windows CI runner the same test compiles the real bundle instead (tests/test_installer.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from fazhi_desktop.io.pdf.fonts import NOT_BUNDLED_ON_WINDOWS

# Top-level libraries of _internal/ with a Windows counterpart; all others there are Linux's.
_WINDOWS_HAS_TOO = re.compile(
    r"^lib(python|crypto|ssl|sqlite3|Qt6(Core|Gui|Widgets|Network|PrintSupport)|pyside6|shiboken6|ffi)\b"
)
_LINUX_ONLY = re.compile(
    r"^_internal/(cryptography|_cffi_backend|jeepney|secretstorage)"
    r"|/libicu|libQt6(XcbQpa|DBus)|PySide6/QtDBus|/xcbglintegrations/|/libqxcb|/platformthemes/"
)


def _linux_only(rel: str) -> bool:
    folder, _, name = rel.rpartition("/")
    if folder == "_internal/resources/fonts":
        return name in NOT_BUNDLED_ON_WINDOWS
    if folder == "_internal" and ".so" in name:
        return not _WINDOWS_HAS_TOO.match(name)
    return bool(_LINUX_ONLY.search(rel))


def windows_stand_in(bundle: Path, folder: Path) -> Path:
    """Copy ``bundle`` to ``folder`` as the Windows bundle would look (see the module docstring)."""
    shutil.copytree(bundle, folder, symlinks=True)
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_symlink():
            path.unlink()  # Windows has none; NSIS would pack the target twice
        elif path.is_file() and _linux_only(path.relative_to(folder).as_posix()):
            path.unlink()
    for path in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()
    libraries = [str(p) for p in folder.rglob("*.so*") if p.is_file()]
    strip = shutil.which("strip")
    if strip is not None:
        for start in range(0, len(libraries), 200):
            subprocess.run([strip, "--strip-unneeded", *libraries[start : start + 200]], check=True)
    for name in ("fazhi", "fazhi-desktop"):
        (folder / name).rename(folder / f"{name}.exe")
    return folder
