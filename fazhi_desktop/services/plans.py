"""Plans (方案 / 工作要点): read one into a plan ledger, and link a 台账's rows to its tasks.

A 台账 row linked to a plan task shows that task's 任务要求 (see
:func:`fazhi_desktop.services.ledgers.load_task_records`). Links are proposed by title
similarity — offices copy the plan's task titles into their 台账, sometimes shortened or with
other punctuation — and can be set by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fazhi_desktop.errors import NotFoundError, UsageError
from fazhi_desktop.io.plan.markers import cn_number, fold, heading_of
from fazhi_desktop.io.plan.source import lines_from_text, read_plan_source
from fazhi_desktop.io.plan.text import PlanParse, parse_plan
from fazhi_desktop.models.orm import Ledger, Requirement, Task
from fazhi_desktop.models.periods import period_of
from fazhi_desktop.models.records import LedgerDraft
from fazhi_desktop.models.source_lines import SourceLine
from fazhi_desktop.services.imports import ImportResult
from fazhi_desktop.services.ledgers import create_ledger, get_ledger
from fazhi_desktop.vocab.kinds import LedgerKind

# Similarity (0-100) at or above which a 台账 row is linked to a plan task.
DEFAULT_THRESHOLD = 70.0

# ---------------------------------------------------------------------------------------------
# Reading and saving


def read_plan(
    path: Path, *, title: str | None = None, year: int | None = None, level: int | None = None
) -> PlanParse:
    """Parse a .docx/.txt plan (for the preview or the CLI); nothing is saved.

    ``level`` (1 = 一、 … 5 = ①) overrides the numbering level found to hold the tasks; the
    result's ``level``/``levels`` say which was used and which the file has (the import
    dialog's one control offers ``levels``)."""
    lines = read_plan_source(path)
    return parse_plan(
        lines, title=title, year=year, source=path.name, default_title=path.stem, level=level
    )


def parse_plan_lines(
    lines: Sequence[SourceLine],
    *,
    title: str | None = None,
    year: int | None = None,
    source: str = "",
    level: int | None = None,
) -> PlanParse:
    return parse_plan(lines, title=title, year=year, source=source, level=level)


def parse_plan_text(
    text: str,
    *,
    title: str | None = None,
    year: int | None = None,
    source: str = "粘贴的文字",
    level: int | None = None,
) -> PlanParse:
    """Parse pasted text (from a web page or a document) as a plan."""
    return parse_plan(lines_from_text(text), title=title, year=year, source=source, level=level)


def save_plan(session: Session, draft: LedgerDraft, *, today: dt.date) -> ImportResult:
    """Save a parsed (and possibly hand-corrected) plan as a new plan ledger."""
    tasks = [t for t in draft.tasks if t.title.strip() or t.requirements]
    if not tasks:
        raise UsageError("方案中没有任务，未保存。请至少保留一项任务。")
    draft.tasks = tasks
    draft.kind = LedgerKind.PLAN
    ledger_id = create_ledger(session, draft, period=period_of(today))
    return ImportResult(ledger_id, len(tasks), tuple(draft.warnings))


# ---------------------------------------------------------------------------------------------
# Choosing ledgers


@dataclass(frozen=True, slots=True)
class PlanSummary:
    id: int
    title: str
    year: int | None
    task_count: int


def plan_summaries(session: Session) -> list[PlanSummary]:
    ledgers = session.scalars(
        select(Ledger).where(Ledger.kind == LedgerKind.PLAN).order_by(Ledger.id)
    ).all()
    return [PlanSummary(p.id, p.title, p.year, len(p.tasks)) for p in ledgers]


def resolve_plan_id(session: Session, plan_id: int | None) -> int:
    """The plan the user meant: the given id (which must be a plan), or the only plan."""
    if plan_id is not None:
        ledger = session.get(Ledger, plan_id)
        if ledger is None:
            raise NotFoundError(f"没有编号为 {plan_id} 的方案。可用 `fazhi list` 查看编号。")
        if ledger.kind != LedgerKind.PLAN:
            raise UsageError(
                f"编号 {plan_id} 的“{ledger.title}”是台账，不是方案。"
                "请先用 `fazhi import-plan 文件` 导入方案，再用它的编号。"
            )
        return plan_id
    plans = plan_summaries(session)
    if not plans:
        raise NotFoundError("数据库中还没有方案。请先用 `fazhi import-plan 文件` 导入方案。")
    if len(plans) > 1:
        listed = "、".join(f"{p.id}（{p.title}）" for p in plans)
        raise UsageError(f"数据库中有多个方案：{listed}。请用 --plan 指定其中一个。")
    return plans[0].id


