"""The window's plan commands: 文件 → 导入方案, 编辑 → 关联方案任务 / 按方案关联全部任务.

Services are imported on use: this module is imported while the menus are built, before the
window has painted and before SQLAlchemy is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.vocab.kinds import LedgerKind

if TYPE_CHECKING:
    from fazhi_desktop.models.records import LedgerDraft
    from fazhi_desktop.services.ledgers import LedgerSummary
    from fazhi_desktop.services.plans import PlanSummary
    from fazhi_desktop.ui.main_window import MainWindow

IMPORT_TEXT = "导入方案(&L)…"
LINK_ONE_TEXT = "关联方案任务(&K)…"
LINK_ALL_TEXT = "按方案关联全部任务(&J)…"


def add_plan_import_action(window: MainWindow, menu: QMenu) -> QAction:
    action = window._action(IMPORT_TEXT, lambda: import_plan(window), "Ctrl+Shift+O")
    action.setObjectName("importPlanAction")
    action.setToolTip("从方案或工作要点（Word 文档、纯文本或粘贴的文字）新建方案，带任务要求")
    menu.addAction(action)
    return action


def add_plan_link_actions(window: MainWindow, menu: QMenu) -> list[QAction]:
    one = window._action(LINK_ONE_TEXT, lambda: link_current_task(window), "Ctrl+K")
    one.setObjectName("linkTaskAction")
    all_ = window._action(LINK_ALL_TEXT, lambda: link_ledger(window), "Ctrl+Shift+K")
    all_.setObjectName("linkLedgerAction")
    menu.addAction(one)
    menu.addAction(all_)
    return [one, all_]


def _summaries(window: MainWindow) -> list[LedgerSummary]:
    from fazhi_desktop.services import ledgers

    return window.run(ledgers.list_ledgers)


def _current_ledger(window: MainWindow) -> LedgerSummary | None:
    return next((s for s in _summaries(window) if s.id == window.ledger_id), None)


def import_plan(window: MainWindow, path: Path | None = None) -> int | None:
    """Open the import dialog; after saving, offer to link the current 台账 to the new plan."""
    from fazhi_desktop.services import plans
    from fazhi_desktop.ui.plan_dialog import PlanImportDialog

    if window.db is None:
        return None
    today = window.today

    def save(draft: LedgerDraft) -> int:
        from fazhi_desktop.services import backups

        assert window.db is not None
        backups.backup_before(window.db, backups.IMPORT)
        return window.run(lambda s: plans.save_plan(s, draft, today=today)).ledger_id

    remembered = window.ui_state.value("last_dir")
    dialog = PlanImportDialog(
        window, save=save, start_dir=remembered if isinstance(remembered, str) else ""
    )
    if path is not None:
        dialog.load_file(path)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved_ledger_id is None:
        return None
    plan_id = dialog.saved_ledger_id
    count = len(dialog.draft().tasks)
    current = _current_ledger(window)
    if current is not None and current.kind != LedgerKind.PLAN and current.task_count:
        answer = QMessageBox.question(
            window,
            "导入方案",
            f"方案已保存（{count} 项任务）。\n是否按任务标题把当前台账“{current.title}”的任务"
            "关联到该方案？关联后，选中任务即可看到方案中的任务要求。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        window.reload_ledgers()
        if answer == QMessageBox.StandardButton.Yes:
            link_ledger(window, plan_id=plan_id)
    else:
        window.ledger_id = plan_id
        window.reload_ledgers()
    window.statusBar().showMessage(f"已导入方案：{count} 项任务。", 8000)
    return plan_id


def _plans_to_link(window: MainWindow, current: LedgerSummary) -> list[PlanSummary]:
    """The plans the current 台账 can be linked to; empty (after saying why) when none can."""
    from fazhi_desktop.services import plans

    if current.kind == LedgerKind.PLAN:
        window.show_error("当前显示的是方案本身。请先在上方选择要关联的台账。")
        return []
    found = window.run(plans.plan_summaries)
    if not found:
        window.show_error("还没有导入方案。请先用“文件 → 导入方案”导入方案，再关联任务。")
    return list(found)


def link_ledger(window: MainWindow, plan_id: int | None = None) -> bool:
    """Propose a link for every row of the current 台账; apply what the user confirms."""
    from fazhi_desktop.services import plans
    from fazhi_desktop.ui.plan_link import LinkPlanDialog, SetLinksCommand

    current = _current_ledger(window)
    if current is None:
        window.show_error("请先选择一个台账。")
        return False
    found = _plans_to_link(window, current)
    if not found:
        return False
    ledger_id = current.id
    dialog = LinkPlanDialog(
        window,
        ledger_title=current.title,
        plans=found,
        plan_id=plan_id if plan_id is not None else found[-1].id,
        propose=lambda pid: window.run(
            lambda s: (plans.propose_links(s, ledger_id, pid), plans.plan_task_choices(s, pid))
        ),
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    changes = dialog.changes()
    if changes:
        window._push(SetLinksCommand(window.run, window.refresh, changes, "按方案关联任务"))
    linked = sum(1 for p in dialog.links().values() if p is not None)
    window.statusBar().showMessage(
        f"已关联 {linked} 项任务到方案（Ctrl+Z 可撤销）。" if changes else "关联没有变化。", 8000
    )
    return bool(changes)


def link_current_task(window: MainWindow) -> bool:
    """Choose by hand the plan task the selected row belongs to (or none)."""
    from fazhi_desktop.services import plans
    from fazhi_desktop.ui.plan_link import PlanTaskChooser, SetLinksCommand

    task = window.current_task()
    current = _current_ledger(window)
    if task is None or current is None:
        window.show_error("请先选中一项任务。")
        return False
    found = _plans_to_link(window, current)
    if not found:
        return False
    task_id = task.id
    try:
        linked = window.run(lambda s: plans.linked_plan_task(s, task_id))
    except FazhiError as exc:
        window.show_error(str(exc))
        return False
    chooser = PlanTaskChooser(
        window,
        task_label=f"{task.seq} {task.title}",
        plans=found,
        plan_id=linked[0] if linked else found[-1].id,
        current=linked[1] if linked else None,
        choices_of=lambda pid: window.run(lambda s: plans.plan_task_choices(s, pid)),
        suggest=lambda pid: window.run(lambda s: plans.suggest_plan_task(s, task_id, pid)),
    )
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return False
    new = chooser.chosen()
    old = linked[1] if linked else None
    if new == old:
        return False
    text = "关联方案任务" if new is not None else "取消关联方案任务"
    window._push(SetLinksCommand(window.run, window.refresh, {task_id: new}, text))
    window.statusBar().showMessage(f"已{text}（Ctrl+Z 可撤销）。", 8000)
    return True
