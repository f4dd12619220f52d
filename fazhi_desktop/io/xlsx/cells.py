"""Text helpers shared by the xlsx writer and reader: cell-safe strings and display widths."""

from __future__ import annotations

import math
import re
import warnings

# Excel refuses a cell longer than this and asks to repair the whole file. It counts UTF-16
# code units: an emoji or a rare CJK character outside the BMP counts twice.
EXCEL_MAX_CELL_CHARS = 32767


class CellCutWarning(UserWarning):
    """A text was longer than a cell holds and was cut (the export says so to the user)."""

# Control characters are not allowed in XML 1.0; text pasted from Word carries \x0b and \x07.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_text(value: str) -> str:
    """``value`` made storable in a cell: control characters dropped, length capped."""
    text = _ILLEGAL_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) * 2 > EXCEL_MAX_CELL_CHARS and utf16_length(text) > EXCEL_MAX_CELL_CHARS:
        units = text.encode("utf-16-le")[: (EXCEL_MAX_CELL_CHARS - 1) * 2]
        # "ignore" drops half of a surrogate pair cut in two.
        text = units.decode("utf-16-le", "ignore") + "…"
        warnings.warn(
            CellCutWarning(
                f"“{text[:20]}…”超过 Excel 单元格上限（{EXCEL_MAX_CELL_CHARS} 个字符），"
                "导出时已截断，请在程序中查看全文。"
            ),
            stacklevel=2,
        )
    return text


def utf16_length(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def display_units(text: str) -> int:
    """Width of one line of ``text`` in half-em units.

    Every non-ASCII character counts as 2: in the Chinese fonts a 台账 is printed with (宋体,
    仿宋), CJK characters, full-width punctuation and even curly quotes take a full em. Counting
    through ``encode`` keeps this at C speed for a 10,000-row export.
    """
    ascii_count = len(text.encode("ascii", "ignore"))
    return 2 * len(text) - ascii_count


def wrapped_lines(text: str, capacity_units: int) -> int:
    """How many lines ``text`` takes in a wrapped cell holding ``capacity_units`` per line."""
    if not text:
        return 1
    # A line break falls before a wide character that does not fit, wasting up to one unit, and
    # Latin words wrap whole; reserving 2 units per line covers both.
    usable = max(capacity_units - 2, 2)
    return sum(max(1, math.ceil(display_units(p) / usable)) for p in text.split("\n"))