def resolve_linkable_ledger(session: Session, ledger_id: int | None) -> int:
    """The 台账 to link: the given id, or the only ledger that is not a plan."""
    if ledger_id is not None:
        ledger = get_ledger(session, ledger_id)
        if ledger.kind == LedgerKind.PLAN:
            raise UsageError(
                f"编号 {ledger_id} 的“{ledger.title}”本身是方案。请用 --ledger 指定要关联的台账。"
            )
        return ledger_id
    ids = list(
        session.scalars(select(Ledger.id).where(Ledger.kind != LedgerKind.PLAN).order_by(Ledger.id))
    )
    if not ids:
        raise NotFoundError("数据库中还没有台账。请先导入 Excel 台账或运行 `fazhi demo`。")
    if len(ids) > 1:
        listed = "、".join(str(i) for i in ids)
        raise UsageError(f"数据库中有多个台账（编号 {listed}），请用 --ledger 指定其中一个。")
    return ids[0]


# ---------------------------------------------------------------------------------------------
# Similarity

_NOT_TEXT = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def title_key(title: str) -> str:
    """A title for comparing: numbering, punctuation and blanks removed, simplified, lowercase."""
    folded = fold(title.strip())
    heading = heading_of(title.strip(), folded)
    if heading is not None:
        folded = folded[heading.rest :]
    return _NOT_TEXT.sub("", folded.lower())


def similarity(a: str, b: str) -> float:
    """0-100: how alike two title keys are.

    Whole-title likeness, or — for a 台账 title that is one clause of the plan's
    (``合理配置执法力量`` in ``深化行政执法体制改革，合理配置执法力量``) — how well the shorter
    appears inside the longer, discounted for short titles that fit anywhere.
    """
    from rapidfuzz import fuzz

    if not a or not b:
        return 0.0
    whole = fuzz.ratio(a, b)
    short = min(len(a), len(b))
    if short < 4:
        return float(whole)
    part = fuzz.partial_ratio(a, b) * min(0.95, 0.5 + short / 20)
    return float(max(whole, part))


@dataclass(frozen=True, slots=True)
class LinkProposal:
    """One 台账 row and the plan task it is (or would be) linked to."""

    task_id: int
    seq: str
    title: str
    plan_task_id: int | None
    plan_seq: str
    plan_title: str
    score: float
    current: int | None  # the link the row has now


@dataclass(frozen=True, slots=True)
class PlanTaskChoice:
    id: int
    seq: str
    title: str
    section: str
    requirements: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.seq} {self.title}".strip()


def plan_task_choices(session: Session, plan_id: int) -> list[PlanTaskChoice]:
    rows = session.execute(
        select(Task.id, Task.seq, Task.title, Task.section)
        .where(Task.ledger_id == plan_id)
        .order_by(Task.position, Task.id)
    ).all()
    reqs: dict[int, list[str]] = {}
    for task_id, text in session.execute(
        select(Requirement.task_id, Requirement.text)
        .join(Task, Task.id == Requirement.task_id)
        .where(Task.ledger_id == plan_id)
        .order_by(Requirement.task_id, Requirement.position)
    ):
        reqs.setdefault(task_id, []).append(text)
    return [
        PlanTaskChoice(i, seq, title, section, tuple(reqs.get(i, ())))
        for i, seq, title, section in rows
    ]


