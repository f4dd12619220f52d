"""Read a 台账 workbook as offices actually keep them into a :class:`LedgerDraft`.

Real files have a title and a 填报单位 line above the header, the header anywhere in the first
rows, columns named and ordered in many ways, the title and header repeated mid-table where a
Word table was pasted across pages, merged cells, blank rows and 说明 lines under the table.
The reader streams the sheet once; everything it cannot place is reported in
``LedgerDraft.warnings`` rather than guessed silently.
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
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_desktop.errors import InputFileError
from fazhi_desktop.io.xlsx.columns import Field, field_of
from fazhi_desktop.io.xlsx.grid import (
    CellValue,
    Row,
    SheetGrid,
    date_text,
    iter_xls_sheets,
    iter_xlsx_sheets,
    shown_text,
)
from fazhi_desktop.io.xlsx.preamble import (
    Preamble,
    filled_date,
    info_fields,
    is_info_line,
    read_preamble,
)
from fazhi_desktop.io.xlsx.safety import WorkbookKind, sniff_workbook
from fazhi_desktop.io.xlsx.year_rule import redate, year_from_dates
from fazhi_desktop.models.deadlines import is_undated, parse_deadline
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.textnorm import normalize

_log = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 50  # the header is within the first rows of a sheet, under a title block
_BLANK_RUN_LIMIT = 10_000  # far more blank rows than any table has; a stray far cell follows
_DONE_WORDS = frozenset({"已完成", "逾期完成", "完成", "已办结", "办结", "是"})
_OPEN_WORDS = frozenset({"未启动", "推进中", "逾期未完成", "否", "未完成"})
_NOTES_START = re.compile(
    r"^(?:(?:填表|填报)?说明|注意事项)(?:[:\s\d]|$)|^(?:注|备注|附注)\s*:"
)
_CN_NUM = "一二三四五六七八九十"
_SECTION = re.compile(
    rf"^(?:[{_CN_NUM}百]+\s*[、.]|\([{_CN_NUM}]+\)|第[{_CN_NUM}]+(?:部分|章|节|篇))"
)
_EXCEL_SERIALS = (36526, 73050)  # 2000-01-01 … 2099-12-31 as Excel day numbers
_GENERIC_SHEET = re.compile(r"^(?:sheet\d*|工作表\d*|台账|工作台账|台帐|表\d*)$", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NOTE_FIELD_LINE = re.compile(r"^(配合单位|协办单位|配合部门|配合科室)[:：]\s*(.+)$")


def read_ledger_xlsx(
    path: Path, *, unit: str | None = None, default_year: int | None = None
) -> LedgerDraft:
    """The ledger in the workbook at ``path`` (.xlsx, or .xls through xlrd).

    ``unit`` overrides the 填报单位 found in the file; ``default_year`` is used for dates without
    a year when the title names none. Bad files raise :class:`InputFileError`.
    """
    path = Path(path)
    kind = sniff_workbook(path)
    # Files from WPS and older Excel make openpyxl warn about extensions it drops; those are
    # irrelevant to reading values and must not reach the user (or fail tests).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            draft = _read(path, kind, default_year)
        except InputFileError:
            raise
        except (
            KeyError, ValueError, TypeError, IndexError, AttributeError, EOFError, OSError,
            zipfile.BadZipFile, zlib.error, ET.ParseError, _xlrd_error(),
        ) as exc:  # fmt: skip
            if "encrypted" not in str(exc).lower():
                _log.warning("reading %s failed", path, exc_info=True)
            raise InputFileError(_unreadable(path, exc)) from exc
    if unit is not None and unit.strip():
        draft.unit = unit.strip()
    draft.source = str(path)
    return draft


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


def _read(path: Path, kind: WorkbookKind, default_year: int | None) -> LedgerDraft:
    if kind is WorkbookKind.XLS:
        sheets = iter_xls_sheets(path)
        try:
            return _parse_book(path, sheets, default_year)
        finally:
            sheets.close()
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = iter_xlsx_sheets(workbook, archive)
            try:
                return _parse_book(path, sheets, default_year)
            finally:
                sheets.close()
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------
# Finding the header


@dataclass
class _Layout:
    columns: dict[int, Field]  # 0-based column → field
    extras: dict[int, str]  # 0-based column → header text, for columns kept in 备注
    fields: frozenset[Field]


def header_layout(row: Row) -> _Layout | None:
    """The column layout if ``row`` is a 台账 header row, else None."""
    columns: dict[int, Field] = {}
    extras: dict[int, str] = {}
    texts = 0
    for index, value in enumerate(row):
        if not isinstance(value, str) or not value.strip():
            continue
        texts += 1
        found = field_of(value)
        if found is None or found in columns.values():
            extras[index] = _one_line(value)
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

    return _Layout(columns, extras, fields)


def _apply_subheader(layout: _Layout, row: Row) -> bool:
    """Take names from a second header row (责任单位 over 牵头单位 | 配合单位).

    True if ``row`` is such a row (and so no task).
    """
    title_col = _column_of(layout, Field.TITLE)
    seq_col = _column_of(layout, Field.SEQ)
    texts = [(i, v) for i, v in enumerate(row) if isinstance(v, str) and v.strip()]
    if not texts or any(_present(row, c) for c in (title_col, seq_col) if c is not None):
        return False
    if any(not isinstance(v, str) or len(v.strip()) > 14 for v in row if _filled(v)):
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
            layout.extras[index] = _one_line(value)
    layout.fields = frozenset(layout.columns.values())
    return matched or bool(texts)


def _column_of(layout: _Layout, wanted: Field) -> int | None:
    for index, value in layout.columns.items():
        if value is wanted:
            return index
    return None


# ---------------------------------------------------------------------------------------------
# Cell values


def _filled(value: CellValue) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _present(row: Row, index: int) -> bool:
    return index < len(row) and _filled(row[index])


def _one_line(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _deadline(value: CellValue, year: int | None) -> tuple[str, dt.date | None]:
    if isinstance(value, dt.datetime):
        return date_text(value.date()), value.date()
    if isinstance(value, dt.date):
        return date_text(value), value
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    in_range = number is not None and _EXCEL_SERIALS[0] <= number <= _EXCEL_SERIALS[1]
    if number is not None and in_range and float(number).is_integer():
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(number))
        return date_text(day), day
    text = shown_text(value)
    return text, parse_deadline(text, year) if text else None


# ---------------------------------------------------------------------------------------------
# The table


@dataclass
class _Sheet:
    path: Path
    layout: _Layout
    year: int | None
    title_key: str
    header_texts: dict[int, str] = field(default_factory=dict)  # column → header, no spaces
    title_col: int | None = None
    seq_col: int | None = None
    tasks: list[TaskDraft] = field(default_factory=list)
    task_rows: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    info_rows: list[Row] = field(default_factory=list)
    extras_used: set[int] = field(default_factory=set)
    section: str = ""
    in_notes: bool = False
    undated_warned: bool = False


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
    path: Path, grid: SheetGrid, head: list[Row], layout: _Layout, default_year: int | None
) -> LedgerDraft:
    header_row = len(head)
    preamble = read_preamble(head[:-1])
    title = preamble.title or path.stem
    year = _year_in(preamble.title) or default_year or _year_in(grid.name) or _year_in(path.stem)
    if year is None and preamble.filled_on is not None:
        year = preamble.filled_on.year
    state = _Sheet(path, layout, year, normalize(title).replace(" ", ""))
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
            if _filled(value) and not _present(row, column):
                if column >= len(row):
                    row.extend([None] * (column + 1 - len(row)))
                row[column] = value
                inherited.add(column)
        if first_data:
            first_data = False
            subheader = _apply_subheader(layout, row)
            if subheader:
                header = [_merge_headers(a, b) for a, b in _pairs(header, row)]
            _settle(state, header)
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
        _take_row(state, row, row_number, inherited, own)

    return _finish(state, preamble, title, grid.name)


def _settle(state: _Sheet, header: Row) -> None:
    """Fix what the row loop looks up on every row, once the header (and sub-header) is known."""
    state.title_col = _column_of(state.layout, Field.TITLE)
    state.seq_col = _column_of(state.layout, Field.SEQ)
    state.header_texts = {
        i: _one_line(v)
        for i, v in enumerate(header)
        if isinstance(v, str) and v.strip() and (i in state.layout.columns)
    }


def _pairs(a: Row, b: Row) -> list[tuple[CellValue, CellValue]]:
    width = max(len(a), len(b))
    return [(a[i] if i < len(a) else None, b[i] if i < len(b) else None) for i in range(width)]


def _merge_headers(top: CellValue, below: CellValue) -> CellValue:
    return below if _filled(below) else top


def _is_repeated_header(state: _Sheet, row: Row) -> bool:
    """The header again (a Word table's page break): cheap exact check first."""
    column = state.title_col
    title = row[column] if column is not None and column < len(row) else None
    if not isinstance(title, str) or len(title) > 40:
        return False
    same = 0
    for index, text in state.header_texts.items():
        value = row[index] if index < len(row) else None
        if isinstance(value, str) and len(value) < 40:
            stripped = value.strip()
            if stripped == text or (stripped[:1] == text[:1] and _one_line(stripped) == text):
                same += 1
    if same >= 2:
        return True
    if len(title.strip()) <= 20 and field_of(title) is Field.TITLE:
        repeat = header_layout(row)
        return repeat is not None and len(repeat.fields & state.layout.fields) >= 2
    return False


def _take_row(
    state: _Sheet, row: Row, number: int, inherited: set[int], own: list[tuple[int, CellValue]]
) -> None:
    if _is_repeated_header(state, row):
        state.in_notes = False  # a second table block: what follows are tasks again
        return
    if state.in_notes and len(own) >= 3 and state.title_col in {i for i, _ in own}:
        state.in_notes = False  # a 注 line inside the table; this row is a task again
    if len(own) == 1 or state.in_notes or len(own) <= 3:
        texts = [shown_text(v) for _, v in own]
        if (len(set(texts)) == 1 or state.in_notes) and _take_line(
            state, own, texts, row, number
        ):
            return
    _take_task(state, row, number, inherited, own)


def _take_line(
    state: _Sheet, own: list[tuple[int, CellValue]], texts: list[str], row: Row, number: int
) -> bool:
    """Handle a row holding one text (title, 填报 line, 说明, section); False if it is a task."""
    text = "  ".join(dict.fromkeys(texts))
    key = normalize(text).replace(" ", "")
    if state.in_notes:
        state.notes.append(text)
        return True
    column = own[0][0]
    if key == state.title_key or (
        column != state.title_col and len(key) <= 80 and ("台账" in key or "台帐" in key)
    ):
        return True  # the title repeated after a page break
    if is_info_line(text):
        state.info_rows.append(row)
        return True
    if _NOTES_START.match(key):
        state.in_notes = True
        state.notes.append(text)
        return True
    title_col = state.title_col
    if _SECTION.match(key) and len(key) <= 60:
        state.section = text
        return True
    if column == title_col:
        return False
    if column == state.seq_col and _is_seq_value(own[0][1]):
        return True  # a numbered but empty template row
    if state.tasks and len(key) > 30 and column not in state.layout.columns:
        state.in_notes = True  # a long line outside the table's columns: notes under it
        state.notes.append(text)
        return True
    return False


def _is_seq_value(value: CellValue) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and len(value.strip()) <= 6


def _values(state: _Sheet, row: Row) -> dict[Field, CellValue]:
    return {f: row[i] for i, f in state.layout.columns.items() if i < len(row)}


def _take_task(
    state: _Sheet, row: Row, number: int, inherited: set[int], own: list[tuple[int, CellValue]]
) -> None:
    columns = state.layout.columns
    values = _values(state, row)
    title_col, seq_col = state.title_col, state.seq_col
    title = shown_text(values.get(Field.TITLE))
    seq = shown_text(values.get(Field.SEQ))
    own_fields = {columns[i] for i, _ in own if i in columns}
    previous = state.tasks[-1] if state.tasks else None
    from_merge = title_col in inherited and (seq_col is None or seq_col in inherited or not seq)
    if previous is not None and from_merge and own_fields <= {Field.REQUIREMENTS}:
        previous.requirements.extend(_lines(shown_text(values.get(Field.REQUIREMENTS))))
        return
    if not title and not seq:
        if previous is None:
            state.warnings.append(f"第 {number} 行没有序号和主要任务，且在第一项任务之前，已跳过。")
            return
        _append_to(state, previous, row, number, own_fields)
        return
    if not title:
        requirements = _lines(shown_text(values.get(Field.REQUIREMENTS)))
        if not requirements:
            state.warnings.append(f"第 {number} 行有序号“{seq}”但主要任务为空，已跳过。")
            return
        title = requirements.pop(0)
    state.tasks.append(_task(state, row, number, seq, title, values))
    state.task_rows.append(number)


def _task(
    state: _Sheet, row: Row, number: int, seq: str, title: str, values: dict[Field, CellValue]
) -> TaskDraft:
    task = TaskDraft(seq=seq, title=title, section=state.section)
    task.requirements = _lines(shown_text(values.get(Field.REQUIREMENTS)))
    raw_deadline = values.get(Field.DEADLINE)
    task.deadline_text, task.deadline = _deadline(raw_deadline, state.year)
    if task.deadline is None and task.deadline_text and not is_undated(task.deadline_text):
        _warn_deadline(state, number, task.deadline_text)
    task.progress = shown_text(values.get(Field.PROGRESS))
    task.department = shown_text(values.get(Field.DEPARTMENT))
    task.partners = shown_text(values.get(Field.PARTNERS))
    task.owner = shown_text(values.get(Field.OWNER))
    notes = [line for line in _lines(shown_text(values.get(Field.NOTE)))]
    kept: list[str] = []
    for line in notes:
        match = _NOTE_FIELD_LINE.match(normalize(line))
        if match and not task.partners:
            task.partners = re.split(r"[:：]", line, maxsplit=1)[1].strip()
        else:
            kept.append(line)
    for index, name in state.layout.extras.items():
        if _present(row, index):
            kept.append(f"{name or _column_name(index)}：{shown_text(row[index])}")
            state.extras_used.add(index)
    task.note = "\n".join(kept)
    status = shown_text(values.get(Field.STATUS))
    if status and status not in _OPEN_WORDS:
        task.done = status in _DONE_WORDS or normalize(status).replace(" ", "") in _DONE_WORDS
    return task


def _append_to(
    state: _Sheet, task: TaskDraft, row: Row, number: int, own_fields: set[Field]
) -> None:
    """A row without 序号 and 主要任务 continues the task above it (a cell split across rows)."""
    values = _values(state, row)
    task.requirements.extend(_lines(shown_text(values.get(Field.REQUIREMENTS))))
    for name, attr in (
        (Field.PROGRESS, "progress"),
        (Field.DEPARTMENT, "department"),
        (Field.PARTNERS, "partners"),
        (Field.OWNER, "owner"),
        (Field.NOTE, "note"),
    ):
        if name in own_fields:
            old = getattr(task, attr)
            new = shown_text(values.get(name))
            setattr(task, attr, f"{old}\n{new}" if old and new not in old else old or new)
    if Field.DEADLINE in own_fields and not task.deadline_text:
        task.deadline_text, task.deadline = _deadline(values.get(Field.DEADLINE), state.year)
    if own_fields - {Field.REQUIREMENTS}:
        row_of_task = state.task_rows[-1] if state.task_rows else number
        state.warnings.append(
            f"第 {number} 行没有序号和主要任务，其内容已并入上一项任务（第 {row_of_task} 行）。"
        )


def _warn_deadline(state: _Sheet, number: int, text: str) -> None:
    if state.year is None and parse_deadline(text, 2000) is not None:
        if not state.undated_warned:
            state.undated_warned = True
            state.warnings.append(
                f"台账标题中没有年份，“{text}”等没写年份的完成时间无法换算成日期，已按文字保存。"
                "可在导入时指定年份。"
            )
        return
    state.warnings.append(f"第 {number} 行的完成时间“{text}”无法识别为日期，已按文字保存。")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _column_name(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"第{get_column_letter(index + 1)}列"


def _year_in(text: str) -> int | None:
    match = re.search(r"(?<!\d)((?:19|20)\d{2})\s*年", normalize(text)) if text else None
    return int(match.group(1)) if match else None


def _finish(state: _Sheet, preamble: Preamble, title: str, sheet_name: str) -> LedgerDraft:
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
        warnings=state.warnings,
    )
    for index in sorted(state.extras_used):
        name = state.layout.extras[index] or "（无标题）"
        draft.warnings.append(
            f"{_column_name(index)}“{name}”不是台账的已知栏目，其内容已写入各任务的备注"
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
