"""Test data of the core benchmarks: realistic ledgers of 1,000 and 10,000 tasks.

Setup builds two databases through the services (``create_ledger`` with a ``LedgerDraft``;
the extra months of progress history are bulk-inserted) with texts taken from the 濮阳 notice:
one with a 1,000-task ledger and one with the demo ledger plus a 10,000-task ledger. Deadlines
are spread around ``TODAY`` so that every status and the 临期 colour occur.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
REFERENCE = ROOT.parent / "shared" / "reference" / "004_1c8642c6e06c7a5e.txt"
OWNERS = ("艾延坤", "王群才", "马红霞", "李世想", "王群才 马红霞", "马红霞 艾延坤")
LEDGER_DEPTS = ("政法科", "办公室", "机关总支", "发财科", "办公室、机关总支", "机关总支、政法科")
UNDATED = ("长期坚持", "持续推进", "常态化")
NOTES = ("", "", "", "", "需市司法局配合", "已报分管领导", "材料已归档", "按季度报送")
PERIODS = 6  # months of progress history at most


# --- realistic text ----------------------------------------------------------------------
@dataclass(frozen=True)
class Corpus:
    titles: list[str]
    sentences: list[str]
    departments: list[str]


def load_corpus() -> Corpus:
    """Sentences from the 濮阳 notice; the demo data (same notice) when the file is absent."""
    if REFERENCE.exists():
        text = REFERENCE.read_text(encoding="utf-8")
    else:
        from fazhi_desktop.paths import resource_path

        demo = json.loads(resource_path("demo", "puyang-2020.json").read_text(encoding="utf-8"))
        text = "\n".join(
            f"{t['seq']} | {t['title']} |\n任务要求:{''.join(t['requirements'])}"
            for t in demo["tasks"]
        )
    titles = [m.group(1) for m in re.finditer(r"^\(\S{1,3}\)(.{6,40}?)。?$", text, re.M)]
    titles += [m.group(1) for m in re.finditer(r"^\d+ \| ([^|]+?) \|", text, re.M)]
    sentences: list[str] = []
    for piece in re.split(r"[。;；\n]", text):
        piece = re.sub(r"^(任务要求:|\d+\.\s*|[(（]\S{1,3}[)）])+", "", piece.strip())
        if 8 <= len(piece) <= 140 and "|" not in piece and "@" not in piece:
            sentences.append(piece + "。")
    depts = {d.strip() for m in re.finditer(r"^责任单位:(.+)$", text, re.M)
             for d in re.split(r"[、,，]", m.group(1).rstrip("。")) if d.strip()}
    depts.discard("各有关部门")
    if not titles or len(sentences) < 20:
        raise RuntimeError(f"too little text in {REFERENCE} to build realistic tasks")
    return Corpus(
        titles=sorted(set(titles)),
        sentences=sentences,
        departments=[*LEDGER_DEPTS, *sorted(depts)],
    )


def _progress_text(rng: random.Random, corpus: Corpus, month: str) -> str:
    # Mostly one or two sentences, now and then a long paragraph that wraps over many lines.
    count = rng.choice((1, 1, 2, 2, 3, 5))
    body = "".join(rng.sample(corpus.sentences, count))
    return f"{int(month[5:])}月：{body}"


def _months_before(period: str, count: int) -> list[str]:
    year, month = int(period[:4]), int(period[5:])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


# --- building databases ------------------------------------------------------------------
def build_ledger(session: Any, n_tasks: int, corpus: Corpus, *, seed: int, today: dt.date) -> int:
    """A ledger of ``n_tasks`` tasks with progress history; returns its id (caller commits)."""
    from sqlalchemy import insert, select

    from fazhi_desktop.models.orm import ProgressEntry, Task, utcnow
    from fazhi_desktop.models.periods import period_of
    from fazhi_desktop.models.records import LedgerDraft, TaskDraft
    from fazhi_desktop.services.ledgers import create_ledger

    rng = random.Random(seed)
    draft = LedgerDraft(
        title=f"基准测试台账（{n_tasks}项）",
        short_title="基准测试",
        year=today.year,
        unit="濮阳市科学技术局",
        issuer="濮阳市科学技术局",
        notes="各责任单位每月30日前填报进展情况。",
    )
    history: list[int] = []  # months of progress per task
    for i in range(n_tasks):
        deadline: dt.date | None
        if rng.random() < 0.1:
            deadline_text, deadline = rng.choice(UNDATED), None
        else:
            deadline = today + dt.timedelta(days=rng.randint(-150, 200))
            deadline_text = (
                f"{deadline.month}.{deadline.day}"
                if deadline.year == today.year
                else f"{deadline.year}.{deadline.month}.{deadline.day}"
            )
        past = deadline is not None and deadline < today
        done = rng.random() < (0.55 if past else 0.15)
        done_on = None
        if done:
            late = deadline is not None and past and rng.random() < 0.3
            base = deadline if deadline is not None and deadline < today else today
            done_on = (
                min(today, base + dt.timedelta(days=rng.randint(1, 40)))
                if late
                else base - dt.timedelta(days=rng.randint(0, 60))
            )
        months = rng.randint(1, PERIODS) if done or rng.random() < 0.75 else 0
        history.append(months)
        draft.tasks.append(
            TaskDraft(
                seq=str(i + 1),
                title=rng.choice(corpus.titles),
                requirements=rng.sample(corpus.sentences, rng.randint(0, 4)),
                deadline_text=deadline_text,
                deadline=deadline,
                department=rng.choice(corpus.departments),
                partners=rng.choice(("", "", *corpus.departments[:6])),
                owner=rng.choice(OWNERS),
                note=rng.choice(NOTES),
                done=done,
                done_on=done_on,
            )
        )
    ledger_id = create_ledger(session, draft, period=period_of(today))
    task_ids = session.scalars(
        select(Task.id).where(Task.ledger_id == ledger_id).order_by(Task.position)
    ).all()
    current = period_of(today)
    rows = []
    now = utcnow()
    for task_id, months in zip(task_ids, history, strict=True):
        # Some tasks were last reported a month or two ago: their latest entry is older.
        last = _months_before(current, rng.choice((1, 1, 1, 2, 3)))[0]
        for k, month in enumerate(_months_before(last, months)):
            rows.append(
                {
                    "task_id": task_id,
                    "period": month,
                    "text": _progress_text(rng, corpus, month),
                    "updated_at": now - dt.timedelta(days=30 * (months - k)),
                }
            )
    if rows:
        session.execute(insert(ProgressEntry), rows)
    return ledger_id


@dataclass(frozen=True)
class BenchDatabases:
    small_db: Path  # one ledger of n_small tasks: what the cold start opens
    large_db: Path  # the demo ledger, then the ledger of n_large tasks
    demo_ledger_id: int
    large_ledger_id: int


def build_databases(work: Path, n_small: int, n_large: int) -> BenchDatabases:
    from fazhi_desktop.models.db import open_database
    from fazhi_desktop.services.demo import create_demo

    corpus = load_corpus()
    small, large = work / f"small-{n_small}.sqlite3", work / f"large-{n_large}.sqlite3"
    for path in (small, large):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(small)
    try:
        with db.session() as session, session.begin():
            build_ledger(session, n_small, corpus, seed=1, today=TODAY)
    finally:
        db.close()
    db = open_database(large)
    try:
        with db.session() as session, session.begin():
            demo_id = create_demo(session, TODAY)
            assert demo_id is not None
        with db.session() as session, session.begin():
            large_id = build_ledger(session, n_large, corpus, seed=2, today=TODAY)
    finally:
        db.close()
    return BenchDatabases(small, large, demo_id, large_id)


def status_counts(db_path: Path, ledger_id: int) -> dict[str, int]:
    """How many tasks have each status (and 临期 colour): proof every state occurs."""
    from fazhi_desktop.models.db import open_database
    from fazhi_desktop.models.status import Colour
    from fazhi_desktop.services.ledgers import load_task_records

    db = open_database(db_path)
    try:
        with db.session() as session:
            records = load_task_records(session, ledger_id, today=TODAY, with_requirements=False)
    finally:
        db.close()
    counts: dict[str, int] = {}
    for r in records:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    counts["临期"] = sum(r.colour is Colour.DUE_SOON for r in records)
    return counts
