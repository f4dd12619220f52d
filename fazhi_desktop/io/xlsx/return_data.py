"""What a unit's return carries for the 汇总 beyond the official 7 columns.

The visible sheet keeps the official layout, which has no place for 完成 (and its date), the
task's identity or, reliably, the period. So the program also writes them twice, invisibly:

* a very hidden, protected sheet ``法治台账数据``: a few ``key | value`` lines, then one line per
  task row of the visible sheet (same order);
* workbook custom document properties ``fazhi.*`` with the return's unit and period, which
  survive programs that drop hidden sheets.

The reader takes the hidden data first and the visible sheet for everything a person may have
changed by hand: when a row's 进展情况 no longer equals the one written here, its 完成 comes from
the words (``completion.done_in_text``) and not from the stale flag.
LibreOffice keeps both on save (the sheet becomes "hidden" rather than "very hidden").
"""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_desktop.io.xlsx.cells import cell_text
from fazhi_desktop.io.xlsx.completion import done_in_text
from fazhi_desktop.models.records import LedgerDraft, LedgerRecord, TaskDraft
from fazhi_desktop.textnorm import normalize

_log = logging.getLogger(__name__)

DATA_SHEET = "法治台账数据"
FORMAT = "fazhi-return/1"
PROP_FORMAT, PROP_UNIT, PROP_PERIOD, PROP_FILLED = (
    "fazhi.format", "fazhi.unit", "fazhi.period", "fazhi.filled_on",
)  # fmt: skip
COLUMNS = (
    "row", "task_id", "plan_task_id", "seq", "title", "done", "done_on", "progress", "plan_seq",
    "plan_title",
)  # fmt: skip
_TITLE_ROW_KEY = "columns"
# A protection password only keeps the sheet from being edited by accident; it is no secret.
_PROTECTION = "fazhi"
# The data sheet of a real return has one line per task; anything far larger is not ours.
_MAX_ROWS = 200_000


@dataclass(frozen=True, slots=True)
class DataRow:
    row: int
    task_id: int | None
    plan_task_id: int | None
    seq: str
    title: str
    done: bool
    done_on: dt.date | None
    progress: str
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
    sheet.append(_texts(sheet, _TITLE_ROW_KEY, *COLUMNS))
    for number, task in enumerate(ledger.tasks, start=1):
        sheet.append(
            _texts(
                sheet,
                "",
                str(number),
                str(task.id),
                "" if task.plan_task_id is None else str(task.plan_task_id),
                task.seq,
                task.title,
                "1" if task.done else "0",
                task.done_on.isoformat() if task.done_on else "",
                task.progress,
                task.plan_seq,
                task.plan_title,
            )
        )
    props = (
        (PROP_FORMAT, FORMAT), (PROP_UNIT, ledger.unit.strip()), (PROP_PERIOD, period),
        (PROP_FILLED, filled),
    )  # fmt: skip
    for name, value in props:
        if value:
            workbook.custom_doc_props.append(StringProperty(name=name, value=value))


def _texts(sheet: Any, *values: str) -> list[Any]:
    """Cells that stay text in every program: "0", "2026-09" and "=…" must not turn into
    numbers, dates or formulas."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=cell_text(value))
        cell.data_type = "s"
        out.append(cell)
    return out


# --- reading ----------------------------------------------------------------------------------


def read_return_data(path: Path) -> ReturnData | None:
    """The data this program wrote into ``path``; None for files from other programs."""
    if not zipfile.is_zipfile(path):
        return None  # .xls and anything else carry none
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
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
    finally:
        workbook.close()


def _from_sheet(rows: Iterable[tuple[Any, ...]]) -> ReturnData | None:
    data = ReturnData()
    columns: list[str] = []
    for count, raw in enumerate(rows):
        if count > _MAX_ROWS:
            break
        cells = ["" if v is None else str(v) for v in raw]
        key = cells[0] if cells else ""
        if count == 0 and (key != "format" or not cells[1:2] or not cells[1].startswith("fazhi-")):
            return None
        if key == _TITLE_ROW_KEY:
            columns = cells[1:]
        elif key:
            value = cells[1] if len(cells) > 1 else ""
            if key == "unit":
                data.unit = value
            elif key == "period":
                data.period = _period(value)
            elif key == "filled_on":
                data.filled_on = _day(value)
            elif key == "title":
                data.title = value
        elif columns:
            row = _data_row(dict(zip(columns, cells[1:], strict=False)))
            if row is not None:
                data.rows.append(row)
    return data


def _data_row(values: dict[str, str]) -> DataRow | None:
    number = _int(values.get("row", ""))
    if number is None:
        return None
    return DataRow(
        row=number,
        task_id=_int(values.get("task_id", "")),
        plan_task_id=_int(values.get("plan_task_id", "")),
        seq=values.get("seq", ""),
        title=values.get("title", ""),
        done=values.get("done", "").strip() in ("1", "1.0", "True", "TRUE"),
        done_on=_day(values.get("done_on", "")),
        progress=values.get("progress", ""),
        plan_seq=values.get("plan_seq", ""),
        plan_title=values.get("plan_title", ""),
    )


def _int(text: str) -> int | None:
    try:
        return int(float(text)) if text.strip() else None
    except ValueError:
        return None


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
        by_key.setdefault(_key(row.seq, row.title), []).append(row)
    for position, task in enumerate(draft.tasks, start=1):
        same = by_key.get(_key(task.seq, task.title), [])
        found = next((r for r in same if r.row == position), same[0] if same else None)
        if found is None:
            continue  # a row added by hand: the words decide, as for any other program's file
        same.remove(found)
        _apply_row(task, found, year)


def _apply_row(task: TaskDraft, row: DataRow, year: int | None) -> None:
    task.plan_seq, task.plan_title = row.plan_seq, row.plan_title
    if _flat(task.progress) == _flat(row.progress):
        task.done = task.done or row.done
        task.done_on = task.done_on or row.done_on
        return
    # 进展情况 was changed after the export: the new words decide.
    task.done, task.done_on = done_in_text(task.progress, task.note, year=year)


def _key(seq: str, title: str) -> tuple[str, str]:
    return _flat(seq), _flat(title)


def _flat(text: str) -> str:
    return "".join(normalize(text or "").split())


def read_return_xlsx(
    path: Path, *, unit: str | None = None, default_year: int | None = None
) -> LedgerDraft:
    """A return (or any 台账 file) as its visible sheet shows it, completed by the hidden data."""
    from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx

    draft = read_ledger_xlsx(path, unit=unit, default_year=default_year)
    try:
        data = read_return_data(path)
    except (KeyError, ValueError, TypeError, AttributeError, OSError, zipfile.BadZipFile) as exc:
        # The visible sheet was read; a damaged data sheet only loses what it would add.
        _log.warning("hidden return data of %s unreadable: %s", path, exc)
        data = None
    if data is not None:
        apply_return_data(draft, data)
    return draft
