"""A plan's source lines as the parser sees them: numbering, fields and kind of each line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fazhi_desktop.io.plan.markers import (
    Field,
    FieldKind,
    Heading,
    Level,
    first_sentence,
    fold,
    heading_of,
    split_fields,
    trailing_parenthetical,
)
from fazhi_desktop.models.source_lines import SourceLine

REQ = FieldKind.REQUIREMENTS


@dataclass(slots=True)
class Elem:
    pos: int
    line: SourceLine
    folded: str
    heading: Heading | None = None
    level: Level | None = None
    pre: str = ""
    fields: list[Field] = field(default_factory=list)
    group: int | None = None
    blank: bool = False
    noise: bool = False
    table: bool = False

    @property
    def is_heading(self) -> bool:
        return self.level is not None and self.level < Level.ITEM


_PAGE_NUMBER = re.compile(r"[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?")


def make_elem(pos: int, line: SourceLine) -> Elem:
    folded = fold(line.text)
    elem = Elem(pos, line, folded)
    stripped = folded.strip()
    if line.cells is not None:
        elem.table = True
        return elem
    if not stripped:
        elem.blank = True
        return elem
    if _PAGE_NUMBER.fullmatch(stripped):
        elem.noise = True
        return elem
    elem.heading = heading_of(line.text, folded)
    elem.level = elem.heading.level if elem.heading else None
    start = elem.heading.rest if elem.heading else 0
    parts = split_fields(line.text[start:], folded[start:])
    elem.pre = parts.pre
    elem.fields = list(parts.fields)
    found = trailing_parenthetical(elem.pre, fold(elem.pre)) if elem.pre else None
    if found is not None:
        elem.pre, said = found
        for kind, value in (
            (FieldKind.DEPARTMENT, said.lead),
            (FieldKind.PARTNERS, said.partners),
            (FieldKind.DEADLINE, said.deadline),
        ):
            if value:
                elem.fields.append(Field(kind, "", value))
    return elem


def heading_title(elem: Elem) -> str:
    """A heading as a section name: its number and its first sentence."""
    title, _rest = first_sentence(elem.pre)
    return f"{elem.heading.marker if elem.heading else ''}{title}"
