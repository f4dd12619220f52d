"""The 应报单位 tab's 联系邮箱: each listed unit's addresses, where 催报 go and by which a mail's
sender is known (``fazhi summary-units --mail`` in the window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.background import attempt

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class ContactsDialog(QDialog):
    """One row per listed unit: its name (fixed) and its addresses (``a; b``, editable)."""

    def __init__(self, host: WindowApi, ledger_id: int, parent: QWidget) -> None:
        from fazhi_desktop.services import summary, unit_contacts

        super().__init__(parent)
        self.host, self.ledger_id = host, ledger_id
        self.setObjectName("contactsDialog")
        self.setWindowTitle("单位联系邮箱")
        self.resize(640, 460)
        layout = QVBoxLayout(self)
        note = QLabel(
            "催报邮件发往这里；收取报送邮件时，没有写明填报单位的文件按发件人邮箱认定单位。"
            "多个地址用分号隔开；留空即清除。收到某单位的报送而它还没有邮箱时，程序自动记下发件人。",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)

        def read(session: Session) -> tuple[list[str], dict[str, str]]:
            units = summary.units_of(session, ledger_id)
            return units, unit_contacts.contacts_of(session, ledger_id)

        units, contacts = host.run(read)
        self.table = QTableWidget(len(units), 2, self)
        self.table.setObjectName("contactsTable")
        self.table.setHorizontalHeaderLabels(["单位", "联系邮箱"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 200)
        for row, unit in enumerate(units):
            name = QTableWidgetItem(unit)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(contacts.get(unit, "")))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> list[str]:
        """The rows as ``单位=地址`` assignments, as the command line takes them."""
        out = []
        for row in range(self.table.rowCount()):
            unit = self.table.item(row, 0)
            addresses = self.table.item(row, 1)
            if unit is not None:
                out.append(f"{unit.text()}={addresses.text() if addresses else ''}")
        return out

    def save(self) -> bool:
        """Check every row, then save them all (one bad address saves nothing)."""
        from fazhi_desktop.services import unit_contacts

        assignments = self.values()
        ledger_id = self.ledger_id

        def store(session: Session) -> bool:
            pairs = dict(unit_contacts.parse_assignment(text) for text in assignments)
            unit_contacts.set_contacts(session, ledger_id, pairs)
            return True

        if attempt(self.host.show_error, lambda: self.host.run(store)) is None:
            return False
        self.accept()
        return True
