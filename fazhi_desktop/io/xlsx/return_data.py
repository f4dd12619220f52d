"""What a unit's return carries for the 汇总 beyond the official 7 columns.

The visible sheet keeps the official layout, which has no place for 完成 (and its date), the
task's identity or, reliably, the period. So the program also writes them twice, invisibly:

* a very hidden, protected sheet ``法治台账数据``: a few ``key | value`` lines, then ``tasks``
  lines whose second cell holds JSON lines, one object per task row of the visible sheet (same
  order). 主要任务 and 进展情况 are kept as fingerprints: the words are on the visible sheet, and a
  few large cells cost a 10,000-task export far less than ten small ones per task;
* workbook custom document properties ``fazhi.*`` with the return's unit and period, which
  survive programs that drop hidden sheets.

The reader takes the hidden data first and the visible sheet for everything a person may have
changed by hand: when a row's 进展情况 no longer equals the one written here, its 完成 comes from
the words (``completion.done_in_text``) and not from the stale flag.
LibreOffice keeps both on save (the sheet becomes "hidden" rather than "very hidden").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_desktop.io.xlsx.cells import cell_text
from fazhi_desktop.io.xlsx.completion import done_in_text
from fazhi_desktop.models.records import LedgerDraft, LedgerRecord, TaskDraft, TaskRecord
from fazhi_desktop.textnorm import normalize

_log = logging.getLogger(__name__)

DATA_SHEET = "法治台账数据"
FORMAT = "fazhi-return/1"
PROP_FORMAT, PROP_UNIT, PROP_PERIOD, PROP_FILLED = (
    "fazhi.format", "fazhi.unit", "fazhi.period", "fazhi.filled_on",
)  # fmt: skip
_TASKS_KEY = "tasks"
# JSON lines are packed into cells of at most this many characters (Excel's limit is 32,767).
_CELL_CHARS = 30_000
# A protection password only keeps the sheet from being edited by accident; it is no secret.
_PROTECTION = "fazhi"
# Far more than any real return needs (each ``tasks`` cell holds hundreds of tasks).
_MAX_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class DataRow:
    row: int
    task_id: int | None
    plan_task_id: int | None
    seq: str
    title: str  # fingerprint of the flattened 主要任务 (``fingerprint``)
    done: bool
    done_on: dt.date | None
    progress: str  # fingerprint of the flattened 进展情况
    plan_seq: str = ""
    plan_title: str = ""


@dataclass(slots=True)
class ReturnData:
    unit: str = ""
    period: str = ""
    filled_on: dt.date | None = None
    title: str = ""
    rows: list[DataRow] = field(default_factory=list)


# --- writing ----------------------------------------------------------------------------------


def write_return_data(workbook: Any, ledger: LedgerRecord, period: str) -> None:
    """Add the hidden sheet and the custom properties to a write-only ``workbook``."""
    from openpyxl.packaging.custom import StringProperty

    sheet = workbook.create_sheet(DATA_SHEET)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True
    sheet.protection.password = _PROTECTION
    filled = ledger.generated_on.isoformat()
    head = (
        ("format", FORMAT), ("unit", ledger.unit.strip()), ("period", period),
        ("filled_on", filled), ("title", ledger.title.strip()),
    )  # fmt: skip
    for key, value in head:
        sheet.append(_texts(sheet, key, value))
    tasks = enumerate(ledger.tasks, start=1)
    lines = [json.dumps(_task_json(n, t), ensure_ascii=False) for n, t in tasks]
    for chunk in _packed(lines):
        sheet.append(_texts(sheet, _TASKS_KEY, chunk))
    props = (
        (PROP_FORMAT, FORMAT), (PROP_UNIT, ledger.unit.strip()), (PROP_PERIOD, period),
        (PROP_FILLED, filled),
    )  # fmt: skip
    for name, value in props:
        if value:
            workbook.custom_doc_props.append(StringProperty(name=name, value=value))


def _task_json(number: int, task: TaskRecord) -> dict[str, object]:
    item: dict[str, object] = {
        "row": number, "task_id": task.id, "seq": task.seq,
        "title": fingerprint(cell_text(task.title)),
        "progress": fingerprint(cell_text(task.progress)),
    }  # fmt: skip
    if task.done:
        item["done"] = 1
    if task.done_on is not None:
        item["done_on"] = task.done_on.isoformat()
    if task.plan_task_id is not None:
        item["plan_task_id"] = task.plan_task_id
        item["plan_seq"], item["plan_title"] = task.plan_seq, cell_text(task.plan_title)[:2000]
    return item


def _packed(lines: list[str]) -> Iterator[str]:
    chunk: list[str] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) + 1 > _CELL_CHARS:
            yield "\n".join(chunk)
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        yield "\n".join(chunk)


def fingerprint(text: str) -> str:
    """A short digest of ``text`` as a cell holds it, line breaks and spacing aside."""
    # No textnorm here: the text is compared with what this program wrote, not with a
    # person's spelling, and normalising 20,000 long texts would slow every export.
    flat = "".join(text.split())
    return hashlib.blake2b(flat.encode("utf-8"), digest_size=6).hexdigest()


def _texts(sheet: Any, *values: str) -> list[Any]:
    """Cells that stay text in every program. Plain strings are written as text by openpyxl and
    cost least; only "=…" and error words (#N/A) need a cell typed by hand, or they would become
    formulas and errors."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    out: list[Any] = []
    for value in values:
        text = cell_text(value)
        if not text:
            out.append(None)
        elif text[0] == "=" or text in ERROR_CODES:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(text)
    return out


# --- reading ----------------------------------------------------------------------------------


def return_data_of(workbook: Any) -> ReturnData | None:
    """The data this program wrote into an opened (read-only) openpyxl ``workbook``; None for
    files from other programs."""
    props = {p.name: str(p.value or "") for p in workbook.custom_doc_props.props}
    if DATA_SHEET in workbook.sheetnames:
        data = _from_sheet(workbook[DATA_SHEET].iter_rows(values_only=True))
        if data is not None:
            return data
    if props.get(PROP_FORMAT, "").startswith("fazhi-return/"):
        return ReturnData(
            unit=props.get(PROP_UNIT, ""),
            period=_period(props.get(PROP_PERIOD, "")),
            filled_on=_day(props.get(PROP_FILLED, "")),
        )
    return None


def _from_sheet(rows: Iterable[tuple[Any, ...]]) -> ReturnData | None:
    data = ReturnData()
    for count, raw in enumerate(rows):
        if count > _MAX_ROWS:
            break
        cells = ["" if v is None else str(v) for v in raw[:2]]
        key, value = [*cells, "", ""][:2]
        if count == 0 and (key != "format" or not value.startswith("fazhi-")):
            return None
        if key == "unit":
            data.unit = value
        elif key == "period":
            data.period = _period(value)
        elif key == "filled_on":
            data.filled_on = _day(value)
        elif key == "title":
            data.title = value
        elif key == _TASKS_KEY:
            data.rows.extend(r for r in map(_data_row, value.splitlines()) if r is not None)
    return data


def _data_row(line: str) -> DataRow | None:
    try:
        item = json.loads(line)
    except ValueError:
        return None
    if not isinstance(item, dict) or not isinstance(item.get("row"), int):
        return None
    return DataRow(
        row=item["row"],
        task_id=_int(item.get("task_id")),
        plan_task_id=_int(item.get("plan_task_id")),
        seq=str(item.get("seq", "")),
        title=str(item.get("title", "")),
        done=item.get("done") == 1,
        done_on=_day(str(item.get("done_on", ""))),
        progress=str(item.get("progress", "")),
        plan_seq=str(item.get("plan_seq", "")),
        plan_title=str(item.get("plan_title", "")),
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10]) if text.strip() else None
    except ValueError:
        return None


