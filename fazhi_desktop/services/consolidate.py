"""Importing the units' returned xlsx into a 汇总 ledger: unit, period, and row-to-task matching.

Each file is read outside any transaction and saved in its own, so a broken file in the middle
of a batch is reported and the others still land. Nothing a return holds is dropped: rows that
match no task, rows that clash, and second returns for a period are all saved and listed for
review (``services.summary_views.review_items``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.errors import FazhiError, InputFileError
from fazhi_desktop.io.xlsx.completion import done_in_text
from fazhi_desktop.io.xlsx.return_data import read_return_xlsx
from fazhi_desktop.models import return_row_store
from fazhi_desktop.models.db import Database
from fazhi_desktop.models.orm import Return, Task
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.models.reporting import ReportRule
from fazhi_desktop.services.summary import require_summary, unit_key, units_of
from fazhi_desktop.textnorm import normalize

_log = logging.getLogger(__name__)

# A 序号 match still needs titles this alike (a renumbered return must not pair the wrong tasks).
SEQ_TITLE_MIN = 0.45
# Without a 序号 match, a title alone must be this alike.
TITLE_MIN = 0.6
_PERIOD_IN_NAME = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
# What ``consolidate`` and ``collect`` take as a return (the reader opens these).
RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xls")

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class TemplateTask:
    id: int
    seq_key: str
    title_key: str
    label: str


@dataclass(slots=True)
class ParsedReturn:
    """A return read from its file, matched to its unit and tasks, not yet saved."""

    path: Path
    sha256: str
    unit: str
    unit_source: str
    period: str
    received_on: dt.date
    filled_on: dt.date | None
    rows: list[MatchedRow]
    issues: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MatchedRow:
    """A returned row and the task it was matched to: a ``return_rows`` row, not yet saved.

    Plain data rather than ORM objects: a 50-unit 汇总 saves 10,000 of them, and the ORM's
    per-object bookkeeping cost more than reading the files.
    """

    position: int
    seq: str
    title: str
    progress: str
    done: bool
    done_on: dt.date | None
    owner: str
    note: str
    task_id: int | None = None
    match: str = ""
    issue: str = ""

    def values(self, return_id: int) -> tuple[object, ...]:
        """The values of :func:`return_row_store.insert_rows`, as SQLite stores them."""
        done_on = self.done_on.isoformat() if self.done_on is not None else None
        return (
            return_id, self.position, self.seq, self.title, self.progress, int(self.done),
            done_on, self.owner, self.note, self.task_id, self.match, self.issue,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class FileOutcome:
    file: str
    ok: bool
    message: str
    return_id: int | None = None
    unit: str = ""
    period: str = ""
    matched: int = 0
    unmatched: int = 0


@dataclass(slots=True)
class BatchResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    cancelled: bool = False

    @property
    def imported(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.ok and o.return_id is not None]

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if not o.ok]


# Every return repeats the template's 序号 and titles: 50 returns of 200 rows normalised the
# same 400 texts 50 times over (issue 17). Keys are plain strings, so sharing them is safe.
@functools.lru_cache(maxsize=8192)
def seq_key(seq: str) -> str:
    """``（一）``, ``1.``, ``1．``, ``一`` → one key; Chinese numerals stay as they are."""
    return _PUNCT.sub("", normalize(seq))


@functools.lru_cache(maxsize=8192)
def title_key(title: str) -> str:
    return _PUNCT.sub("", normalize(title))


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:  # most rows of a return: no SequenceMatcher needed (the ratio would be 1.0)
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < TITLE_MIN * 0.5:
        return 0.0
    # A return may shorten a long plan title, or add words to it: containment counts as a match.
    if a in b or b in a:
        return max(matcher.ratio(), 0.9)
    return matcher.ratio()


def template_tasks(session: Session, ledger_id: int) -> list[TemplateTask]:
    rows = session.execute(
        select(Task.id, Task.seq, Task.title)
        .where(Task.ledger_id == ledger_id)
        .order_by(Task.position, Task.id)
    )
    return [TemplateTask(i, seq_key(s), title_key(t), f"{s} {t}".strip()) for i, s, t in rows]


def match_rows(
    drafts: Sequence[TaskDraft], tasks: Sequence[TemplateTask], *, year: int | None = None
) -> list[MatchedRow]:
    """Pair each returned row with a template task: by 序号 when the titles agree, else by title.

    Files in the plain official layout carry no 完成 flag: units write "已完成" in 进展情况 or
    备注, read with ``done_in_text`` (``year`` for a 完成于9月15日 without one).
    """
    by_seq: dict[str, list[TemplateTask]] = {}
    by_plan: dict[tuple[str, str], TemplateTask] = {}
    for task in tasks:
        by_seq.setdefault(task.seq_key, []).append(task)
        # The 汇总's tasks are copies of the plan's: a return naming its plan task finds it here.
        by_plan.setdefault((task.seq_key, task.title_key), task)
    taken: dict[int, int] = {}
    out: list[MatchedRow] = []
    for position, draft in enumerate(drafts):
        key = title_key(draft.title)
        said_done, said_on = done_in_text(draft.progress, draft.note, year=year)
        row = MatchedRow(
            position=position,
            seq=draft.seq,
            title=draft.title,
            progress=draft.progress,
            done=draft.done or said_done,
            done_on=draft.done_on or said_on,
            owner=draft.owner,
            note=draft.note,
        )
        planned = by_plan.get((seq_key(draft.plan_seq), title_key(draft.plan_title)))
        chosen: TemplateTask | None
        if draft.plan_title and planned is not None:
            chosen, how, issue = planned, "plan", ""
        else:
            same_seq = by_seq.get(seq_key(draft.seq), [])
            chosen, how, issue = _match_one(draft, key, same_seq, tasks)
        if chosen is not None and chosen.id in taken:
            first = taken[chosen.id]
            row.match, row.task_id = "conflict", None
            row.issue = f"与第 {first + 1} 行对应同一项任务“{chosen.label}”，未计入汇总，请核对。"
        elif chosen is not None:
            taken[chosen.id] = position
            row.task_id, row.match, row.issue = chosen.id, how, issue
        else:
            row.match = "none"
            row.issue = "未能对应到汇总台账的任何任务（序号和任务名称都不一致），请核对。"
        out.append(row)
    return out


def _match_one(
    draft: TaskDraft, key: str, same_seq: list[TemplateTask], tasks: Sequence[TemplateTask]
) -> tuple[TemplateTask | None, str, str]:
    for task in same_seq:
        if not key or similarity(key, task.title_key) >= SEQ_TITLE_MIN:
            return task, "seq", ""
    if not key:
        return None, "none", ""
    best, score = None, 0.0
    for task in tasks:
        value = similarity(key, task.title_key)
        if value > score:
            best, score = task, value
    if best is None or score < TITLE_MIN:
        return None, "none", ""
    issue = ""
    if draft.seq.strip() and seq_key(draft.seq) != best.seq_key:
        issue = f"序号“{draft.seq}”与汇总台账不一致，已按任务名称对应到“{best.label}”。"
    return best, "title", issue


# --- unit and period --------------------------------------------------------------------------


def find_unit(
    draft: LedgerDraft, path: Path, units: Sequence[str], sender_unit: str = ""
) -> tuple[str, str]:
    """The reporting unit and where it came from: the 填报单位 line, else the unit whose mail
    address sent the file (``collect``), else the file name."""
    keys = {unit_key(u): u for u in units}
    line = draft.unit.strip()
    if line:
        return _canonical(line, keys), "line"
    if sender_unit:
        return sender_unit, "sender"
    stem = unit_key(path.stem)
    contained = [u for k, u in keys.items() if k and k in stem]
    if contained:
        return max(contained, key=len), "file_name"
    # The standard name {填报单位}-{台账简称}-{期间}进展.xlsx starts with the unit.
    first = re.split(r"[-—_－]", path.stem, maxsplit=1)[0].strip()
    if first and not _PERIOD_IN_NAME.search(normalize(first)):
        return _canonical(first, keys), "file_name"
    raise InputFileError(
        f"“{path.name}”没有“填报单位”一行，文件名中也找不到单位名称，无法判断是哪个单位的报送。"
        "请把文件改名为“单位名称-台账-年月进展.xlsx”后重新导入。"
    )


def _canonical(name: str, keys: dict[str, str]) -> str:
    key = unit_key(name)
    if key in keys:
        return keys[key]
    # "濮阳市司法局" in the file, "市司法局" in the plan (or the other way round).
    near = [u for k, u in keys.items() if k and (k in key or key in k)]
    return max(near, key=len) if len(near) == 1 else name


def find_period(draft: LedgerDraft, path: Path, fallback: str) -> str:
    found = _PERIOD_IN_NAME.search(normalize(path.stem))
    if draft.period:
        return draft.period
    if found and 1 <= int(found.group(2)) <= 12:
        return f"{int(found.group(1)):04d}-{int(found.group(2)):02d}"
    return fallback


# --- reading and saving -----------------------------------------------------------------------


def read_return(
    path: Path,
    tasks: Sequence[TemplateTask],
    units: Sequence[str],
    *,
    default_period: str,
    period: str | None = None,
    received_on: dt.date | None = None,
    sender_unit: str = "",
) -> ParsedReturn:
    draft = read_return_xlsx(path, default_year=int(default_period[:4]))
    unit, source = find_unit(draft, path, units, sender_unit)
    data = path.read_bytes()
    chosen = period or find_period(draft, path, default_period)
    rows = match_rows(draft.tasks, tasks, year=int(chosen[:4]))
    issues = []
    if unit_key(unit) not in {unit_key(u) for u in units}:
        issues.append(f"“{unit}”不在应报单位名单中，请核对单位名称或在名单中添加。")
    if not rows:
        issues.append("文件中没有任何任务行。")
    received = received_on or dt.date.fromtimestamp(path.stat().st_mtime)
    return ParsedReturn(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        unit=unit,
        unit_source=source,
        period=chosen,
        received_on=received,
        filled_on=draft.filled_on,
        rows=rows,
        issues=issues,
    )


def save_return(session: Session, ledger_id: int, parsed: ParsedReturn) -> tuple[int | None, str]:
    """Save one return; (None, why) when it is the very same file as one already imported."""
    same = session.scalar(
        select(Return.file_name).where(
            Return.ledger_id == ledger_id, Return.sha256 == parsed.sha256
        )
    )
    if same is not None:
        return None, f"与已导入的“{same}”内容完全相同，未重复导入。"
    earlier = session.scalars(
        select(Return).where(
            Return.ledger_id == ledger_id,
            Return.period == parsed.period,
            Return.unit == parsed.unit,
        )
    ).all()
    issues = list(parsed.issues)
    if earlier:
        names = "、".join(f"“{r.file_name}”" for r in earlier)
        issues.append(
            f"{parsed.unit}本期已有报送 {names}，以收到日期较新的一份为准，旧的保留在记录中。"
        )
    row = Return(
        ledger_id=ledger_id,
        unit=parsed.unit,
        unit_source=parsed.unit_source,
        period=parsed.period,
        received_on=parsed.received_on,
        filled_on=parsed.filled_on,
        file_name=parsed.path.name,
        sha256=parsed.sha256,
        issue="\n".join(issues),
    )
    session.add(row)
    session.flush()
    return_row_store.insert_rows(session, [r.values(row.id) for r in parsed.rows])
    return row.id, ""


def consolidate(
    database: Database,
    ledger_id: int,
    paths: Sequence[Path],
    *,
    today: dt.date,
    period: str | None = None,
    received_on: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    sender_unit: str = "",
) -> BatchResult:
    """Import many returns, each in its own transaction; a bad file is reported and skipped.
    ``sender_unit``: the unit whose address mailed the files, for a file that names none."""
    with database.session() as session:
        ledger = require_summary(session, ledger_id)
        rule = ReportRule(ledger.report_cycle, ledger.report_day)
        tasks = template_tasks(session, ledger_id)
        units = units_of(session, ledger_id)
    default_period = rule.period_for(today)
    result = BatchResult()
    for number, path in enumerate(paths):
        if cancelled is not None and cancelled():
            result.cancelled = True
            break
        if progress is not None:
            progress(number, len(paths), path.name)
        outcome = _one(database, ledger_id, path, tasks, units, default_period, period,
                       received_on, sender_unit)  # fmt: skip
        result.outcomes.append(outcome)
    if progress is not None and not result.cancelled:
        progress(len(paths), len(paths), "")
    return result


def _one(
    database: Database,
    ledger_id: int,
    path: Path,
    tasks: Sequence[TemplateTask],
    units: Sequence[str],
    default_period: str,
    period: str | None,
    received_on: dt.date | None,
    sender_unit: str = "",
) -> FileOutcome:
    try:
        parsed = read_return(
            path,
            tasks,
            units,
            default_period=default_period,
            period=period,
            received_on=received_on,
            sender_unit=sender_unit,
        )
        with database.session() as session, session.begin():
            return_id, why = save_return(session, ledger_id, parsed)
    except FazhiError as exc:
        return FileOutcome(path.name, False, str(exc))
    except OSError as exc:
        return FileOutcome(path.name, False, f"无法读取“{path.name}”：{exc.strerror or exc}。")
    except Exception:  # one file's surprise must not abort the batch: report it, go on
        _log.exception("汇总导入 %s 失败", path)
        return FileOutcome(
            path.name,
            False,
            f"无法读取“{path.name}”：文件内容异常（详情已写入日志）。"
            "请用 Excel 或 WPS 打开它，“另存为”.xlsx 后再导入。",
        )
    matched = sum(r.task_id is not None for r in parsed.rows)
    unmatched = len(parsed.rows) - matched
    message = why or _summary_line(parsed, matched, unmatched)
    return FileOutcome(
        path.name,
        True,
        message,
        return_id,
        parsed.unit,
        parsed.period,
        matched,
        unmatched,
    )


_SOURCE_NOTES = {"file_name": "（单位取自文件名）", "sender": "（单位取自发件人邮箱）"}


def _summary_line(parsed: ParsedReturn, matched: int, unmatched: int) -> str:
    source = _SOURCE_NOTES.get(parsed.unit_source, "")
    extra = f"，{unmatched} 行待核对" if unmatched else ""
    return f"{parsed.unit}{source} {parsed.period}：对应 {matched} 项任务{extra}。"
