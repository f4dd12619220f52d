"""The demo 台账 a first start opens with: the 濮阳 notice's 17 tasks and their 任务要求.

Deadlines are placed around "today" so that every colour state shows: overdue, due soon,
done, done late, open, and undated (长期坚持).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi_desktop.models.orm import Ledger, ProgressEntry, Task, utcnow
from fazhi_desktop.models.periods import period_of
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.paths import resource_path
from fazhi_desktop.services.ledgers import create_ledger

DEMO_FILE = ("demo", "puyang-2020.json")

# Per task, in the notice's order: (deadline offset in days or an undated text,
# done-on offset or None, months of progress written so far).
_PLAN: tuple[tuple[int | str, int | None, int], ...] = (
    (-20, -25, 2),
    (-10, None, 1),
    (3, None, 2),
    (6, None, 0),
    (-30, -12, 2),
    (45, None, 1),
    ("长期坚持", None, 2),
    (-3, None, 0),
    (20, -2, 2),
    (75, None, 0),
    ("持续推进", None, 1),
    (1, None, 1),
    (100, None, 0),
    (-40, -45, 2),
    (-60, None, 1),
    (30, None, 1),
    ("年底前", None, 0),
)

_PROGRESS = (
    "已对照任务要求制定落实方案，明确责任人和时间节点。",
    "本月召开专题会议研究推进，相关制度文件已形成初稿，正在征求意见。",
)


def demo_draft(today: dt.date) -> LedgerDraft:
    data = json.loads(resource_path(*DEMO_FILE).read_text(encoding="utf-8"))
    draft = LedgerDraft(
        title=data["title"] + "（演示）",
        short_title=data["short_title"],
        year=today.year,
        unit=data["unit"],
        issuer=data["issuer"],
        mailbox=data["mailbox"],
        notes=data["notes"],
        source=data["source"],
    )
    for raw, (offset, done_offset, _months) in zip(data["tasks"], _PLAN, strict=True):
        deadline: dt.date | None
        if isinstance(offset, str):
            deadline_text = offset
            deadline = dt.date(today.year, 12, 31) if offset == "年底前" else None
        else:
            deadline = today + dt.timedelta(days=offset)
            deadline_text = (
                f"{deadline.month}.{deadline.day}"
                if deadline.year == today.year
                else f"{deadline.year}.{deadline.month}.{deadline.day}"
            )
        done_on = today + dt.timedelta(days=done_offset) if done_offset is not None else None
        draft.tasks.append(
            TaskDraft(
                seq=raw["seq"],
                title=raw["title"],
                requirements=list(raw["requirements"]),
                deadline_text=deadline_text,
                deadline=deadline,
                department=raw["department"],
                owner=raw["owner"],
                done=done_on is not None,
                done_on=done_on,
            )
        )
    return draft


def create_demo(session: Session, today: dt.date) -> int | None:
    """Create the demo ledger if the database holds none; returns its id, or None if skipped."""
    if session.scalar(select(func.count(Ledger.id))):
        return None
    ledger_id = create_ledger(session, demo_draft(today), period=period_of(today))
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    tasks = session.scalars(select(Task).where(Task.ledger_id == ledger_id).order_by(Task.position))
    for task, (_offset, _done, months) in zip(tasks, _PLAN, strict=True):
        for month, text in zip((last_month, this_month)[2 - months :], _PROGRESS, strict=False):
            session.add(
                ProgressEntry(
                    task_id=task.id, period=period_of(month), text=text, updated_at=utcnow()
                )
            )
    session.flush()
    return ledger_id
