"""How cells look and are edited. Long text (进展情况, 主要任务, 备注) gets a multi-line editor.

Keys in the multi-line editor: Enter starts a new line; Ctrl+Enter (or Tab, or clicking another
cell) saves; Esc cancels.

Every cell is drawn by :class:`CellDelegate`: the current cell gets a visible outline (with whole
rows selected, nothing else shows which cell F2 will open), and in columns of names (责任科室,
责任人) a line breaks between names, never inside one ("马红/霞", "机关总/支").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex

# U+2060 WORD JOINER: no line break on either side, and nothing drawn.
_JOIN = "\u2060"
# Where a list of names may break: after its separators and at blanks.
_NAME_SEPARATORS = re.compile(r"([、，,；;/\s]+)")
# Longer runs are phrases ("各县区人民政府及市直有关部门"), which may break anywhere.
_MAX_NAME_CHARS = 8
_FOCUS_PEN = QPen(QColor("#1F4E8C"), 2)


def glue_names(text: str) -> str:
    """``text`` with each short name glued together, so lines break only between names."""
    parts = _NAME_SEPARATORS.split(text)
    return "".join(
        _JOIN.join(part) if i % 2 == 0 and 1 < len(part) <= _MAX_NAME_CHARS else part
        for i, part in enumerate(parts)
    )


class CellDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None, name_columns: Collection[int] = ()) -> None:
        super().__init__(parent)
        self._name_columns = frozenset(name_columns)

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if index.column() in self._name_columns and option.text:
            option.text = glue_names(option.text)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.save()
            painter.setPen(_FOCUS_PEN)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
            painter.restore()


class MultiLineDelegate(CellDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setObjectName("multiLineEditor")
        editor.setPlaceholderText("Ctrl+Enter 保存，Esc 取消")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.moveCursor(editor.textCursor().MoveOperation.End)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        # At least a few lines tall, even when the row itself is a single line.
        rect = option.rect
        editor.setGeometry(rect.x(), rect.y(), rect.width(), max(rect.height(), 96))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(obj, QPlainTextEdit) and event.type() == QEvent.Type.KeyPress:
            key_event = event
            assert isinstance(key_event, QKeyEvent)
            if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                key_event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self.commitData.emit(obj)
                self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.NoHint)
                return True
        return super().eventFilter(obj, event)
