"""Plans laid out as a table: 序号 | 工作任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限.

A header row names the columns (in any order and wording); each row under it is a task. A row
with one text across all columns (a merged row) is a section heading; a row with an empty task
column, or the same task as the row above (a vertically merged cell), continues that task.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_desktop.io.plan.elems import Elem, heading_title
from fazhi_desktop.io.plan.markers import Level, first_sentence, fold, heading_of, split_items
from fazhi_desktop.io.units import split_responsibility
from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.vocab.columns import PLAN_TABLE_ORDER, REGISTRY, Field

# A plan table's 进展/完成情况 columns are for filling in later, not part of the plan: ignored.
IGNORED = Field.PROGRESS
Col = Field
_KEYWORDS: tuple[tuple[Field, tuple[str, ...]], ...] = tuple(
    (f, REGISTRY[f].keywords) for f in PLAN_TABLE_ORDER
)
_BLANKS = re.compile(r"\s+")


def _column(cell: str) -> Col | None:
    key = _BLANKS.sub("", fold(cell))
    if not key or len(key) > 14:
        return None
    if key.endswith("人"):
        return Col.OWNER  # 承办人, 经办人, 责任人 — a person, never the unit
    if key in ("序", "No.", "No"):
        return Col.SEQ
    if "任务" in key and not any(w in key for w in ("要求", "措施", "内容", "举措", "分解")):
        return Col.TITLE  # 目标任务, 重点任务, 主要任务: the task itself
    for col, words in _KEYWORDS:
        if any(word in key for word in words):
            return col
    return None


@dataclass(frozen=True, slots=True)
class Columns:
    """Which cell index holds what; several indexes for one kind are joined. ``extra`` are
    columns of no known kind (交办单位, 佐证材料…): their cells go to 备注 under their name."""

    of: dict[Col, tuple[int, ...]]
    extra: tuple[tuple[int, str], ...] = ()

    def get(self, cells: tuple[str, ...], col: Col, sep: str = "；") -> str:
        values = []
        for i in self.of.get(col, ()):
            value = cells[i].strip() if i < len(cells) else ""
            if value and value not in values:
                values.append(value)
        return sep.join(values)


# Header cells hold no figures, dates or sentences, and name no unit.
_NOT_A_NAME = re.compile(r"\d|[。;]|(?:局|办|中心|政府|委员会|街道?|镇)$")


def header_columns(cells: tuple[str, ...]) -> Columns | None:
    """The column map if ``cells`` is a plan table's header row."""
    found: dict[Col, list[int]] = {}
    extra: list[tuple[int, str]] = []
    for i, cell in enumerate(cells):
        if _NOT_A_NAME.search(fold(cell)):
            return None  # "9月底前完成…", "区政府办": a data row, not column names
        col = _column(cell)
        if col is None:
            name = _BLANKS.sub("", cell)
            if len(name) > 14:
                return None  # a sentence, not a column name: no header row
            if name and name not in (n for _i, n in extra):
                extra.append((i, name))
            continue
        found.setdefault(col, []).append(i)
    if Col.TITLE not in found and Col.REQUIREMENTS not in found:
        return None
    if len(extra) > sum(len(ix) for ix in found.values()):
        return None  # mostly unknown names: more likely a row of text than a header
    if Col.TITLE not in found and len(found[Col.REQUIREMENTS]) > 1:
        # 工作内容 | 具体措施: the first names the task, the second its 任务要求.
        first, *rest = found[Col.REQUIREMENTS]
        found[Col.TITLE], found[Col.REQUIREMENTS] = [first], rest
    if len([c for c in found if c not in (IGNORED, Col.SEQ)]) < 2:
        return None
    depts = found.get(Col.DEPARTMENT, [])
    leads = [i for i in depts if "牵头" in fold(cells[i])]
    if leads and len(depts) > len(leads):
        # 牵头单位 | 责任单位: the second names those who carry it out alongside the lead.
        found[Col.DEPARTMENT] = leads
        found.setdefault(Col.PARTNERS, []).extend(i for i in depts if i not in leads)
    # 进展情况, 佐证材料…: not part of a plan's task, but kept in 备注 rather than dropped.
    extra += [(i, _BLANKS.sub("", cells[i])) for i in found.pop(IGNORED, [])]
    return Columns({col: tuple(ix) for col, ix in found.items()}, tuple(sorted(extra)))


