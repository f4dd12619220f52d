"""汇总 menu: make a summary ledger (汇总台账), import the units' returns, open the 汇总 view.

汇总 is the office that collects: it gathers the returns of many units into one view. The view
and the services are imported on use, after the window has painted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QInputDialog

from fazhi_desktop.ui.actions.registry import SUMMARY, ActionSpec
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.background import attempt
from fazhi_desktop.ui.summary.new_dialog import NewSummaryDialog, ledger_label
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fazhi_desktop.models.records import LedgerListing
    from fazhi_desktop.ui.summary.window import SummaryWindow


def new_summary(api: WindowApi) -> int | None:
    """Ask for the template and the units, create the summary ledger, open its view."""
    from fazhi_desktop.services import ledgers, summary

    if api.db is None:
        return None
    templates = [s for s in api.run(ledgers.list_ledgers) if s.kind != LedgerKind.SUMMARY]
    if not templates:
        api.show_error("还没有可作模板的方案或台账。请先用“文件 → 导入 Excel 台账”导入一个。")
        return None
    dialog = NewSummaryDialog(api, templates, api.ledger_id)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    template_id, names = dialog.template_id, dialog.units.units()

    def create(session: Session) -> int:
        return summary.create_summary(session, template_id, units=names)

    ledger_id = attempt(api.show_error, lambda: api.run(create))
    if ledger_id is None:
        return None
    previous = next((s for s in templates if s.id == api.ledger_id), None)
    api.ledger_id = ledger_id
    api.reload_ledgers()
    created = next((s for s in api.run(ledgers.list_ledgers) if s.id == ledger_id), None)
    # The window now shows a new, empty ledger: say so, or it looks as if the progress were gone.
    message = created_message(created.title if created else "", previous, len(names))
    api.show_status(message, 30000)
    open_summary(api, ledger_id).status.setText(message)
    return ledger_id


def created_message(title: str, previous: LedgerListing | None, units: int) -> str:
    back = f"原来的“{previous.title}”没有改动，" if previous is not None else ""
    return (
        f"已建立汇总台账“{title}”（应报单位 {units} 个），主窗口已切换到它。"
        f"{back}可在“台账”框中选回。"
    )


def _summary_ledger(api: WindowApi) -> int | None:
    """The current ledger if it is a summary; else the only one; else ask which."""
    from fazhi_desktop.services import ledgers

    if api.db is None:
        return None
    summary_ledgers = [s for s in api.run(ledgers.list_ledgers) if s.kind == LedgerKind.SUMMARY]
    if not summary_ledgers:
        api.show_error(
            "还没有汇总台账。请先用“汇总 → 新建汇总台账”以方案或台账为模板建立，"
            "再导入各单位的报送文件。"
        )
        return None
    current = next((s for s in summary_ledgers if s.id == api.ledger_id), None)
    if current is not None:
        return current.id
    if len(summary_ledgers) == 1:
        return summary_ledgers[0].id
    labels = [ledger_label(s) for s in summary_ledgers]
    chosen, ok = QInputDialog.getItem(api.widget, "选择汇总台账", "汇总台账：", labels, 0, False)
    if not ok:
        return None
    return summary_ledgers[labels.index(chosen)].id


def open_summary(api: WindowApi, ledger_id: int) -> SummaryWindow:
    """Show the 汇总 view of ``ledger_id`` (bringing an open one to the front)."""
    from fazhi_desktop.ui.summary.window import SummaryWindow

    for child in api.widget.findChildren(SummaryWindow):
        if child.ledger_id == ledger_id and child.isVisible():
            child.raise_()
            child.activateWindow()
            return child
    view = SummaryWindow(api, ledger_id)
    view.show()
    return view


def show_summary(api: WindowApi) -> SummaryWindow | None:
    ledger_id = _summary_ledger(api)
    return None if ledger_id is None else open_summary(api, ledger_id)


def import_returns(api: WindowApi) -> SummaryWindow | None:
    """Open the 汇总 view and ask for the returns to import into it."""
    view = show_summary(api)
    if view is not None:
        view.import_files()
    return view


def collect_mail(api: WindowApi) -> SummaryWindow | None:
    """Open the 汇总 view and take the returns from the collection mailbox into it."""
    view = show_summary(api)
    if view is not None:
        view.collect_mail()
    return view


def send_reminders(api: WindowApi) -> SummaryWindow | None:
    """Open the 汇总 view and the 催报 preview for its period."""
    view = show_summary(api)
    if view is not None:
        view.send_reminders()
    return view


def mailbox_settings(api: WindowApi) -> bool:
    """收件邮箱设置: the imap_* program settings and the mailbox password."""
    from fazhi_desktop.ui.summary.mailbox_settings import edit_mailbox

    saved, _password = edit_mailbox(api.app_settings, api.widget)
    if saved:
        api.show_status("收件邮箱设置已保存。", 5000)
    return saved


NEW_SUMMARY = ActionSpec(
    SUMMARY, "新建汇总台账(&N)…", new_summary,
    tip="以方案或台账为模板建立汇总台账，列出应报送的单位", name="newSummaryAction",
)  # fmt: skip
IMPORT_RETURNS = ActionSpec(
    SUMMARY, "导入报送文件(&I)…", import_returns,
    tip="把各单位报送的 Excel 文件导入汇总台账", name="importReturnsAction",
)  # fmt: skip
SHOW_SUMMARY = ActionSpec(
    SUMMARY, "汇总情况(&S)", show_summary, ("Ctrl+Shift+H",),
    tip="按期间、任务、单位查看各单位报送的汇总情况", name="showSummaryAction",
)  # fmt: skip
COLLECT_MAIL = ActionSpec(
    SUMMARY, "收取报送邮件(&M)…", collect_mail,
    tip="从报送邮箱收取各单位的报送文件并导入汇总台账（设置见 fazhi config imap_*）",
    name="collectMailAction",
)  # fmt: skip
SEND_REMINDERS = ActionSpec(
    SUMMARY, "发送催报(&R)…", send_reminders,
    tip="给本期未报送的单位发催报邮件（先预览收件人和正文）", name="sendRemindersAction",
)  # fmt: skip
MAILBOX_SETTINGS = ActionSpec(
    SUMMARY, "收件邮箱设置(&B)…", mailbox_settings,
    tip="收取报送邮件所用的 IMAP 服务器、用户名、加密方式和密码", name="mailboxSettingsAction",
)  # fmt: skip
