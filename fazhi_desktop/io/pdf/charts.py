"""The 汇总 charts for the PDF, as reportlab vector drawings in the embedded Chinese font.

Vector, not pictures: they print sharp at any size, add a few kilobytes instead of a PNG each,
and their labels are text a reader can search and copy. Titles and colours come from
:mod:`fazhi_desktop.models.charts`, as on screen and in the xlsx.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color, HexColor

from fazhi_desktop.io.pdf.fonts import Face
from fazhi_desktop.models.charts import (
    BAR,
    COMPLETION_TITLE,
    NO_OVERDUE,
    NO_RETURNS,
    OVERDUE_BAR,
    OVERDUE_TITLE,
    STATUS_COLOURS,
    STATUS_TITLE,
    completion_rate,
    month_label,
)

TITLE_GAP = 24.0  # room above the plot for the chart's title
BAR_HEIGHT = 18.0  # per unit in the completion chart
PLOT_HEIGHT = 170.0  # of the column charts
GRID = HexColor("#DDDDDD")
MUTED = HexColor("#666666")


def _drawing(width: float, plot_height: float, title: str, face: Face) -> Drawing:
    drawing = Drawing(width, plot_height + TITLE_GAP + 30)
    # The renderer starts every drawing in Helvetica, which is never embedded: start in ours.
    drawing.initialFontName = face.name
    drawing.initialFontSize = face.size
    drawing.add(
        String(width / 2, drawing.height - face.size * 1.4, title, fontName=face.name,
               fontSize=face.size * 1.25, textAnchor="middle")
    )  # fmt: skip
    return drawing


def _empty(drawing: Drawing, text: str, face: Face) -> Drawing:
    drawing.add(
        String(drawing.width / 2, drawing.height / 2 - 20, text, fontName=face.name,
               fontSize=face.size * 1.2, fillColor=MUTED, textAnchor="middle")
    )  # fmt: skip
    return drawing


def _style(chart: BarChart, face: Face) -> None:
    """Labels in the embedded face, light grid, no frame: like the window's charts."""
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = face.name
        axis.labels.fontSize = face.size
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.barLabels.fontName = face.name
    chart.barLabels.fontSize = face.size * 0.95
    chart.bars.strokeColor = None


def _colour(hex_colour: str) -> Color:
    return HexColor(hex_colour)


def completion_drawing(
    rows: Sequence[tuple[str, int, int]], face: Face, width: float, *, part: str = ""
) -> Drawing:
    """Horizontal bars: each unit's share of its reported tasks that are done, first on top."""
    title = f"{COMPLETION_TITLE}（{part}）" if part else COMPLETION_TITLE
    drawing = _drawing(width, max(60.0, BAR_HEIGHT * len(rows)), title, face)
    if not rows:
        return _empty(drawing, NO_RETURNS, face)
    names = [unit for unit, _done, _total in rows]
    left = min(width * 0.35, max(face.widths[name] for name in names) + 12)
    chart = HorizontalBarChart()
    chart.x, chart.y = left, 30
    chart.width = width - left - 90  # room for "100%（12/12）" beside a full bar
    chart.height = BAR_HEIGHT * len(rows)
    chart.data = [[100 * completion_rate(done, total) for _unit, done, total in rows]]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.reverseDirection = 1  # first unit on top, as in the table
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = _colour(BAR)
    chart.barLabelFormat = "values"
    chart.barLabelArray = [
        [f"{100 * completion_rate(d, t):.0f}%（{d}/{t}）" for _unit, d, t in rows]
    ]
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 4
    _style(chart, face)
    drawing.add(chart)
    drawing.add(String(left + chart.width / 2, 4, "完成率（%）", fontName=face.name,
                       fontSize=face.size, textAnchor="middle"))  # fmt: skip
    return drawing


def _columns(
    labels: list[str], values: list[int], colours: list[str], face: Face, width: float
) -> VerticalBarChart:
    chart = VerticalBarChart()
    chart.x, chart.y = 50, 40
    chart.width = width - 70
    chart.height = PLOT_HEIGHT - 20
    chart.data = [values]
    chart.categoryAxis.categoryNames = labels
    if len(labels) > 6:  # a year of months does not fit side by side
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    top = max(values)
    chart.valueAxis.valueMax = top * 1.18 + 1
    chart.valueAxis.valueStep = max(1, round(top / 5))  # counts: no 2.5 tasks
    chart.valueAxis.labelTextFormat = "%d"
    for index, colour in enumerate(colours):
        chart.bars[(0, index)].fillColor = _colour(colour)
    chart.barLabelFormat = "%d"
    chart.barLabels.nudge = 7
    chart.barWidth = 10
    chart.groupSpacing = 10
    _style(chart, face)
    return chart


def _axis_title(text: str, face: Face) -> String:
    """The value axis's name, above its top end."""
    return String(30, 40 + PLOT_HEIGHT - 12, text, fontName=face.name, fontSize=face.size)


def status_drawing(counts: Sequence[tuple[str, int]], face: Face, width: float) -> Drawing:
    """Columns: how many (unit, task) pairs are in each status, in the status colours."""
    drawing = _drawing(width, PLOT_HEIGHT, STATUS_TITLE, face)
    if not counts:
        return _empty(drawing, NO_RETURNS, face)
    labels = [label for label, _n in counts]
    colours = [STATUS_COLOURS.get(label, BAR) for label in labels]
    drawing.add(_columns(labels, [n for _l, n in counts], colours, face, width))
    drawing.add(_axis_title("项数", face))
    return drawing


def overdue_drawing(months: Sequence[tuple[str, int]], face: Face, width: float) -> Drawing:
    """Columns: 逾期未完成 (unit, task) pairs by the month their deadline fell in."""
    drawing = _drawing(width, PLOT_HEIGHT, OVERDUE_TITLE, face)
    if not months:
        return _empty(drawing, NO_OVERDUE, face)
    labels = [month_label(m) for m, _n in months]
    values = [n for _m, n in months]
    drawing.add(_columns(labels, values, [OVERDUE_BAR] * len(values), face, width))
    drawing.add(_axis_title("逾期项数", face))
    return drawing
