"""文件 → 生成年度报告初稿 (the year's 法治政府建设情况报告 as a .docx first draft): choose the
year and the 台账, write the .docx in the background, offer to open it.

Not to be confused with 报送 (``submission.py``), the monthly sending of the 台账 itself.
Services and python-docx are imported on use, after the window has painted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QMessageBox

from fazhi_desktop.ui import file_dialogs
from fazhi_desktop.ui.actions.registry import FILE, ActionSpec
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.annual_report_dialog import AnnualReportDialog
from fazhi_desktop.ui.background import Op, attempt
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from fazhi_desktop.models.report_records import AnnualReport

ACTION_TEXT = "生成年度报告初稿(&Y)…"


def open_path(path: Path) -> None:
    """Hand a file or folder to the system; tests replace this."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def generate_annual_report(api: WindowApi) -> Op[Path] | None:
    """Ask, gather, write in the background; None when nothing was started."""
    from fazhi_desktop.services import annual_report, ledgers

    if api.db is None:
        return None
    listed = [s for s in api.run(ledgers.list_ledgers) if s.kind != LedgerKind.PLAN]
    if not listed:
        api.show_error("还没有工作台账，无法生成年度报告。请先导入一个 Excel 台账。")
        return None
    current = next((s for s in listed if s.id == api.ledger_id), None)
    year = annual_report.default_year(api.today)
    if current is not None and current.year and current.year <= api.today.year:
        year = current.year
    dialog = AnnualReportDialog(
        listed,
        year=year,
        today=api.today,
        current=current.id if current else None,
        parent=api.widget,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen_year, ids, unit = dialog.year.value(), dialog.ledger_ids, dialog.unit.text()
    report = attempt(
        api.show_error,
        lambda: api.run(
            lambda s: annual_report.build_annual_report(
                s,
                chosen_year,
                today=api.today,
                ledger_ids=ids,
                unit=unit,
                due_soon_days=api.app_settings.due_soon_days,
            )
        ),
    )
    if report is None:
        return None
    name = f"{report.unit or '年度报告'}{chosen_year}年法治政府建设情况报告（初稿）.docx"
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in name)
    target = file_dialogs.ask_save(
        api.widget, api, "保存年度报告初稿", name, "Word 文档 (*.docx)"
    )
    if target is None:
        return None
    op = Op.simple(
        api.widget, "正在生成年度报告初稿…", lambda: annual_report.write_report(report, target)
    )
    done = op.success(lambda path: _offer_to_open(api, path, report))
    return done.shown_by(api.show_error).run()


def _offer_to_open(api: WindowApi, target: Path, report: AnnualReport) -> None:
    api.show_status(f"已生成年度报告初稿：{target}")
    box = QMessageBox(api.widget)
    box.setObjectName("annualReportDone")
    box.setWindowTitle("年度报告初稿已生成")
    box.setIcon(QMessageBox.Icon.Information)
    notes = "".join(f"\n注意：{w}" for w in report.warnings)
    box.setText(f"已保存到：\n{target}\n\n灰色斜体的“撰写提示”段落请在定稿前删除。{notes}")
    open_file = box.addButton("打开文件(&O)", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("打开所在文件夹(&F)", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_file:
        open_path(target)
    elif clicked is open_folder:
        open_path(target.parent)


ANNUAL_REPORT = ActionSpec(
    FILE, ACTION_TEXT, generate_annual_report,
    tip="按全年台账生成《关于某年法治政府建设情况的报告》初稿（Word 文档）",
    name="annualReportAction",
)  # fmt: skip
