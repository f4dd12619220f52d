"""Undoable edits. Each command writes through the services at once and knows how to revert."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from fazhi_desktop.errors import ConnectionLostError, EditConflictError
from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.services import tasks as task_ops
from fazhi_desktop.services.tasks import TaskSnapshot
from fazhi_desktop.vocab.columns import LABEL_OF_ATTR

T = TypeVar("T")


class Runner(Protocol):
    """Runs a function inside one committed transaction and returns its result."""

    def __call__(self, fn: Callable[[Session], T]) -> T: ...


# Tells the window which task changed (None: reload everything).
Refresh = Callable[[int | None], None]

FIELD_LABELS = LABEL_OF_ATTR


class SetProgressCommand(QUndoCommand):
    def __init__(
        self,
        run: Runner,
        refresh: Refresh,
        task_id: int,
        period: str,
        text: str,
        base_version: int | None = None,
    ) -> None:
        super().__init__("修改进展情况")
        self._run, self._refresh = run, refresh
        self._task_id, self._period, self._new = task_id, period, text
        self._old: str | None = None
        # 单位模式: the task's version the user saw; a newer one is a conflict (first save only).
        self._base = base_version
        self.conflict: EditConflictError | None = None
        self.lost: ConnectionLostError | None = None

    def redo(self) -> None:
        base, self._base = self._base, None
        try:
            self._old = self._run(
                lambda s: task_ops.set_progress(
                    s, self._task_id, self._period, self._new, base_version=base
                )
            )
        except (EditConflictError, ConnectionLostError) as exc:
            # Nothing was saved: the stack drops an obsolete command instead of keeping it
            # (its undo would write over the other person's text). The caller asks the user.
            if isinstance(exc, EditConflictError):
                self.conflict = exc
            else:
                self.lost = exc
            self.setObsolete(True)
            return
        self._refresh(self._task_id)

    def undo(self) -> None:
        self._run(lambda s: task_ops.set_progress(s, self._task_id, self._period, self._old))
        self._refresh(self._task_id)


class SetFieldCommand(QUndoCommand):
    def __init__(self, run: Runner, refresh: Refresh, task_id: int, field: str, value: str) -> None:
        super().__init__(f"修改{FIELD_LABELS.get(field, field)}")
        self._run, self._refresh = run, refresh
        self._task_id, self._field, self._new = task_id, field, value
        self._old = ""

    def redo(self) -> None:
        self._old = self._run(
            lambda s: task_ops.set_field(s, self._task_id, self._field, self._new)
        )
        self._refresh(self._task_id)

    def undo(self) -> None:
        self._run(lambda s: task_ops.set_field(s, self._task_id, self._field, self._old))
        self._refresh(self._task_id)


class SetDoneCommand(QUndoCommand):
    def __init__(
        self, run: Runner, refresh: Refresh, task_id: int, done: bool, on: dt.date | None
    ) -> None:
        super().__init__("标记完成" if done else "取消完成")
        self._run, self._refresh = run, refresh
        self._task_id, self._new = task_id, (done, on)
        self._old: tuple[bool, dt.date | None] = (False, None)

    def redo(self) -> None:
        self._old = self._run(lambda s: task_ops.set_done(s, self._task_id, *self._new))
        self._refresh(self._task_id)

    def undo(self) -> None:
        self._run(lambda s: task_ops.set_done(s, self._task_id, *self._old))
        self._refresh(self._task_id)


class AddTaskCommand(QUndoCommand):
    def __init__(
        self, run: Runner, refresh: Refresh, ledger_id: int, draft: TaskDraft, position: int
    ) -> None:
        super().__init__("新增任务")
        self._run, self._refresh = run, refresh
        self._ledger_id, self._draft, self._position = ledger_id, draft, position
        self._snapshot: TaskSnapshot | None = None
        self.task_id: int | None = None

    def redo(self) -> None:
        if self._snapshot is None:
            self.task_id = self._run(
                lambda s: task_ops.add_task(s, self._ledger_id, self._draft, self._position)
            )
        else:
            snapshot = self._snapshot
            self.task_id = self._run(lambda s: task_ops.restore_task(s, snapshot))
        self._refresh(None)

    def undo(self) -> None:
        task_id = self.task_id
        assert task_id is not None
        self._snapshot = self._run(lambda s: task_ops.delete_task(s, task_id))
        self._refresh(None)


class DeleteTaskCommand(QUndoCommand):
    def __init__(self, run: Runner, refresh: Refresh, task_id: int) -> None:
        super().__init__("删除任务")
        self._run, self._refresh = run, refresh
        self._task_id = task_id
        self._snapshot: TaskSnapshot | None = None

    def redo(self) -> None:
        self._snapshot = self._run(lambda s: task_ops.delete_task(s, self._task_id))
        self._refresh(None)

    def undo(self) -> None:
        snapshot = self._snapshot
        assert snapshot is not None
        self._run(lambda s: task_ops.restore_task(s, snapshot))
        self._refresh(None)


class MoveTaskCommand(QUndoCommand):
    def __init__(self, run: Runner, refresh: Refresh, task_id: int, position: int) -> None:
        super().__init__("移动任务")
        self._run, self._refresh = run, refresh
        self._task_id, self._new = task_id, position
        self._old = position

    def redo(self) -> None:
        self._old = self._run(lambda s: task_ops.move_task(s, self._task_id, self._new))
        self._refresh(None)

    def undo(self) -> None:
        self._run(lambda s: task_ops.move_task(s, self._task_id, self._old))
        self._refresh(None)
