"""The 汇总 view's 待核对 tab: rows and returns kept but not counted, to check with the unit."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fazhi_desktop.services.summary_overview import ViewData
from fazhi_desktop.services.summary_views import ReviewItem
from fazhi_desktop.ui.summary.models import ColumnSpec, RecordTableModel, record_table


class ReviewTab(QWidget):
    """待核对: what was kept with a return but not counted, for the office to check."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        note = QLabel(
            "以下内容已随报送保存，但没有计入汇总或需要确认：未能对应任务的行、同一任务的重复行、"
            "同一期的重复报送、不在应报名单中的单位。请与报送单位核对后，更正名单或请其重新报送。",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.model: RecordTableModel[ReviewItem] = RecordTableModel([
            ColumnSpec("类别", lambda i: i.kind),
            ColumnSpec("单位", lambda i: i.unit),
            ColumnSpec("期间", lambda i: i.period),
            ColumnSpec("文件", lambda i: i.file_name),
            ColumnSpec("行", lambda i: "" if i.row is None else str(i.row)),
            ColumnSpec("说明", lambda i: i.text),
        ], self)  # fmt: skip
        self.table = record_table(self, "reviewTable", self.model, (70, 140, 80, 200, 40))
        layout.addWidget(self.table, 1)

    def show_data(self, data: ViewData) -> None:
        self.model.set_rows(data.review)
        self.table.resizeRowsToContents()
