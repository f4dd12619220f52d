"""Write a ledger as an xlsx in the official 台账 layout, ready to email and to print.

The sheet is streamed (openpyxl write-only mode) in one pass: title, 填报 line, header, one row
per task, then the 说明 lines. Cells take named styles, which cost one lookup per cell instead of
hashing font, border and alignment objects for every cell, and show up in Excel's style gallery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import NamedStyle
from openpyxl.utils import get_column_letter

from fazhi_desktop.io.atomic import atomic_path
from fazhi_desktop.io.xlsx.styles import (
    BODY_PT,
    BOX,
    DATE_FORMAT,
    HEADER_PT,
    INFO_PT,
    INFO_ROW_PT,
    MIDDLE,
    MIDDLE_LEFT,
    TITLE_FONT,
    TITLE_PT,
    TITLE_ROW_PT,
    TOP_CENTRE,
    TOP_LEFT,
    font,
    merged_width,
    print_setup,
    row_height,
    seq_value,
    solid,
    text_safe_cell,
)
from fazhi_desktop.models.records import LedgerRecord, TaskRecord
from fazhi_desktop.models.status import COLOUR_FILL, Colour
from fazhi_desktop.vocab.columns import OFFICIAL_LABELS, REGISTRY, Field
from fazhi_desktop.vocab.dates import date_label

HEADERS = OFFICIAL_LABELS
STATUS_HEADER = REGISTRY[Field.STATUS].label
PARTNERS_LABEL = "配合单位"

# Widths in Excel character units (Calibri 11, 7 px each). They add up to the printable width of
# A4 landscape inside the margins below, so the sheet prints at 100 % and the row heights
# computed for these widths hold on paper too.
_WIDTHS = (6, 32, 14, 44, 14, 10, 12)
_WIDTHS_STATUS = (6, 30, 14, 38, 14, 10, 12, 8)

_TITLE_ROW, _INFO_ROW, _HEADER_ROW = 1, 2, 3


def export_xlsx(ledger: LedgerRecord, target: Path, *, status_column: bool = False) -> None:
    """Write ``ledger`` to ``target`` (replaced atomically; a locked target raises)."""
    with atomic_path(target) as tmp:
        workbook = _build(ledger, status_column)
        workbook.save(tmp)


@dataclass(frozen=True)
class _Styles:
    """Names of the workbook's named styles, one per kind of cell."""

    title: str = "台账标题"
    info: str = "台账填报栏"
    header: str = "台账表头"
    centre: str = "台账居中"
    text: str = "台账正文"
    date: str = "台账日期"
    notes: str = "台账说明"

    def status(self, colour: Colour) -> str:
        return f"台账状态-{colour.value}"


_S = _Styles()


def _register_styles(workbook: Workbook) -> None:
    body = font()
    styles = [
        NamedStyle(_S.title, font=font(TITLE_PT, name=TITLE_FONT), alignment=MIDDLE),
        NamedStyle(_S.info, font=font(INFO_PT), alignment=MIDDLE_LEFT),
        NamedStyle(_S.header, font=font(HEADER_PT, bold=True), alignment=MIDDLE, border=BOX),
        NamedStyle(_S.centre, font=body, alignment=TOP_CENTRE, border=BOX),
        NamedStyle(_S.text, font=body, alignment=TOP_LEFT, border=BOX),
        NamedStyle(_S.date, font=body, alignment=TOP_CENTRE, border=BOX, number_format=DATE_FORMAT),
        NamedStyle(_S.notes, font=body, alignment=TOP_LEFT),
    ]
    for colour, hex_fill in COLOUR_FILL.items():
        styles.append(
            NamedStyle(
                _S.status(colour), font=body, alignment=TOP_CENTRE, border=BOX, fill=solid(hex_fill)
            )
        )
    for style in styles:
        workbook.add_named_style(style)


