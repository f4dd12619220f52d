"""文件 menu: import a 台账 workbook, export Excel/PDF, print, 备份与恢复, 退出.

Each is a thin shell over the services; the slow part runs through the background runner.
Services are imported on use: this module is imported while the menus are built, before the
window has painted and before SQLAlchemy is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QDialog

from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions.registry import FILE, ActionSpec
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.background import Op, attempt
from fazhi_desktop.ui.saved_bar import show_saved

if TYPE_CHECKING:
    from fazhi_desktop.models.records import LedgerDraft, LedgerRecord
    from fazhi_desktop.settings import AppSettings

WORKBOOKS = (
    "台账 (*.xlsx *.xlsm *.xls *.docx);;Excel 台账 (*.xlsx *.xlsm *.xls);;Word 台账 (*.docx)"
)
IMPORTABLE = (".xlsx", ".xlsm", ".xls")
EXPORTS = {
    "xlsx": ("Excel", "Excel 工作簿 (*.xlsx)"),
    "pdf": ("PDF", "PDF 文件 (*.pdf)"),
}


def snapshot(api: WindowApi) -> LedgerRecord | None:
    """The current ledger as plain data for a writer; None (after saying so) when none is shown."""
    from fazhi_desktop.services import exports

    ledger_id = api.ledger_id
    if ledger_id is None:
        api.show_error("请先选择或导入一个台账。")
        return None
    return api.run(
        lambda s: exports.snapshot(s, ledger_id, today=api.today, settings=api.app_settings)
    )


def file_stem(record: LedgerRecord) -> str:
    name = record.short_title or record.title or "台账"
    return "".join("_" if c in '\\/:*?"<>|' else c for c in name)


def export(api: WindowApi, kind: str) -> Op[object] | None:
    """导出 Excel / PDF: ask where, write off the GUI thread, say where it went."""
    from fazhi_desktop.services import exports

    record = snapshot(api)
    if record is None:
        return None
    label, pattern = EXPORTS[kind]
    target = file_dialogs.ask_save(
        api.widget, api, f"导出 {label}", f"{file_stem(record)}.{kind}", pattern
    )
    if target is None:
        return None
    settings = api.app_settings
    write: Callable[[LedgerRecord, Path, AppSettings], object] = (
        exports.export_xlsx if kind == "xlsx" else exports.export_pdf
    )

    def done(pages: object) -> None:
        extra = f"（共 {pages} 页）" if isinstance(pages, int) else ""
        api.show_status(f"已导出：{target}{extra}")
        show_saved(api.widget, f"已导出 {label}{extra}：{target.name}", target)

    work = Op.simple(api.widget, f"正在导出 {label}…", lambda: write(record, target, settings))
    return work.success(done).shown_by(api.show_error).run()


def export_xlsx(api: WindowApi) -> Op[object] | None:
    return export(api, "xlsx")


def export_pdf(api: WindowApi) -> Op[object] | None:
    return export(api, "pdf")


def print_ledger(api: WindowApi, *, preview: bool = False) -> None:
    from fazhi_desktop.ui import printing

    record = snapshot(api)
    if record is None:
        return
    show = printing.preview_ledger if preview else printing.print_ledger
    attempt(api.show_error, lambda: show(api.widget, record, api.app_settings))


def print_preview(api: WindowApi) -> None:
    print_ledger(api, preview=True)


def import_xlsx(
    api: WindowApi, path: Path | None = None, year: int | None = None
) -> Op[LedgerDraft] | None:
    """Read a 台账 file, show the preview, and save it as a new ledger if the user agrees.

    ``year`` is the one the clerk gave in the preview for dates written without one."""
    from fazhi_desktop.services import imports

    if path is None:
        path = file_dialogs.ask_open(api.widget, api, "导入 Excel 台账", WORKBOOKS)
        if path is None:
            return None
    today, name = api.today, path.name
    reading = f"正在读取“{name}”…"
    read = Op.simple(
        api.widget, reading, lambda: imports.read_ledger(path, today=today, year=year)
    )
    read.success(lambda draft: _confirm_import(api, draft, path))
    return read.shown_by(api.show_error).run()


def _confirm_import(api: WindowApi, draft: LedgerDraft, path: Path) -> None:
    from fazhi_desktop.services import backups, imports
    from fazhi_desktop.ui.import_preview import REREAD, ImportPreviewDialog

    name = path.name
    preview = ImportPreviewDialog(draft, name, api.widget)
    answer = preview.exec()
    if answer == REREAD:  # the clerk gave the year the file does not name: read it again
        import_xlsx(api, path, preview.year)
        return
    if answer != QDialog.DialogCode.Accepted:
        return
    database = api.db
    assert database is not None
    # `or True`: backup_before gives None when there was nothing to copy, which is fine here.
    backed_up = attempt(
        api.show_error,
        lambda: backups.backup_before(database, backups.IMPORT) or True,
        "为安全起见，本次没有导入。",
    )
    if backed_up is None:
        return
    result = api.run(lambda s: imports.save_draft(s, draft, today=api.today))
    api.ledger_id = result.ledger_id
    api.reload_ledgers()
    api.show_status(f"已导入“{name}”：{result.task_count} 项任务。")


def dropped_workbook(event: QDropEvent | QDragEnterEvent) -> Path | None:
    """The first workbook among the files dragged onto the window, if any."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    for url in urls:
        path = Path(url.toLocalFile())
        if path.suffix.lower() in IMPORTABLE:
            return path
    return None


