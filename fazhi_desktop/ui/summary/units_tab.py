"""The 汇总 view's 应报单位 tab: the list of units expected to report, edited and saved."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fazhi_desktop.services.summary_overview import ViewData
from fazhi_desktop.ui.summary.unit_list import UnitListEditor


class UnitsTab(QWidget):
    """Edits stay on screen until 保存名单 (``save`` stores the names; True when it did)."""

    def __init__(
        self,
        parent: QWidget,
        save: Callable[[list[str]], bool],
        edit_contacts: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.dirty = False
        self._saved: tuple[str, ...] = ()
        layout = QVBoxLayout(self)
        note = QLabel(
            "应报送的单位：据此判断本期哪些单位未报送。双击或按 F2 改名；改动后点“保存名单”。"
            "已导入的报送不受影响。",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.editor = UnitListEditor(self)
        self.editor.changed.connect(self._edited)
        layout.addWidget(self.editor, 1)
        buttons = QHBoxLayout()
        self.state = QLabel(self)
        self.state.setObjectName("unitsState")
        buttons.addWidget(self.state, 1)
        self.save_button = QPushButton("保存名单(&S)", self)
        self.save_button.setObjectName("saveUnits")
        self.save_button.clicked.connect(self.save)
        discard = QPushButton("放弃修改", self)
        discard.setObjectName("discardUnits")
        discard.clicked.connect(self.discard)
        buttons.addWidget(self.save_button)
        buttons.addWidget(discard)
        if edit_contacts is not None:
            contacts = QPushButton("联系邮箱(&M)…", self)
            contacts.setObjectName("editContacts")
            contacts.setToolTip("各单位的邮箱：催报发往这里，收取报送时据此认定发件单位")
            contacts.clicked.connect(lambda *_: edit_contacts())
            buttons.addWidget(contacts)
        layout.addLayout(buttons)

    def show_data(self, data: ViewData) -> None:
        self._saved = data.units
        if not self.dirty:  # a reload must not throw away the user's unsaved edits
            self._show(data.units)

    def _show(self, units: Sequence[str]) -> None:
        self.editor.set_units(list(units))
        self._show_state()

    def _edited(self) -> None:
        self.dirty = True
        self._show_state()

    def _show_state(self) -> None:
        count = len(self.editor.units())
        state = "（有未保存的修改）" if self.dirty else ""
        self.state.setText(f"共 {count} 个单位{state}")
        self.save_button.setEnabled(self.dirty)

    def discard(self) -> None:
        self.dirty = False
        self._show(self._saved)

    def save(self) -> bool:
        if not self._save(self.editor.units()):
            return False
        self.dirty = False
        self._show_state()
        return True
