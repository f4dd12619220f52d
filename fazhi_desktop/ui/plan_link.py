"""Linking 台账 rows to plan tasks: the whole 台账 at once, or one row by hand; undoable."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.ui.dialogs import ok_cancel_buttons

if TYPE_CHECKING:
    from fazhi_desktop.services.plans import LinkProposal, PlanSummary, PlanTaskChoice
    from fazhi_desktop.ui.commands import Refresh, Runner

NO_LINK = "（不关联）"
_WEAK = QColor("#fff4c2")


class SetLinksCommand(QUndoCommand):
    """Set several rows' plan tasks in one undo step."""

    def __init__(
        self, run: Runner, refresh: Refresh, links: Mapping[int, int | None], text: str
    ) -> None:
        super().__init__(text)
        self._run, self._refresh = run, refresh
        self._new = dict(links)
        self._old: dict[int, int | None] = {}

    def redo(self) -> None:
        from fazhi_desktop.services import plans

        self._old = self._run(lambda s: plans.apply_links(s, self._new))
        self._refresh_rows()

    def undo(self) -> None:
        from fazhi_desktop.services import plans

        self._run(lambda s: plans.apply_links(s, self._old))
        self._refresh_rows()

    def _refresh_rows(self) -> None:
        if len(self._new) == 1:
            self._refresh(next(iter(self._new)))
        else:
            self._refresh(None)


class LinkPlanDialog(QDialog):
    """Every row of a 台账 with the plan task proposed for it; each can be changed."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        ledger_title: str,
        plans: Sequence[PlanSummary],
        plan_id: int,
        propose: Callable[[int], tuple[list[LinkProposal], list[PlanTaskChoice]]],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("按方案关联任务")
        self.resize(1100, 640)
        self._propose = propose
        self._proposals: list[LinkProposal] = []
        self._choices: list[PlanTaskChoice] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(f"台账：<b>{ledger_title}</b>　　方案(&P)：", self))
        self.plan_combo = QComboBox(self)
        self.plan_combo.setObjectName("linkPlanCombo")
        for plan in plans:
            year = f"{plan.year}年 " if plan.year else ""
            self.plan_combo.addItem(f"{year}{plan.title}（{plan.task_count}项）", plan.id)
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(plan_id)))
        self.plan_combo.currentIndexChanged.connect(lambda *_: self._load())
        row.addWidget(self.plan_combo, 1)
        clear = QPushButton("全部不关联(&C)", self)
        clear.clicked.connect(self.clear_all)
        row.addWidget(clear)
        layout.addLayout(row)
        self.summary = QLabel(self)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("linkTable")
        self.table.setHorizontalHeaderLabels(["序号", "台账任务", "关联的方案任务", "相似度"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 56)
        self.table.setColumnWidth(3, 70)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            QLabel("按标题相似度建议；黄色为相似度较低，请核对。可在下拉框中改选或选“（不关联）”。")
        )
        layout.addWidget(ok_cancel_buttons(self, "确定关联"))
        self._load()

    def plan_id(self) -> int:
        return int(self.plan_combo.currentData())

    def _load(self) -> None:
        self._proposals, self._choices = self._propose(self.plan_id())
        self.table.setRowCount(len(self._proposals))
        for row, proposal in enumerate(self._proposals):
            self.table.setItem(row, 0, QTableWidgetItem(proposal.seq))
            self.table.setItem(row, 1, QTableWidgetItem(proposal.title))
            combo = QComboBox(self.table)
            combo.addItem(NO_LINK, None)
            for choice in self._choices:
                combo.addItem(choice.label, choice.id)
            combo.setCurrentIndex(max(0, combo.findData(proposal.plan_task_id)))
            combo.currentIndexChanged.connect(lambda *_, r=row: self._changed(r))
            self.table.setCellWidget(row, 2, combo)
            score = QTableWidgetItem(f"{proposal.score:.0f}%" if proposal.plan_task_id else "")
            score.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if proposal.plan_task_id and proposal.score < 90:
                score.setBackground(_WEAK)
            self.table.setItem(row, 3, score)
        self._update_summary()

    def _combo(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, 2)
        assert isinstance(widget, QComboBox)
        return widget

    def _changed(self, row: int) -> None:
        item = self.table.item(row, 3)
        if item is not None:
            item.setText("手工")
            item.setBackground(QColor("transparent"))
        self._update_summary()

    def clear_all(self) -> None:
        for row in range(self.table.rowCount()):
            self._combo(row).setCurrentIndex(0)

    def links(self) -> dict[int, int | None]:
        """Every row's chosen plan task (None: no link)."""
        out: dict[int, int | None] = {}
        for row, proposal in enumerate(self._proposals):
            data = self._combo(row).currentData()
            out[proposal.task_id] = int(data) if data is not None else None
        return out

    def changes(self) -> dict[int, int | None]:
        """Only the rows whose link would change."""
        current = {p.task_id: p.current for p in self._proposals}
        return {t: p for t, p in self.links().items() if current.get(t) != p}

    def _update_summary(self) -> None:
        linked = sum(1 for p in self.links().values() if p is not None)
        self.summary.setText(
            f"{len(self._proposals)} 项任务中 {linked} 项将关联到方案任务，"
            f"{len(self._proposals) - linked} 项不关联。"
        )


