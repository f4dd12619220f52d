"""Refuse a zip package (.xlsx, .docx) that would inflate beyond what its reader can hold.

Only the central directory is read (a few KB, nothing inflated). Python's zipfile never yields
more than a member's declared size (and fails its CRC check if the data holds more), so the
declared sizes checked here bound what every parser behind zipfile can be made to read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """What a reader can hold: per member, in total, and per XML member it parses into a tree."""

    max_part: int
    max_total: int
    max_members: int = 10_000
    # XML compresses 5-30 times; a part inflating hundreds of times its size is a bomb.
    max_ratio: int = 200
    ratio_floor: int = 10 * MB  # small parts may compress well (empty styles, repeated rows)
    # Members parsed whole into an lxml tree cost 20-30 bytes of memory per byte of XML.
    max_tree_part: int | None = None
    tree_suffixes: tuple[str, ...] = (".xml", ".rels")


def bomb_problem(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> str | None:
    """Why the package must not be read (Chinese, names the member), or None if it may."""
    if len(infos) > limits.max_members:
        return f"文件内部含有 {len(infos)} 个部件，远超正常文件。"
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        tree = limits.max_tree_part is not None and info.filename.lower().endswith(
            limits.tree_suffixes
        )
        too_big = info.file_size > limits.max_part or total > limits.max_total
        if tree and limits.max_tree_part is not None and info.file_size > limits.max_tree_part:
            too_big = True
        if too_big or (info.file_size > limits.ratio_floor and ratio > limits.max_ratio):
            return (
                f"文件解压后异常巨大（其中“{info.filename}”约 {info.file_size / MB:.0f} MB，"
                f"压缩比 {ratio:.0f} 倍），可能是恶意构造的“压缩炸弹”或已损坏，已拒绝读取。"
            )
    return None
