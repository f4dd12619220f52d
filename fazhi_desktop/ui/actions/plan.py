"""The plan commands: 文件 → 导入方案, 编辑 → 关联方案任务 / 按方案关联全部任务.

Services are imported on use: this module is imported while the menus are built, before the
window has painted and before SQLAlchemy is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from fazhi_desktop.ui.actions.registry import EDIT, FILE, ActionSpec
from fazhi_desktop.ui.actions.window_api import WindowApi
from fazhi_desktop.ui.background import attempt
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from fazhi_desktop.models.records import LedgerDraft
    from fazhi_desktop.services.ledgers import LedgerSummary
    from fazhi_desktop.services.plans import PlanSummary

IMPORT_TEXT = "导入方案(&L)…"
LINK_ONE_TEXT = "关联方案任务(&K)…"
LINK_ALL_TEXT = "按方案关联全部任务(&J)…"


def _ledgers_listed(api: WindowApi) -> list[LedgerSummary]:
    from fazhi_desktop.services import ledgers

    return api.run(ledgers.list_ledgers)


def _current_ledger(api: WindowApi) -> LedgerSummary | None:
    return next((s for s in _ledgers_listed(api) if s.id == api.ledger_id), None)


def import_plan(api: WindowApi, path: Path | None = None) -> int | None:
    """Open the import dialog; after saving, offer to link the current 台账 to the new plan."""
    from fazhi_desktop.services import plans
    from fazhi_desktop.ui.plan_dialog import PlanImportDialog

    if api.db is None:
        return None
    today = api.today

    def save(draft: LedgerDraft) -> int:
        from fazhi_desktop.services import backups

        assert api.db is not None
        backups.backup_before(api.db, backups.IMPORT)
        return api.run(lambda s: plans.save_plan(s, draft, today=today)).ledger_id

    dialog = PlanImportDialog(api.widget, save=save, folders=api)
    if path is not None:
        dialog.load_file(path)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved_ledger_id is None:
        return None
    plan_id = dialog.saved_ledger_id
    count = len(dialog.draft().tasks)
    current = _current_ledger(api)
    if current is not None and current.kind != LedgerKind.PLAN and current.task_count:
        answer = QMessageBox.question(
            api.widget,
            "导入方案",
            f"方案已保存（{count} 项任务）。\n是否按任务标题把当前台账“{current.title}”的任务"
            "关联到该方案？关联后，选中任务即可看到方案中的任务要求。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        api.reload_ledgers()
        if answer == QMessageBox.StandardButton.Yes:
            link_ledger(api, plan_id=plan_id)
    else:
        api.ledger_id = plan_id
        api.reload_ledgers()
    api.show_status(f"已导入方案：{count} 项任务。")
    return plan_id


def _plans_to_link(api: WindowApi, current: LedgerSummary) -> list[PlanSummary]:
    """The plans the current 台账 can be linked to; empty (after saying why) when none can."""
    from fazhi_desktop.services import plans

    if current.kind == LedgerKind.PLAN:
        api.show_error("当前显示的是方案本身。请先在上方选择要关联的台账。")
        return []
    found = api.run(plans.plan_summaries)
    if not found:
        api.show_error("还没有导入方案。请先用“文件 → 导入方案”导入方案，再关联任务。")
    return list(found)


def link_ledger(api: WindowApi, plan_id: int | None = None) -> bool:
    """Propose a link for every row of the current 台账; apply what the user confirms."""
    from fazhi_desktop.services import plans
    from fazhi_desktop.ui.plan_link import LinkPlanDialog, SetLinksCommand

    current = _current_ledger(api)
    if current is None:
        api.show_error("请先选择一个台账。")
        return False
    found = _plans_to_link(api, current)
    if not found:
        return False
    ledger_id = current.id
    dialog = LinkPlanDialog(
        api.widget,
        ledger_title=current.title,
        plans=found,
        plan_id=plan_id if plan_id is not None else found[-1].id,
        propose=lambda pid: api.run(
            lambda s: (plans.propose_links(s, ledger_id, pid), plans.plan_task_choices(s, pid))
        ),
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    changes = dialog.changes()
    if changes:
        api.push(SetLinksCommand(api.run, api.refresh, changes, "按方案关联任务"))
    linked = sum(1 for p in dialog.links().values() if p is not None)
    api.show_status(
        f"已关联 {linked} 项任务到方案（Ctrl+Z 可撤销）。" if changes else "关联没有变化。", 8000
    )
    return bool(changes)


def link_current_task(api: WindowApi) -> bool:
    """Choose by hand the plan task the selected row belongs to (or none)."""
    from fazhi_desktop.services import plans
    from fazhi_desktop.ui.plan_link import PlanTaskChooser, SetLinksCommand

    task = api.current_task()
    current = _current_ledger(api)
    if task is None or current is None:
        api.show_error("请先选中一项任务。")
        return False
    found = _plans_to_link(api, current)
    if not found:
        return False
    task_id = task.id
    # In a 1-tuple: “no link yet” (None) must differ from “could not look” (attempt's None).
    looked_up = attempt(
        api.show_error, lambda: (api.run(lambda s: plans.linked_plan_task(s, task_id)),)
    )
    if looked_up is None:
        return False
    (linked,) = looked_up
    chooser = PlanTaskChooser(
        api.widget,
        task_label=f"{task.seq} {task.title}",
        plans=found,
        plan_id=linked[0] if linked else found[-1].id,
        current=linked[1] if linked else None,
        choices_of=lambda pid: api.run(lambda s: plans.plan_task_choices(s, pid)),
        suggest=lambda pid: api.run(lambda s: plans.suggest_plan_task(s, task_id, pid)),
    )
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return False
    new = chooser.chosen()
    old = linked[1] if linked else None
    if new == old:
        return False
    text = "关联方案任务" if new is not None else "取消关联方案任务"
    api.push(SetLinksCommand(api.run, api.refresh, {task_id: new}, text))
    api.show_status(f"已{text}（Ctrl+Z 可撤销）。")
    return True


IMPORT_PLAN = ActionSpec(
    FILE, IMPORT_TEXT, import_plan, ("Ctrl+Shift+O",), name="importPlanAction",
    tip="从方案或工作要点（Word 文档、纯文本或粘贴的文字）新建方案，带任务要求",
)  # fmt: skip
LINK_ONE = ActionSpec(EDIT, LINK_ONE_TEXT, link_current_task, ("Ctrl+K",), name="linkTaskAction")
LINK_ALL = ActionSpec(EDIT, LINK_ALL_TEXT, link_ledger, ("Ctrl+Shift+K",), name="linkLedgerAction")
