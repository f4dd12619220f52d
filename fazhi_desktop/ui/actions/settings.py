"""工具 menu: 台账设置 (per ledger, in the database) and 程序设置 (settings.json + keyring)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from fazhi_desktop.ui.actions.registry import TOOLS, ActionSpec
from fazhi_desktop.ui.actions.window_api import WindowApi


def edit_ledger_settings(api: WindowApi) -> bool:
    from fazhi_desktop.services import config
    from fazhi_desktop.ui.settings_dialogs import LedgerSettingsDialog

    ledger_id = api.ledger_id
    if ledger_id is None:
        api.show_error("请先选择或导入一个台账。")
        return False
    values = api.run(lambda s: config.ledger_values(s, ledger_id))
    dialog = LedgerSettingsDialog(values, api.widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    changed = {k: v for k, v in dialog.values.items() if values.get(k) != v}
    if changed:
        api.run(lambda s: config.apply_ledger(s, ledger_id, changed))
        api.reload_ledgers()
        api.show_status("台账设置已保存。", 5000)
    return True


def edit_preferences(api: WindowApi) -> bool:
    from fazhi_desktop.services import config, submit
    from fazhi_desktop.ui.settings_dialogs import PreferencesDialog

    settings = api.app_settings
    saved = submit.saved_password(submit.server_of(settings)) is not None
    dialog = PreferencesDialog(config.program_values(settings), api.widget, password_saved=saved)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    config.apply_program(settings, dialog.values)
    try:
        settings.save()
    except OSError as exc:
        api.show_error(f"程序设置未能保存：{exc.strerror or exc}。请检查用户配置文件夹是否可写。")
        return False
    password = dialog.typed_password
    if password and dialog.remember.isChecked():
        if not settings.smtp_host or not settings.smtp_user:
            api.show_error("密码未保存：请同时填写 SMTP 服务器和用户名。")
        elif not submit.save_password(settings.smtp_host, settings.smtp_user, password):
            api.show_error(
                "这台电脑的系统密钥库不可用，密码没有保存；直接发送时会每次询问密码。"
                "（密码不会写入任何文件。）"
            )
    api.apply_preferences()
    api.show_status("程序设置已保存。", 5000)
    return True


LEDGER_SETTINGS = ActionSpec(
    TOOLS, "台账设置(&L)…", edit_ledger_settings,
    tip="填报单位、报送邮箱、报送周期和截止日等", name="ledgerSettingsAction",
)  # fmt: skip
PREFERENCES = ActionSpec(
    TOOLS, "程序设置(&O)…", edit_preferences,
    tip="临期提醒天数、导出文件夹、SMTP 服务器等", name="preferencesAction",
)  # fmt: skip