def accept_drag(event: QDragEnterEvent) -> None:
    """Take a drag onto the window only when it carries a workbook."""
    if dropped_workbook(event) is not None:
        event.acceptProposedAction()
    else:
        event.ignore()


def drop_workbook(api: WindowApi, event: QDropEvent) -> None:
    """Import a workbook dropped onto the window (once the database is attached)."""
    path = dropped_workbook(event)
    if path is None:
        event.ignore()
        return
    event.acceptProposedAction()
    # Leave the drop handler first: the preview dialog is modal.
    QTimer.singleShot(0, lambda: import_xlsx(api, path) if api.db is not None else None)


def backup_and_restore(api: WindowApi) -> None:
    from fazhi_desktop.ui.backup_dialog import BackupDialog

    BackupDialog(api).exec()


def quit_program(api: WindowApi) -> None:
    api.widget.close()


IMPORT_XLSX = ActionSpec(
    FILE, "导入 Excel 台账(&I)…", import_xlsx, ("Ctrl+O",),
    tip="读取 Excel 工作台账，预览后保存为新台账", name="importXlsxAction",
)  # fmt: skip
EXPORT_XLSX = ActionSpec(
    FILE, "导出 Excel(&E)…", export_xlsx, ("Ctrl+E",),
    tip="把当前台账导出为报送格式的 Excel", name="exportXlsxAction",
)  # fmt: skip
EXPORT_PDF = ActionSpec(
    FILE, "导出 PDF(&P)…", export_pdf, ("Ctrl+Shift+E",),
    tip="把当前台账导出为 PDF（A4 横向，可打印盖章）", name="exportPdfAction",
)  # fmt: skip
PRINT_PREVIEW = ActionSpec(FILE, "打印预览(&V)…", print_preview, name="printPreviewAction")
PRINT = ActionSpec(FILE, "打印(&R)…", print_ledger, ("Ctrl+P",), name="printAction")
BACKUP = ActionSpec(
    FILE, "备份与恢复(&B)…", backup_and_restore,
    tip="查看自动备份、立即备份或恢复某份备份", name="backupAction",
)  # fmt: skip
QUIT = ActionSpec(
    FILE, "退出(&X)", quit_program, (QKeySequence.StandardKey.Quit,), name="quitAction",
    needs_db=False,
)  # fmt: skip
