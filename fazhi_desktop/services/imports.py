"""Import a 台账 workbook as a new ledger, in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from fazhi_desktop.models.periods import period_of
from fazhi_desktop.models.records import LedgerDraft
from fazhi_desktop.services.ledgers import create_ledger


@dataclass(frozen=True, slots=True)
class ImportResult:
    ledger_id: int
    task_count: int
    warnings: tuple[str, ...]


def read_xlsx(
    path: Path, *, unit: str | None = None, today: dt.date, year: int | None = None
) -> LedgerDraft:
    """Read a workbook into a draft (for the preview); nothing is saved.

    Dates written without a year take the file's year (see :mod:`fazhi_desktop.io.years`), or
    ``year`` when the file names none — never silently today's year.
    """
    from fazhi_desktop.io.xlsx.return_data import read_return_xlsx

    del today  # kept for callers; the year comes from the file or the user
    # A unit's own return carries hidden data (完成, period, plan task); other files are read
    # from the visible sheet alone.
    return read_return_xlsx(path, unit=unit, default_year=year)


WORD_SUFFIXES = (".docx", ".docm", ".dotx")


def read_ledger(
    path: Path, *, today: dt.date, unit: str | None = None, year: int | None = None
) -> LedgerDraft:
    """A 台账 from a workbook, or from a Word table (many offices keep the 台账 in Word)."""
    if path.suffix.lower() in WORD_SUFFIXES:
        from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_docx

        return read_ledger_docx(path, unit=unit, default_year=year)
    return read_xlsx(path, unit=unit, today=today, year=year)


def save_draft(session: Session, draft: LedgerDraft, *, today: dt.date) -> ImportResult:
    ledger_id = create_ledger(session, draft, period=draft.period or period_of(today))
    return ImportResult(ledger_id, len(draft.tasks), tuple(draft.warnings))
