"""查看 and 帮助 menus: find, refresh, clear the filters; the shortcut list (F1) and 关于."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from fazhi_desktop.ui.actions.registry import EDIT, HELP, VIEW, ActionSpec
from fazhi_desktop.ui.actions.window_api import WindowApi


def refresh(api: WindowApi) -> None:
    api.refresh(None)


def show_shortcuts(api: WindowApi) -> None:
    """Every registered shortcut, generated from the menus (see registry.shortcut_help)."""
    box = QMessageBox(
        QMessageBox.Icon.Information, "快捷键", api.shortcut_help(), parent=api.widget
    )
    box.setObjectName("shortcutHelp")
    box.exec()


def show_about(api: WindowApi) -> None:
    from fazhi_desktop import __version__

    QMessageBox.about(
        api.widget,
        "关于法治台账",
        f"法治台账 {__version__}\n法治政府建设工作台账：离线填报、逾期提醒、导出报送。",
    )


FIND = ActionSpec(
    EDIT, "查找(&F)", lambda api: api.focus_search(), (QKeySequence.StandardKey.Find,),
    name="findAction", needs_db=False,
)  # fmt: skip
REFRESH = ActionSpec(VIEW, "刷新(&R)", refresh, ("F5",), name="refreshAction")
CLEAR_FILTERS = ActionSpec(
    VIEW, "清除筛选", lambda api: api.clear_filters(), ("Ctrl+Shift+L",),
    name="clearFiltersAction", needs_db=False,
)  # fmt: skip
SHORTCUTS = ActionSpec(
    HELP, "快捷键(&K)", show_shortcuts, ("F1",), name="shortcutsAction", needs_db=False
)
ABOUT = ActionSpec(HELP, "关于(&A)", show_about, name="aboutAction", needs_db=False)