def _period(text: str) -> str:
    text = text.strip()
    parts = text.split("-")
    ok = len(parts) == 2 and parts[0].isdigit() and len(parts[0]) == 4 and parts[1].isdigit()
    return f"{parts[0]}-{int(parts[1]):02d}" if ok and 1 <= int(parts[1]) <= 12 else ""


# --- applying ---------------------------------------------------------------------------------


def apply_return_data(draft: LedgerDraft, data: ReturnData) -> None:
    """Put the hidden data into ``draft``, read from the visible sheet of the same file."""
    if data.period:
        draft.period = data.period
    if data.unit and not draft.unit.strip():
        draft.unit = data.unit
    if data.filled_on is not None and draft.filled_on is None:
        draft.filled_on = data.filled_on
    year = int(data.period[:4]) if data.period else draft.year
    by_key: dict[tuple[str, str], list[DataRow]] = {}
    for row in data.rows:
        by_key.setdefault((_flat(row.seq), row.title), []).append(row)
    for position, task in enumerate(draft.tasks, start=1):
        same = by_key.get((_flat(task.seq), fingerprint(task.title)), [])
        found = next((r for r in same if r.row == position), same[0] if same else None)
        if found is None:
            continue  # a row added by hand: the words decide, as for any other program's file
        same.remove(found)
        _apply_row(task, found, year)


def _apply_row(task: TaskDraft, row: DataRow, year: int | None) -> None:
    task.plan_seq, task.plan_title = row.plan_seq, row.plan_title
    if fingerprint(task.progress) == row.progress:
        task.done = task.done or row.done
        task.done_on = task.done_on or row.done_on
        return
    # 进展情况 was changed after the export: the new words decide.
    task.done, task.done_on = done_in_text(task.progress, task.note, year=year)


def _flat(text: str) -> str:
    return "".join(normalize(text or "").split())


def read_return_xlsx(
    path: Path, *, unit: str | None = None, default_year: int | None = None
) -> LedgerDraft:
    """A return (or any 台账 file) as its visible sheet shows it, completed by the hidden data."""
    from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx

    found: list[ReturnData] = []

    def take(workbook: Any) -> None:
        try:
            data = return_data_of(workbook)
        except (KeyError, ValueError, TypeError, AttributeError, OSError) as exc:
            # The visible sheet was read; a damaged data sheet only loses what it would add.
            _log.warning("hidden return data of %s unreadable: %s", path, exc)
            return
        if data is not None:
            found.append(data)

    # One load of the workbook for the visible sheet and the hidden data (.xls carries none).
    draft = read_ledger_xlsx(path, unit=unit, default_year=default_year, also=take)
    data = found[0] if found else None
    if data is not None:
        apply_return_data(draft, data)
    return draft
