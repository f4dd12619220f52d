"""Build a 汇总 template and the units' returned xlsx with the program's own exporter.

Shared by tests/test_summary.py and benchmarks/bench_summary.py.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from fazhi_desktop.io.xlsx.ledger_writer import export_xlsx
from fazhi_desktop.models.records import LedgerDraft, LedgerRecord, TaskDraft, TaskRecord
from fazhi_desktop.models.status import Colour, Status
from fazhi_desktop.services.ledgers import create_ledger


def template_draft(n_tasks: int, units: Sequence[str], year: int = 2026) -> LedgerDraft:
    tasks = []
    for i in range(1, n_tasks + 1):
        lead = units[(i - 1) % len(units)]
        partner = units[i % len(units)]
        tasks.append(
            TaskDraft(
                seq=str(i),
                title=f"第{i}项：推进{['立法', '执法', '复议', '普法', '监督'][i % 5]}工作"
                f"（{['制度建设', '队伍培训', '信息公开', '考核评议'][i % 4]}{i}）",
                requirements=[f"要求{i}-1", f"要求{i}-2"],
                deadline_text=f"{(i % 12) + 1}月底前",
                deadline=dt.date(year, (i % 12) + 1, 28),
                department=f"{lead}、各有关部门",
                partners=partner,
            )
        )
    return LedgerDraft(title=f"{year}年法治政府建设工作方案", year=year, kind="plan", tasks=tasks)


def make_template(session: Session, n_tasks: int, units: Sequence[str]) -> int:
    return create_ledger(session, template_draft(n_tasks, units), period="2026-01")


def write_return(
    path: Path,
    *,
    unit: str,
    period: str,
    rows: Sequence[tuple[str, str, str]],
    filled_on: dt.date,
    received_on: dt.date | None = None,
) -> Path:
    """A unit's return as the program exports it; ``unit=""`` leaves the 填报单位 blank."""
    year, month = (int(p) for p in period.split("-"))
    tasks = tuple(
        TaskRecord(
            id=i + 1,
            position=i,
            seq=seq,
            title=title,
            deadline_text="",
            deadline=None,
            progress=progress,
            progress_period=period,
            department="",
            partners="",
            owner="",
            note="",
            done=False,
            done_on=None,
            status=Status.IN_PROGRESS,
            colour=Colour.NONE,
        )
        for i, (seq, title, progress) in enumerate(rows)
    )
    record = LedgerRecord(
        id=1,
        title=f"{year}年{month}月法治政府建设工作台账",
        year=year,
        unit=unit,
        issuer="",
        reporter="张三",
        phone="",
        mailbox="",
        notes="",
        period=period,
        generated_on=filled_on,
        tasks=tasks,
    )
    export_xlsx(record, path)
    stamp = dt.datetime.combine(received_on or filled_on, dt.time(10, 0)).timestamp()
    os.utime(path, (stamp, stamp))
    return path
