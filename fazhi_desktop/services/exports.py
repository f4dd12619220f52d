"""Export a ledger to the files that travel: the xlsx for the mailbox, the PDF for signing.

The io modules are imported on use: they pull in openpyxl/reportlab, which the window's
start-up should not pay for.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from fazhi_desktop.models.records import LedgerRecord
from fazhi_desktop.services.ledgers import load_record
from fazhi_desktop.settings import AppSettings


def snapshot(
    session: Session,
    ledger_id: int,
    *,
    today: dt.date,
    settings: AppSettings,
    period: str | None = None,
) -> LedgerRecord:
    return load_record(
        session, ledger_id, today=today, due_soon_days=settings.due_soon_days, period=period
    )


def export_xlsx(record: LedgerRecord, target: Path, settings: AppSettings) -> Path:
    from fazhi_desktop.io.xlsx.ledger_writer import export_xlsx as write

    write(record, target, status_column=settings.xlsx_status_column)
    return target


def export_pdf(record: LedgerRecord, target: Path, settings: AppSettings) -> int:
    """Write the PDF; returns its page count."""
    from fazhi_desktop.io.pdf.fonts import find_fonts
    from fazhi_desktop.io.pdf.ledger_writer import export_pdf as write

    fonts = find_fonts(settings.pdf_fonts())
    return write(record, target, signature_line=settings.pdf_signature_line, fonts=fonts)


def save_image(target: Path, png: bytes) -> Path:
    """Write an image the window drew (a chart as PNG) atomically: never a half-written file."""
    from fazhi_desktop.io.atomic import write_bytes_atomic

    write_bytes_atomic(target, png)
    return target
