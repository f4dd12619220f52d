"""One task assembled from its heading line and the lines under it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fazhi_desktop.io.plan.elems import REQ, Elem
from fazhi_desktop.io.plan.markers import (
    Field,
    FieldKind,
    Level,
    ends_sentence,
    first_sentence,
    fold,
    split_items,
    strip_item,
)
from fazhi_desktop.io.units import closing_deadline, split_responsibility
from fazhi_desktop.models.records import TaskDraft


def _join(old: str, new: str, sep: str) -> str:
    if not new or new in old.split(sep):
        return old
    return f"{old}{sep}{new}" if old else new


@dataclass(slots=True)
class _Builder:
    task: TaskDraft
    current: FieldKind | None = None
    last_value_open: bool = False
    leads: list[str] = field(default_factory=list)  # 牵头单位
    units: list[str] = field(default_factory=list)  # 责任单位
    partners: list[str] = field(default_factory=list)  # 配合单位
    deadlines: list[str] = field(default_factory=list)

    def add_item(self, text: str, *, continuation_ok: bool) -> None:
        text = strip_item(text)
        if not text:
            return
        reqs = self.task.requirements
        if continuation_ok and reqs and not ends_sentence(reqs[-1]) and len(reqs[-1]) >= 20:
            reqs[-1] += text  # a line broken by the text's width, not a new item
        else:
            reqs.append(text)

    def add_field(self, item: Field) -> None:
        value = item.value
        if not item.label and self.last_value_open and self.current is not REQ:
            self.continue_field(value)  # "责任单位：市委编办、" / "各有关部门": one list
            return
        self.current = item.kind
        if item.kind is REQ:
            for piece in split_items(value):
                self.add_item(piece, continuation_ok=False)
        elif item.kind is FieldKind.DEPARTMENT:
            split = split_responsibility(value) if item.label else None
            if split is not None:
                _add(self.leads, split.lead)
                _add(self.partners, split.partners)
                _add(self.deadlines, split.deadline)
            elif not item.label or any(w in fold(item.label) for w in _LEAD_LABELS):
                _add(self.leads, value)
            else:
                _add(self.units, value)
        elif item.kind is FieldKind.PARTNERS:
            _add(self.partners, value)
        elif item.kind is FieldKind.DEADLINE:
            _add(self.deadlines, value)
        elif item.kind is FieldKind.OWNER:
            self.task.owner = _join(self.task.owner, value, "、")
        else:
            self.task.note = _join(self.task.note, value, "；")

    def continue_field(self, text: str) -> None:
        """The rest of a unit list broken after its "、": "市委编办、市司法局、" / "各有关部门"."""
        target = {
            FieldKind.PARTNERS: self.partners,
            FieldKind.DEADLINE: self.deadlines,
        }.get(self.current or REQ)
        if target is None:
            target = self.units if self.units else self.leads
        sep = "；" if self.current is FieldKind.DEADLINE else "、"  # stripped from the value
        if target:
            target[-1] += sep + text.strip()
        else:
            target.append(text.strip())

    def add_text(self, text: str) -> None:
        """An unlabelled line inside the task: more 任务要求, or the rest of a broken field."""
        if self.current not in (None, REQ, FieldKind.OWNER, FieldKind.NOTE) and (
            self.last_value_open
        ):
            self.continue_field(text)
            return
        self.add_item(text, continuation_ok=self.current in (None, REQ))
        self.current = REQ

    def finish(self) -> TaskDraft:
        """Departments into place: with a 牵头单位 named, the other 责任单位 work alongside it."""
        task = self.task
        if self.leads:
            task.department = "、".join(self.leads)
            partners = self.units + self.partners
        else:
            task.department = "；".join(self.units)
            partners = self.partners
        task.partners = "、".join(dict.fromkeys(p for p in partners if p))
        task.deadline_text = "；".join(self.deadlines)
        return task


# Labels naming the lead unit; a plain 责任单位 beside one of them is a partner.
_LEAD_LABELS = ("牵头", "主责", "主办")


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


def build_task(elems: Sequence[Elem], start: int, end: int, section: str) -> TaskDraft:
    head = elems[start]
    assert head.heading is not None
    title, body = first_sentence(head.pre)
    builder = _Builder(TaskDraft(seq=head.heading.marker, title=title, section=section))
    if body:
        for piece in split_items(body):
            builder.add_item(piece, continuation_ok=False)
    for item in head.fields:
        builder.add_field(item)
    inner = [e.level for e in elems[start + 1 : end] if e.level is not None]
    first_child = min(inner) if inner else None
    for elem in elems[start + 1 : end]:
        if elem.blank or elem.noise:
            continue
        if elem.table:
            builder.add_text(elem.line.display)
            continue
        if elem.level is not None and elem.heading is not None:
            # The first level under the task (and 一是…) loses its numbering, as 任务要求 are
            # listed in order anyway; deeper levels keep it so their nesting stays readable.
            if elem.heading.level is Level.ITEM:  # "一是…；二是…" may run on in one line
                pieces = split_items(elem.line.text[: elem.heading.rest] + elem.pre)
            elif elem.level in (first_child, Level.ITEM):
                pieces = split_items(elem.pre)
            else:
                pieces = [elem.heading.marker + elem.pre]
            for piece in pieces:
                builder.add_item(piece, continuation_ok=False)
            builder.current = REQ
        elif elem.pre:
            builder.add_text(elem.pre)
        for item in elem.fields:
            builder.add_field(item)
        builder.last_value_open = fold(elem.line.text).rstrip().endswith(("、", ",", ";"))
    task = builder.finish()
    if not task.deadline_text:
        last = task.requirements[-1] if task.requirements else task.title
        task.deadline_text = closing_deadline(last) or ""
        if task.deadline_text and not task.requirements:
            # "学习贯彻习近平法治思想，2024年6月底前完成": the date is not part of the title.
            cut = task.title.rfind(task.deadline_text)
            task.title = task.title[:cut].rstrip(" ,，;；") or task.title
    if not task.title and task.requirements:
        task.title, rest = first_sentence(task.requirements[0])
        task.requirements[0:1] = [rest] if rest else []
    return task