class PlanTaskChooser(QDialog):
    """Pick the plan task one 台账 row belongs to (or none); shows its 任务要求."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        task_label: str,
        plans: Sequence[PlanSummary],
        plan_id: int,
        current: int | None,
        choices_of: Callable[[int], list[PlanTaskChoice]],
        suggest: Callable[[int], int | None],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("关联方案任务")
        self.resize(900, 560)
        self._choices_of = choices_of
        self._suggest = suggest
        self._current = current
        self.unlink = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"台账任务：<b>{task_label}</b>", self))
        row = QHBoxLayout()
        row.addWidget(QLabel("方案(&P)：", self))
        self.plan_combo = QComboBox(self)
        for plan in plans:
            year = f"{plan.year}年 " if plan.year else ""
            self.plan_combo.addItem(f"{year}{plan.title}", plan.id)
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(plan_id)))
        self.plan_combo.currentIndexChanged.connect(lambda *_: self._load())
        row.addWidget(self.plan_combo, 1)
        row.addWidget(QLabel("筛选(&F)：", self))
        self.filter = QLineEdit(self)
        self.filter.setObjectName("planTaskFilter")
        self.filter.setPlaceholderText("输入关键字")
        self.filter.textChanged.connect(self._apply_filter)
        row.addWidget(self.filter)
        layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.list = QListWidget(splitter)
        self.list.setObjectName("planTaskList")
        self.list.currentItemChanged.connect(lambda *_: self._preview())
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        self.preview = QTextBrowser(splitter)
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        unlink = QPushButton("不关联(&U)", self)
        unlink.setObjectName("unlinkButton")
        unlink.setToolTip("取消这项任务与方案任务的关联")
        unlink.clicked.connect(self._choose_unlink)
        bottom.addWidget(unlink)
        bottom.addStretch(1)
        bottom.addWidget(ok_cancel_buttons(self, "关联"))
        layout.addLayout(bottom)
        self._load()
        self.list.setFocus()

    def _load(self) -> None:
        plan_id = int(self.plan_combo.currentData())
        self.list.clear()
        wanted = self._current or self._suggest(plan_id)
        for choice in self._choices_of(plan_id):
            item = QListWidgetItem(choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            if choice.section:
                item.setToolTip(choice.section)
            self.list.addItem(item)
            if choice.id == wanted:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)

    def _apply_filter(self, text: str) -> None:
        words = text.split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            choice = item.data(Qt.ItemDataRole.UserRole)
            haystack = choice.label + "".join(choice.requirements)
            item.setHidden(not all(w in haystack for w in words))

    def _preview(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.preview.clear()
            return
        from html import escape

        choice = item.data(Qt.ItemDataRole.UserRole)
        reqs = "".join(f"<li>{escape(r)}</li>" for r in choice.requirements) or "<li>（无）</li>"
        section = f"<p style='color:#666'>{escape(choice.section)}</p>" if choice.section else ""
        self.preview.setHtml(
            f"<h4>{escape(choice.label)}</h4>{section}<b>任务要求</b><ol>{reqs}</ol>"
        )

    def _choose_unlink(self) -> None:
        self.unlink = True
        self.accept()

    def chosen(self) -> int | None:
        """The plan task picked; None when 不关联 was chosen or nothing is selected."""
        if self.unlink:
            return None
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole).id if item is not None else None