def _build(ledger: LedgerRecord, status_column: bool) -> Workbook:
    workbook = Workbook(write_only=True)
    _register_styles(workbook)
    workbook.properties.title = ledger.title
    workbook.properties.creator = ledger.unit or "法治台账"
    sheet = workbook.create_sheet(_sheet_name(ledger))
    widths = _WIDTHS_STATUS if status_column else _WIDTHS
    ncols = len(widths)
    last = get_column_letter(ncols)
    _page_setup(sheet, widths)

    def row_of(values: Sequence[tuple[object, str]]) -> list[WriteOnlyCell]:
        return [text_safe_cell(sheet, value, style) for value, style in values]

    total_width = merged_width(widths)
    title = ledger.title.strip() or "工作台账"
    sheet.row_dimensions[_TITLE_ROW].height = row_height(
        [(title, total_width)], TITLE_PT, minimum=TITLE_ROW_PT
    )
    sheet.append(row_of([(title, _S.title)]))
    info = _info_line(ledger)
    sheet.row_dimensions[_INFO_ROW].height = row_height(
        [(info, total_width)], INFO_PT, minimum=INFO_ROW_PT
    )
    sheet.append(row_of([(info, _S.info)]))
    headers = HEADERS + ((STATUS_HEADER,) if status_column else ())
    sheet.row_dimensions[_HEADER_ROW].height = 30.0
    sheet.append(row_of([(h, _S.header) for h in headers]))
    sheet.merged_cells.add(f"A{_TITLE_ROW}:{last}{_TITLE_ROW}")
    sheet.merged_cells.add(f"A{_INFO_ROW}:{last}{_INFO_ROW}")

    row = _HEADER_ROW
    for task in ledger.tasks:
        row += 1
        values = _task_values(task, status_column)
        sheet.row_dimensions[row].height = row_height(
            [(str(v), w) for (v, _), w in zip(values, widths, strict=True) if isinstance(v, str)],
            BODY_PT,
        )
        sheet.append(row_of(values))

    for line in _notes(ledger):
        row += 1
        sheet.row_dimensions[row].height = row_height([(line, total_width)], BODY_PT)
        sheet.append(row_of([(line, _S.notes)]))
        sheet.merged_cells.add(f"A{row}:{last}{row}")
    return workbook


def _task_values(task: TaskRecord, status_column: bool) -> list[tuple[object, str]]:
    deadline: tuple[object, str] = (
        (task.deadline, _S.date) if task.deadline is not None else (task.deadline_text, _S.centre)
    )
    note = task.note.strip()
    if task.partners.strip():
        # The official form has no 配合单位 column; the reader takes this line back out of 备注.
        note = "\n".join(p for p in (note, f"{PARTNERS_LABEL}：{task.partners.strip()}") if p)
    values: list[tuple[object, str]] = [
        (seq_value(task.seq), _S.centre),
        (task.title, _S.text),
        deadline,
        (task.progress, _S.text),
        (task.department, _S.centre),
        (task.owner, _S.centre),
        (note, _S.text),
    ]
    if status_column:
        values.append((task.status.value, _S.status(task.colour)))
    return values


def _info_line(ledger: LedgerRecord) -> str:
    blank = "\u3000" * 4  # room to fill in by hand on a printed copy
    day = ledger.generated_on
    parts = [
        f"填报单位：{ledger.unit.strip() or blank}",
        f"填报人：{ledger.reporter.strip() or blank}",
        f"联系电话：{ledger.phone.strip() or blank}",
        f"填报时间：{date_label(day)}",
    ]
    return "    ".join(parts)


def _notes(ledger: LedgerRecord) -> list[str]:
    lines = ledger.notes_lines()
    if not lines:
        lines = [f"各责任单位每月{ledger.report_day}日前填报进展情况。"]
    mailbox = ledger.mailbox.strip()
    if mailbox and not any(mailbox in line for line in lines):
        lines.append(f"电子版发送至邮箱：{mailbox}。")
    if not lines[0].startswith(("说明", "注")):
        lines[0] = "说明：" + lines[0]
    return lines


def _page_setup(sheet: object, widths: Sequence[int]) -> None:
    print_setup(sheet, widths, f"{_HEADER_ROW}:{_HEADER_ROW}")
    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"  # type: ignore[attr-defined]


def _sheet_name(ledger: LedgerRecord) -> str:
    name = (ledger.short_title or "工作台账").strip()
    for bad in "[]:*?/\\'":
        name = name.replace(bad, "")
    return name[:31] or "工作台账"
