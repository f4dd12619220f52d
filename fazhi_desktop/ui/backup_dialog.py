"""备份与恢复: the database's backups, a backup now, and restoring one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from fazhi_desktop.services import backups
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.background import Op

if TYPE_CHECKING:
    from fazhi_desktop.models.db import Database

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
INTRO = (
    "程序每天第一次启动时、数据库升级前、每次导入前都会自动备份，只保留最近 "
    f"{backups.KEEP} 份。\n恢复某份备份前，会先把当前数据另存为一份备份，恢复后仍可改回来。"
)


class BackupDialog(QDialog):
    def __init__(self, api: WindowApi) -> None:
        super().__init__(api.widget)
        assert api.db is not None
        self.api = api
        self.db: Database = api.db
        self.found: list[backups.Backup] = []
        self.setWindowTitle("备份与恢复")
        self.resize(680, 440)

        layout = QVBoxLayout(self)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        folder = QLabel(f"备份位置：{backups.backup_dir(self.db.path)}", self)
        folder.setObjectName("backupFolder")
        folder.setWordWrap(True)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(folder)

        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(["备份时间", "类型", "大小"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda *_: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel("还没有备份。", self)
        layout.addWidget(self.empty_label)

        buttons = QHBoxLayout()
        self.backup_button = self._button("立即备份(&B)", self.backup_now, buttons)
        self.restore_button = self._button("恢复所选备份(&R)…", self.restore_selected, buttons)
        self._button("打开备份文件夹(&O)", self.open_folder, buttons)
        buttons.addStretch(1)
        close = self._button("关闭", self.reject, buttons)
        close.setAutoDefault(False)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    def _button(self, text: str, slot: Callable[[], object], row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(lambda *_: slot())
        row.addWidget(button)
        return button

    def reload(self, select: int = 0) -> None:
        self.found = backups.list_backups(self.db.path)
        self.table.setRowCount(len(self.found))
        for row, backup in enumerate(self.found):
            cells = (
                backup.created.strftime("%Y年%m月%d日 %H:%M:%S"),
                backup.label,
                backups.size_text(backup.size),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(backup.path))
                if col == 2:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, col, item)
        self.empty_label.setVisible(not self.found)
        if self.found:
            self.table.selectRow(min(select, len(self.found) - 1))
        self._update_buttons()

    def selected(self) -> backups.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def backup_now(self) -> Op[Path]:
        path = self.db.path
        op = Op.simple(self, "正在备份…", lambda: backups.make_backup(path, backups.MANUAL))
        return op.success(self._backed_up).run()

    def _backed_up(self, made: Path) -> None:
        self.reload()
        self.api.show_status(f"已备份：{made}")

    def confirm_restore(self, backup: backups.Backup) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "恢复备份", "", parent=self)
        box.setText(
            f"用 {backup.created:%Y年%m月%d日 %H:%M} 的备份（{backup.label}）"
            "替换当前的全部台账数据吗？"
        )
        box.setInformativeText("恢复前会先把当前数据另存为一份备份，如有需要可再恢复回来。")
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is restore

    def restore_selected(self) -> Op[Path | None] | None:
        backup = self.selected()
        if backup is None or not self.confirm_restore(backup):
            return None
        db = self.db
        op = Op.simple(self, "正在恢复…", lambda: backups.restore_backup(db, backup.path))
        return op.success(lambda before: self._restored(backup, before)).run()

    def _restored(self, backup: backups.Backup, before: Path | None) -> None:
        self.api.reload_ledgers()
        self.reload()
        message = f"已恢复到 {backup.created:%Y-%m-%d %H:%M} 的备份。"
        if before is not None:
            message += f"恢复前的数据已另存为备份“{before.name}”。"
        self.api.show_status(message, 15000)
        QMessageBox.information(self, "恢复完成", message)

    def open_folder(self) -> None:
        folder = backups.backup_dir(self.db.path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
