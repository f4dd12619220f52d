"""The rows under a 台账's header, one by one: tasks, their continuations, sections, 说明.

Part of reading a 台账 workbook (:mod:`ledger_reader`, which streams the rows and resolves
merged cells first). Each row is a task, part of the task above it, a repeated title or header
(a Word table pasted across pages), a 填报 line, a section heading, or a 说明 line; what cannot
be placed is said in the warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_desktop.io.units import split_responsibility
from fazhi_desktop.io.xlsx.columns import Field, field_of
from fazhi_desktop.io.xlsx.grid import CellValue, Row, date_text, shown_text
from fazhi_desktop.io.xlsx.ledger_header import (
    Layout,
    column_of,
    filled,
    header_layout,
    one_line,
    present,
)
from fazhi_desktop.io.xlsx.preamble import is_info_line
from fazhi_desktop.io.years import NO_YEAR_WARNING
from fazhi_desktop.models.deadlines import is_undated, parse_deadline
from fazhi_desktop.models.records import TaskDraft, Unused
from fazhi_desktop.textnorm import normalize

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
_NOTE_FIELD_LINE = re.compile(r"^(配合单位|协办单位|配合部门|配合科室)[:：]\s*(.+)$")


@dataclass
class SheetState:
    path: Path
    layout: Layout
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
    unused: list[Unused] = field(default_factory=list)

    def skip(self, number: int, row: Row, reason: str) -> None:
        text = "  ".join(shown_text(v) for v in row if filled(v))
        self.unused.append(Unused(number, f"第 {number} 行", text, reason))


def settle(state: SheetState, header: Row) -> None:
    """Fix what the row loop looks up on every row, once the header (and sub-header) is known."""
    state.title_col = column_of(state.layout, Field.TITLE)
    state.seq_col = column_of(state.layout, Field.SEQ)
    state.header_texts = {
        i: one_line(v)
        for i, v in enumerate(header)
        if isinstance(v, str) and v.strip() and (i in state.layout.columns)
    }


def _is_repeated_header(state: SheetState, row: Row) -> bool:
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
            if stripped == text or (stripped[:1] == text[:1] and one_line(stripped) == text):
                same += 1
    if same >= 2:
        return True
    if len(title.strip()) <= 20 and field_of(title) is Field.TITLE:
        repeat = header_layout(row)
        return repeat is not None and len(repeat.fields & state.layout.fields) >= 2
    return False


def take_row(
    state: SheetState, row: Row, number: int, inherited: set[int], own: list[tuple[int, CellValue]]
) -> None:
    if _is_repeated_header(state, row):
        state.in_notes = False  # a second table block: what follows are tasks again
        state.skip(number, row, "重复的表头（表格跨页）")
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
    state: SheetState, own: list[tuple[int, CellValue]], texts: list[str], row: Row, number: int
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
        state.skip(number, row, "重复的标题（表格跨页）")
        return True
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
        state.skip(number, row, "只有序号的空行")
        return True
    if state.tasks and len(key) > 30 and column not in state.layout.columns:
        state.in_notes = True  # a long line outside the table's columns: notes under it
        state.notes.append(text)
        return True
    return False


def _is_seq_value(value: CellValue) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and len(value.strip()) <= 6


def _values(state: SheetState, row: Row) -> dict[Field, CellValue]:
    return {f: row[i] for i, f in state.layout.columns.items() if i < len(row)}


def _take_task(
    state: SheetState, row: Row, number: int, inherited: set[int], own: list[tuple[int, CellValue]]
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
            state.skip(number, row, "没有序号和主要任务，且在第一项任务之前")
            return
        _append_to(state, previous, row, number, own_fields)
        return
    if not title:
        requirements = _lines(shown_text(values.get(Field.REQUIREMENTS)))
        if not requirements:
            state.warnings.append(f"第 {number} 行有序号“{seq}”但主要任务为空，已跳过。")
            state.skip(number, row, "有序号但主要任务为空")
            return
        title = requirements.pop(0)
    state.tasks.append(_task(state, row, number, seq, title, values))
    state.task_rows.append(number)


def _task(
    state: SheetState, row: Row, number: int, seq: str, title: str, values: dict[Field, CellValue]
) -> TaskDraft:
    section_col = state.layout.section_col
    category = (
        shown_text(row[section_col])
        if section_col is not None and present(row, section_col)
        else ""
    )
    task = TaskDraft(seq=seq, title=title, section=category or state.section)
    task.requirements = _lines(shown_text(values.get(Field.REQUIREMENTS)))
    raw_deadline = values.get(Field.DEADLINE)
    task.deadline_text, task.deadline = _deadline(raw_deadline, state.year)
    if task.deadline is None and task.deadline_text and not is_undated(task.deadline_text):
        _warn_deadline(state, number, task.deadline_text)
    task.progress = shown_text(values.get(Field.PROGRESS))
    task.department = shown_text(values.get(Field.DEPARTMENT))
    task.partners = shown_text(values.get(Field.PARTNERS))
    split = split_responsibility(task.department) if task.department else None
    if split is not None:  # "市司法局牵头，市财政局配合" in one cell, as in a plan
        task.department = split.lead
        task.partners = "、".join(p for p in (split.partners, task.partners) if p)
        if split.deadline and not task.deadline_text:
            task.deadline_text = split.deadline
            task.deadline = parse_deadline(split.deadline, state.year)
    task.owner = shown_text(values.get(Field.OWNER))
    notes = [line for line in _lines(shown_text(values.get(Field.NOTE)))]
    kept: list[str] = []
    for line in notes:
        match = _NOTE_FIELD_LINE.match(normalize(line))
        if match and not task.partners:
            task.partners = re.split(r"[:：]", line, maxsplit=1)[1].strip()
        else:
            kept.append(line)
    for index, value in enumerate(row):
        if filled(value) and index not in state.layout.columns:
            state.layout.extras.setdefault(index, "")  # a column without a header: kept too
    for index, name in state.layout.extras.items():
        if present(row, index):
            kept.append(f"{name or column_name(index)}：{shown_text(row[index])}")
            state.extras_used.add(index)
    task.note = "\n".join(kept)
    status = shown_text(values.get(Field.STATUS))
    if status and status not in _OPEN_WORDS:
        task.done = status in _DONE_WORDS or normalize(status).replace(" ", "") in _DONE_WORDS
    return task


def _append_to(
    state: SheetState, task: TaskDraft, row: Row, number: int, own_fields: set[Field]
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


def _warn_deadline(state: SheetState, number: int, text: str) -> None:
    if state.year is None and parse_deadline(text, 2000) is not None:
        if not state.undated_warned:
            state.undated_warned = True
            state.warnings.append(NO_YEAR_WARNING)
        return
    state.warnings.append(f"第 {number} 行的完成时间“{text}”无法识别为日期，已按文字保存。")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def column_name(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"第{get_column_letter(index + 1)}列"


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
