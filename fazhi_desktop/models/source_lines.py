"""A plan's text as numbered lines: what the plan reader reads and the import dialog shows.

A record of its own so that the dialog can show the lines and the readers of each format
(.txt, .docx) can produce them without depending on one another.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of the plan: ``number`` counts from 1 in reading order; ``where`` names it
    for the user ("第 12 行", "第 12 段", "表 1 第 3 行")."""

    number: int
    text: str
    where: str
    cells: tuple[str, ...] | None = None

    @property
    def display(self) -> str:
        """The line as one line of text: table cells joined by tabs."""
        if self.cells is None:
            return self.text
        return "\t".join(" ".join(c.split("\n")) for c in self.cells)
