"""The material for a year's 法治政府建设情况报告, gathered from the 台账 into plain data.

The report's first part (主要举措和成效) is what the 台账 recorded all year; its second and
fourth parts start from what was left undone. This module decides *what* goes in and counts
it; ``io/report_docx.py`` only lays it out. Nothing here is written that the data did not hold.

Which tasks belong to year Y (a ledger may span years):

* every task of a ledger whose 年度 is Y;
* from a ledger of another (or no) year: the tasks with a deadline, a completion date or a
  monthly progress entry in Y.

Everything is stated as of ``as_of`` = the earlier of today and 31 December of Y, so a report
written in February says how the year *ended*: a task completed in January of the next year
counts as not done, and only progress entries of Y's months (the latest of them) are quoted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.errors import NotFoundError, UsageError
from fazhi_desktop.models.annual_report_records import (
    OTHER_SECTION,
    UNIT_PLACEHOLDER,
    AnnualReport,
    ReportCounts,
    ReportItem,
    ReportSection,
)
from fazhi_desktop.models.db import id_chunks
from fazhi_desktop.models.orm import Ledger, Task
from fazhi_desktop.models.periods import period_of
from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.models.status import DEFAULT_DUE_SOON_DAYS, Status, classify
from fazhi_desktop.services.ledgers import load_task_records
from fazhi_desktop.textnorm import normalize
from fazhi_desktop.vocab.kinds import LedgerKind

_CN_NUM = "一二三四五六七八九十百零〇"
# The numbering a section name was written with: 一、 （一） (一) 1. 1、 第一部分 …
_MARKER = (
    rf"(?:[{_CN_NUM}]+\s*[、.．]|[（(]\s*[{_CN_NUM}\d]+\s*[）)]|\d+\s*[、.．]"
    rf"|第[{_CN_NUM}\d]+(?:部分|章|节|篇|项)[、：:\s]?)"
)
_LEADING_MARKER = re.compile(rf"^\s*{_MARKER}\s*")
# A heading of its own inside the text: at the start or after a space.
_HEADING_START = re.compile(rf"(?:^|(?<=\s)){_MARKER}")
_TRAILING_PUNCT = "。；;，,：:、 \t"


def section_title(raw: str) -> str:
    """The name of the section a task sits in, without numbering or end punctuation.

    A plan read from a document records the whole chain of headings above a task
    (“三、工作任务 （一）深化行政执法体制改革…”); the report groups by the innermost one.
    """
    text = raw.strip()
    starts = [m.start() for m in _HEADING_START.finditer(text)]
    if starts:
        text = text[starts[-1] :]
    return _LEADING_MARKER.sub("", text, count=1).strip().rstrip(_TRAILING_PUNCT).strip()


def default_year(today: dt.date) -> int:
    """The year a report is most likely wanted for: the last one until 1 April (the deadline for
    publishing it), the current one after."""
    return today.year - 1 if today.month <= 3 else today.year


def ledgers_of_year(session: Session, year: int) -> list[int]:
    """The ordinary 台账 (not plans) whose 年度 is ``year``, in creation order."""
    return list(
        session.scalars(
            select(Ledger.id)
            .where(Ledger.year == year, Ledger.kind == LedgerKind.LEDGER)
            .order_by(Ledger.id)
        )
    )


def build_annual_report(
    session: Session,
    year: int,
    *,
    today: dt.date,
    ledger_ids: Sequence[int] | None = None,
    unit: str | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> AnnualReport:
    """Gather the report for ``year`` from the given ledgers (default: all 台账 of that year)."""
    if not 2000 <= year <= 2100:
        raise UsageError(f"报告年度“{year}”无效，应为四位年份，例如 {default_year(today)}。")
    if year > today.year:
        raise UsageError(
            f"{year}年还没有开始，无法生成该年度的报告。请改为 {today.year} 年或更早。"
        )
    ledgers = _chosen_ledgers(session, year, ledger_ids)
    as_of = min(today, dt.date(year, 12, 31))
    items: list[ReportItem] = []
    for ledger in ledgers:
        items += _items_of(session, ledger, year, as_of, due_soon_days)
    if not items:
        names = "、".join(f"{ledger.id}（{ledger.title or '未命名'}）" for ledger in ledgers)
        raise UsageError(
            f"所选台账 {names} 中没有属于 {year} 年的任务（按台账年度、完成时间、完成日期和"
            f"进展填报月份判断）。请检查报告年度，或用 --ledger 指定其他台账。"
        )
    chosen_unit, warnings = _unit(ledgers, unit)
    return AnnualReport(
        year=year,
        unit=chosen_unit,
        as_of=as_of,
        sources=tuple(ledger.title for ledger in ledgers if ledger.title),
        sections=_group(items),
        counts=_count(items),
        warnings=tuple(warnings),
    )


def _chosen_ledgers(session: Session, year: int, ledger_ids: Sequence[int] | None) -> list[Ledger]:
    """The ledgers named (any but a plan: a 汇总 ledger holds the units' progress too), or by
    default the ordinary 台账 of the year, which a 汇总 ledger would only count twice."""
    if not ledger_ids:
        ids = ledgers_of_year(session, year)
        if not ids:
            raise UsageError(_no_ledger_message(session, year))
    else:
        ids = list(dict.fromkeys(ledger_ids))
    ledgers = []
    for ledger_id in ids:
        ledger = session.get(Ledger, ledger_id)
        if ledger is None:
            raise NotFoundError(f"没有编号为 {ledger_id} 的台账。可用 `fazhi list` 查看已有台账。")
        if ledger.kind == LedgerKind.PLAN:
            raise UsageError(
                f"编号 {ledger_id}（{ledger.title or '未命名'}）是实施方案，不是工作台账；"
                "年度报告从记录了进展的台账生成。请改用台账的编号（`fazhi list` 可查看）。"
            )
        ledgers.append(ledger)
    return ledgers


def _no_ledger_message(session: Session, year: int) -> str:
    others = session.execute(
        select(Ledger.id, Ledger.year, Ledger.title)
        .where(Ledger.kind != LedgerKind.PLAN)
        .order_by(Ledger.id)
    ).all()
    if not others:
        return "数据库中还没有工作台账。请先导入台账（`fazhi import-xlsx`）或运行 `fazhi demo`。"
    listed = "；".join(
        f"编号 {i}（{f'{y}年' if y else '年度未填'}）{t or '未命名'}" for i, y, t in others
    )
    return (
        f"没有年度为 {year} 年的工作台账（已有：{listed}）。"
        "请换一个报告年度，或用 --ledger 指定要汇总的台账编号。"
    )


def _items_of(
    session: Session, ledger: Ledger, year: int, as_of: dt.date, due_soon_days: int
) -> list[ReportItem]:
    first_period = f"{year}-01"
    records = load_task_records(
        session,
        ledger.id,
        today=as_of,
        due_soon_days=due_soon_days,
        period=period_of(as_of),
        with_requirements=False,
    )
    sections = _sections(session, ledger.id)
    items = []
    for record in records:
        in_year = record.progress_period is not None and record.progress_period >= first_period
        if ledger.year != year and not (
            in_year or _in(record.deadline, year) or _in(record.done_on, year)
        ):
            continue
        items.append(_item(ledger.id, record, sections, in_year, as_of, due_soon_days))
    return items


def _in(day: dt.date | None, year: int) -> bool:
    return day is not None and day.year == year


def _item(
    ledger_id: int,
    record: TaskRecord,
    sections: dict[int, str],
    in_year: bool,
    as_of: dt.date,
    due_soon_days: int,
) -> ReportItem:
    progress = record.progress if in_year else ""
    # Done after the report's day: at the time the report speaks of, it was still open.
    done = record.done and (record.done_on is None or record.done_on <= as_of)
    status, _colour = classify(
        deadline=record.deadline,
        done=done,
        done_on=record.done_on if done else None,
        has_progress=bool(progress.strip()),
        today=as_of,
        due_soon_days=due_soon_days,
    )
    return ReportItem(
        ledger_id=ledger_id,
        seq=record.seq,
        title=record.title,
        section=sections.get(record.id, ""),
        deadline=record.deadline,
        deadline_text=record.deadline_text,
        department=record.department,
        status=status,
        done_on=record.done_on if done else None,
        progress=progress if in_year else "",
        progress_period=record.progress_period if in_year else None,
    )


def _sections(session: Session, ledger_id: int) -> dict[int, str]:
    """Each task's section: that of the plan task it is linked to, else its own."""
    rows = session.execute(
        select(Task.id, Task.section, Task.plan_task_id).where(Task.ledger_id == ledger_id)
    ).all()
    plan_ids = sorted({plan for _id, _section, plan in rows if plan})
    plan_sections: dict[int, str] = {}
    for chunk in id_chunks(plan_ids):
        for plan_id, section in session.execute(
            select(Task.id, Task.section).where(Task.id.in_(chunk))
        ):
            plan_sections[plan_id] = section
    return {
        task_id: (plan_sections.get(plan, "") if plan else "").strip() or own.strip()
        for task_id, own, plan in rows
    }


def _group(items: Iterable[ReportItem]) -> tuple[ReportSection, ...]:
    """Tasks grouped by section in order of first appearance; unsectioned ones last."""
    items = list(items)
    if not any(section_title(item.section) for item in items):
        return (ReportSection("", tuple(items)),)
    groups: dict[str, tuple[str, list[ReportItem]]] = {}
    others: list[ReportItem] = []
    for item in items:
        title = section_title(item.section)
        if not title:
            others.append(item)
            continue
        # The same section typed slightly differently in two 台账 is still one section.
        key = normalize(title).replace(" ", "")
        groups.setdefault(key, (title, []))[1].append(item)
    sections = [ReportSection(title, tuple(group)) for title, group in groups.values()]
    if others:
        sections.append(ReportSection(OTHER_SECTION, tuple(others)))
    return tuple(sections)


def _count(items: Sequence[ReportItem]) -> ReportCounts:
    statuses = [item.status for item in items]
    return ReportCounts(
        total=len(items),
        done_on_time=statuses.count(Status.DONE),
        done_late=statuses.count(Status.DONE_LATE),
        in_progress=statuses.count(Status.IN_PROGRESS),
        not_started=statuses.count(Status.NOT_STARTED),
        overdue=statuses.count(Status.OVERDUE),
        unreported=sum(1 for item in items if not item.finished and not item.reported),
    )


def _unit(ledgers: Sequence[Ledger], override: str | None) -> tuple[str, list[str]]:
    if override is not None and override.strip():
        return override.strip(), []
    units = list(dict.fromkeys(ledger.unit.strip() for ledger in ledgers if ledger.unit.strip()))
    if len(units) == 1:
        return units[0], []
    if not units:
        return "", [
            f"台账中没有填报单位，标题中的“{UNIT_PLACEHOLDER}”请替换为本单位名称"
            "（或用 --unit 指定）。"
        ]
    return "", [
        f"所选台账的填报单位不一致（{'、'.join(units)}），标题中的“{UNIT_PLACEHOLDER}”"
        "请替换为报告单位名称（或用 --unit 指定）。"
    ]


def write_report(report: AnnualReport, target: Path) -> Path:
    """Write the .docx draft (atomically); python-docx is imported only now."""
    from fazhi_desktop.io.docx.annual_report import write_annual_report

    write_annual_report(report, target)
    return target
