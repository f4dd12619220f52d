"""The 统计 tab's charts, painted by Qt from the Qt-free figures: labelled horizontal bars.

No plotting library: three bar charts do not need one, and the window starts without loading
any. The same widget draws all three; :func:`completion_bars`, :func:`status_bars` and
:func:`overdue_bars` turn the figures into bars. ``grab()`` gives the PNG that 另存为 saves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from fazhi_desktop.models.charts import STATUS_COLOURS
from fazhi_desktop.models.status import Status
from fazhi_desktop.vocab.dates import period_label

BAR_COLOUR = STATUS_COLOURS[Status.IN_PROGRESS.value]
EMPTY_TEXT = "暂无数据"
MARGIN = 12
ROW_HEIGHT = 26
BAR_HEIGHT = 16
LABEL_MAX = 220  # a long unit name is elided rather than squeezing the bars
GRID = QColor("#DDDDDD")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    text: str  # written after the bar: “80%（4/5）”, “12”
    colour: str = BAR_COLOUR


def completion_bars(rows: Sequence[tuple[str, int, int]]) -> list[Bar]:
    """Each unit's share of its reported tasks that are done, in the order units are listed."""
    bars = []
    for unit, done, total in rows:
        rate = 100.0 * done / total if total else 0.0
        bars.append(Bar(unit, rate, f"{rate:.0f}%（{done}/{total}）"))
    return bars


def status_bars(counts: Sequence[tuple[str, int]]) -> list[Bar]:
    return [Bar(s, n, str(n), STATUS_COLOURS.get(s, BAR_COLOUR)) for s, n in counts]


def overdue_bars(months: Sequence[tuple[str, int]]) -> list[Bar]:
    colour = STATUS_COLOURS[Status.OVERDUE.value]
    return [Bar(_month(m), n, str(n), colour) for m, n in months]


def _month(month: str) -> str:
    try:
        return period_label(month)
    except ValueError:  # not YYYY-MM: show it as it is rather than fail the chart
        return month


class BarChart(QWidget):
    """A titled chart of horizontal bars; ``maximum`` fixes the scale (100 for rates)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[Bar] = []
        self.maximum: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(palette)

    def set_bars(self, bars: Sequence[Bar], maximum: float | None = None) -> None:
        self.bars = list(bars)
        self.maximum = maximum
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        return font

    def sizeHint(self) -> QSize:
        title = QFontMetrics(self._title_font()).height()
        rows = max(len(self.bars), 2)  # room for “暂无数据” when empty
        return QSize(640, MARGIN * 3 + title + rows * ROW_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setFont(self._title_font())
        title_height = QFontMetrics(self._title_font()).height()
        painter.setPen(QColor("#222222"))
        painter.drawText(
            QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN, title_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.title,
        )
        painter.setFont(self.font())
        top = MARGIN * 2 + title_height
        if not self.bars:
            painter.setPen(QColor("#666666"))
            painter.drawText(
                QRectF(0, top, self.width(), 2 * ROW_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                EMPTY_TEXT,
            )
            painter.end()
            return
        self._paint_bars(painter, top)
        painter.end()

    def _paint_bars(self, painter: QPainter, top: float) -> None:
        metrics = QFontMetrics(self.font())
        label_width = min(max(metrics.horizontalAdvance(b.label) for b in self.bars), LABEL_MAX)
        text_width = max(metrics.horizontalAdvance(b.text) for b in self.bars) + 8
        left = MARGIN + label_width + 8
        span = max(self.width() - left - text_width - MARGIN, 40)
        maximum = self.maximum or max(b.value for b in self.bars) or 1.0
        bottom = top + len(self.bars) * ROW_HEIGHT
        painter.setPen(GRID)
        for step in range(5):  # quarter lines: enough to read a bar's length against
            x = left + span * step / 4
            painter.drawLine(int(x), int(top), int(x), int(bottom))
        for row, bar in enumerate(self.bars):
            y = top + row * ROW_HEIGHT
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideMiddle, label_width)
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QRectF(MARGIN, y, label_width, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            length = span * min(bar.value / maximum, 1.0)
            offset = (ROW_HEIGHT - BAR_HEIGHT) / 2
            painter.fillRect(QRectF(left, y + offset, length, BAR_HEIGHT), QColor(bar.colour))
            painter.drawText(
                QRectF(left + length + 4, y, text_width, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                bar.text,
            )
