"""Packing table rows into pages: the one row-splitting rule for every PDF table.

The 台账 (:mod:`layout`) and the 汇总 reports (:mod:`flow`) draw different tables, but a row that
does not fit must behave the same in both: it moves whole to the next page, unless it is long
and the page has a good share left, in which case it splits between lines — keeping at least
:data:`MIN_SPLIT_LINES` on each side, so a row's last line never stands alone on the next page.
A row may keep with the next one (a section or task heading with its first lines).

This module only decides *where* rows go; the caller's :class:`Sheet` measures the room, starts
pages (repeating the header) and records each placed slice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# A row split across pages keeps at least this many lines on each side of the break.
MIN_SPLIT_LINES = 3
# Rows split (rather than move to the next page) only when this share of the page is left.
SPLIT_MIN_ROOM = 0.25
PAD_Y = 3.5
EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class RowShape:
    """What the packer needs to know about one row."""

    lines: int
    leading: float
    keep_with_next: bool = False
    splittable: bool = True
    # Lines the first column needs when the row continues on a new page (the label, then 续).
    label_lines: int = 0


class Sheet(Protocol):
    """The page being filled, as the packer sees it."""

    def room(self) -> float:
        """Height left on the current page for rows."""
        ...

    def full(self) -> float:
        """Height for rows on an empty page, under the repeated header."""
        ...

    def next_page(self) -> None:
        """Start a new page and repeat the table header on it."""
        ...

    def place(self, index: int, start: int, end: int, *, continued: bool) -> None:
        """Place lines ``start:end`` of row ``index`` at the current position."""
        ...


def row_height(lines: int, leading: float) -> float:
    return max(lines, 1) * leading + 2 * PAD_Y


def _fit(sheet: Sheet, leading: float) -> int:
    """How many lines of this leading fit in the room left."""
    return math.floor((sheet.room() - 2 * PAD_Y) / leading + EPSILON)


def pack_rows(shapes: Sequence[RowShape], sheet: Sheet) -> None:
    """Place every row on the sheet, page after page."""
    for index, shape in enumerate(shapes):
        need = row_height(shape.lines, shape.leading)
        if shape.keep_with_next and index + 1 < len(shapes):
            following = shapes[index + 1]
            need += row_height(min(following.lines, MIN_SPLIT_LINES), following.leading)
        if need <= sheet.room() + EPSILON:
            sheet.place(index, 0, shape.lines, continued=False)
        elif need <= sheet.full() and not _worth_splitting(shape, sheet):
            sheet.next_page()
            sheet.place(index, 0, shape.lines, continued=False)
        else:
            _split(index, shape, sheet)


def _worth_splitting(shape: RowShape, sheet: Sheet) -> bool:
    """Split a row that would otherwise leave a large blank at the foot of the page.

    Like Word's "允许跨页断行", but a short row moves whole: only rows long enough that both
    parts keep a few lines, on a page with a good share of its height left, split.
    """
    if not shape.splittable or shape.lines < 2 * MIN_SPLIT_LINES:
        return False
    return (
        sheet.room() >= SPLIT_MIN_ROOM * sheet.full()
        and _fit(sheet, shape.leading) >= MIN_SPLIT_LINES
    )


def _split(index: int, shape: RowShape, sheet: Sheet) -> None:
    total = shape.lines
    start = 0
    while start < total:
        fit = _fit(sheet, shape.leading)
        minimum = max(MIN_SPLIT_LINES, shape.label_lines if start else 1)
        if fit < min(minimum, total - start):
            sheet.next_page()
            continue
        end = min(total, start + max(fit, 1))
        if 0 < total - end < MIN_SPLIT_LINES <= total - MIN_SPLIT_LINES - start:
            end = total - MIN_SPLIT_LINES  # no lone last line on the next page
        sheet.place(index, start, end, continued=start > 0)
        start = end
        if start < total:
            sheet.next_page()
