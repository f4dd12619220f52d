"""Finding a 台账's header row and its column layout, however the office named the columns.

Part of reading a 台账 workbook (:mod:`ledger_reader`): a row is the header when it names the
task column and at least one other known column (:mod:`columns` holds the names); a second
header row (责任单位 over 牵头单位 | 配合单位) refines it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_desktop.io.xlsx.columns import CATEGORY_NAMES, Field, field_of, header_key
from fazhi_desktop.io.xlsx.grid import CellValue, Row
from fazhi_desktop.textnorm import normalize

# ---------------------------------------------------------------------------------------------
# Finding the header


@dataclass
class Layout:
    columns: dict[int, Field]  # 0-based column → field
    extras: dict[int, str]  # 0-based column → header text, for columns kept in 备注
    fields: frozenset[Field]
    section_col: int | None = None  # a category column (类别), merged down its tasks' rows


# Far longer than any header cell, even with a bracketed note that header_key drops.
_LONGEST_HEADER_CELL = 1000


def header_layout(row: Row) -> Layout | None:
    """The column layout if ``row`` is a 台账 header row, else None."""
    columns: dict[int, Field] = {}
    extras: dict[int, str] = {}
    section_col: int | None = None
    texts = 0
    for index, value in enumerate(row):
        if not isinstance(value, str) or not value.strip():
            continue
        texts += 1
        if len(value) > _LONGEST_HEADER_CELL:
            # A paragraph (or this program's hidden data, 20,000 characters) is no column
            # name; normalising it only to find that out took 3 % of a 汇总 (issue 17).
            extras[index] = one_line(value)
            continue
        found = field_of(value)
        if header_key(value) in CATEGORY_NAMES and section_col is None:
            section_col = index
            continue
        if found is Field.TITLE and found in columns.values() and "内容" in header_key(value):
            found = Field.REQUIREMENTS  # 重点任务 | 工作内容: the second one details the first
        elif found is Field.TITLE and found in columns.values() and section_col is None:
            # 工作事项 | 重点任务: the one to the left is the category, the other the task.
            section_col = next(i for i, f in columns.items() if f is Field.TITLE)
            del columns[section_col]
        if found is Field.DEPARTMENT and found in columns.values():
            found = _second_department(columns, index, value)
        if found is None or found in columns.values():
            extras[index] = one_line(value)
        else:
            columns[index] = found
    fields = frozenset(columns.values())
    if Field.TITLE not in fields and Field.REQUIREMENTS in fields:
        # Some tables have only 具体措施 (or 任务要求) as their task column.
        for index, known in columns.items():
            if known is Field.REQUIREMENTS:
                columns[index] = Field.TITLE
        fields = frozenset(columns.values())
    if Field.TITLE not in fields or len(fields) < 2:
        return None
    if len(fields) < 3 and len(columns) * 5 < texts * 3:
        return None  # two known names among many unknown cells: more likely a sentence row

    return Layout(columns, extras, fields, section_col)


def _second_department(columns: dict[int, Field], index: int, text: str) -> Field | None:
    """牵头单位 | 责任单位: as in a plan, the lead is the 责任单位 of the program and the other
    column names those who carry the task out with it (配合单位)."""
    if Field.PARTNERS in columns.values():
        return None
    if "牵头" in normalize(text):
        for other, known in list(columns.items()):
            if known is Field.DEPARTMENT:
                columns[other] = Field.PARTNERS
        return Field.DEPARTMENT
    return Field.PARTNERS


def apply_subheader(layout: Layout, row: Row) -> bool:
    """Take names from a second header row (责任单位 over 牵头单位 | 配合单位).

    True if ``row`` is such a row (and so no task).
    """
    title_col = column_of(layout, Field.TITLE)
    seq_col = column_of(layout, Field.SEQ)
    texts = [(i, v) for i, v in enumerate(row) if isinstance(v, str) and v.strip()]
    if not texts or any(present(row, c) for c in (title_col, seq_col) if c is not None):
        return False
    if any(not isinstance(v, str) or len(v.strip()) > 14 for v in row if filled(v)):
        return False
    matched = False
    for index, value in texts:
        found = field_of(value)
        if found is not None and (found not in layout.fields or layout.columns.get(index) == found):
            for other, known in list(layout.columns.items()):
                if known is found and other != index:
                    del layout.columns[other]
            layout.columns[index] = found
            layout.extras.pop(index, None)
            matched = True
        elif index not in layout.columns and index not in layout.extras:
            layout.extras[index] = one_line(value)
    layout.fields = frozenset(layout.columns.values())
    return matched or bool(texts)


def column_of(layout: Layout, wanted: Field) -> int | None:
    for index, value in layout.columns.items():
        if value is wanted:
            return index
    return None


# ---------------------------------------------------------------------------------------------
# Cell values


def filled(value: CellValue) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def present(row: Row, index: int) -> bool:
    return index < len(row) and filled(row[index])


def one_line(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pairs(a: Row, b: Row) -> list[tuple[CellValue, CellValue]]:
    width = max(len(a), len(b))
    return [(a[i] if i < len(a) else None, b[i] if i < len(b) else None) for i in range(width)]


def merge_headers(top: CellValue, below: CellValue) -> CellValue:
    return below if filled(below) else top
