"""The pane beside the table: the selected task's 任务要求 and its progress month by month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QTextBrowser

from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.vocab.dates import period_label

if TYPE_CHECKING:
    from fazhi_desktop.services.tasks import HistoryEntry


_EMPTY = "<p style='color:#666'>选中一项任务，这里显示它的任务要求和每月进展。</p>"


class DetailPane(QTextBrowser):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setOpenLinks(False)
        self._empty = False
        # 单位模式 (ui/office_link.py): more about a task, as HTML, shown below its progress.
        self.extra: Callable[[int], str] | None = None
        self.show_task(None, [])

    def show_task(self, task: TaskRecord | None, history: list[HistoryEntry]) -> None:
        if task is None:
            # Asked again on every filter keystroke that leaves no row selected; laying out
            # the same text again cost a few ms each time.
            if not self._empty:
                self.setHtml(_EMPTY)
                self._empty = True
            return
        self._empty = False
        parts = [f"<h3>{escape(task.seq)} {escape(task.title)}</h3>"]
        meta = [
            ("完成时间", task.deadline_text or "未填"),
            ("状态", task.status.value),
            ("责任科室", task.department),
            ("配合单位", task.partners),
            ("责任人", task.owner),
        ]
        if task.done_on:
            meta.append(("完成日期", task.done_on.isoformat()))
        parts.append("<p>" + "<br>".join(f"<b>{k}：</b>{escape(v)}" for k, v in meta if v) + "</p>")
        parts.append("<h4>任务要求</h4>")
        if task.requirements:
            items = "".join(f"<li>{escape(r)}</li>" for r in task.requirements)
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append("<p style='color:#666'>（无）</p>")
        parts.append("<h4>进展情况（按月）</h4>")
        if history:
            for entry in history:
                # Stored in UTC so history sorts across time zones; shown in local time.
                local = entry.updated_at.replace(tzinfo=dt.UTC).astimezone()
                stamp = local.strftime("%Y-%m-%d %H:%M")
                parts.append(
                    f"<p><b>{period_label(entry.period)}</b>"
                    f" <span style='color:#888'>（{stamp} 更新）</span><br>"
                    f"{escape(entry.text).replace(chr(10), '<br>')}</p>"
                )
        else:
            parts.append("<p style='color:#666'>尚未填报。</p>")
        if self.extra is not None:
            parts.append(self.extra(task.id))
        self.setHtml("".join(parts))
