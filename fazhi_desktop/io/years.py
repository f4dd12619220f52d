"""The year an imported plan or 台账 is for: one rule for both importers.

"年底前" or "10月31日" means a date only once the year is known. The year is, in order: the
one the user gives; the one in the title (2024年, 二〇二四年); for a 台账 the sheet or file
name and the 填报时间; then the year most of the file's fully written dates carry. With none
of these it stays unknown — the deadline keeps its text, and the user is told and asked — never
the current year taken silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from fazhi_desktop.models.deadlines import parse_deadline
from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.textnorm import normalize

_WRITTEN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def year_in(text: str) -> int | None:
    """A year written as such in ``text`` ("2024年"), or None."""
    match = _WRITTEN_YEAR.search(normalize(text)) if text else None
    return int(match.group(1)) if match else None


def year_of_dates(tasks: Sequence[TaskDraft]) -> int | None:
    """The year most of the tasks' dated deadlines fall in (dates written with their year)."""
    years: Counter[int] = Counter()
    for task in tasks:
        written = year_in(task.deadline_text)
        if written is not None:
            years[written] += 1
        elif task.deadline is not None and not task.deadline_text.strip().isdigit():
            years[task.deadline.year] += 1  # a real date cell in a sheet
    return years.most_common(1)[0][0] if years else None


def date_deadlines(tasks: Sequence[TaskDraft], year: int) -> int:
    """Give the deadlines written without a year their date in ``year``; how many got one."""
    count = 0
    for task in tasks:
        if task.deadline is None and task.deadline_text:
            task.deadline = parse_deadline(task.deadline_text, year)
            count += task.deadline is not None
    return count


def guessed_year_warning(year: int) -> str:
    return (
        f"文件标题中没有年份，没写年份的完成时限已按 {year} 年计算（取自文件中写明年份的日期）；"
        "如不对，请指定年份后重新导入。"
    )


NO_YEAR_WARNING = (
    "文件中没有写年份，“年底前”“10月底前”等没写年份的完成时限无法定出日期，已按文字保存；"
    "请指定年份（命令行 --year）后重新导入。"
)


# --- a title's year against the dates written out in full ------------------------------------
# A ledger copied forward from an old notice keeps the old title ("…2020年…冲刺方案…工作台账")
# while every 完成时间 is a full date of this year. Dates a person wrote out in full are better
# evidence than a title: when most of them name another year, that year wins, and the
# year-less deadlines ("10.31", "9月底前") are read again with it.

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
