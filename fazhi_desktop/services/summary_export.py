"""Export a 汇总 ledger: the 汇总台账 with every unit's progress, who to 催报, the statistics.

The snapshot is taken in one session and is plain data, so the file is written outside any
transaction (and, in the window, off the GUI thread). The io writers are imported on use:
openpyxl and reportlab have no place in the window's start-up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.errors import UsageError
from fazhi_desktop.file_names import safe_file_name
from fazhi_desktop.models.orm import Return
from fazhi_desktop.models.reporting import ReportRule
from fazhi_desktop.models.status import DEFAULT_DUE_SOON_DAYS, Colour, Status
from fazhi_desktop.models.summary_records import (
    ChaseLine,
    SummaryFigures,
    SummarySnapshot,
    SummaryTask,
    UnitLine,
)
from fazhi_desktop.services import summary_views
from fazhi_desktop.services.summary import require_summary
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.vocab.kinds import ReportState

SUFFIXES = (".xlsx", ".pdf")
_COLOUR = {
    Status.DONE: Colour.DONE,
    Status.DONE_LATE: Colour.DONE_LATE,
    Status.OVERDUE: Colour.OVERDUE,
}


def current_period(session: Session, ledger_id: int, today: dt.date) -> str:
    """The period being reported on ``today`` by the summary ledger's own rule."""
    ledger = require_summary(session, ledger_id)
    return ReportRule(ledger.report_cycle, ledger.report_day).period_for(today)


def report_periods(session: Session, ledger_id: int, today: dt.date) -> list[tuple[str, str]]:
    """(period, label) to choose from, newest first: the current one and any with returns."""
    ledger = require_summary(session, ledger_id)
    rule = ReportRule(ledger.report_cycle, ledger.report_day)
    found = set(session.scalars(select(Return.period).where(Return.ledger_id == ledger_id)))
    found.add(rule.period_for(today))
    return [(period, rule.label(period)) for period in sorted(found, reverse=True)]


def _colour(status: Status, deadline: dt.date | None, today: dt.date, soon: int) -> Colour:
    colour = _COLOUR.get(status)
    if colour is not None:
        return colour
    if deadline is not None and (deadline - today).days <= soon:
        return Colour.DUE_SOON
    return Colour.NONE


def snapshot(
    session: Session,
    ledger_id: int,
    *,
    today: dt.date,
    period: str | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> SummarySnapshot:
    """Everything the export shows for ``period`` (default: the current one), as plain data."""
    ledger = require_summary(session, ledger_id)
    rule = ReportRule(ledger.report_cycle, ledger.report_day)
    period = period or rule.period_for(today)
    report = summary_views.period_report(session, ledger_id, period)
    across = summary_views.tasks_across_units(session, ledger_id, today=today, period=period)
    tasks = tuple(
        SummaryTask(
            seq=task.seq,
            title=task.title,
            deadline_text=task.deadline_text,
            deadline=task.deadline,
            units=tuple(
                UnitLine(
                    unit=u.unit,
                    progress=u.progress,
                    status=u.status,
                    colour=_colour(u.status, task.deadline, today, due_soon_days),
                    earlier_period="" if u.period == period else rule.label(u.period),
                )
                for u in task.units
            ),
        )
        for task in across
    )
    chase = tuple(
        ChaseLine(u.unit, u.state, u.received_on, u.file_name, u.state == ReportState.MISSING)
        for state in (ReportState.MISSING, ReportState.LATE)
        for u in report.units
        if u.state == state and u.expected
    )
    figures = summary_views.stats(session, ledger_id, today=today, period=period)
    expected = [u for u in report.units if u.expected]
    counts = tuple(
        (state, sum(u.state == state for u in expected))
        for state in (ReportState.REPORTED, ReportState.LATE, ReportState.MISSING)
    )
    return SummarySnapshot(
        ledger_id=ledger_id,
        title=ledger.title,
        unit=ledger.unit or ledger.issuer,
        period=period,
        period_label=report.label,
        due=report.due,
        generated_on=today,
        expected_units=len(expected),
        counts=counts,
        tasks=tasks,
        chase=chase,
        figures=SummaryFigures(
            completion=figures.completion,
            status_counts=figures.status_counts,
            overdue_by_month=figures.overdue_by_month,
        ),
        review_count=len(summary_views.review_items(session, ledger_id)),
    )


def file_name(snap: SummarySnapshot, suffix: str) -> str:
    """``{汇总台账名}-{期间}汇总.xlsx``, safe as a Windows file name."""
    title = snap.title.removesuffix("（汇总）") or "汇总台账"
    name = f"{title}-{snap.period_label}汇总{suffix}"
    return safe_file_name(name)


def check_target(target: Path) -> str:
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(
            f"无法导出到“{target.name}”：汇总台账只能导出为 Excel（.xlsx）或 PDF（.pdf），"
            "请把文件名改为以 .xlsx 或 .pdf 结尾。"
        )
    return suffix


def export_summary(snap: SummarySnapshot, target: Path, settings: AppSettings) -> int | None:
    """Write the xlsx or PDF (by ``target``'s suffix); the PDF's page count, None for xlsx."""
    if check_target(target) == ".pdf":
        return export_summary_pdf(snap, target, settings)
    export_summary_xlsx(snap, target)
    return None


def export_summary_xlsx(snap: SummarySnapshot, target: Path) -> Path:
    from fazhi_desktop.io.xlsx.summary_writer import write_summary_xlsx

    write_summary_xlsx(snap, target)
    return target


def export_summary_pdf(snap: SummarySnapshot, target: Path, settings: AppSettings) -> int:
    from fazhi_desktop.io.pdf.fonts import find_fonts
    from fazhi_desktop.io.pdf.summary_writer import write_summary_pdf

    return write_summary_pdf(snap, target, fonts=find_fonts(settings.pdf_fonts()))
