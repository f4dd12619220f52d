"""Write a ledger as an xlsx in the official 台账 layout, ready to email and to print.

The sheet is streamed (openpyxl write-only mode) in one pass: title, 填报 line, header, one row
per task, then the 说明 lines. Cells take named styles, which cost one lookup per cell instead of
hashing font, border and alignment objects for every cell, and show up in Excel's style gallery.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from fazhi_desktop.io.atomic import atomic_path
from fazhi_desktop.io.xlsx.cells import cell_text, wrapped_lines
from fazhi_desktop.models.records import LedgerRecord, TaskRecord
from fazhi_desktop.models.status import COLOUR_FILL, Colour
from fazhi_desktop.vocab.columns import OFFICIAL_LABELS, REGISTRY, Field
from fazhi_desktop.vocab.dates import XLSX_DATE_FORMAT, date_label

HEADERS = OFFICIAL_LABELS
STATUS_HEADER = REGISTRY[Field.STATUS].label
DATE_FORMAT = XLSX_DATE_FORMAT
PARTNERS_LABEL = "配合单位"

# Widths in Excel character units (Calibri 11, 7 px each). They add up to the printable width of
# A4 landscape inside the margins below, so the sheet prints at 100 % and the row heights
# computed for these widths hold on paper too.
_WIDTHS = (6, 32, 14, 44, 14, 10, 12)
_WIDTHS_STATUS = (6, 30, 14, 38, 14, 10, 12, 8)

_BODY_FONT = "宋体"
_BODY_PT = 11
_TITLE_FONT = "黑体"
_TITLE_PT = 18
_INFO_PT = 12
_HEADER_PT = 11
_LINE_FACTOR = 1.3  # line height / font size for 宋体 in Excel; WPS and LibreOffice are close
_MIN_ROW_PT = 20.0
_MAX_ROW_PT = 409.0  # Excel's limit
_CHARSET_GB2312 = 134

# Binding margin on the left (inches): the printed sheets are stapled or bound on that side.
_MARGINS = PageMargins(left=1.0, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.35)
_FOOTER = "第 &P 页 共 &N 页"

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
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=_BODY_FONT, size=_BODY_PT, charset=_CHARSET_GB2312)
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    top_centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    middle = Alignment(horizontal="center", vertical="center", wrap_text=True)
    styles = [
        NamedStyle(
            _S.title,
            font=Font(name=_TITLE_FONT, size=_TITLE_PT, charset=_CHARSET_GB2312),
            alignment=middle,
        ),
        NamedStyle(
            _S.info,
            font=Font(name=_BODY_FONT, size=_INFO_PT, charset=_CHARSET_GB2312),
            alignment=Alignment(horizontal="left", vertical="center", wrap_text=True),
        ),
        NamedStyle(
            _S.header,
            font=Font(name=_BODY_FONT, size=_HEADER_PT, bold=True, charset=_CHARSET_GB2312),
            alignment=middle,
            border=box,
        ),
        NamedStyle(_S.centre, font=body, alignment=top_centre, border=box),
        NamedStyle(_S.text, font=body, alignment=top_left, border=box),
        NamedStyle(_S.date, font=body, alignment=top_centre, border=box, number_format=DATE_FORMAT),
        NamedStyle(_S.notes, font=body, alignment=top_left),
    ]
    for colour, hex_fill in COLOUR_FILL.items():
        fill = PatternFill() if hex_fill is None else _solid(hex_fill)
        styles.append(
            NamedStyle(_S.status(colour), font=body, alignment=top_centre, border=box, fill=fill)
        )
    for style in styles:
        workbook.add_named_style(style)


def _solid(hex_colour: str) -> PatternFill:
    rgb = "FF" + hex_colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def _build(ledger: LedgerRecord, status_column: bool) -> Workbook:
    workbook = Workbook(write_only=True)
    _register_styles(workbook)
    workbook.properties.title = ledger.title
    workbook.properties.creator = ledger.unit or "法治台账"
    sheet = workbook.create_sheet(_sheet_name(ledger))
    widths = _WIDTHS_STATUS if status_column else _WIDTHS
    ncols = len(widths)
    last = column_letter(ncols)
    _page_setup(sheet, widths)

    def row_of(values: Sequence[tuple[object, str]]) -> list[WriteOnlyCell]:
        return [text_safe_cell(sheet, value, style) for value, style in values]

    total_width = sum(widths) + ncols - 1  # merged cells also span the grid lines
    title = ledger.title.strip() or "工作台账"
    sheet.row_dimensions[_TITLE_ROW].height = _height(
        [(title, total_width)], _TITLE_PT, minimum=36.0
    )
    sheet.append(row_of([(title, _S.title)]))
    info = _info_line(ledger)
    sheet.row_dimensions[_INFO_ROW].height = _height([(info, total_width)], _INFO_PT, minimum=24.0)
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
        sheet.row_dimensions[row].height = _height(
            [(str(v), w) for (v, _), w in zip(values, widths, strict=True) if isinstance(v, str)],
            _BODY_PT,
        )
        sheet.append(row_of(values))

    for line in _notes(ledger):
        row += 1
        sheet.row_dimensions[row].height = _height([(line, total_width)], _BODY_PT)
        sheet.append(row_of([(line, _S.notes)]))
        sheet.merged_cells.add(f"A{row}:{last}{row}")
    return workbook


def _task_values(task: TaskRecord, status_column: bool) -> list[tuple[object, str]]:
    seq = task.seq.strip()
    # Whole-number 序号 are written as numbers: Excel flags numbers stored as text.
    seq_value: object = int(seq) if seq.isascii() and seq.isdigit() and len(seq) < 10 else seq
    deadline: tuple[object, str] = (
        (task.deadline, _S.date) if task.deadline is not None else (task.deadline_text, _S.centre)
    )
    note = task.note.strip()
    if task.partners.strip():
        # The official form has no 配合单位 column; the reader takes this line back out of 备注.
        note = "\n".join(p for p in (note, f"{PARTNERS_LABEL}：{task.partners.strip()}") if p)
    values: list[tuple[object, str]] = [
        (seq_value, _S.centre),
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


def text_safe_cell(sheet: object, value: object, style: str) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=cell_text(value))
        # openpyxl stores a str starting with "=" as a formula and "#N/A" as an error; what a
        # user typed must stay text in Excel, WPS and LibreOffice alike.
        cell.data_type = "s"
    else:
        cell = WriteOnlyCell(sheet, value=value)
    cell.style = style
    return cell


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


def _height(
    cells: Sequence[tuple[str, int]], font_pt: float, minimum: float = _MIN_ROW_PT
) -> float:
    """Row height (points) showing every (text, column width) cell in full when wrapped."""
    # Column width w shows w*7+5 pixels, less ~3 px of padding on each side; a half-em unit
    # of a font_pt font is font_pt*2/3 pixels at 96 dpi.
    unit_px = font_pt * 2 / 3
    lines = 1
    for text, width in cells:
        if text:
            capacity = int((width * 7 + 5 - 6) / unit_px)
            lines = max(lines, wrapped_lines(text, capacity))
    height = lines * font_pt * _LINE_FACTOR + 6
    return float(min(_MAX_ROW_PT, max(minimum, math.ceil(height))))


def _page_setup(sheet: object, widths: Sequence[int]) -> None:
    print_setup(sheet, widths, f"{_HEADER_ROW}:{_HEADER_ROW}")
    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"  # type: ignore[attr-defined]


def print_setup(sheet: object, widths: Sequence[float], title_rows: str | None) -> None:
    """Column widths and the official print layout: A4 landscape, fit to width, page footer."""
    ws = sheet  # a WriteOnlyWorksheet; typed loosely because openpyxl ships no stubs
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[column_letter(index)].width = width  # type: ignore[attr-defined]
    if title_rows:
        ws.print_title_rows = title_rows  # type: ignore[attr-defined]
    setup = ws.page_setup  # type: ignore[attr-defined]
    setup.paperSize = 9  # A4
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)  # type: ignore[attr-defined]
    ws.page_margins = _MARGINS  # type: ignore[attr-defined]
    ws.print_options.horizontalCentered = True  # type: ignore[attr-defined]
    ws.HeaderFooter.oddFooter.center.text = _FOOTER  # type: ignore[attr-defined]
    ws.HeaderFooter.oddFooter.center.size = 10  # type: ignore[attr-defined]


def _sheet_name(ledger: LedgerRecord) -> str:
    name = (ledger.short_title or "工作台账").strip()
    for bad in "[]:*?/\\'":
        name = name.replace(bad, "")
    return name[:31] or "工作台账"


def column_letter(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index - 1]
