"""Export a ledger to the files that travel: the xlsx for the mailbox, the PDF for signing.

The io modules are imported on use: they pull in openpyxl/reportlab, which the window's
start-up should not pay for.
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.models.db import id_chunks
from fazhi_desktop.models.orm import Task
from fazhi_desktop.models.records import LedgerRecord
from fazhi_desktop.services.ledgers import load_record
from fazhi_desktop.settings import AppSettings

_log = logging.getLogger(__name__)


def snapshot(
    session: Session,
    ledger_id: int,
    *,
    today: dt.date,
    settings: AppSettings,
    period: str | None = None,
) -> LedgerRecord:
    record = load_record(
        session, ledger_id, today=today, due_soon_days=settings.due_soon_days, period=period
    )
    return _with_plan_identity(session, record)


def _with_plan_identity(session: Session, record: LedgerRecord) -> LedgerRecord:
    """Each linked task with its plan task's 序号 and 主要任务: the office's 汇总 is a copy of
    the plan, so a return is matched by them even where the unit renumbered or reworded."""
    ids = sorted({t.plan_task_id for t in record.tasks if t.plan_task_id is not None})
    if not ids:
        return record
    words: dict[int, tuple[str, str]] = {}
    for chunk in id_chunks(ids):
        for id_, seq, title in session.execute(
            select(Task.id, Task.seq, Task.title).where(Task.id.in_(chunk))
        ):
            words[id_] = (seq, title)
    tasks = tuple(
        replace(t, plan_seq=words[t.plan_task_id][0], plan_title=words[t.plan_task_id][1])
        if t.plan_task_id in words
        else t
        for t in record.tasks
    )
    return replace(record, tasks=tasks)


def export_xlsx(
    record: LedgerRecord, target: Path, settings: AppSettings, notes: list[str] | None = None
) -> Path:
    """Write the xlsx; what the user should know (texts cut to fit a cell) goes to ``notes``."""
    from fazhi_desktop.io.xlsx.cells import CellCutWarning
    from fazhi_desktop.io.xlsx.ledger_writer import export_xlsx as write

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CellCutWarning)
        write(record, target, status_column=settings.xlsx_status_column)
    for item in caught:
        if issubclass(item.category, CellCutWarning):
            _log.warning("%s：%s", target, item.message)
            if notes is not None:
                notes.append(str(item.message))
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return target


def export_pdf(record: LedgerRecord, target: Path, settings: AppSettings) -> int:
    """Write the PDF; returns its page count."""
    from fazhi_desktop.io.pdf.fonts import find_fonts
    from fazhi_desktop.io.pdf.ledger_writer import export_pdf as write

    fonts = find_fonts(settings.pdf_fonts())
    return write(
        record,
        target,
        signature_line=settings.pdf_signature_line,
        status_column=settings.xlsx_status_column,  # the same columns as the Excel export
        fonts=fonts,
    )


def save_image(target: Path, png: bytes) -> Path:
    """Write an image the window drew (a chart as PNG) atomically: never a half-written file."""
    from fazhi_desktop.io.atomic import write_bytes_atomic

    write_bytes_atomic(target, png)
    return target
