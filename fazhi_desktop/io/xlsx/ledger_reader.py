"""Read a 台账 workbook as offices actually keep them into a :class:`LedgerDraft`.

Real files have a title and a 填报单位 line above the header, the header anywhere in the first
rows, columns named and ordered in many ways, the title and header repeated mid-table where a
Word table was pasted across pages, merged cells, blank rows and 说明 lines under the table.
The reader streams the sheet once; everything it cannot place is reported in
``LedgerDraft.warnings`` rather than guessed silently.

This module opens the workbook, finds the sheet and resolves merged cells; the header is found
by :mod:`ledger_header` and each row under it is placed by :mod:`ledger_rows`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import Any, TypeVar

from fazhi_desktop.bulk import collector_paused
from fazhi_desktop.errors import InputFileError
from fazhi_desktop.io.xlsx.columns import Field
from fazhi_desktop.io.xlsx.grid import (
    CellValue,
    Row,
    SheetGrid,
    iter_xls_sheets,
    iter_xlsx_sheets,
    no_dimension_scan,
)
from fazhi_desktop.io.xlsx.ledger_header import (
    Layout,
    apply_subheader,
    filled,
    header_layout,
    merge_headers,
    pairs,
    present,
)
from fazhi_desktop.io.xlsx.ledger_rows import SheetState, column_name, settle, take_row
from fazhi_desktop.io.xlsx.preamble import (
    Preamble,
    filled_date,
    info_fields,
    read_preamble,
)
from fazhi_desktop.io.xlsx.safety import WorkbookKind, sniff_workbook
from fazhi_desktop.io.years import (
    NO_YEAR_WARNING,
    date_deadlines,
    guessed_year_warning,
    redate,
    year_from_dates,
    year_in,
    year_of_dates,
)
from fazhi_desktop.models.records import LedgerDraft
from fazhi_desktop.textnorm import normalize

_log = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 50  # the header is within the first rows of a sheet, under a title block
_T = TypeVar("_T")
_BLANK_RUN_LIMIT = 10_000  # far more blank rows than any table has; a stray far cell follows
_GENERIC_SHEET = re.compile(r"^(?:sheet\d*|工作表\d*|台账|工作台账|台帐|表\d*)$", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def read_ledger_xlsx(
    path: Path,
    *,
    unit: str | None = None,
    default_year: int | None = None,
    also: Callable[[Any], None] | None = None,
) -> LedgerDraft:
    """The ledger in the workbook at ``path`` (.xlsx, or .xls through xlrd).

    ``unit`` overrides the 填报单位 found in the file; ``default_year`` is used for dates without
    a year when the title names none. ``also`` is called with the opened openpyxl workbook of an
    .xlsx (loading one parses all its shared strings: a second load would cost as much again).
    Bad files raise :class:`InputFileError`.
    """
    path = Path(path)
    kind = sniff_workbook(path)
    # Files from WPS and older Excel make openpyxl warn about extensions it drops; those are
    # irrelevant to reading values and must not reach the user (or fail tests).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with collector_paused():
                draft = _read(path, kind, default_year, also)
        except InputFileError as exc:
            if path.name in str(exc):
                raise
            raise InputFileError(f"无法导入“{path.name}”：{exc}") from exc
        except (
            KeyError, ValueError, TypeError, IndexError, AttributeError, EOFError, OSError,
            zipfile.BadZipFile, zlib.error, ET.ParseError, _xlrd_error(), _lxml_error(),
            RecursionError,
        ) as exc:  # fmt: skip
            if "encrypted" not in str(exc).lower():
                _log.warning("reading %s failed", path, exc_info=True)
            raise InputFileError(_unreadable(path, exc)) from exc
    if unit is not None and unit.strip():
        draft.unit = unit.strip()
    draft.source = str(path)
    return draft


def _lxml_error() -> type[Exception]:
    """lxml's base error (XMLSyntaxError on a malformed part), or a stand-in without lxml."""
    try:
        error: type[Exception] = importlib.import_module("lxml.etree").LxmlError
    except ImportError:
        return ET.ParseError
    return error


def read_ledger_docx(
    path: Path, *, unit: str | None = None, default_year: int | None = None
) -> LedgerDraft:
    """The 台账 kept as a Word table in the .docx at ``path``, read as a sheet would be."""
    from fazhi_desktop.io.docx.table_grid import docx_sheets

    path = Path(path)
    try:
        draft = _parse_book(path, docx_sheets(path), default_year)
    except InputFileError:
        raise
    except (KeyError, ValueError, zipfile.BadZipFile, ET.ParseError, OSError) as exc:
        raise InputFileError(
            f"无法读取 Word 文档“{path.name}”（{type(exc).__name__}）。"
            "请在 Word 或 WPS 中打开后重新“另存为”.docx 再导入。"
        ) from exc
    if unit is not None and unit.strip():
        draft.unit = unit.strip()
    draft.source = str(path)
    return draft


