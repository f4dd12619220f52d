"""The 文件 menu's work: import, export, print — each a thin shell over the services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.models.records import LedgerRecord
from fazhi_desktop.services import backups, exports, imports
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.background import run_with_progress
from fazhi_desktop.ui.import_preview import ImportPreviewDialog

if TYPE_CHECKING:
    from fazhi_desktop.ui.main_window import MainWindow

T = TypeVar("T")


def _snapshot(window: MainWindow) -> LedgerRecord | None:
    ledger_id = window.ledger_id
    if ledger_id is None:
        window.show_error("请先选择或导入一个台账。")
        return None
    return window.run(
        lambda s: exports.snapshot(s, ledger_id, today=window.today, settings=window.app_settings)
    )


def _start_dir(window: MainWindow) -> str:
    remembered = window.ui_state.value("last_dir")
    if isinstance(remembered, str) and Path(remembered).is_dir():
        return remembered
    return window.app_settings.export_dir or str(Path.home())


def _ask_save(window: MainWindow, title: str, name: str, pattern: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        window, title, str(Path(_start_dir(window)) / name), pattern
    )
    if not chosen:
        return None
    path = Path(chosen)
    window.ui_state.setValue("last_dir", str(path.parent))
    return path


def _file_stem(record: LedgerRecord) -> str:
    name = record.short_title or record.title or "台账"
    return "".join("_" if c in '\\/:*?"<>|' else c for c in name)


def _export(window: MainWindow, kind: str) -> None:
    """导出 Excel / PDF: ask where, write off the GUI thread, say where it went."""
    record = _snapshot(window)
    if record is None:
        return
    label, suffix, pattern, write = _EXPORTS[kind]
    target = _ask_save(window, f"导出 {label}", f"{_file_stem(record)}{suffix}", pattern)
    if target is None:
        return
    if target.suffix.lower() != suffix:
        target = target.with_suffix(suffix)
    settings = window.app_settings
    pages = _run(window, f"正在导出 {label}…", lambda: write(record, target, settings))
    if pages is not None:
        extra = f"（共 {pages} 页）" if isinstance(pages, int) else ""
        window.statusBar().showMessage(f"已导出：{target}{extra}", 8000)


_EXPORTS: dict[str, tuple[str, str, str, Callable[[LedgerRecord, Path, AppSettings], object]]] = {
    "xlsx": ("Excel", ".xlsx", "Excel 工作簿 (*.xlsx)", exports.export_xlsx),
    "pdf": ("PDF", ".pdf", "PDF 文件 (*.pdf)", exports.export_pdf),
}


def export_xlsx(window: MainWindow) -> None:
    _export(window, "xlsx")


def export_pdf(window: MainWindow) -> None:
    _export(window, "pdf")


def print_ledger(window: MainWindow, *, preview: bool = False) -> None:
    from fazhi_desktop.ui import printing

    record = _snapshot(window)
    if record is None:
        return
    try:
        if preview:
            printing.preview_ledger(window, record, window.app_settings)
        else:
            printing.print_ledger(window, record, window.app_settings)
    except FazhiError as exc:
        window.show_error(str(exc))


def import_xlsx(window: MainWindow, path: Path | None = None) -> int | None:
    """Read a workbook, show the preview, and save it as a new ledger if the user agrees."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            window, "导入 Excel 台账", _start_dir(window), "Excel 台账 (*.xlsx *.xlsm *.xls)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        window.ui_state.setValue("last_dir", str(path.parent))
    today = window.today
    draft = _run(window, f"正在读取“{path.name}”…", lambda: imports.read_xlsx(path, today=today))
    if draft is None:
        return None
    if ImportPreviewDialog(draft, path.name, window).exec() != QDialog.DialogCode.Accepted:
        return None
    assert window.db is not None
    try:
        backups.backup_before(window.db, backups.IMPORT)
    except FazhiError as exc:
        window.show_error(f"{exc}\n为安全起见，本次没有导入。")
        return None
    result = window.run(lambda s: imports.save_draft(s, draft, today=today))
    window.ledger_id = result.ledger_id
    window.reload_ledgers()
    window.statusBar().showMessage(f"已导入“{path.name}”：{result.task_count} 项任务。", 8000)
    return result.ledger_id


def backup_and_restore(window: MainWindow) -> None:
    from fazhi_desktop.ui.backup_dialog import BackupDialog

    BackupDialog(window).exec()


def _run(window: MainWindow, label: str, fn: Callable[[], T]) -> T | None:
    try:
        return run_with_progress(window, label, fn)
    except FazhiError as exc:
        QMessageBox.warning(window, "法治台账", str(exc))
        return None
