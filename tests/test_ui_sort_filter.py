"""Sorting and filtering in the task model (issue 17): same rows, same order as the rules say,
also after edits, undo/redo, inserts, deletes and moves."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import replace

import pytest
from conftest import TODAY
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.models.status import Colour, Status
from fazhi_desktop.ui.actions import tasks as tasks_actions
from fazhi_desktop.ui.filter_proxy import TaskFilterProxy
from fazhi_desktop.ui.main_window import MainWindow
from fazhi_desktop.ui.task_filter import STATUS_FILTERS
from fazhi_desktop.ui.task_model import (
    COL_DEADLINE,
    COL_DEPT,
    COL_OWNER,
    COL_PROGRESS,
    COL_SEQ,
    COL_STATUS,
    COL_TITLE,
    RowObjectRole,
    Tally,
    TaskTableModel,
    search_text,
)

UNDATED_LAST = 10**7
STATUS_RANK = {"逾期未完成": 0, "推进中": 1, "未启动": 2, "逾期完成": 3, "已完成": 4}


def _reference_key(task: TaskRecord, col: int) -> object:
    """What each column sorts by, written out from the rules, not taken from the model."""
    if col == COL_SEQ:
        return task.position
    if col == COL_DEADLINE:
        return task.deadline.toordinal() if task.deadline else UNDATED_LAST
    if col == COL_STATUS:
        return STATUS_RANK[task.status.value] * 10 + (task.colour is Colour.DUE_SOON)
    attr = {COL_TITLE: "title", COL_PROGRESS: "progress", COL_DEPT: "department"}.get(col)
    return getattr(task, attr or "owner")


def _shown(model: TaskTableModel | TaskFilterProxy) -> list[TaskRecord]:
    return [model.index(r, 0).data(RowObjectRole) for r in range(model.rowCount())]


def _random_tasks(rng: random.Random, n: int) -> list[TaskRecord]:
    statuses = [
        (Status.OVERDUE, Colour.OVERDUE),
        (Status.IN_PROGRESS, Colour.NONE),
        (Status.IN_PROGRESS, Colour.DUE_SOON),
        (Status.NOT_STARTED, Colour.NONE),
        (Status.DONE, Colour.DONE),
        (Status.DONE_LATE, Colour.DONE_LATE),
    ]
    tasks = []
    for i in range(n):
        status, colour = rng.choice(statuses)
        deadline = None if rng.random() < 0.2 else TODAY + dt.timedelta(days=rng.randint(-9, 9))
        tasks.append(
            TaskRecord(
                id=1000 + i,
                position=i,
                seq=str(i + 1),
                title=rng.choice(("行政执法", "规范性文件", "法治宣传", "复议应诉")),
                deadline_text=deadline.isoformat() if deadline else "长期坚持",
                deadline=deadline,
                progress=rng.choice(("", "已完成调研", "推进中，待审核", "执法检查")),
                progress_period="2026-11",
                department=rng.choice(("政法科", "办公室", "办公室、机关总支")),
                partners="",
                owner=rng.choice(("王群才", "马红霞", "艾延坤")),
                note="",
                done=status in (Status.DONE, Status.DONE_LATE),
                done_on=None,
                status=status,
                colour=colour,
            )
        )
    return tasks


@pytest.fixture
def model(qtbot: QtBot) -> Iterator[TaskTableModel]:
    model = TaskTableModel()
    model.set_tasks(_random_tasks(random.Random(17), 300))
    yield model


@pytest.mark.parametrize(
    "col", [COL_SEQ, COL_TITLE, COL_DEADLINE, COL_PROGRESS, COL_OWNER, COL_STATUS]
)
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sort_orders_by_the_column_keeping_ledger_order_for_ties(
    model: TaskTableModel, col: int, order: Qt.SortOrder
) -> None:
    tasks = model.tasks()
    model.sort(col, order)
    descending = order == Qt.SortOrder.DescendingOrder
    # Python's sort is stable in both directions, as Qt's proxy was: ties stay in 台账 order.
    expected = sorted(tasks, key=lambda t: _reference_key(t, col), reverse=descending)
    assert [t.id for t in _shown(model)] == [t.id for t in expected]
    model.sort(-1)
    assert [t.id for t in _shown(model)] == [t.id for t in tasks]


def test_replaced_tasks_move_to_their_sorted_place(model: TaskTableModel) -> None:
    rng = random.Random(3)
    model.sort(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    for _ in range(40):
        victim = rng.choice(model.tasks())
        day = None if rng.random() < 0.3 else TODAY + dt.timedelta(days=rng.randint(-20, 20))
        changed = replace(victim, deadline=day, progress=rng.choice(("", "新进展")))
        model.replace_task(changed)
        expected = sorted(model.tasks(), key=lambda t: _reference_key(t, COL_DEADLINE))
        assert [t.id for t in _shown(model)] == [t.id for t in expected]
        row = model.row_of(victim.id)
        assert row is not None and model.task_at(row) == changed


@pytest.mark.parametrize(
    ("search", "status", "department"),
    [
        ("执法", "全部状态", ""),
        ("推进 审核", "全部状态", ""),
        ("", "逾期未完成", ""),
        ("", "临期", "机关总支"),
        ("王群", "未完成（全部）", "办公室"),
        ("规范性", "已完成", ""),
        ("政法科", "逾期完成", "政法科"),
        ("ＮＯＮＥ", "全部状态", ""),
    ],
)
def test_filter_shows_exactly_the_matching_tasks_in_order(
    model: TaskTableModel, search: str, status: str, department: str
) -> None:
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search(search)
    proxy.set_status_filter(status)
    proxy.set_department(department or "全部科室")
    test = STATUS_FILTERS[status]
    needles = search.casefold().split()
    for t in model.tasks():  # the search text holds the status words themselves
        assert t.status.value in search_text(t) and "Status." not in search_text(t)
    expected = [
        t
        for t in model.tasks()
        if all(n in search_text(t) for n in needles)
        and (test is None or (callable(test) and test(t.status.value, t.colour)))
        and department in t.department
    ]
    assert [t.id for t in _shown(proxy)] == [t.id for t in expected]
    # Sorting a filtered table sorts the shown rows only.
    proxy.sort(COL_STATUS, Qt.SortOrder.DescendingOrder)
    again = sorted(expected, key=lambda t: _reference_key(t, COL_STATUS), reverse=True)
    assert [t.id for t in _shown(proxy)] == [t.id for t in again]
    proxy.set_search("")
    proxy.set_status_filter("全部状态")
    proxy.set_department("全部科室")
    assert proxy.rowCount() == 300


def test_unreported_filter_follows_the_period_set(model: TaskTableModel) -> None:
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    ids = [t.id for t in model.tasks()]
    model.set_unreported(frozenset(ids[:5]), "2026年11月")
    proxy.set_status_filter("本期未填报")
    assert [t.id for t in _shown(proxy)] == ids[:5]
    model.set_unreported(frozenset(ids[1:5]), "2026年11月")  # task 0 was just reported
    assert [t.id for t in _shown(proxy)] == ids[1:5]


# --- the real window ---------------------------------------------------------------------
@pytest.fixture
def window(ledger_window: MainWindow) -> MainWindow:
    return ledger_window


def _expect_sorted(win: MainWindow, col: int, descending: bool = False) -> None:
    expected = sorted(win.model.tasks(), key=lambda t: _reference_key(t, col), reverse=descending)
    assert [t.id for t in _shown(win.proxy)] == [t.id for t in expected]


def _set_cell(win: MainWindow, task_id: int, col: int, text: str) -> None:
    row = win.model.row_of(task_id)
    assert row is not None
    assert win.proxy.setData(win.proxy.index(row, col), text, Qt.ItemDataRole.EditRole)


def test_header_click_sorts_and_keeps_the_current_task(qtbot: QtBot, window: MainWindow) -> None:
    header = window.table.horizontalHeader()
    picked = window.model.tasks()[6]
    window.select_task(picked.id)
    x = header.sectionViewportPosition(COL_DEADLINE) + header.sectionSize(COL_DEADLINE) // 2
    for _ in range(2):  # a click on 完成时间, then another for the reverse order
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
        assert header.sortIndicatorSection() == COL_DEADLINE
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        _expect_sorted(window, COL_DEADLINE, descending)
        current = window.current_task()
        assert current is not None and current.id == picked.id
    window.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert [t.id for t in _shown(window.proxy)] == [t.id for t in window.model.tasks()]


def test_sort_stays_right_through_edit_undo_and_redo(window: MainWindow) -> None:
    window.table.sortByColumn(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    first = _shown(window.proxy)[0]
    _set_cell(window, first.id, COL_DEADLINE, "2030.12.31")  # from the top to after every date
    _expect_sorted(window, COL_DEADLINE)
    row = window.model.row_of(first.id)
    assert row is not None and row > 0
    window.undo_action.trigger()
    _expect_sorted(window, COL_DEADLINE)
    assert window.model.row_of(first.id) == 0
    window.redo_action.trigger()
    _expect_sorted(window, COL_DEADLINE)
    assert window.model.row_of(first.id) == row

    window.table.sortByColumn(COL_PROGRESS, Qt.SortOrder.DescendingOrder)
    task = _shown(window.proxy)[3]
    _set_cell(window, task.id, COL_PROGRESS, "龘 排在最后的进展")  # sorts first when descending
    _expect_sorted(window, COL_PROGRESS, descending=True)
    assert window.model.row_of(task.id) == 0
    window.undo_action.trigger()
    _expect_sorted(window, COL_PROGRESS, descending=True)


def test_sort_stays_right_through_insert_delete_and_move(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.table.sortByColumn(COL_TITLE, Qt.SortOrder.AscendingOrder)
    window.select_task(window.model.tasks()[3].id)
    tasks_actions.add_task(window)
    QApplication.processEvents()
    assert len(window.model.tasks()) == 18
    _expect_sorted(window, COL_TITLE)
    window.undo_action.trigger()
    _expect_sorted(window, COL_TITLE)

    victim = _shown(window.proxy)[0]
    monkeypatch.setattr(
        tasks_actions.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    window.select_task(victim.id)
    tasks_actions.delete_task(window)
    assert victim.id not in {t.id for t in _shown(window.proxy)}
    _expect_sorted(window, COL_TITLE)
    window.undo_action.trigger()
    _expect_sorted(window, COL_TITLE)
    assert window.model.row_of(victim.id) == 0

    window.table.sortByColumn(COL_SEQ, Qt.SortOrder.DescendingOrder)  # by 台账 position
    second = window.model.tasks()[1]
    window.select_task(second.id)
    tasks_actions.move_task(window, -1)
    _expect_sorted(window, COL_SEQ, descending=True)
    assert _shown(window.proxy)[-1].id == second.id
    window.undo_action.trigger()
    _expect_sorted(window, COL_SEQ, descending=True)
    assert _shown(window.proxy)[-2].id == second.id


def test_an_edit_that_stops_matching_the_search_hides_the_row(window: MainWindow) -> None:
    task = window.model.tasks()[2]
    _set_cell(window, task.id, COL_PROGRESS, "独一无二的进展说明")
    window.search.setText("独一无二")
    window.filter_bar.apply_search()  # what the debounce timer calls
    assert [t.id for t in _shown(window.proxy)] == [task.id]
    assert "筛选后显示 1 项" in window.counts_label.text()
    _set_cell(window, task.id, COL_PROGRESS, "换了说法")
    assert window.proxy.rowCount() == 0
    window.undo_action.trigger()
    assert [t.id for t in _shown(window.proxy)] == [task.id]


def test_tally_follows_replaced_tasks(model: TaskTableModel) -> None:
    rng = random.Random(5)
    model.tally()  # cached from here on, then adjusted per edit
    for _ in range(30):
        victim = rng.choice(model.tasks())
        other = rng.choice(model.tasks())
        model.replace_task(replace(victim, colour=other.colour, done=other.done))
    tasks = model.tasks()
    assert model.tally() == Tally(
        overdue=sum(t.colour is Colour.OVERDUE for t in tasks),
        due_soon=sum(t.colour is Colour.DUE_SOON for t in tasks),
        done=sum(t.done for t in tasks),
        total=len(tasks),
    )


def test_detail_pane_placeholder_is_laid_out_once(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = window.detail.setHtml
    monkeypatch.setattr(window.detail, "setHtml", lambda html: (calls.append(html), real(html)))
    window.search.setText("没有这样的任务")
    window.filter_bar.apply_search()
    assert window.proxy.rowCount() == 0 and len(calls) == 1
    for text in ("没有这样的任务甲", "没有这样的任务乙"):  # more keystrokes, still no row
        window.search.setText(text)
        window.filter_bar.apply_search()
    assert len(calls) == 1 and "选中一项任务" in window.detail.toPlainText()
    window.search.setText("")
    window.filter_bar.apply_search()
    window.select_task(window.model.tasks()[0].id)
    assert len(calls) == 2 and "任务要求" in window.detail.toPlainText()