def propose_links(
    session: Session, ledger_id: int, plan_id: int, *, threshold: float = DEFAULT_THRESHOLD
) -> list[LinkProposal]:
    """For each 台账 row, the plan task with the most similar title (or none below threshold).

    Best pairs are taken first and each plan task goes to one row; a row left over may still
    share a plan task when it matches it well enough (a 台账 may split one plan task in two).
    """
    rows = session.execute(
        select(Task.id, Task.seq, Task.title, Task.plan_task_id)
        .where(Task.ledger_id == ledger_id)
        .order_by(Task.position, Task.id)
    ).all()
    choices = plan_task_choices(session, plan_id)
    row_keys = [title_key(r.title) for r in rows]
    plan_keys = [title_key(c.title) for c in choices]
    scores = [[similarity(r, p) for p in plan_keys] for r in row_keys]
    chosen: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    pairs = sorted(
        ((float(scores[i][j]), i, j) for i in range(len(rows)) for j in range(len(choices))),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in chosen and j not in taken:
            chosen[i] = (j, score)
            taken.add(j)
    for i in range(len(rows)):
        if i not in chosen and choices:
            j = max(range(len(choices)), key=lambda k: (scores[i][k], -k))
            if scores[i][j] >= max(threshold, 85.0):
                chosen[i] = (j, float(scores[i][j]))
    out = []
    for i, row in enumerate(rows):
        pick = chosen.get(i)
        choice = choices[pick[0]] if pick else None
        out.append(
            LinkProposal(
                task_id=row.id,
                seq=row.seq,
                title=row.title,
                plan_task_id=choice.id if choice else None,
                plan_seq=choice.seq if choice else "",
                plan_title=choice.title if choice else "",
                score=pick[1] if pick else 0.0,
                current=row.plan_task_id,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Writing links


def _check_target(session: Session, task: Task, plan_task_id: int) -> None:
    target = session.get(Task, plan_task_id)
    if target is None:
        raise NotFoundError(f"没有编号为 {plan_task_id} 的方案任务，它可能已被删除。")
    if target.ledger_id == task.ledger_id:
        raise UsageError("不能把任务关联到同一台账中的任务，请选择方案中的任务。")
    kind = session.scalar(select(Ledger.kind).where(Ledger.id == target.ledger_id))
    if kind != LedgerKind.PLAN:
        raise UsageError("只能关联到方案中的任务。请先导入方案。")


def apply_links(session: Session, links: Mapping[int, int | None]) -> dict[int, int | None]:
    """Set each task's plan task (None: unlink); returns the links they had, for undo."""
    old: dict[int, int | None] = {}
    for task_id, plan_task_id in links.items():
        task = session.get(Task, task_id)
        if task is None:
            raise NotFoundError(f"没有编号为 {task_id} 的任务，它可能已被删除。")
        if plan_task_id is not None:
            _check_target(session, task, plan_task_id)
        old[task_id] = task.plan_task_id
    for task_id, plan_task_id in links.items():
        session.execute(update(Task).where(Task.id == task_id).values(plan_task_id=plan_task_id))
    session.flush()
    session.expire_all()
    return old


def set_link(session: Session, task_id: int, plan_task_id: int | None) -> int | None:
    """Link one task to a plan task by hand (None: unlink); returns the previous link."""
    return apply_links(session, {task_id: plan_task_id})[task_id]


def link_plan(
    session: Session, ledger_id: int, plan_id: int, *, threshold: float = DEFAULT_THRESHOLD
) -> list[LinkProposal]:
    """Link every row of a 台账 to its most similar plan task; rows below threshold unlinked."""
    resolve_plan_id(session, plan_id)
    proposals = propose_links(session, ledger_id, plan_id, threshold=threshold)
    apply_links(session, {p.task_id: p.plan_task_id for p in proposals})
    return proposals


def linked_plan_task(session: Session, task_id: int) -> tuple[int, int] | None:
    """(plan ledger id, plan task id) a task is linked to, or None."""
    row = session.execute(
        select(Task.ledger_id, Task.id).where(
            Task.id == select(Task.plan_task_id).where(Task.id == task_id).scalar_subquery()
        )
    ).first()
    return (row[0], row[1]) if row else None


def find_plan_task(session: Session, plan_id: int, seq: str) -> int:
    """A plan task by its 序号 as the user types it: ``（六）``, ``(六)``, ``六`` or ``6``."""
    wanted = _seq_key(seq)
    rows = session.execute(
        select(Task.id, Task.seq).where(Task.ledger_id == plan_id).order_by(Task.position)
    ).all()
    hits = [task_id for task_id, s in rows if _seq_key(s) == wanted and wanted]
    if not hits:
        raise NotFoundError(
            f"方案 {plan_id} 中没有序号为“{seq}”的任务。可用 `fazhi list --ledger {plan_id}` 查看。"
        )
    if len(hits) > 1:
        raise UsageError(f"方案 {plan_id} 中有 {len(hits)} 个序号为“{seq}”的任务，无法区分。")
    return hits[0]


def _seq_key(seq: str) -> str:
    core = _NOT_TEXT.sub("", fold(seq))
    number = cn_number(core)
    return str(number) if number is not None else core


def suggest_plan_task(
    session: Session, task_id: int, plan_id: int, *, threshold: float = DEFAULT_THRESHOLD
) -> int | None:
    """The plan task whose title is most like this task's, if alike enough."""
    title = session.scalar(select(Task.title).where(Task.id == task_id)) or ""
    key = title_key(title)
    best: tuple[float, int] | None = None
    for task_id_, plan_title in session.execute(
        select(Task.id, Task.title).where(Task.ledger_id == plan_id).order_by(Task.position)
    ):
        score = similarity(key, title_key(plan_title))
        if score >= threshold and (best is None or score > best[0]):
            best = (score, task_id_)
    return best[1] if best else None
