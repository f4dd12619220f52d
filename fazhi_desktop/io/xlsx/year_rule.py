"""Which year a 台账 is for when its title and its dates disagree.

A ledger copied forward from an old notice keeps the old title ("…2020年…冲刺方案…工作台账")
while every 完成时间 is a full date of this year. Dates a person wrote out in full are better
evidence than a title: when most of them name another year than the title, that year wins, and
the year-less deadlines ("10.31", "9月底前") are read again with it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from fazhi_desktop.models.deadlines import parse_deadline
from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.textnorm import normalize

_FULL_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# Fewer full dates than this prove nothing against the title.
MIN_EVIDENCE = 3


def year_from_dates(year: int | None, tasks: Sequence[TaskDraft]) -> int | None:
    """The year most full deadlines name, if it differs from ``year`` and they are the
    majority of the dated tasks; else ``year``."""
    full = [t.deadline.year for t in tasks if t.deadline is not None and _names_year(t)]
    dated = sum(t.deadline is not None for t in tasks)
    if len(full) < MIN_EVIDENCE or 2 * len(full) <= dated:
        return year
    best, count = Counter(full).most_common(1)[0]
    if best == year or 2 * count <= len(full):
        return year
    return best


def redate(tasks: Sequence[TaskDraft], year: int) -> None:
    """Read the deadlines that name no year again, as dates of ``year``."""
    for task in tasks:
        if task.deadline_text and not _names_year(task):
            task.deadline = parse_deadline(task.deadline_text, year)


def _names_year(task: TaskDraft) -> bool:
    return bool(_FULL_YEAR.search(normalize(task.deadline_text)))
