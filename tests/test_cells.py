"""How cells are drawn: the current cell is outlined, names break between names only."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QTextLayout
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from fazhi_desktop.ui.delegates import CellDelegate, glue_names
from fazhi_desktop.ui.task_model import COL_DEPT, COL_OWNER


def _lines(text: str, width: int) -> list[str]:
    """``text`` laid out as Qt lays out a cell, one string per line, joiners removed."""
    layout = QTextLayout(text, QFont("WenQuanYi Micro Hei", 10))
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    return [s.replace("\u2060", "").strip() for s in lines]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("办公室、机关总支", ["办公室", "机关总支"]),
        ("王群才 马红霞", ["王群才", "马红霞"]),
        ("政法科，办公室；发财科", ["政法科", "办公室", "发财科"]),
    ],
)
def test_names_break_between_names_never_inside(qtbot: QtBot, text: str, names: list[str]) -> None:
    for width in range(30, 120, 6):
        for line in _lines(glue_names(text), width):
            # Every line is whole names and separators: no name is cut in two.
            pieces = [
                p for p in line.replace("、", " ").replace("，", " ").replace("；", " ").split()
            ]
            assert all(p in names for p in pieces), (width, line)


def test_without_glue_qt_breaks_inside_a_name(qtbot: QtBot) -> None:
    # The reason for the joiners: plain CJK text breaks anywhere.
    assert any(
        line not in ("办公室、", "机关总支", "办公室、机关总支")
        for line in _lines("办公室、机关总支", 50)
    )


def test_long_phrases_still_wrap() -> None:
    phrase = "各县区人民政府及市直有关部门"
    assert glue_names(phrase) == phrase


def test_the_current_cell_has_a_visible_outline(qtbot: QtBot) -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    model = QStandardItemModel(3, 8)
    for row in range(3):
        for col in range(8):
            model.setItem(row, col, QStandardItem(f"{row}{col}"))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegate(CellDelegate(view, (COL_DEPT, COL_OWNER)))
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.resize(900, 300)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    view.setCurrentIndex(model.index(1, 3))
    qtbot.wait(50)
    image = view.viewport().grab().toImage()
    rect = view.visualRect(model.index(1, 3))
    outline = QColor("#1F4E8C").rgb()
    border = [image.pixel(x, rect.top() + 1) for x in range(rect.left() + 4, rect.right() - 4)]
    assert border.count(outline) > len(border) // 2
    # The other cells of the selected row have no outline.
    other = view.visualRect(model.index(1, 5))
    assert image.pixel(other.center().x(), other.top() + 1) != outline


def test_name_columns_are_glued_in_the_option(qtbot: QtBot) -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    model = QStandardItemModel(1, 8)
    model.setItem(0, COL_DEPT, QStandardItem("办公室、机关总支"))
    model.setItem(0, 1, QStandardItem("办公室、机关总支"))
    delegate = CellDelegate(None, (COL_DEPT,))
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, model.index(0, COL_DEPT))
    assert "\u2060" in option.text
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, model.index(0, 1))
    assert "\u2060" not in option.text
