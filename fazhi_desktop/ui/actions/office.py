"""工具 → 连接单位数据库 (单位模式): check the server, then open it in a window of its own."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QProcess, QProcessEnvironment
from PySide6.QtWidgets import QDialog

from fazhi_desktop.ui.actions.registry import TOOLS, ActionSpec
from fazhi_desktop.ui.actions.window_api import WindowApi


def connect_office(api: WindowApi) -> bool:
    from fazhi_desktop.paths import is_server_url
    from fazhi_desktop.services import office
    from fazhi_desktop.ui.background import Op
    from fazhi_desktop.ui.office_dialog import ConnectDialog

    dialog = ConnectDialog(api.widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    address = dialog.address.text().strip()
    password = dialog.password.text()
    if not is_server_url(address):
        api.show_error(f"“{address}”不是单位数据库地址。应形如 postgresql://登录名@服务器:5432/fazhi。")
        return False
    full = office.address_with_password(address, password) if password else address
    remember = dialog.remember.isChecked() and bool(password)

    def opened(_: None) -> None:
        kept = office.remember_password(address, password) if remember else False
        open_in_new_window(address, "" if kept else password)
        api.show_status("已在新窗口中打开单位数据库。", 8000)

    Op.simple(api.widget, "正在连接单位数据库…", lambda: office.check_connection(full)).success(
        opened
    ).shown_by(api.show_error).run()
    return True


def open_in_new_window(address: str, password: str) -> bool:
    """Start this program again on the server; a password not in the keyring goes by PGPASSWORD."""
    frozen = getattr(sys, "frozen", False)
    args = ([] if frozen else ["-m", "fazhi_desktop"]) + ["--db", address]
    process = QProcess()
    process.setProgram(sys.executable)
    process.setArguments(args)
    env = QProcessEnvironment.systemEnvironment()
    if password:
        env.insert("PGPASSWORD", password)
    env.remove("FAZHI_DB")
    process.setProcessEnvironment(env)
    process.setWorkingDirectory(os.getcwd())
    started, _pid = process.startDetached()
    return bool(started)


CONNECT_OFFICE = ActionSpec(
    TOOLS, "连接单位数据库(&D)…", connect_office,
    tip="单位模式：打开信息科在内网服务器上建立的共享台账", name="connectOfficeAction",
    needs_db=False,
)  # fmt: skip
