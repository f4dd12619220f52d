"""Atomic file writes: write beside the target, then rename over it.

A crash mid-write leaves the old file untouched. On Windows a file held open by Excel or WPS
cannot be replaced; that becomes a :class:`FileLockedError` telling the user to close it. Any
other failure (a folder given as the file, a missing folder, a name too long, no permission, a
full disk) is a :class:`FazhiError` saying which, and the old file is kept.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from fazhi_desktop.errors import FazhiError, FileLockedError, os_error_text

# Most file systems (NTFS, ext4, APFS) limit one name to 255 bytes (UTF-8 on Linux, macOS).
MAX_NAME_BYTES = 255
_KEPT = "原文件未被改动。"


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    _check_target(target, folder)
    try:
        # A short fixed prefix: the temporary name must fit wherever the target's name fits.
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".fazhi-", suffix=target.suffix)
    except OSError as exc:
        raise FazhiError(f"无法写入“{target}”：{os_error_text(exc)}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _give_normal_mode(tmp, target)
        try:
            yield tmp
        except OSError as exc:
            raise FazhiError(f"无法写入“{target}”：{os_error_text(exc)}{_KEPT}") from exc
        _replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _check_target(target: Path, folder: Path) -> None:
    # The length first: stat() of a name that long fails with ENAMETOOLONG.
    if len(os.fsencode(target.name)) > MAX_NAME_BYTES:
        raise FazhiError(
            f"无法写入“{target.name[:40]}…”：文件名太长（超过 {MAX_NAME_BYTES} 字节）。"
            f"请换一个较短的文件名。{_KEPT}"
        )
    if target.is_dir():
        raise FazhiError(
            f"无法写入“{target}”：这是一个已有的文件夹，不是文件名。"
            f"请写出完整的文件名，例如“{target / ('台账' + (target.suffix or '.xlsx'))}”。"
        )
    if not folder.is_dir():
        raise FazhiError(f"无法写入“{target}”：文件夹“{folder}”不存在，请先创建或另选位置。")


def _give_normal_mode(tmp: Path, target: Path) -> None:
    """The mode a normal save would give: the old file's, else 0666 less the umask.

    mkstemp creates 0600 files, which other users of a shared folder could not open.
    """
    if os.name == "nt":
        return
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _umask() -> int:
    # Reading the umask means setting it; /proc tells it without that race between threads.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError as exc:
        raise FileLockedError(
            f"无法保存“{target.name}”：文件正被其他程序（如 Excel、WPS）打开或为只读。"
            f"请关闭该文件后重试，或另存为其他文件名。{_KEPT}"
        ) from exc
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise FazhiError(f"无法写入“{target}”：这是一个已有的文件夹。{_KEPT}") from exc
        raise FazhiError(f"无法写入“{target}”：{os_error_text(exc)}{_KEPT}") from exc


def write_bytes_atomic(target: Path | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def save_through_memory(tmp: Path, save: Callable[[IO[bytes]], object]) -> None:
    """Let ``save`` (openpyxl's, python-docx's) write to memory, then write the bytes at once.

    Those libraries leave their zip open when a write fails (a full disk), and its clean-up
    fails again later, printing "Exception ignored" at exit; one plain write fails cleanly.
    """
    buffer = io.BytesIO()
    save(buffer)
    tmp.write_bytes(buffer.getbuffer())
