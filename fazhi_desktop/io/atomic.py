"""Atomic file writes: write beside the target, then rename over it.

A crash mid-write leaves the old file untouched. On Windows a file held open by Excel or WPS
cannot be replaced; that becomes a :class:`FileLockedError` telling the user to close it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fazhi_desktop.errors import FazhiError, FileLockedError


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FazhiError(f"无法写入“{target}”：文件夹“{folder}”不存在，请先创建或另选位置。")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.stem}-", suffix=target.suffix)
    except PermissionError as exc:
        raise FazhiError(f"无法写入“{target}”：没有该文件夹的写入权限，请另选位置。") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError as exc:
        raise FileLockedError(
            f"无法保存“{target.name}”：文件正被其他程序（如 Excel、WPS）打开或为只读。"
            "请关闭该文件后重试，或另存为其他文件名。原文件未被改动。"
        ) from exc


def write_bytes_atomic(target: Path | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