def merged_text(cells: tuple[str, ...]) -> str | None:
    """The text of a row that is one merged cell across the table (a section heading)."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(set(filled)) == 1 and (len(filled) >= 2 or len(cells) == 1):
        return filled[0]
    return None


def _items(text: str) -> list[str]:
    items = split_items(text)
    if len(items) == 1 and "\n" in text:
        return [line.strip() for line in text.split("\n") if line.strip()]
    return items


def _join(old: str, new: str, sep: str = "；") -> str:
    if not new or new == old:
        return old
    return f"{old}{sep}{new}" if old else new


_BARE_NUMBER = re.compile(r"[(（]?[\d一二三四五六七八九十]{1,3}[)）.、．]?")


def _numbered(
    columns: Columns, cells: tuple[str, ...], col: Col, sep: str = "；"
) -> tuple[str, str]:
    """A column whose header spans a number cell and a text cell ("具体要求" merged over two
    columns): (the number, the text) — both kept, the number as the row's 序号."""
    indexes = columns.of.get(col, ())
    values = [cells[i].strip() for i in indexes if i < len(cells) and cells[i].strip()]
    if len(values) >= 2 and _BARE_NUMBER.fullmatch(values[0]):
        return values[0], sep.join(dict.fromkeys(values[1:]))
    return "", sep.join(dict.fromkeys(values))


def row_task(columns: Columns, cells: tuple[str, ...], previous: TaskDraft | None) -> TaskDraft:
    """The task of a data row; ``previous`` itself (extended) when the row continues it."""
    seq = columns.get(cells, Col.SEQ, " ")
    number, title = _numbered(columns, cells, Col.TITLE)
    seq = seq or number
    _, req_text = _numbered(columns, cells, Col.REQUIREMENTS, "\n")
    requirements = _items(req_text) if req_text else []
    if not title and Col.TITLE not in columns.of and requirements:
        title, rest = first_sentence(requirements[0])
        requirements = ([rest] if rest else []) + requirements[1:]
    elif Col.REQUIREMENTS not in columns.of and title:
        title, rest = first_sentence(title.replace("\n", ""))
        requirements = _items(rest) if rest else []
    department = columns.get(cells, Col.DEPARTMENT, "、")
    partners = columns.get(cells, Col.PARTNERS, "、")
    split = split_responsibility(department) if department else None
    if split is not None:
        department, partners = split.lead, _join(partners, split.partners, "、")
    deadline_text = columns.get(cells, Col.DEADLINE).replace("\n", "；")
    if split is not None and split.deadline:
        deadline_text = _join(deadline_text, split.deadline)
    title = title.replace("\n", "")
    heading = heading_of(title, fold(title))
    if heading is not None and heading.level > Level.SECTION:
        # "1.及时更新网站信息" in the task column: the number is the 序号.
        seq, title = seq or heading.marker.rstrip(".、 "), title[heading.rest :]
    continues = previous is not None and (
        (not title and not seq) or (title == previous.title and seq in ("", previous.seq))
    )
    task = previous if continues and previous is not None else TaskDraft(seq=seq, title=title)
    task.requirements.extend(r for r in requirements if r not in task.requirements)
    task.department = _join(task.department, department, "、")
    task.partners = _join(task.partners, partners, "、")
    task.deadline_text = _join(task.deadline_text, deadline_text)
    task.owner = _join(task.owner, columns.get(cells, Col.OWNER, "、"), "、")
    task.note = _join(task.note, columns.get(cells, Col.NOTE))
    for i, name in columns.extra:
        if i < len(cells) and cells[i].strip():
            task.note = _join(task.note, f"{name}：{cells[i].strip()}")
    section = columns.get(cells, Col.SECTION)
    if section and not task.section:
        task.section = section
    return task


