"""Actions declared as data: text, shortcut, menu, handler, status tip — and the F1 help built
from them, so a shortcut cannot be added without showing up there.

Each ``ui/actions/<area>.py`` lists its :class:`ActionSpec` entries; the main window turns them
into ``QAction``s in its menus (:func:`build_menu`). A handler receives the window as a
:class:`~fazhi_desktop.ui.actions.window_api.WindowApi` and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from fazhi_desktop.ui.actions.window_api import WindowApi

Handler = Callable[[WindowApi], object]
Keys = str | QKeySequence.StandardKey

# The menus, in the order of the menu bar.
FILE, EDIT, VIEW, TOOLS = "文件(&F)", "编辑(&E)", "查看(&V)", "工具(&T)"
SUMMARY, HELP = "汇总(&S)", "帮助(&H)"
MENUS = (FILE, EDIT, VIEW, TOOLS, SUMMARY, HELP)
SEPARATOR = "-"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    menu: str
    text: str  # with the &-accelerator; SEPARATOR for a separator line
    handler: Handler | None = None
    keys: tuple[Keys, ...] = ()
    tip: str = ""  # shown in the status bar while the item is highlighted
    name: str = ""  # objectName, for tests and for finding the action
    needs_db: bool = True  # before the database is attached the action does nothing
    widget_only: bool = False  # the shortcut works only while the table has focus (F2)


def separator(menu: str) -> ActionSpec:
    return ActionSpec(menu, SEPARATOR)


def menu_titles(window: QMainWindow) -> dict[str, QMenu]:
    """The menu bar's menus, in order and still empty (see ``menus.fill_menus``)."""
    bar = window.menuBar()
    return {title: bar.addMenu(title) for title in MENUS}


def make_action(
    spec: ActionSpec, parent: QObject, trigger: Callable[[ActionSpec], None]
) -> QAction:
    action = QAction(spec.text, parent)
    if spec.keys:
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
    if spec.tip:
        action.setStatusTip(spec.tip)
        action.setToolTip(spec.tip)
    if spec.name:
        action.setObjectName(spec.name)
    if spec.widget_only:
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda *_: trigger(spec))
    return action


def build_menu(
    menu: QMenu,
    specs: Iterable[ActionSpec],
    parent: QObject,
    trigger: Callable[[ActionSpec], None],
) -> list[QAction]:
    """Add ``specs`` (those of this menu) to ``menu``; returns the actions made."""
    made = []
    for spec in specs:
        if spec.text == SEPARATOR:
            menu.addSeparator()
            continue
        action = make_action(spec, parent, trigger)
        menu.addAction(action)
        made.append(action)
    return made


# Qt's NativeText under the Chinese catalogue writes the arrows as “上方向”/“下方向”, which reads
# oddly in a list of keys; the keycaps show arrows, so the help does too.
_KEYCAPS = {"Up": "↑", "Down": "↓", "Left": "←", "Right": "→", "Del": "Delete"}


def key_label(sequence: QKeySequence) -> str:
    """One shortcut as printed on the keys: “Alt+↑”, “Ctrl+Shift+E”."""
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    return "+".join(_KEYCAPS.get(part, part) for part in text.split("+"))


def key_text(action: QAction) -> str:
    """All of an action's shortcuts, “Ctrl+Y / Ctrl+Shift+Z”; "" when it has none."""
    return " / ".join(key_label(s) for s in action.shortcuts() if not s.isEmpty())


def plain_text(action: QAction) -> str:
    """The menu text without accelerator and ellipsis: “导出 PDF(&P)…” → “导出 PDF”."""
    text = action.text().replace("…", "")
    if "(&" in text:
        text = text[: text.index("(&")]
    return text.replace("&", "").strip()


EDITOR_HELP = (
    "F2 / 双击：编辑单元格（直接打字也可开始编辑）",
    "  多行编辑时：Enter 换行，Ctrl+Enter 保存，Esc 取消，Tab 保存并离开",
)


def shortcut_help(menus: Sequence[QMenu]) -> str:
    """The F1 text: every action in ``menus`` that has a shortcut, menu by menu."""
    lines = list(EDITOR_HELP)
    for menu in menus:
        entries = [
            f"  {key_text(a)}　{plain_text(a)}"
            for a in menu.actions()
            if not a.isSeparator() and key_text(a)
        ]
        if entries:
            lines.append(f"{menu.title().split('(')[0]}：")
            lines.extend(entries)
    return "\n".join(lines)
