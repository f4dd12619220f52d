"""汇总 ledgers: made from a plan or a 台账 used as the template, with the units expected to report.

A 汇总 ledger is an ordinary ledger of kind ``summary``: its tasks are copies of the template's
(same 序号, titles, deadlines and 任务要求), so everything that shows or exports a ledger works on
it; the units' returns hang off it (``services.consolidate``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fazhi_desktop.errors import UsageError
from fazhi_desktop.models.orm import Ledger, Requirement, SummaryUnit, Task
from fazhi_desktop.services.ledgers import get_ledger
from fazhi_desktop.textnorm import normalize
from fazhi_desktop.vocab.kinds import LedgerKind

_SPLIT = re.compile(r"[、，,；;/／\n]+")
# "市司法局（牵头）", "牵头：市司法局": the role, not part of the name.
_ROLE = re.compile(r"[（(]\s*(?:牵头|配合|主责|负责)\s*[)）]|^(?:牵头|配合)(?:单位)?[:：]")


def split_units(text: str) -> list[str]:
    """The unit names in a 责任单位 cell, as written, without collective words like 各有关部门.

    Names starting with 各 (各有关部门, 各县区政府) stand for many units, none of which can be
    told apart, so they are not expected to report under that name.
    """
    names = []
    for part in _SPLIT.split(text):
        name = _ROLE.sub("", part).strip(" \t\u3000。.")
        if name and not name.startswith("各") and name not in ("等", "有关部门"):
            names.append(name)
    return names


def unit_key(name: str) -> str:
    """What two spellings of one unit have in common (full-width, traditional, spaces)."""
    return re.sub(r"[\s（）()·．.]", "", normalize(name))


def default_units(session: Session, ledger_id: int) -> list[str]:
    """Every unit named in the template's 责任单位 (lead and partner), in order of appearance."""
    seen: dict[str, str] = {}
    rows = session.execute(
        select(Task.department, Task.partners)
        .where(Task.ledger_id == ledger_id)
        .order_by(Task.position, Task.id)
    )
    for department, partners in rows:
        for name in (*split_units(department), *split_units(partners)):
            seen.setdefault(unit_key(name), name)
    return list(seen.values())


def create_summary(
    session: Session, template_id: int, *, units: Sequence[str] | None = None
) -> int:
    template = get_ledger(session, template_id)
    if template.kind == LedgerKind.SUMMARY:
        raise UsageError(
            f"台账 {template_id} 本身就是汇总台账。请用方案或某个单位的台账作为汇总的模板。"
        )
    names = _clean_units(units) if units is not None else default_units(session, template_id)
    if not names:
        raise UsageError(
            "模板的责任单位里没有找到具体单位（“各有关部门”之类不算）。"
            "请用 --units 单位A,单位B 指定应报送的单位。"
        )
    title = template.title.removesuffix("（汇总）")
    summary = Ledger(
        title=f"{title}（汇总）",
        short_title=template.short_title,
        year=template.year,
        kind=LedgerKind.SUMMARY,
        unit=template.issuer or template.unit,
        issuer=template.issuer,
        mailbox=template.mailbox,
        report_day=template.report_day,
        report_cycle=template.report_cycle,
        notes=template.notes,
        source=f"汇总自台账 {template_id}",
    )
    session.add(summary)
    for position, task in enumerate(template.tasks):
        copy = Task(
            position=position,
            seq=task.seq,
            section=task.section,
            title=task.title,
            deadline_text=task.deadline_text,
            deadline=task.deadline,
            department=task.department,
            partners=task.partners,
            note=task.note,
            # The summary row points at the plan task, so 任务要求 show as on the template.
            plan_task_id=task.plan_task_id
            or (task.id if template.kind == LedgerKind.PLAN else None),
        )
        copy.requirements = [Requirement(text=r.text) for r in task.requirements]
        summary.tasks.append(copy)
    session.flush()
    set_units(session, summary.id, names)
    return summary.id


def _clean_units(units: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for raw in units:
        name = raw.strip()
        if name:
            seen.setdefault(unit_key(name), name)
    return list(seen.values())


def require_summary(session: Session, ledger_id: int) -> Ledger:
    ledger = get_ledger(session, ledger_id)
    if ledger.kind != LedgerKind.SUMMARY:
        raise UsageError(
            f"台账 {ledger_id} 不是汇总台账。先用 fazhi new-summary --from {ledger_id} "
            "建立汇总台账，再导入各单位的报送文件。"
        )
    return ledger


def units_of(session: Session, ledger_id: int) -> list[str]:
    return list(
        session.scalars(
            select(SummaryUnit.name)
            .where(SummaryUnit.ledger_id == ledger_id)
            .order_by(SummaryUnit.position, SummaryUnit.id)
        )
    )


def set_units(session: Session, ledger_id: int, units: Sequence[str]) -> list[str]:
    """Replace the list of units expected to report (the office edits it)."""
    require_summary(session, ledger_id)
    names = _clean_units(units)
    session.execute(delete(SummaryUnit).where(SummaryUnit.ledger_id == ledger_id))
    session.add_all(
        SummaryUnit(ledger_id=ledger_id, position=i, name=name) for i, name in enumerate(names)
    )
    session.flush()
    return names