def holds_ledger(path: Path) -> bool:
    """True when the table in a workbook or .docx is a 台账 rather than a plan's task table:
    its header has a 进展/完成情况 or 状态 column, or the lines above it call it a 台账."""
    from fazhi_desktop.io.docx.table_grid import docx_sheets

    path = Path(path)
    if path.suffix.lower() in (".docx", ".docm", ".dotx"):
        return _ledger_layout(docx_sheets(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _with_sheets(path, sniff_workbook(path), _ledger_layout)


def _ledger_layout(sheets: Iterable[SheetGrid]) -> bool:
    for grid in sheets:
        above: list[str] = []
        for count, row in enumerate(grid.rows, start=1):
            layout = header_layout(row)
            if layout is not None:
                named = any(("台账" in t or "台帐" in t) for t in above)
                return named or bool(layout.fields & {Field.PROGRESS, Field.STATUS})
            above += [normalize(v) for v in row if isinstance(v, str)]
            if count >= HEADER_SCAN_ROWS:
                break
    return False


def _xlrd_error() -> type[Exception]:
    error: type[Exception] = importlib.import_module("xlrd").XLRDError
    return error


def _unreadable(path: Path, exc: Exception) -> str:
    if "encrypted" in str(exc).lower():
        return (
            f"无法导入“{path.name}”：工作簿设置了密码，程序无法读取加密的内容。"
            "请在 Excel 或 WPS 中输入密码打开，取消密码后保存，再导入。"
        )
    return (
        f"无法导入“{path.name}”：文件内容已损坏或格式异常，无法读取（{type(exc).__name__}）。"
        "请用 Excel 或 WPS 打开它，“另存为”.xlsx 后再导入。"
    )


def _read(
    path: Path,
    kind: WorkbookKind,
    default_year: int | None,
    also: Callable[[Any], None] | None = None,
) -> LedgerDraft:
    return _with_sheets(
        path, kind, lambda sheets: _parse_book(path, sheets, default_year), also
    )


def _with_sheets(
    path: Path,
    kind: WorkbookKind,
    use: Callable[[Generator[SheetGrid]], _T],
    also: Callable[[Any], None] | None = None,
) -> _T:
    if kind is WorkbookKind.XLS:
        sheets = iter_xls_sheets(path)
        try:
            return use(sheets)
        finally:
            sheets.close()
    from openpyxl import load_workbook

    with no_dimension_scan():
        workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = iter_xlsx_sheets(workbook, archive)
            try:
                result = use(sheets)
            finally:
                sheets.close()
        if also is not None:
            also(workbook)
        return result
    finally:
        workbook.close()


def _parse_book(
    path: Path, sheets: Generator[SheetGrid], default_year: int | None
) -> LedgerDraft:
    for grid in sheets:
        head: list[Row] = []
        for row in grid.rows:
            head.append(row)
            layout = header_layout(row)
            if layout is not None:
                draft = _parse_sheet(path, grid, head, layout, default_year)
                others = [g.name for g in sheets if _has_header(g)]
                if others:
                    names = "、".join(f"“{n}”" for n in others)
                    draft.warnings.append(
                        f"工作表{names}也像台账，但只导入了“{grid.name}”。"
                        "如需导入其他工作表，请把它单独另存为一个文件后再导入。"
                    )
                return draft
            if len(head) >= HEADER_SCAN_ROWS:
                break
    raise InputFileError(
        f"无法导入“{path.name}”：在各工作表的前 {HEADER_SCAN_ROWS} 行中没有找到台账表头。"
        "表头应有“主要任务”（或工作任务、重点任务等）一栏，以及完成时间、进展情况、"
        "责任科室、责任人等栏目中的至少一项。请检查文件，或把表头改成上述名称后再导入。"
    )


def _has_header(grid: SheetGrid) -> bool:
    for count, row in enumerate(grid.rows, start=1):
        if header_layout(row) is not None:
            return True
        if count >= HEADER_SCAN_ROWS:
            break
    return False


def _parse_sheet(
    path: Path, grid: SheetGrid, head: list[Row], layout: Layout, default_year: int | None
) -> LedgerDraft:
    header_row = len(head)
    preamble = read_preamble(head[:-1])
    title = preamble.title or path.stem
    year = year_in(preamble.title) or default_year or year_in(grid.name) or year_in(path.stem)
    if year is None and preamble.filled_on is not None:
        year = preamble.filled_on.year
    state = SheetState(path, layout, year, normalize(title).replace(" ", ""))
    header = head[-1]
    if not preamble.title:
        state.warnings.append(f"文件中没有找到台账标题行，已用文件名“{path.stem}”作为台账名称。")

    merges = [m for m in grid.merges() if m[2] > m[0] and m[0] > header_row]
    origin_at: dict[int, list[tuple[int, int]]] = {}
    fill_at: dict[int, list[tuple[int, int]]] = {}
    for number, (r0, c0, r1, _c1) in enumerate(merges):
        origin_at.setdefault(r0, []).append((c0 - 1, number))
        for r in range(r0 + 1, r1 + 1):
            fill_at.setdefault(r, []).append((c0 - 1, number))
    captured: dict[int, CellValue] = {}

    rows = grid.rows
    row_number = header_row
    first_data = True
    blank_run = 0
    for row in rows:
        row_number += 1
        for column, number in origin_at.get(row_number, ()):
            captured[number] = row[column] if column < len(row) else None
        inherited: set[int] = set()
        for column, number in fill_at.get(row_number, ()):
            value = captured.get(number)
            if filled(value) and not present(row, column):
                if column >= len(row):
                    row.extend([None] * (column + 1 - len(row)))
                row[column] = value
                inherited.add(column)
        if first_data:
            first_data = False
            subheader = apply_subheader(layout, row)
            if subheader:
                header = [merge_headers(a, b) for a, b in pairs(header, row)]
            settle(state, header)
            if subheader:
                continue
        own: list[tuple[int, CellValue]] = [
            (i, v)
            for i, v in enumerate(row)
            if v is not None and (v.__class__ is not str or v.strip()) and i not in inherited
        ]
        if not own:
            blank_run += 1
            if blank_run >= _BLANK_RUN_LIMIT:
                state.warnings.append(
                    f"第 {row_number} 行之前有 {blank_run} 个连续空行，已停止读取其后的内容。"
                )
                break
            continue
        blank_run = 0
        take_row(state, row, row_number, inherited, own)

    return _finish(state, preamble, title, grid.name)


def _finish(state: SheetState, preamble: Preamble, title: str, sheet_name: str) -> LedgerDraft:
    info = preamble.info
    for row in state.info_rows:
        for key, value in info_fields(row).items():
            info.setdefault(key, value)
    notes = list(state.notes)
    if notes:
        notes[0] = re.sub(r"^\s*(?:填表|填报|填報)?[说說]明\s*[:：]\s*", "", notes[0])
    notes = [n for n in notes if n.strip()]
    mailbox = ""
    for line in notes:
        found = _EMAIL.search(normalize(line))
        if found:
            mailbox = found.group()
            break
    if state.year is None:
        year = year_of_dates(state.tasks)
        if year is not None and date_deadlines(state.tasks, year):
            state.year = year
            state.warnings[:] = [w for w in state.warnings if w != NO_YEAR_WARNING]
            state.warnings.append(guessed_year_warning(year))
    if not any(task.seq for task in state.tasks):
        for number, task in enumerate(state.tasks, start=1):
            task.seq = str(number)  # no 序号 column: 1..n, so `set-progress 1 …` works
    year = year_from_dates(state.year, state.tasks) if state.year is not None else None
    if year is not None and year != state.year:
        redate(state.tasks, year)
        state.warnings.append(
            f"标题中的年份是 {state.year} 年，但写明年份的完成时间大多在 {year} 年，"
            f"已按 {year} 年导入。如不对，请改正标题或完成时间后重新导入。"
        )
    draft = LedgerDraft(
        title=title,
        year=year or state.year,
        unit=info.get("unit", ""),
        reporter=info.get("reporter", ""),
        phone=info.get("phone", ""),
        mailbox=mailbox,
        notes="\n".join(notes),
        short_title="" if _GENERIC_SHEET.match(sheet_name.strip()) else sheet_name.strip(),
        period=_period(preamble, filled_date(info.get("filled", ""))),
        filled_on=filled_date(info.get("filled", "")),
        tasks=state.tasks,
        unused=state.unused,
        task_lines=list(state.task_rows),
        warnings=state.warnings,
    )
    for index in sorted(state.extras_used):
        name = state.layout.extras[index] or "（无标题）"
        draft.warnings.append(
            f"{column_name(index)}“{name}”不是台账的已知栏目，其内容已写入各任务的备注"
            f"（“{name}：…”）。"
        )
    if not draft.tasks:
        draft.warnings.append("表头下面没有找到任何任务。")
    return draft


def _period(preamble: Preamble, filled_on: dt.date | None) -> str | None:
    """The month the file reports on: its 报送期间 line, the title, else the month of 填报时间."""
    if preamble.period is not None:
        return preamble.period
    found = re.search(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月", normalize(preamble.title))
    if found and 1 <= int(found.group(2)) <= 12:
        return f"{int(found.group(1)):04d}-{int(found.group(2)):02d}"
    if filled_on is not None:
        return f"{filled_on.year:04d}-{filled_on.month:02d}"
    return None
