"""The look every xlsx the program writes shares: fonts, fills, borders, row heights, print setup.

The 台账 writer (:mod:`ledger_writer`) and the 汇总 writer (:mod:`summary_writer`) both stream
write-only sheets in the official style; what they have in common is here, once, so the two
exports cannot drift apart (a row height measured differently, a footer only one of them has).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from fazhi_desktop.io.xlsx.cells import cell_text, wrapped_lines
from fazhi_desktop.vocab.dates import XLSX_DATE_FORMAT

DATE_FORMAT = XLSX_DATE_FORMAT
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
BODY_PT = 11
TITLE_PT = 18
INFO_PT = 12
HEADER_PT = 11
LINE_FACTOR = 1.3  # line height / font size for 宋体 in Excel; WPS and LibreOffice are close
MIN_ROW_PT = 20.0
MAX_ROW_PT = 409.0  # Excel's limit
TITLE_ROW_PT = 36.0  # the least height of a title row
INFO_ROW_PT = 24.0  # of a 填报 line
GB2312 = 134  # font charset: Excel picks the Chinese face of 宋体 by it

# Binding margin on the left (inches): the printed sheets are stapled or bound on that side.
MARGINS = PageMargins(left=1.0, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.35)
FOOTER = "第 &P 页 共 &N 页"

_THIN = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
TOP_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
MIDDLE = Alignment(horizontal="center", vertical="center", wrap_text=True)
MIDDLE_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def font(size: float = BODY_PT, *, name: str = BODY_FONT, bold: bool = False) -> Font:
    return Font(name=name, size=size, bold=bold, charset=GB2312)


def solid(hex_colour: str | None) -> PatternFill:
    """A solid fill of ``#RRGGBB``; no fill for None."""
    if hex_colour is None:
        return PatternFill()
    rgb = "FF" + hex_colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def row_height(
    cells: Sequence[tuple[str, float]], font_pt: float = BODY_PT, minimum: float = MIN_ROW_PT
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
    height = lines * font_pt * LINE_FACTOR + 6
    return float(min(MAX_ROW_PT, max(minimum, math.ceil(height))))


def merged_width(widths: Sequence[float]) -> float:
    """The width of cells merged across ``widths``: merged cells also span the grid lines."""
    return sum(widths) + len(widths) - 1


def seq_value(seq: str) -> object:
    """序号 as written: whole numbers as numbers (Excel flags numbers stored as text)."""
    seq = seq.strip()
    return int(seq) if seq.isascii() and seq.isdigit() and len(seq) < 10 else seq


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


def print_setup(sheet: object, widths: Sequence[float], title_rows: str | None) -> None:
    """Column widths and the official print layout: A4 landscape, fit to width, page footer."""
    ws = sheet  # a WriteOnlyWorksheet; typed loosely because openpyxl ships no stubs
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
    if title_rows:
        ws.print_title_rows = title_rows  # type: ignore[attr-defined]
    setup = ws.page_setup  # type: ignore[attr-defined]
    setup.paperSize = 9  # A4
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)  # type: ignore[attr-defined]
    ws.page_margins = MARGINS  # type: ignore[attr-defined]
    ws.print_options.horizontalCentered = True  # type: ignore[attr-defined]
    ws.HeaderFooter.oddFooter.center.text = FOOTER  # type: ignore[attr-defined]
    ws.HeaderFooter.oddFooter.center.size = 10  # type: ignore[attr-defined]
