"""Sheets of a workbook as plain rows of values, for the 台账 reader.

Both readers stream: openpyxl's read-only mode for .xlsx (normal mode builds a cell object per
cell and is several times slower and larger) and xlrd for .xls. Read-only mode does not report
merged cells, so they are taken from the sheet XML directly (see :func:`_xlsx_merges`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_desktop.vocab.dates import date_label as date_text

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None
Row = list[CellValue]
# (first row, first column, last row, last column), 1-based and inclusive.
Merge = tuple[int, int, int, int]

# No 台账 is wider than this; reading further only costs time on sheets with stray far cells.
MAX_COLUMNS = 60

_MERGE_REF = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="\$?([A-Z]{1,3})\$?(\d+)'
    rb'(?::\$?([A-Z]{1,3})\$?(\d+))?"'
)
_CHUNK = 1 << 20


@dataclass
class SheetGrid:
    """One sheet: its name, its rows (row 1 first, missing rows as empty lists) and merges.

    ``merges`` is a function because finding them reads the whole sheet; only the sheet that
    holds the 台账 needs them.
    """

    name: str
    rows: Iterator[Row]
    merges: Callable[[], list[Merge]]


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def _xlsx_merges(archive: zipfile.ZipFile, part: str) -> list[Merge]:
    """Merged ranges of one sheet part, found without parsing its XML.

    ``<mergeCells>`` follows ``<sheetData>``, so the part is inflated chunk by chunk and only
    the text from ``mergeCells`` on is kept and searched; memory stays at one chunk.
    """
    merges: list[Merge] = []
    tail = b""
    keeping = False
    kept: list[bytes] = []
    with archive.open(part.lstrip("/")) as stream:
        while chunk := stream.read(_CHUNK):
            if keeping:
                kept.append(chunk)
                continue
            window = tail + chunk
            found = window.find(b"mergeCells")
            if found != -1:
                keeping = True
                kept.append(window[max(found - 64, 0) :])
            else:
                tail = window[-64:]
    for match in _MERGE_REF.finditer(b"".join(kept)):
        col1, row1, col2, row2 = match.groups()
        first = (int(row1), _column_number(col1))
        last = (int(row2), _column_number(col2)) if col2 and row2 else first
        merges.append((first[0], first[1], last[0], last[1]))
    return merges


def _number_text(value: float, number_format: str) -> CellValue:
    """A float as the cell shows it when its format fixes the decimals (10.30, not 10.3)."""
    fmt = number_format.split(";")[0]
    decimals = re.fullmatch(r'(?:#,##)?0\.(0+)(?:_\)|_-|\s)*', fmt)
    if decimals:
        return f"{value:.{len(decimals.group(1))}f}"
    percent = re.fullmatch(r"0(?:\.(0+))?%", fmt)
    if percent:
        return f"{value * 100:.{len(percent.group(1) or '')}f}%"
    return value


def iter_xlsx_sheets(workbook: Any, archive: zipfile.ZipFile) -> Generator[SheetGrid]:
    """The worksheets of a read-only openpyxl ``workbook``, the active one first."""
    sheets = list(workbook.worksheets)
    active = workbook.active
    if active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    for sheet in sheets:
        # Private in openpyxl, but stable since 2.x; without it merges are simply not applied.
        part = getattr(sheet, "_worksheet_path", None)

        def merges(part: object = part) -> list[Merge]:
            return _xlsx_merges(archive, part) if isinstance(part, str) else []

        yield SheetGrid(sheet.title, _xlsx_rows(sheet), merges)


def _formats_matter(workbook: Any) -> bool:
    """Whether any cell style shows a number with fixed decimals or as a percentage.

    Only then do cell objects (and their formats) need building; plain values are faster.
    Reads openpyxl's private style tables, so anything unexpected answers "yes".
    """
    try:
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        custom = {id_: fmt for id_, fmt in enumerate(workbook._number_formats, start=164)}
        for style in workbook._cell_styles:
            fmt = BUILTIN_FORMATS.get(style.numFmtId) or custom.get(style.numFmtId, "General")
            if _number_text(12.5, fmt) != 12.5:
                return True
        return False
    except Exception:  # private API changed: take the slower, always-right path
        return True


def _xlsx_rows(sheet: Any) -> Iterator[Row]:
    # The stored dimension is often wrong in files from other programs (too small drops
    # columns, too large pads every row); read what is there instead.
    sheet.reset_dimensions()
    if not _formats_matter(sheet.parent):
        for values in sheet.iter_rows(max_col=None, values_only=True):
            yield list(values[:MAX_COLUMNS])
        return
    for cells in sheet.iter_rows(max_col=None):
        if len(cells) > MAX_COLUMNS:
            cells = cells[:MAX_COLUMNS]
        row: Row = [cell.value for cell in cells]
        if float in set(map(type, row)):
            for index, value in enumerate(row):
                if value.__class__ is float:
                    assert isinstance(value, float)
                    number_format = cells[index].number_format or "General"
                    row[index] = _number_text(value, number_format)
        yield row


def iter_xls_sheets(path: Path) -> Generator[SheetGrid]:
    """The sheets of an Excel 97-2003 workbook, through xlrd."""
    xlrd = _xlrd()
    book = xlrd.open_workbook(
        str(path), formatting_info=True, on_demand=True, logfile=io.StringIO()
    )
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells]

            def merged(found: list[Merge] = merges) -> list[Merge]:
                return found

            yield SheetGrid(sheet.name, _xls_rows(book, sheet), merged)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_rows(book: Any, sheet: Any) -> Iterator[Row]:
    xlrd = _xlrd()
    for r in range(sheet.nrows):
        row: Row = []
        for cell in sheet.row(r)[:MAX_COLUMNS]:
            ctype, value = cell.ctype, cell.value
            if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                row.append(None)
            elif ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate_as_datetime(value, book.datemode))
                except (ValueError, OverflowError):
                    row.append(value)
            elif ctype == xlrd.XL_CELL_NUMBER:
                row.append(_number_text(float(value), _xls_format(book, cell.xf_index)))
            elif ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(bool(value))
            else:
                row.append(str(value))
        yield row


def _xlrd() -> Any:
    # Imported on demand: only .xls files need it. xlrd ships no type information.
    return importlib.import_module("xlrd")


def _xls_format(book: Any, xf_index: int | None) -> str:
    try:
        key = book.xf_list[xf_index].format_key
        return str(book.format_map[key].format_str)
    except (IndexError, KeyError, TypeError, AttributeError):
        return "General"


def shown_text(value: CellValue) -> str:
    """What a cell shows, as text: dates in Chinese, whole numbers without ``.0``."""
    if value is None:
        return ""
    if value.__class__ is str:
        assert isinstance(value, str)
        if "\n" not in value and "\r" not in value:
            return value.strip()
        return "\n".join(line.strip() for line in value.replace("\r", "").strip().split("\n"))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return date_text(value.date())
        return f"{date_text(value.date())} {value:%H:%M}"
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value)
