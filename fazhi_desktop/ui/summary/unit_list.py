"""Editing the list of units expected to report: add, remove, rename (double-click), reorder."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QStringListModel, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

NEW_UNIT = "新单位"


class UnitListEditor(QWidget):
    """A list view over a QStringListModel with buttons; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStringListModel(self)
        self.view = QListView(self)
        self.view.setObjectName("unitList")
        self.view.setModel(self.model)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.model.dataChanged.connect(lambda *_: self.changed.emit())
        self.model.rowsInserted.connect(lambda *_: self.changed.emit())
        self.model.rowsRemoved.connect(lambda *_: self.changed.emit())
        self.model.rowsMoved.connect(lambda *_: self.changed.emit())

        self.add_button = QPushButton("添加单位(&A)", self)
        self.add_button.setObjectName("addUnit")
        self.add_button.clicked.connect(lambda: self.add_unit())
        self.remove_button = QPushButton("删除(&D)", self)
        self.remove_button.setObjectName("removeUnit")
        self.remove_button.clicked.connect(self.remove_current)
        self.rename_button = QPushButton("改名(&R)", self)
        self.rename_button.setObjectName("renameUnit")
        self.rename_button.clicked.connect(self.rename_current)
        up = QPushButton("上移(&U)", self)
        up.clicked.connect(lambda: self.move_current(-1))
        down = QPushButton("下移(&W)", self)
        down.clicked.connect(lambda: self.move_current(+1))
        # Delete removes the selected unit without reaching for the mouse.
        QShortcut(QKeySequence.StandardKey.Delete, self.view, self.remove_current)

        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.remove_button, up, down):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def set_units(self, units: Sequence[str]) -> None:
        self.model.setStringList(list(units))
        if units:
            self._select(0)

    def units(self) -> list[str]:
        """The names as edited, blanks dropped (the service also drops duplicates)."""
        return [name.strip() for name in self.model.stringList() if name.strip()]

    def _current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def _select(self, row: int) -> None:
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def add_unit(self, name: str = "", *, edit: bool = True) -> int:
        row = self._current_row() + 1 if self._current_row() >= 0 else self.model.rowCount()
        self.model.insertRows(row, 1)
        self.model.setData(self.model.index(row, 0), name or NEW_UNIT)
        self._select(row)
        if edit and not name:
            self.view.edit(self.model.index(row, 0))
        return row

    def remove_current(self) -> None:
        row = self._current_row()
        if row >= 0:
            self.model.removeRows(row, 1)
            if self.model.rowCount():
                self._select(min(row, self.model.rowCount() - 1))

    def rename_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index)

    def move_current(self, step: int) -> None:
        row = self._current_row()
        target = row + step
        if row < 0 or not 0 <= target < self.model.rowCount():
            return
        names = self.model.stringList()
        names[row], names[target] = names[target], names[row]
        self.model.setStringList(names)
        self._select(target)
        self.changed.emit()
