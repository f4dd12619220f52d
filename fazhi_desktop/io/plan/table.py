"""Plans laid out as a table: 序号 | 工作任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限.

A header row names the columns (in any order and wording); each row under it is a task. A row
with one text across all columns (a merged row) is a section heading; a row with an empty task
column, or the same task as the row above (a vertically merged cell), continues that task.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from fazhi_desktop.io.plan.markers import first_sentence, fold, split_items
from fazhi_desktop.io.units import split_responsibility
from fazhi_desktop.models.records import TaskDraft


class Col(enum.Enum):
    SEQ = "序号"
    SECTION = "类别"
    TITLE = "主要任务"
    REQUIREMENTS = "任务要求"
    DEPARTMENT = "责任单位"
    PARTNERS = "配合单位"
    DEADLINE = "完成时限"
    OWNER = "责任人"
    NOTE = "备注"
    IGNORE = "其他"


# Checked in this order; the first kind with a keyword contained in the header cell wins.
_KEYWORDS: tuple[tuple[Col, tuple[str, ...]], ...] = (
    (Col.SEQ, ("序号", "编号")),
    (Col.IGNORE, ("进展", "完成情况", "落实情况", "推进情况", "工作情况", "佐证", "得分", "分值")),
    (Col.OWNER, ("责任人", "责任领导", "牵头领导", "分管领导", "联系人", "经办人")),
    (Col.PARTNERS, ("配合", "协办", "参与", "协助", "协同", "协作")),
    (Col.DEPARTMENT, ("牵头", "责任单位", "责任部门", "责任科室", "责任处室", "主责", "负责单位",
                      "负责部门", "承办", "责任主体", "实施单位", "落实单位", "主办")),
    (Col.DEADLINE, ("时限", "时间", "期限", "节点", "日期", "进度安排")),
    (Col.REQUIREMENTS, ("要求", "措施", "举措", "具体内容", "主要内容", "工作内容", "任务内容",
                        "具体任务", "具体工作", "具体事项", "实施内容", "目标", "标准")),
    (Col.SECTION, ("类别", "类型", "领域", "板块", "分类", "一级指标", "方面")),
    (Col.TITLE, ("任务", "事项", "工作", "项目", "内容", "指标")),
    (Col.NOTE, ("备注", "说明")),
)  # fmt: skip
_BLANKS = re.compile(r"\s+")


def _column(cell: str) -> Col | None:
    key = _BLANKS.sub("", fold(cell))
    if not key or len(key) > 14:
        return None
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
    """Which cell index holds what; several indexes for one kind are joined."""

    of: dict[Col, tuple[int, ...]]

    def get(self, cells: tuple[str, ...], col: Col, sep: str = "；") -> str:
        values = []
        for i in self.of.get(col, ()):
            value = cells[i].strip() if i < len(cells) else ""
            if value and value not in values:
                values.append(value)
        return sep.join(values)


def header_columns(cells: tuple[str, ...]) -> Columns | None:
    """The column map if ``cells`` is a plan table's header row."""
    found: dict[Col, list[int]] = {}
    for i, cell in enumerate(cells):
        col = _column(cell)
        if col is None:
            if cell.strip():
                return None  # a header has no cell that is not a column name
            continue
        found.setdefault(col, []).append(i)
    if Col.TITLE not in found and Col.REQUIREMENTS not in found:
        return None
    if Col.TITLE not in found and len(found[Col.REQUIREMENTS]) > 1:
        # 工作内容 | 具体措施: the first names the task, the second its 任务要求.
        first, *rest = found[Col.REQUIREMENTS]
        found[Col.TITLE], found[Col.REQUIREMENTS] = [first], rest
    if len([c for c in found if c not in (Col.IGNORE, Col.SEQ)]) < 2:
        return None
    depts = found.get(Col.DEPARTMENT, [])
    leads = [i for i in depts if "牵头" in fold(cells[i])]
    if leads and len(depts) > len(leads):
        # 牵头单位 | 责任单位: the second names those who carry it out alongside the lead.
        found[Col.DEPARTMENT] = leads
        found.setdefault(Col.PARTNERS, []).extend(i for i in depts if i not in leads)
    return Columns({col: tuple(ix) for col, ix in found.items()})


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


def row_task(columns: Columns, cells: tuple[str, ...], previous: TaskDraft | None) -> TaskDraft:
    """The task of a data row; ``previous`` itself (extended) when the row continues it."""
    seq = columns.get(cells, Col.SEQ, " ")
    title = columns.get(cells, Col.TITLE)
    req_text = columns.get(cells, Col.REQUIREMENTS, "\n")
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
    section = columns.get(cells, Col.SECTION)
    if section and not task.section:
        task.section = section
    return task
