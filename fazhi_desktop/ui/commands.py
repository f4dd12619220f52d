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


class _ServerSave(QUndoCommand):
    """A first save that met a newer save by someone else (单位模式) or a server gone away.

    Nothing was saved: the command makes itself obsolete, so the stack drops it instead of
    keeping it (its undo would write over the other person's text), and the caller asks the
    user (``conflict``) or keeps the typed text (``lost``).
    """

    def __init__(self, text: str, base_version: int | None) -> None:
        super().__init__(text)
        self._base = base_version  # the task's version the user saw; used by the first save only
        self.conflict: EditConflictError | None = None
        self.lost: ConnectionLostError | None = None

    def _first_save(self, save: Callable[[int | None], T]) -> tuple[bool, T | None]:
        base, self._base = self._base, None
        try:
            return True, save(base)
        except EditConflictError as exc:
            self.conflict = exc
        except ConnectionLostError as exc:
            self.lost = exc
        self.setObsolete(True)
        return False, None


class SetProgressCommand(_ServerSave):
    def __init__(
        self,
        run: Runner,
        refresh: Refresh,
        task_id: int,
        period: str,
        text: str,
        base_version: int | None = None,
    ) -> None:
        super().__init__("修改进展情况", base_version)
        self._run, self._refresh = run, refresh
        self._task_id, self._period, self._new = task_id, period, text
        self._old: str | None = None

    def redo(self) -> None:
        saved, old = self._first_save(
            lambda base: self._run(
                lambda s: task_ops.set_progress(
                    s, self._task_id, self._period, self._new, base_version=base
                )
            )
        )
        if saved:
            self._old = old
            self._refresh(self._task_id)

    def undo(self) -> None:
        self._run(lambda s: task_ops.set_progress(s, self._task_id, self._period, self._old))
        self._refresh(self._task_id)


class SetFieldCommand(_ServerSave):
    def __init__(
        self,
        run: Runner,
        refresh: Refresh,
        task_id: int,
        field: str,
        value: str,
        base_version: int | None = None,
    ) -> None:
        super().__init__(f"修改{FIELD_LABELS.get(field, field)}", base_version)
        self._run, self._refresh = run, refresh
        self._task_id, self._field, self._new = task_id, field, value
        self._old = ""

    def redo(self) -> None:
        saved, old = self._first_save(
            lambda base: self._run(
                lambda s: task_ops.set_field(
                    s, self._task_id, self._field, self._new, base_version=base
                )
            )
        )
        if saved and old is not None:
            self._old = old
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
