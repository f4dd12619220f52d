"""Which heading level of a plan carries its tasks.

Offices number tasks at different depths: ``（一）`` under ``一、``, or ``1.`` under ``（一）``
under ``一、``, or not at all. The depth is found from where the fields are: the level whose
paragraphs each hold exactly one set of 责任单位/完成时限 lines (a shallower level holds many;
a deeper one, such as numbered 任务要求, holds them only under its last item).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_desktop.io.plan.elems import REQ, Elem
from fazhi_desktop.io.plan.markers import FieldKind, Heading, Level


def demote_listed_requirements(elems: Sequence[Elem]) -> None:
    """After a bare ``任务要求：`` line, ``1.`` ``2.`` … are its items even when the tasks
    themselves are numbered the same way."""
    expect = 0
    for elem in elems:
        if elem.blank or elem.noise:
            continue
        if expect and elem.heading is not None:
            if elem.heading.number == expect and elem.heading.level >= Level.PAREN_CN:
                elem.level = Level.ITEM
                expect += 1
                continue
            expect = 0
        if any(f.kind is not REQ for f in elem.fields):
            expect = 0
        if elem.fields and elem.fields[-1].kind is REQ and not elem.fields[-1].value:
            expect = 1


def _is_plain(elem: Elem) -> bool:
    return (
        not (elem.blank or elem.noise or elem.table or elem.fields)
        and elem.level is None
        and bool(elem.pre)
    )


def _group_ahead(elems: Sequence[Elem], i: int) -> int | None:
    """Where the next field group starts, if it comes before the next heading."""
    for j in range(i + 1, len(elems)):
        if elems[j].is_heading:
            return None
        if elems[j].group is not None:
            return j
    return None


def mark_unnumbered_tasks(elems: Sequence[Elem]) -> None:
    """Tasks written without numbers: a plain paragraph just after one task's 责任单位 /
    完成时限 lines, with fields of its own ahead, starts the next task; the first task of the
    same run starts at the first such paragraph under the heading (or, with no heading, as
    many lines before its fields as the second task has)."""
    starts: set[int] = set()
    previous_group = False
    for i, elem in enumerate(elems):
        if elem.blank or elem.noise:
            continue
        ahead = _group_ahead(elems, i) if previous_group and _is_plain(elem) else None
        if ahead is not None:
            starts.add(i)
            heading = next((h for h in range(i - 1, -1, -1) if elems[h].is_heading), None)
            run_start = (heading + 1) if heading is not None else 0
            first_group = next((j for j in range(run_start, i) if elems[j].group is not None), None)
            if first_group is not None:
                candidates = [j for j in range(run_start, first_group) if _is_plain(elems[j])]
                if heading is None:
                    span = sum(1 for j in range(i, ahead) if not elems[j].blank)
                    candidates = candidates[-span:]
                if candidates:
                    starts.add(candidates[0])
        # "责任单位：市委编办、市司法局、" goes on in the next line: not a new task there.
        previous_group = (
            elem.group is not None
            and not elem.is_heading
            and not elem.folded.rstrip().endswith(("、", ",", ";"))
        )
    # A sibling section holding a single unnumbered task has no "after the fields" line to
    # find it by: its first paragraph with fields ahead is that task.
    parents = {_parent_level(elems, i) for i in starts}
    for h, elem in enumerate(elems):
        if not elem.is_heading or elem.level not in parents:
            continue
        first = next((j for j in range(h + 1, len(elems)) if not elems[j].blank), None)
        if (
            first is not None
            and first not in starts
            and _is_plain(elems[first])
            and _group_ahead(elems, first) is not None
        ):
            starts.add(first)
    for i in starts:
        text = elems[i].line.text
        rest = len(text) - len(text.lstrip())
        elems[i].heading = Heading(Level.PLAIN, 0, "", rest)
        elems[i].level = Level.PLAIN


def _parent_level(elems: Sequence[Elem], i: int) -> Level | None:
    heading = next((elems[h] for h in range(i - 1, -1, -1) if elems[h].is_heading), None)
    return heading.level if heading is not None else None


def mark_groups(elems: Sequence[Elem], kinds: frozenset[FieldKind]) -> int:
    """Number the runs of consecutive field lines; returns how many runs there are."""
    count = 0
    previous = False
    for elem in elems:
        elem.group = None
        if elem.blank or elem.noise:
            continue
        has = any(f.kind in kinds for f in elem.fields)
        if has:
            if not (previous and elem.heading is None and not elem.pre):
                count += 1
            elem.group = count
        previous = has
    return count


@dataclass(slots=True)
class Node:
    elem: Elem
    end: int  # index (into the element list) where its span ends
    parent: Node | None
    groups: int = 0
    direct: bool = False


def build_tree(elems: Sequence[Elem]) -> list[Node]:
    nodes: list[Node] = []
    stack: list[Node] = []
    for i, elem in enumerate(elems):
        if not elem.is_heading:
            continue
        assert elem.level is not None
        while stack and stack[-1].elem.level is not None and stack[-1].elem.level >= elem.level:
            stack.pop().end = i
        node = Node(elem, len(elems), stack[-1] if stack else None)
        nodes.append(node)
        stack.append(node)
    heading_at = [i for i, e in enumerate(elems) if e.is_heading]
    index_of = {id(e): i for i, e in enumerate(elems)}
    for node in nodes:
        start = index_of[id(node.elem)]
        node.groups = len({e.group for e in elems[start : node.end] if e.group is not None})
        next_heading = next((h for h in heading_at if h > start), len(elems))
        node.direct = any(e.group is not None for e in elems[start:next_heading])
    return nodes


def task_level(nodes: Sequence[Node]) -> Level | None:
    siblings: dict[tuple[int, Level], list[Node]] = defaultdict(list)
    for node in nodes:
        assert node.elem.level is not None
        siblings[(id(node.parent), node.elem.level)].append(node)
    scores: dict[Level, list[int]] = {}
    for (_parent, level), group in siblings.items():
        score = scores.setdefault(level, [0, 0])
        bearing = any(n.groups for n in group)
        for node in group:
            if node.groups == 1:
                score[0] += 1
            elif node.groups > 1 or bearing:
                score[0] -= 1
            score[1] += node.direct
    useful = {
        lv: s for lv, s in scores.items() if any(n.groups for n in nodes if n.elem.level == lv)
    }
    if not useful:
        return None
    return max(useful, key=lambda lv: (useful[lv][0], useful[lv][1], -lv))


def most_common_level(nodes: Sequence[Node]) -> Level | None:
    counts: dict[Level, int] = defaultdict(int)
    for node in nodes:
        assert node.elem.level is not None
        counts[node.elem.level] += 1
    if not counts:
        return None
    return max(counts, key=lambda lv: (counts[lv], -lv))


def task_nodes(nodes: Sequence[Node], level: Level | None, fallback: bool) -> list[Node]:
    if level is None:
        return []
    at_level = [n for n in nodes if n.elem.level == level]
    if fallback:
        return at_level
    bearing = {id(n.parent) for n in at_level if n.groups}
    chosen: list[Node] = []
    for node in at_level:
        if node.groups or id(node.parent) in bearing:
            chosen.append(node)
        elif chosen and node.parent is not chosen[-1].parent and _continues(chosen, node):
            # A section whose tasks carry no fields of their own still holds tasks when their
            # numbering runs on from the tasks before it (…3. | 二、… 4.); a section numbered
            # afresh, such as 四、工作步骤 （一）…, is something else.
            bearing.add(id(node.parent))
            chosen.append(node)
    return chosen


def _continues(chosen: Sequence[Node], node: Node) -> bool:
    last, first = chosen[-1].elem.heading, node.elem.heading
    return (
        last is not None
        and first is not None
        and last.level is first.level
        and first.number == last.number + 1
        and first.number > 1
    )
