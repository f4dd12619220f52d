"""The window on a shared server database (单位模式): others' changes appear, the record shows.

Each change anyone makes NOTIFYs the server's channel (services.office.watch_changes). A change
to the ledger on screen reloads it 300 ms later (several saves arrive as one reload), well
within 2 s; while the user is typing in a cell the reload waits until the editor closes, so an
edit in progress is never thrown away. The detail pane also lists the task's 修改记录.
A 进展情况 typed in the table is saved against the task's version the window last loaded: if
someone saved it since, the user sees both texts and chooses (never a silent overwrite).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox

from fazhi_desktop.errors import ConnectionLostError, EditConflictError, FazhiError
from fazhi_desktop.ui.background import attempt

if TYPE_CHECKING:
    from fazhi_desktop.models.database import Database
    from fazhi_desktop.models.records import TaskRecord
    from fazhi_desktop.models.server_listen import ChangeListener
    from fazhi_desktop.ui.main_window import MainWindow

RELOAD_AFTER_MS = 300
RETRY_MS = 500
SHOWN_CHANGES = 20


class OfficeLink(QObject):
    changed = Signal(str)

    def __init__(self, window: MainWindow, database: Database) -> None:
        from fazhi_desktop.services import office

        super().__init__(window)
        self.window = window
        self.reloads = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._reload)
        # Queued: the listener calls from its own thread; the slot runs on the window's.
        self.changed.connect(self._on_change, Qt.ConnectionType.QueuedConnection)
        self.listener: ChangeListener | None = office.watch_changes(database, self.changed.emit)
        window.detail.extra = self.changes_html
        window.destroyed.connect(self.stop)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        self.versions: dict[int, int] = {}
        self._note_versions()
        window.model.edit_handler = self._on_edit

    def stop(self) -> None:
        self._timer.stop()
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def _on_change(self, ledger: str) -> None:
        if self.listener is None:  # queued before stop(): the window is going away
            return
        if ledger in ("", str(self.window.ledger_id)):
            self._timer.start(RELOAD_AFTER_MS)

    def _reload(self) -> None:
        if self.window.table.state() == QAbstractItemView.State.EditingState:
            self._timer.start(RETRY_MS)  # the user is typing: reload once the cell is saved
            return
        self.reloads += 1
        self.window.refresh(None)
        self._note_versions()

    def _note_versions(self) -> None:
        from fazhi_desktop.services import office

        ledger_id = self.window.ledger_id
        if ledger_id is not None:
            self.versions = self.window.run(lambda s: office.row_versions(s, ledger_id))

    def _command(self, task_id: int, field: str, value: str, base: int | None) -> Any:
        from fazhi_desktop.ui import commands

        window = self.window
        if field == "progress":
            return commands.SetProgressCommand(
                window.run, window.refresh, task_id, window.period, value, base
            )
        return commands.SetFieldCommand(window.run, window.refresh, task_id, field, value, base)

    def _on_edit(self, task: TaskRecord, field: str, value: str) -> None:
        """A cell typed in the table, saved against the task's version the user saw."""
        command = self._command(task.id, field, value, self.versions.get(task.id))
        self.window.push(command)
        if command.conflict is not None:
            self._resolve(task.id, field, value, command.conflict)
        if command.lost is not None:
            self._keep_unsaved(command.lost)
            return
        self._note_versions()

    def _keep_unsaved(self, lost: ConnectionLostError) -> None:
        """The server went away: the typed text goes to the clipboard and is shown, not lost."""
        QApplication.clipboard().setText(lost.unsaved)
        self.window.show_error(
            f"{lost}\n\n您填写的内容（已复制到剪贴板，连接恢复后可粘贴回去再保存）：\n{lost.unsaved}"
        )

    def _resolve(self, task_id: int, field: str, mine: str, conflict: EditConflictError) -> None:
        """Both texts and a choice: keep mine (saved over theirs, on record) or take theirs."""
        box = QMessageBox(QMessageBox.Icon.Warning, "保存冲突", str(conflict), parent=self.window)
        keep = box.addButton("保留我的", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("采用对方的", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is keep:
            command = self._command(task_id, field, mine, None)
            attempt(self.window.show_error, lambda: self.window.undo_stack.push(command))
        else:
            self.window.refresh(None)

    def changes_html(self, task_id: int) -> str:
        from fazhi_desktop.services import office

        ledger_id = self.window.ledger_id
        if ledger_id is None:
            return ""
        try:
            changes = self.window.run(lambda s: office.history(s, ledger_id, task_id))
        except FazhiError:
            return ""  # not set up for 单位模式 yet: nothing on record to show
        rows = []
        for c in changes[-SHOWN_CHANGES:][::-1]:
            who = escape(c.who_name or c.who)
            old = escape(c.old or "（空）")
            new = escape("（删除）" if c.new is None else c.new)
            rows.append(
                f"<p><span style='color:#888'>{c.at.astimezone():%Y-%m-%d %H:%M}</span> "
                f"<b>{who}</b> {escape(office.field_label(c))}：{old} → {new}</p>"
            )
        body = "".join(rows) or "<p style='color:#666'>（无）</p>"
        return f"<h4>修改记录（全程留痕）</h4>{body}"


def install(window: MainWindow, database: Database) -> OfficeLink | None:
    """Link the window to a server database; nothing for a local file."""
    if not database.is_server:
        return None
    return OfficeLink(window, database)
