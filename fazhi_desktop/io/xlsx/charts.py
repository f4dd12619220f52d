"""The 汇总 charts as native Excel charts on the 统计 sheet, drawn from the tables beside them.

Offices edit these charts in Excel, WPS or LibreOffice (change a colour, copy one into a Word
report), which a picture would not allow, and the chart follows if someone corrects a figure
in its table. Titles and colours come from :mod:`fazhi_desktop.models.charts`, as on screen and
in the PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint

from fazhi_desktop.models.charts import (
    BAR,
    COMPLETION_TITLE,
    OVERDUE_BAR,
    OVERDUE_TITLE,
    STATUS_COLOURS,
    STATUS_TITLE,
)

WIDTH_CM = 16.0
HEIGHT_CM = 7.5
BAR_CM = 0.55  # per unit in the completion chart, so dozens of units stay readable
ROW_CM = 15 / 72 * 2.54  # a default row, 15 pt
ANCHOR_COLUMN = "F"


@dataclass(frozen=True, slots=True)
class TableRange:
    """Where a figures table stands on the sheet: its header row and its data rows."""

    header_row: int
    rows: int  # 0: the table is empty (it shows （无）, and gets no chart)

    @property
    def first(self) -> int:
        return self.header_row + 1

    @property
    def last(self) -> int:
        return self.header_row + self.rows


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _bar_chart(title: str, *, horizontal: bool) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.legend = None
    chart.gapWidth = 60
    chart.width = WIDTH_CM
    chart.height = HEIGHT_CM
    # openpyxl marks both axes deleted unless told: Excel would draw bars without labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # Only the value beside each bar: left unset, LibreOffice also shows category and series.
    chart.dataLabels = DataLabelList(
        showVal=True, showCatName=False, showSerName=False, showLegendKey=False, showPercent=False
    )
    return chart


def _plot(chart: BarChart, sheet: object, table: TableRange, value_column: int) -> None:
    data = Reference(sheet, min_col=value_column, min_row=table.header_row, max_row=table.last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=table.first, max_row=table.last))


def completion_chart(sheet: object, table: TableRange) -> BarChart:
    """Horizontal bars of the 完成率 column (D), first unit on top as in the table."""
    chart = _bar_chart(COMPLETION_TITLE, horizontal=True)
    _plot(chart, sheet, table, 4)
    chart.series[0].graphicalProperties.solidFill = _hex(BAR)
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorUnit = 0.2
    chart.height = max(HEIGHT_CM, 3.0 + BAR_CM * table.rows)
    return chart


def status_chart(sheet: object, table: TableRange, statuses: list[str]) -> BarChart:
    """Columns of the 项数 column (B), each in its status colour."""
    chart = _bar_chart(STATUS_TITLE, horizontal=False)
    _plot(chart, sheet, table, 2)
    series = chart.series[0]
    for index, status in enumerate(statuses):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = _hex(STATUS_COLOURS.get(status, BAR))
        series.dPt.append(point)
    chart.y_axis.title = "项数"
    chart.y_axis.scaling.min = 0
    chart.y_axis.number_format = "0"
    return chart


def overdue_chart(sheet: object, table: TableRange) -> BarChart:
    """Columns of the 逾期项数 column (B) by deadline month."""
    chart = _bar_chart(OVERDUE_TITLE, horizontal=False)
    _plot(chart, sheet, table, 2)
    chart.series[0].graphicalProperties.solidFill = _hex(OVERDUE_BAR)
    chart.y_axis.title = "逾期项数"
    chart.y_axis.scaling.min = 0
    chart.y_axis.number_format = "0"
    return chart


def place_charts(sheet: object, first_row: int, charts: list[BarChart]) -> None:
    """The charts to the right of the tables, one under another, none overlapping."""
    anchor = first_row
    for chart in charts:
        sheet.add_chart(chart, f"{ANCHOR_COLUMN}{anchor}")  # type: ignore[attr-defined]
        anchor += math.ceil(chart.height / ROW_CM) + 2
