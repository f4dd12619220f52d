"""编辑 menu: add, delete, move, mark done, carry the last progress forward — all undoable.

Every edit is a ``QUndoCommand`` (``ui/commands.py``) pushed through the window, which shows an
edit's error instead of dropping it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.ui.actions.registry import EDIT, ActionSpec
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.dialogs import ask_done_date

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def edit_field(api: WindowApi, task_id: int, field: str, value: str) -> None:
    """One cell typed in the table (or 沿用上期): progress is kept per period, the rest as is."""
    from fazhi_desktop.ui import commands

    if field == "progress":
        command: Any = commands.SetProgressCommand(api.run, api.refresh, task_id, api.period, value)
    else:
        command = commands.SetFieldCommand(api.run, api.refresh, task_id, field, value)
    api.push(command)


def add_task(api: WindowApi) -> None:
    from fazhi_desktop.ui import commands

    if api.ledger_id is None:
        api.show_error("请先选择或导入一个台账。")
        return
    current = api.current_task()
    count = api.task_count()
    position = current.position + 1 if current else count
    draft = TaskDraft(seq=str(count + 1), title="新任务")
    command = commands.AddTaskCommand(api.run, api.refresh, api.ledger_id, draft, position)
    api.push(command)
    if command.task_id is not None:
        api.select_task(command.task_id)
        api.edit_current()


def delete_task(api: WindowApi) -> None:
    from fazhi_desktop.ui import commands

    task = api.current_task()
    if task is None:
        return
    answer = QMessageBox.question(
        api.widget,
        "删除任务",
        f"确定删除任务“{task.seq} {task.title}”及其全部进展记录吗？\n删除后可用 Ctrl+Z 撤销。",
        YES | NO,
        NO,
    )
    if answer == YES:
        api.push(commands.DeleteTaskCommand(api.run, api.refresh, task.id))


def move_task(api: WindowApi, step: int) -> None:
    from fazhi_desktop.ui import commands

    task = api.current_task()
    if task is None:
        return
    api.push(commands.MoveTaskCommand(api.run, api.refresh, task.id, task.position + step))
    api.select_task(task.id)


def move_up(api: WindowApi) -> None:
    move_task(api, -1)


def move_down(api: WindowApi) -> None:
    move_task(api, +1)


def toggle_done(api: WindowApi) -> None:
    from fazhi_desktop.ui import commands

    task = api.current_task()
    if task is None:
        return
    if task.done:
        api.push(commands.SetDoneCommand(api.run, api.refresh, task.id, False, None))
        return
    day = ask_done_date(api.widget, task, api.today)
    if day is not None:
        api.push(commands.SetDoneCommand(api.run, api.refresh, task.id, True, day))


def carry_forward(api: WindowApi) -> None:
    """沿用上期: copy the latest earlier progress into the current period (undoable)."""
    from fazhi_desktop.services import reporting

    task = api.current_task()
    if task is None:
        return
    task_id, period = task.id, api.period
    earlier = api.run(lambda s: reporting.previous_progress(s, task_id, period))
    if earlier is None:
        api.show_status("该任务没有上期进展可沿用。", 5000)
        return
    if task.progress_period == period and task.progress.strip():
        answer = QMessageBox.question(
            api.widget,
            "沿用上期进展",
            "本期已填写进展，要用上期内容替换吗？（可用 Ctrl+Z 撤销）",
            YES | NO,
            NO,
        )
        if answer != YES:
            return
    edit_field(api, task.id, "progress", earlier[1])


ADD = ActionSpec(EDIT, "新增任务(&N)", add_task, (QKeySequence.StandardKey.New,), name="addTask")
DELETE = ActionSpec(EDIT, "删除任务(&D)…", delete_task, ("Ctrl+Delete",), name="deleteTask")
MOVE_UP = ActionSpec(EDIT, "上移(&U)", move_up, ("Alt+Up",), name="moveUp")
MOVE_DOWN = ActionSpec(EDIT, "下移(&W)", move_down, ("Alt+Down",), name="moveDown")
TOGGLE_DONE = ActionSpec(
    EDIT, "标记完成/取消完成(&C)…", toggle_done, ("Ctrl+D",), name="toggleDone"
)
CARRY_FORWARD = ActionSpec(
    EDIT, "沿用上期进展(&L)", carry_forward, ("Ctrl+L",),
    tip="把上期填写的进展复制到本期（可撤销）", name="carryForward",
)  # fmt: skip
