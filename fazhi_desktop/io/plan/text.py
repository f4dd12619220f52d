"""Rule-based reading of a plan (方案 / 工作要点) into a plan ledger draft.

A plan's tasks are numbered paragraphs (or a table, or unnumbered paragraphs), each with
fields: ``任务要求：1.…2.…``, ``责任单位：…`` or ``牵头单位：…；配合单位：…``, ``完成时限：…``,
on their own lines, in brackets at the end of the paragraph (``（市司法局牵头，各县区配合）``),
or as table columns. This module ties the steps together: where the plan starts
(:mod:`plan_start`), which heading level holds the tasks (:mod:`plan_levels`), each task's
fields (:mod:`plan_task`) and table rows (:mod:`plan_table`).

Every non-blank line ends up in a task, as a section heading, as the title, or in
:attr:`PlanParse.unplaced` with the reason — never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_desktop.errors import InputFileError, UsageError
from fazhi_desktop.io.plan.elems import REQ, Elem, heading_title, make_elem
from fazhi_desktop.io.plan.levels import (
    Node,
    build_tree,
    demote_listed_requirements,
    mark_groups,
    mark_unnumbered_tasks,
    most_common_level,
    task_level,
    task_nodes,
)
from fazhi_desktop.io.plan.markers import FieldKind, Level, fold
from fazhi_desktop.io.plan.start import PLAN_WORDS, REPORT_WORDS, find_start, year_of
from fazhi_desktop.io.plan.table import table_tasks
from fazhi_desktop.io.plan.task import build_task
from fazhi_desktop.io.units import embedded_deadline
from fazhi_desktop.io.years import (
    NO_YEAR_WARNING,
    date_deadlines,
    guessed_year_warning,
    year_in,
    year_of_dates,
)
from fazhi_desktop.models.deadlines import is_undated, parse_deadline
from fazhi_desktop.models.records import LedgerDraft, TaskDraft, Unused
from fazhi_desktop.models.source_lines import SourceLine
from fazhi_desktop.vocab.kinds import LedgerKind

FURNITURE_REASON = "网页或版面信息（索引号、发布机构、打印等），不是方案内容"


# A line the parser did not put into any task, and why (the same record as a 台账 row's).
Unplaced = Unused


@dataclass(slots=True)
class PlanParse:
    draft: LedgerDraft
    unplaced: list[Unplaced]
    task_lines: list[int]  # the source line each task starts on, parallel to draft.tasks
    # The numbering level that holds the tasks (1 = 一、, 2 = （一）, 3 = 1., 4 = （1）, 5 = ①;
    # None: tasks from a table or unnumbered) and the levels the document numbers with — what
    # the import dialog offers when the user wants another level.
    level: int | None = None
    levels: tuple[int, ...] = ()


# ---------------------------------------------------------------------------------------------
# The whole plan


def parse_plan(
    lines: Sequence[SourceLine],
    *,
    title: str | None = None,
    year: int | None = None,
    source: str = "",
    default_title: str = "",
    level: int | None = None,
) -> PlanParse:
    """Read a plan's lines into a draft of kind ``plan``; raise if there is no task in it.

    ``level`` (1 = 一、 … 5 = ①) makes every heading of that numbering level a task, for when the
    level found from where the 责任单位/时限 sit is not the one the user means."""
    elems = [make_elem(i, line) for i, line in enumerate(lines)]
    if all(e.blank for e in elems):
        raise InputFileError("内容是空的，没有可导入的方案。")
    start = find_start(elems)
    plan_title = (title or "").strip() or start.title or default_title or "导入的方案"
    plan_year = year if year is not None else year_of(start.title or plan_title, elems)
    body = [e for e in elems[start.start :] if e.pos not in start.title_pos]

    reasons: dict[int, str] = {}
    for elem in elems[: start.start]:
        reasons[elem.pos] = "方案之前的通知内容，不是任务" if start.notice else "不是任务"
    for pos in start.title_pos:
        reasons[pos] = ""

    tasks: list[tuple[int, TaskDraft]] = []
    placed: set[int] = set()
    loose = set(table_tasks(body, tasks, placed, reasons))
    for i, elem in enumerate(body):
        if elem.pos in loose:
            line = elem.line
            flat = SourceLine(line.number, " ".join(c for c in line.cells or () if c), line.where)
            body[i] = elems[elem.pos] = make_elem(elem.pos, flat)

    paragraphs = [e for e in body if not e.table]
    demote_listed_requirements(paragraphs)
    warnings: list[str] = []
    kinds = frozenset(FieldKind) - {REQ}
    if not mark_groups(paragraphs, kinds):
        mark_groups(paragraphs, frozenset({REQ}))
    mark_unnumbered_tasks(paragraphs)
    nodes = build_tree(paragraphs)
    levels = tuple(sorted({int(n.elem.level) for n in nodes if n.elem.level is not None}))
    chosen_level = task_level(nodes) if level is None else _asked_level(level, levels)
    # Without 责任单位/时限 anywhere, numbering alone makes a plan when the title says so, or
    # when there is no title at all (a page copied from the body of a plan).
    fallback = level is not None or (
        chosen_level is None
        and not tasks
        and (PLAN_WORDS.search(fold(plan_title)) is not None or not (title or start.title))
        and REPORT_WORDS.search(fold(plan_title)) is None
    )
    if fallback and level is None:
        chosen_level = most_common_level(nodes)
        if chosen_level is not None:
            warnings.append(
                "方案中没有“责任单位”“完成时限”“任务要求”等字样，已按编号识别任务，请逐项核对。"
            )
    index_of = {id(e): i for i, e in enumerate(paragraphs)}
    chosen = task_nodes(nodes, chosen_level, fallback)
    ancestors: set[int] = set()
    for node in chosen:
        first = index_of[id(node.elem)]
        chain = []
        parent = node.parent
        while parent is not None:
            chain.append(parent)
            ancestors.add(id(parent))
            placed.add(parent.elem.pos)
            parent = parent.parent
        section = " ".join(heading_title(p.elem) for p in reversed(chain))
        tasks.append((node.elem.pos, build_task(paragraphs, first, node.end, section)))
        placed.update(e.pos for e in paragraphs[first : node.end] if not e.noise)
    if not tasks:
        raise InputFileError(_no_tasks_message(source or plan_title))

    tasks.sort(key=lambda pair: pair[0])
    drafts = [task for _pos, task in tasks]
    for number, task in enumerate(drafts, start=1):
        task.seq = task.seq or str(number)  # unnumbered tasks: their place in the plan
    for task in drafts:
        if not task.deadline_text:
            # "…。2023年6月底前完成汇编并公开。": a date inside the text, not labelled.
            texts = [*task.requirements, task.title]
            task.deadline_text = next(filter(None, map(embedded_deadline, texts)), "")
        task.deadline = parse_deadline(task.deadline_text, plan_year)
    if plan_year is None:
        plan_year = year_of_dates(drafts) or year_in(default_title)
        if plan_year is not None and date_deadlines(drafts, plan_year):
            warnings.append(guessed_year_warning(plan_year))
    warnings += _task_warnings(drafts, plan_year)
    unplaced = _unplaced(elems, placed, reasons, nodes, ancestors)
    draft = LedgerDraft(
        title=plan_title,
        year=plan_year,
        kind=LedgerKind.PLAN,
        source=source,
        tasks=drafts,
        warnings=warnings,
        unused=unplaced,
        task_lines=[lines[pos].number for pos, _ in tasks],
    )
    used = int(chosen_level) if chosen and chosen_level is not None else None
    return PlanParse(draft, unplaced, draft.task_lines, used, levels)


_LEVEL_NAMES = {1: "“一、”", 2: "“（一）”", 3: "“1.”", 4: "“（1）”", 5: "“①”"}


def _asked_level(level: int, present: tuple[int, ...]) -> Level:
    if level not in _LEVEL_NAMES:
        raise UsageError(
            f"任务层级“{level}”无效，应为 1 到 5："
            "1 为“一、”，2 为“（一）”，3 为“1.”，4 为“（1）”，5 为“①”。"
        )
    if level not in present:
        found = "、".join(f"{n}（{_LEVEL_NAMES[n]}）" for n in present if n in _LEVEL_NAMES)
        raise UsageError(
            f"文件中没有{_LEVEL_NAMES[level]}这一级编号。"
            + (f"文件中有的层级：{found}。" if found else "文件中没有编号的标题。")
        )
    return Level(level)


def _no_tasks_message(title: str) -> str:
    return (
        f"没有在“{title}”中找到任务。方案的任务应带编号（如“（一）”“1.”），"
        "并写明“任务要求”“责任单位”（或“牵头单位”）“完成时限”；"
        "请确认导入的是方案或工作要点，而不是通知、报告或总结。"
    )


def _task_warnings(tasks: Sequence[TaskDraft], year: int | None) -> list[str]:
    warnings = []
    with_dept = sum(1 for t in tasks if t.department)
    for task in tasks:
        name = f"任务{task.seq}“{task.title[:20]}”"
        if with_dept and not task.department:
            warnings.append(f"{name}没有找到责任单位，请补填。")
        if task.deadline_text and task.deadline is None and not is_undated(task.deadline_text):
            if year is None and parse_deadline(task.deadline_text, 2000) is not None:
                continue  # reported once below
            warnings.append(f"{name}的完成时限“{task.deadline_text}”读不出日期，请核对。")
    if year is None and any(
        t.deadline is None and parse_deadline(t.deadline_text, 2000) for t in tasks
    ):
        warnings.append(NO_YEAR_WARNING)
    return warnings


def _unplaced(
    elems: Sequence[Elem],
    placed: set[int],
    reasons: dict[int, str],
    nodes: Sequence[Node],
    ancestors: set[int],
) -> list[Unplaced]:
    enclosing: dict[int, Node] = {}
    stack: list[Node] = []
    by_pos = {n.elem.pos: n for n in nodes}
    for elem in elems:
        node = by_pos.get(elem.pos)
        while (
            stack
            and stack[-1].elem.level is not None
            and node is not None
            and (node.elem.level is not None and stack[-1].elem.level >= node.elem.level)
        ):
            stack.pop()
        if node is not None:
            stack.append(node)
        if stack:
            enclosing[elem.pos] = stack[-1]
    out = []
    for elem in elems:
        if elem.blank or elem.pos in placed or reasons.get(elem.pos) == "":
            continue
        reason = reasons.get(elem.pos)
        if elem.noise:
            reason = FURNITURE_REASON if elem.furniture else "疑似页码"
        if reason is None:
            node = enclosing.get(elem.pos)
            if node is None:
                reason = "前言或说明，不是任务"
            elif id(node) in ancestors:
                reason = "章节说明，不是任务"
            else:
                top = node
                while top.parent is not None and id(top.parent) not in ancestors:
                    top = top.parent
                reason = f"“{heading_title(top.elem)[:16]}”部分没有责任单位或完成时限，未作为任务"
        out.append(Unplaced(elem.line.number, elem.line.where, elem.line.display.strip(), reason))
    return out
