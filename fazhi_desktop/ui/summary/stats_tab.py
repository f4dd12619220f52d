"""The 汇总 view's 统计 tab: the period's counts and three charts, each savable as PNG."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from fazhi_desktop.models.charts import COMPLETION_TITLE, OVERDUE_TITLE, STATUS_TITLE
from fazhi_desktop.services.summary_overview import ViewData
from fazhi_desktop.ui.summary.chart_widget import (
    BarChart,
    completion_bars,
    overdue_bars,
    status_bars,
)
from fazhi_desktop.ui.summary.models import period_line

# key → title; the key names the save button (“save_completion”) and the chart widget.
CHARTS = {"completion": COMPLETION_TITLE, "status": STATUS_TITLE, "overdue": OVERDUE_TITLE}


def png_of(widget: QWidget) -> bytes:
    """What the widget shows, as PNG bytes (grab() paints it even when scrolled out of view)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


class StatsTab(QScrollArea):
    """``save`` is called with a chart's key when its 另存为 PNG button is clicked."""

    def __init__(self, parent: QWidget, save: Callable[[str], object]) -> None:
        super().__init__(parent)
        self.setObjectName("statsArea")
        self.setWidgetResizable(True)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.counts = QLabel(page)
        layout.addWidget(self.counts)
        self.charts: dict[str, BarChart] = {}
        for key, title in CHARTS.items():
            row = QHBoxLayout()
            row.addStretch(1)
            button = QPushButton("另存为 PNG…", page)
            button.setObjectName(f"save_{key}")
            button.clicked.connect(lambda *_, k=key: save(k))
            row.addWidget(button)
            layout.addLayout(row)
            chart = BarChart(title, page)
            chart.setObjectName(f"chart_{key}")
            layout.addWidget(chart)
            self.charts[key] = chart
        layout.addStretch(1)
        self.setWidget(page)

    def show_data(self, data: ViewData) -> None:
        self.counts.setText(period_line(data))
        figures = data.figures
        self.charts["completion"].set_bars(completion_bars(figures.completion), maximum=100.0)
        self.charts["status"].set_bars(status_bars(figures.status_counts))
        self.charts["overdue"].set_bars(overdue_bars(figures.overdue_by_month))

    def png(self, key: str) -> bytes:
        return png_of(self.charts[key])
