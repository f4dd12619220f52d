"""The 报送 dialog (what will be sent, and how) and the 报送记录 history list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.services.submit import ROUTE_EML, ROUTE_SMTP, Prepared, SubmissionRecord
from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.dialogs import ok_cancel_buttons

Index = QModelIndex | QPersistentModelIndex


class SubmitDialog(QDialog):
    """Shows the file name, recipient and subject for the chosen period; asks for the route."""

    def __init__(
        self,
        periods: Sequence[tuple[str, str]],
        describe: Callable[[str], tuple[Prepared, int]],
        *,
        folder: Path,
        smtp: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("报送本期台账")
        self.setMinimumWidth(560)
        self._describe = describe
        form = QFormLayout()
        self.period = QComboBox(self)
        self.period.setObjectName("submitPeriod")
        for key, label in periods:
            self.period.addItem(label, key)
        form.addRow("填报期间：", self.period)
        self.to = QLabel(self)
        self.file_name = QLabel(self)
        self.file_name.setObjectName("submitFileName")
        self.subject = QLabel(self)
        self.subject.setObjectName("submitSubject")
        self.missing = QLabel(self)
        self.missing.setObjectName("submitMissing")
        self.missing.setStyleSheet("color:#C00000;")
        for shown in (self.to, self.file_name, self.subject, self.missing):
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
        form.addRow("收件人：", self.to)
        form.addRow("附件：", self.file_name)
        form.addRow("邮件标题：", self.subject)
        form.addRow("", self.missing)

        self.folder = QLineEdit(str(folder), self)
        self.folder.setObjectName("submitFolder")
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(lambda *_: self._pick_folder())
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow("附件保存到：", row)

        self.routes = QButtonGroup(self)
        self.eml = QRadioButton("生成邮件草稿（.eml），用 Outlook / Foxmail 打开后点“发送”", self)
        self.eml.setObjectName("routeEml")
        self.smtp = QRadioButton(
            f"直接发送（{smtp}）"
            if smtp
            else "直接发送（未设置 SMTP 服务器，见“工具 → 程序设置”）",
            self,
        )
        self.smtp.setObjectName("routeSmtp")
        self.smtp.setEnabled(bool(smtp))
        self.routes.addButton(self.eml)
        self.routes.addButton(self.smtp)
        self.eml.setChecked(True)
        form.addRow("方式：", self.eml)
        form.addRow("", self.smtp)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self, "报送"))
        self.period.currentIndexChanged.connect(lambda *_: self._update())
        self.prepared: Prepared | None = None
        self._update()

    def _update(self) -> None:
        prepared, missing = self._describe(str(self.period.currentData()))
        self.prepared = prepared
        self.to.setText(prepared.to)
        self.file_name.setText(prepared.file_name)
        self.subject.setText(prepared.subject)
        self.missing.setText(
            f"注意：{prepared.period_label}还有 {missing} 项任务未填报进展。" if missing else ""
        )
        self.missing.setVisible(bool(missing))

    def _pick_folder(self) -> None:
        chosen = file_dialogs.ask_folder(self, None, "附件保存到", self.folder.text())
        if chosen is not None:
            self.folder.setText(str(chosen))

    @property
    def route(self) -> str:
        return ROUTE_SMTP if self.smtp.isChecked() else ROUTE_EML

    @property
    def chosen_folder(self) -> Path:
        return Path(self.folder.text().strip() or ".")


_COLUMNS = ("报送时间", "期间", "方式", "收件人", "文件名", "SHA-256")


class SubmissionsModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[SubmissionRecord], parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = list(rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{row.local_time:%Y-%m-%d %H:%M}",
                row.period,
                row.route_label,
                row.recipient,
                row.file_name,
                row.sha256,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.file_path
        return None


class SubmissionsDialog(QDialog):
    def __init__(
        self,
        rows: Sequence[SubmissionRecord],
        open_folder: Callable[[Path], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("报送记录")
        self.resize(900, 360)
        self.model = SubmissionsModel(rows, self)
        self.table = QTableView(self)
        self.table.setObjectName("submissionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        empty = QLabel("还没有报送记录。报送后，每次的时间、期间、收件人、文件和校验码都记在这里。")
        empty.setVisible(not rows)
        buttons = QDialogButtonBox(self)
        reveal = buttons.addButton("打开所在文件夹", QDialogButtonBox.ButtonRole.ActionRole)
        reveal.clicked.connect(lambda *_: self._reveal(open_folder))
        reveal.setEnabled(bool(rows))
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        if rows:
            self.table.selectRow(0)

    def _reveal(self, open_folder: Callable[[Path], None]) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            open_folder(Path(self.model.rows[index.row()].file_path).parent)
