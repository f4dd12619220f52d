"""The menu bar, in order: which registered action goes where. A new feature adds its
``ActionSpec`` in its own ``ui/actions/<area>.py`` and lists it here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from fazhi_desktop.ui.actions import (
    annual_report,
    file,
    office,
    plan,
    settings,
    submission,
    summary,
    tasks,
    view,
)
from fazhi_desktop.ui.actions.registry import (
    EDIT,
    FILE,
    MENUS,
    ActionSpec,
    build_menu,
    separator,
)

MENU_BAR: tuple[ActionSpec, ...] = (
    file.IMPORT_XLSX,
    plan.IMPORT_PLAN,
    separator(FILE),
    file.EXPORT_XLSX,
    file.EXPORT_PDF,
    annual_report.ANNUAL_REPORT,
    separator(FILE),
    file.PRINT_PREVIEW,
    file.PRINT,
    separator(FILE),
    submission.SUBMIT,
    submission.SUBMISSIONS,
    separator(FILE),
    file.BACKUP,
    separator(FILE),
    file.QUIT,
    # 编辑 starts with 撤销/重做, which the window's undo stack makes.
    separator(EDIT),
    tasks.ADD,
    tasks.DELETE,
    tasks.MOVE_UP,
    tasks.MOVE_DOWN,
    separator(EDIT),
    tasks.TOGGLE_DONE,
    tasks.CARRY_FORWARD,
    plan.LINK_ONE,
    plan.LINK_ALL,
    separator(EDIT),
    view.FIND,
    view.REFRESH,
    view.CLEAR_FILTERS,
    settings.LEDGER_SETTINGS,
    settings.PREFERENCES,
    office.CONNECT_OFFICE,
    summary.NEW_SUMMARY,
    summary.IMPORT_RETURNS,
    summary.COLLECT_MAIL,
    summary.SEND_REMINDERS,
    summary.MAILBOX_SETTINGS,
    summary.SHOW_SUMMARY,
    view.SHORTCUTS,
    view.ABOUT,
)


def specs_of(menu: str) -> list[ActionSpec]:
    assert menu in MENUS, menu
    return [spec for spec in MENU_BAR if spec.menu == menu]


def fill_menus(
    window: QMainWindow,
    menus: dict[str, QMenu],
    undo_redo: Sequence[QAction],
    trigger: Callable[[ActionSpec], None],
) -> None:
    """Put the registered actions into the (empty) ``menus`` of ``registry.menu_titles``; the
    actions are also added to the window, so their shortcuts work while the menus are closed.
    ``undo_redo`` (from the undo stack) open the 编辑 menu."""
    undo, redo = undo_redo
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    for title, menu in menus.items():
        if title == EDIT:
            menu.addActions(list(undo_redo))
        window.addActions(build_menu(menu, specs_of(title), window, trigger))