def table_tasks(
    body: Sequence[Elem],
    tasks: list[tuple[int, TaskDraft]],
    placed: set[int],
    reasons: dict[int, str],
) -> list[int]:
    """Tasks from table rows under a recognised header row; returns the rows with no header
    above them (a layout table, or tabs typed into a paragraph)."""
    loose: list[int] = []
    columns: Columns | None = None
    header_cells: tuple[str, ...] = ()
    section = ""
    previous: TaskDraft | None = None
    section_pos: int | None = None
    subheader = False
    for at, elem in enumerate(body):
        if not elem.table:
            if elem.level is not None and elem.level <= Level.SECTION:
                section, section_pos = heading_title(elem), elem.pos
            continue
        cells = elem.line.cells or ()
        if subheader:
            subheader = False
            two_rows = _two_row_header(header_cells, cells)
            if two_rows is not None:
                columns = _categories(two_rows, _rows_below(body, at + 1))
                placed.add(elem.pos)
                continue
        header = header_columns(cells)
        if header is not None:
            columns, previous, subheader, header_cells = header, None, True, cells
            columns = _categories(columns, _rows_below(body, at + 1))
            placed.add(elem.pos)
            continue
        if columns is None:
            loose.append(elem.pos)  # no header: read as an ordinary paragraph
            continue
        merged = merged_text(cells)
        if merged is not None:
            section, section_pos, previous = merged, None, None
            placed.add(elem.pos)
            continue
        task = row_task(columns, cells, previous)
        if task is not previous:
            if not task.title and not task.requirements:
                reasons[elem.pos] = "表格行中没有任务名称"
                continue
            task.section = task.section or section
            if section_pos is not None and task.section == section:
                placed.add(section_pos)  # a heading above the table names the rows' section
            tasks.append((elem.pos, task))
        previous = task
        placed.add(elem.pos)
    return loose


def _rows_below(body: Sequence[Elem], start: int) -> list[tuple[str, ...]]:
    rows = []
    for elem in body[start:]:
        if not elem.table:
            break
        rows.append(elem.line.cells or ())
    return rows


def _two_row_header(top: tuple[str, ...], below: tuple[str, ...]) -> Columns | None:
    """责任清单 over 责任领导 | 责任人 | 责任处室: the row under the header names columns too.

    Word repeats a vertically merged header cell's text in the row below; a cell naming no
    column keeps the name above it."""
    named = [c for c in below if c.strip()]
    if not named or any(_column(c) is None and c not in top for c in named):
        return None
    if all(c in top for c in named):
        return None if any(c.strip() for c in below if c not in top) else header_columns(top)
    width = max(len(top), len(below))
    merged = tuple(
        (below[i] if i < len(below) and _column(below[i]) is not None else "")
        or (top[i] if i < len(top) else "")
        for i in range(width)
    )
    return header_columns(merged)


def _categories(columns: Columns, rows: list[tuple[str, ...]]) -> Columns:
    """A task column whose cells are merged down several rows that each have their own
    要求/单位/序号 is a category (章节); the 要求 column then holds the tasks."""
    title_ix = columns.of.get(Col.TITLE, ())
    req_ix = columns.of.get(Col.REQUIREMENTS, ())
    if len(title_ix) != 1 or not req_ix or Col.SECTION in columns.of:
        return columns
    for upper, lower in itertools.pairwise(rows):
        same = columns.get(upper, Col.TITLE) and columns.get(upper, Col.TITLE) == columns.get(
            lower, Col.TITLE
        )
        differ = any(
            columns.get(upper, col) != columns.get(lower, col)
            for col in (Col.SEQ, Col.REQUIREMENTS, Col.DEPARTMENT, Col.DEADLINE)
            if col in columns.of
        )
        if same and differ and columns.get(lower, Col.REQUIREMENTS):
            of = dict(columns.of)
            of[Col.SECTION] = title_ix
            of[Col.TITLE] = req_ix[:1]
            if len(req_ix) > 1:
                of[Col.REQUIREMENTS] = req_ix[1:]
            else:
                del of[Col.REQUIREMENTS]
            return Columns(of, columns.extra)
    return columns
