"""File names the program proposes: valid on Windows, short enough, with their suffix intact.

One place for every layer (ui save dialogs, the 报送 attachment, the 汇总 export): names are
built from user text (unit and ledger titles), which may hold anything. ``Path.with_suffix`` is
not used for adding a suffix: it treats whatever follows the last dot as one, so
"2026.11进展" would become "2026.xlsx".
"""

from __future__ import annotations

import re
from pathlib import Path

# What Windows forbids in a file name, control characters included.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Device names Windows reserves whatever the extension ("CON.xlsx" cannot be created).
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
)
# A suffix is a short Latin extension; "2026.11进展" has none.
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")
# NTFS allows 255 UTF-16 units and ext4 255 bytes per name; UTF-8 bytes are the stricter count
# (a Chinese character is 3 bytes), so a name that fits here fits everywhere.
MAX_NAME_BYTES = 255
ELLIPSIS = "…"


def split_suffix(name: str) -> tuple[str, str]:
    """``("台账", ".xlsx")`` for "台账.xlsx"; no suffix when the last dot starts no extension."""
    match = _SUFFIX.search(name)
    if match is None or match.start() == 0:
        return name, ""
    return name[: match.start()], match.group()


def safe_file_name(name: str, replacement: str = "_", limit: int = MAX_NAME_BYTES) -> str:
    """``name`` as a file name every office PC accepts.

    Windows-forbidden characters become ``replacement``; trailing dots and spaces (which Windows
    drops, so "台账." and "台账" would collide) go; a reserved device name gets a prefix; a name
    longer than ``limit`` UTF-8 bytes loses the middle of its stem (the start says what it is,
    the end which period), never its suffix.
    """
    cleaned = _FORBIDDEN.sub(replacement, name).strip()
    cleaned = cleaned.rstrip(". ") or replacement
    if cleaned.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        cleaned = f"{replacement}{cleaned}"
    return shorten(cleaned, limit)


def shorten(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """``name`` cut in the middle of its stem to at most ``limit`` UTF-8 bytes."""
    if _size(name) <= limit:
        return name
    stem, suffix = split_suffix(name)
    budget = limit - _size(suffix) - _size(ELLIPSIS)
    if budget <= 0:
        raise ValueError(f"limit {limit} leaves no room for a name with suffix {suffix!r}")
    head = _fit(stem, (budget + 1) // 2)
    tail = _fit(stem[len(head) :][::-1], budget - _size(head))[::-1]
    return f"{head}{ELLIPSIS}{tail}{suffix}"


def with_suffix(path: Path, suffix: str) -> Path:
    """``path`` ending in ``suffix``: added when missing (any case counts), never replacing."""
    if path.name.lower().endswith(suffix.lower()):
        return path
    return path.with_name(path.name + suffix)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _fit(text: str, budget: int) -> str:
    """The longest start of ``text`` within ``budget`` UTF-8 bytes (whole characters only)."""
    used = 0
    for index, char in enumerate(text):
        used += _size(char)
        if used > budget:
            return text[:index]
    return text
