"""The main window's status bar: the period line, what is still 未填报, the task counts, and
the colour legend whose chips filter the table by that status."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QStatusBar, QToolButton, QWidget

from fazhi_desktop.models.status import COLOUR_FILL, Colour
from fazhi_desktop.ui.filter_proxy import STATUS_FILTERS, UNREPORTED
from fazhi_desktop.ui.task_model import UNREPORTED_FILL

ALL_STATES = next(iter(STATUS_FILTERS))
# Chip colour, its text ("" for 临期: the text follows the due-soon setting), the status filter.
LEGEND = (
    (COLOUR_FILL[Colour.OVERDUE], "逾期未完成", "逾期未完成"),
    (COLOUR_FILL[Colour.DUE_SOON], "", "临期"),
    (COLOUR_FILL[Colour.DONE], "已完成", "已完成"),
    (COLOUR_FILL[Colour.DONE_LATE], "逾期完成", "逾期完成"),
    (UNREPORTED_FILL, UNREPORTED, UNREPORTED),
)


class ElidedLabel(QLabel):
    """A label that shows as much of its text as fits and ends with “…”; the whole text is its
    tooltip. A plain QLabel in a status bar is cut off mid-character without a sign."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)


class StatusLine:
    """Builds the status bar's widgets; a chip click picks that status in ``status_filter``
    (again: all states), and the chips show which status the filter is on."""

    def __init__(self, bar: QStatusBar, status_filter: QComboBox) -> None:
        self.status_filter = status_filter
        self.period = ElidedLabel(bar)
        self.period.setObjectName("periodLabel")
        bar.addWidget(self.period, 3)
        # Its own label, never elided: the one figure a clerk must see in any window size.
        self.missing = QLabel(bar)
        self.missing.setObjectName("missingLabel")
        self.missing.setStyleSheet("font-weight:bold; padding:0 6px;")
        bar.addWidget(self.missing)
        self.counts = ElidedLabel(bar)
        self.counts.setObjectName("countsLabel")
        bar.addWidget(self.counts, 2)
        self.chips: dict[str, QToolButton] = {}
        for fill, text, state in LEGEND:
            chip = QToolButton(bar)
            chip.setObjectName(f"legendChip:{state}")
            chip.setText(text)
            chip.setCheckable(True)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.setToolTip(f"只显示“{state}”的任务；再点一次显示全部")
            chip.setStyleSheet(
                f"QToolButton {{background:{fill}; border:1px solid #999; padding:0 4px;}}"
                "QToolButton:checked {border:2px solid #1F4E79; font-weight:bold;}"
            )
            chip.clicked.connect(partial(self._chosen, state, chip))
            bar.addPermanentWidget(chip)
            self.chips[state] = chip
        status_filter.currentTextChanged.connect(self._follow)

    @property
    def due_soon_chip(self) -> QToolButton:
        return self.chips["临期"]

    def _chosen(self, state: str, chip: QToolButton, *_: object) -> None:
        self.status_filter.setCurrentText(state if chip.isChecked() else ALL_STATES)
        self._follow(self.status_filter.currentText())

    def _follow(self, state: str) -> None:
        for name, chip in self.chips.items():
            chip.setChecked(name == state)
