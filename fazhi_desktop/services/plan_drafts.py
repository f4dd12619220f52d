"""Plan text as the 导入方案 preview works on it: read a file's lines, turn a paragraph into a task.

The window and the CLI hold parse results (:class:`PlanParse`, its :class:`Unplaced` paragraphs,
the :class:`SourceLine` of a file) through this module instead of reaching into ``io.plan``. It
imports no SQLAlchemy, so the preview dialog can use it before the database layer is loaded.
"""

from __future__ import annotations

from pathlib import Path

from fazhi_desktop.io.plan.markers import first_sentence, fold, heading_of, split_items
from fazhi_desktop.io.plan.source import read_plan_source, render_text
from fazhi_desktop.io.plan.text import PlanParse, Unplaced
from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.models.source_lines import SourceLine

__all__ = [
    "PlanParse",
    "SourceLine",
    "Unplaced",
    "read_source",
    "requirement_items",
    "task_from_paragraph",
]


def read_source(path: Path) -> tuple[list[SourceLine], str]:
    """A .docx/.txt plan's lines and the text the preview shows for them."""
    lines = list(read_plan_source(path))
    return lines, render_text(lines)


def task_from_paragraph(text: str) -> TaskDraft:
    """A paragraph the parser could not place, made a task: its marker (“（三）”) becomes the
    序号, its first sentence the title, the rest the 任务要求."""
    text = text.replace("\t", " ").strip()
    heading = heading_of(text, fold(text))
    seq = heading.marker if heading is not None else ""
    title, rest = first_sentence(text[heading.rest :] if heading is not None else text)
    return TaskDraft(seq=seq, title=title, requirements=split_items(rest) if rest else [])


def requirement_items(text: str) -> list[str]:
    """A paragraph split into 任务要求 items (“1.…；2.…” become two)."""
    return list(split_items(text.replace("\t", " ")))
