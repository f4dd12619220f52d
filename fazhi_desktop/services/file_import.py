"""``fazhi import FILE``: one entry for every file a clerk brings, plan or 台账.

A workbook or Word document is a 台账 when its table is laid out as one (a 进展/完成情况 or 状态
column, or called a 台账 above it), and a plan (a 任务分解表) otherwise; a text file is a plan.
Either way the result lists, besides the tasks, what of the file went into no task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from fazhi_desktop.io.plan.text import PlanParse
from fazhi_desktop.models.records import LedgerDraft, Unused
from fazhi_desktop.services import imports, plans
from fazhi_desktop.vocab.kinds import LedgerKind

LEDGER = "ledger"
PLAN = "plan"
_WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".et")
_WORD = imports.WORD_SUFFIXES


@dataclass(slots=True)
class FileImport:
    kind: str  # LEDGER or PLAN
    draft: LedgerDraft
    unused: list[Unused]
    plan: PlanParse | None = None  # the plan parse (levels, source lines) when a plan


def kind_of(path: Path) -> str:
    """Whether ``path`` holds a 台账 or a plan, by its format and, for Word, its tables."""
    suffix = path.suffix.lower()
    if suffix in _WORKBOOKS or (suffix in _WORD and path.is_file()):
        from fazhi_desktop.io.xlsx.ledger_reader import holds_ledger

        try:
            return LEDGER if holds_ledger(path) else PLAN
        except Exception:  # a damaged file: the reader of its kind says what is wrong with it
            return LEDGER if suffix in _WORKBOOKS else PLAN
    return PLAN


def read_file(
    path: Path,
    *,
    today: dt.date,
    unit: str | None = None,
    year: int | None = None,
    title: str | None = None,
    level: int | None = None,
) -> FileImport:
    """Read a plan or a 台账 for the preview; nothing is saved.

    A plan laid out as a workbook (任务分解表.xlsx) is read by the 台账 reader, which knows
    sheets, and saved as a plan."""
    kind = kind_of(path)
    if kind == LEDGER or path.suffix.lower() in _WORKBOOKS:
        draft = imports.read_ledger(path, unit=unit, today=today, year=year)
        if title:
            draft.title = title
        if kind == PLAN:
            draft.kind = LedgerKind.PLAN
        return FileImport(kind, draft, list(draft.unused))
    parsed = plans.read_plan(path, title=title, year=year, level=level)
    return FileImport(PLAN, parsed.draft, list(parsed.unplaced), parsed)


def save_file(session: Session, found: FileImport, *, today: dt.date) -> imports.ImportResult:
    if found.kind == PLAN:
        return plans.save_plan(session, found.draft, today=today)
    return imports.save_draft(session, found.draft, today=today)
