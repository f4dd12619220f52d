"""``fazhi office import-local``: a clerk's SQLite ledgers copied to the shared server database.

Each ledger comes with everything that hangs off it: tasks (their plan links kept), 任务要求,
every month's progress, the 报送 log, and a 汇总 ledger's units, returns and returned rows. New
ids are the server's; the links are remapped. Running it again copies nothing twice: a ledger
is known by its title, unit and creation time (to the microsecond), which no two ledgers share.
One transaction for the whole file: all of it arrives, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

from fazhi_desktop.errors import UsageError
from fazhi_desktop.models.database import Database
from fazhi_desktop.models.db import id_chunks, open_database
from fazhi_desktop.models.orm import (
    Ledger,
    ProgressEntry,
    Requirement,
    Return,
    ReturnRow,
    Submission,
    SummaryUnit,
    Task,
)

_LEDGERS: Table = Ledger.__table__  # type: ignore[assignment]
_TASKS: Table = Task.__table__  # type: ignore[assignment]
_RETURNS: Table = Return.__table__  # type: ignore[assignment]
# Rows that belong to a task, and rows that belong to a ledger (besides tasks and returns).
_PER_TASK: tuple[Table, ...] = (Requirement.__table__, ProgressEntry.__table__)  # type: ignore[assignment]
_PER_LEDGER: tuple[Table, ...] = (Submission.__table__, SummaryUnit.__table__)  # type: ignore[assignment]


@dataclass
class ImportReport:
    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    tasks: int = 0

    def summary(self) -> str:
        lines = [f"已复制台账“{t}”。" for t in self.copied]
        lines += [f"台账“{t}”已在单位数据库中，跳过。" for t in self.skipped]
        lines.append(
            f"共复制 {len(self.copied)} 个台账、{self.tasks} 项任务；跳过 {len(self.skipped)} 个。"
        )
        return "\n".join(lines)


def import_local(server: Database, file: Path) -> ImportReport:
    if not server.is_server:
        raise UsageError(
            "import-local 把本机文件复制到单位数据库：请用 --db postgresql://… 指定单位数据库。"
        )
    if not file.is_file():
        raise UsageError(f"找不到文件“{file}”。请检查路径。")
    local = open_database(file)
    report = ImportReport()
    try:
        with local.engine.connect() as src, server.engine.begin() as dst:
            for ledger in src.execute(select(_LEDGERS).order_by(_LEDGERS.c.id)).mappings():
                if _already_there(dst, ledger):
                    report.skipped.append(ledger["title"])
                    continue
                report.tasks += _copy_ledger(src, dst, ledger)
                report.copied.append(ledger["title"])
    finally:
        local.close()
    return report


def _already_there(dst: Connection, ledger: Any) -> bool:
    found = dst.scalar(
        select(_LEDGERS.c.id).where(
            _LEDGERS.c.title == ledger["title"],
            _LEDGERS.c.unit == ledger["unit"],
            _LEDGERS.c.created_at == ledger["created_at"],
        )
    )
    return found is not None


def _insert(dst: Connection, table: Table, row: Any, **changes: Any) -> int:
    values = {k: v for k, v in dict(row).items() if k != "id"} | changes
    return int(dst.execute(insert(table).values(values).returning(table.c.id)).scalar_one())


def _copy_ledger(src: Connection, dst: Connection, ledger: Any) -> int:
    new_ledger = _insert(dst, _LEDGERS, ledger)
    tasks = list(
        src.execute(
            select(_TASKS).where(_TASKS.c.ledger_id == ledger["id"]).order_by(_TASKS.c.id)
        ).mappings()
    )
    task_ids = {
        t["id"]: _insert(dst, _TASKS, t, ledger_id=new_ledger, plan_task_id=None) for t in tasks
    }
    for t in tasks:
        if t["plan_task_id"] in task_ids:
            dst.execute(
                update(_TASKS)
                .where(_TASKS.c.id == task_ids[t["id"]])
                .values(plan_task_id=task_ids[t["plan_task_id"]])
            )
    for table in _PER_TASK:
        for chunk in id_chunks(list(task_ids)):
            query = select(table).where(table.c.task_id.in_(chunk)).order_by(table.c.id)
            for row in src.execute(query).mappings():
                _insert(dst, table, row, task_id=task_ids[row["task_id"]])
    for table in _PER_LEDGER:
        query = select(table).where(table.c.ledger_id == ledger["id"]).order_by(table.c.id)
        for row in src.execute(query).mappings():
            _insert(dst, table, row, ledger_id=new_ledger)
    _copy_returns(src, dst, ledger["id"], new_ledger, task_ids)
    return len(tasks)


def _copy_returns(
    src: Connection, dst: Connection, old_ledger: int, new_ledger: int, task_ids: dict[int, int]
) -> None:
    rows_table: Table = ReturnRow.__table__  # type: ignore[assignment]
    returns = src.execute(select(_RETURNS).where(_RETURNS.c.ledger_id == old_ledger)).mappings()
    for ret in list(returns):
        new_return = _insert(dst, _RETURNS, ret, ledger_id=new_ledger)
        rows = src.execute(
            select(rows_table).where(rows_table.c.return_id == ret["id"]).order_by(rows_table.c.id)
        ).mappings()
        for row in rows:
            task = task_ids.get(row["task_id"]) if row["task_id"] is not None else None
            _insert(dst, rows_table, row, return_id=new_return, task_id=task)
