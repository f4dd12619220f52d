"""Reporting rule arithmetic, the period's 未填报 tasks and the start-up reminder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fazhi_desktop.errors import UsageError
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.orm import Ledger, Task
from fazhi_desktop.models.reporting import QUARTERLY, Reminder, ReportRule
from fazhi_desktop.services import reporting, tasks

D = dt.date


@pytest.mark.parametrize(
    ("period", "day", "due"),
    [
        ("2026-01", 30, D(2026, 1, 30)),
        ("2026-02", 30, D(2026, 2, 28)),  # shorter month: its last day
        ("2024-02", 30, D(2024, 2, 29)),  # leap year
        ("2100-02", 29, D(2100, 2, 28)),  # 2100 is not a leap year
        ("2026-04", 30, D(2026, 4, 30)),
        ("2026-04", 31, D(2026, 4, 30)),  # 30-day month, day 31
        ("2026-05", 31, D(2026, 5, 31)),
        ("2026-06", 31, D(2026, 6, 30)),
        ("2026-12", 30, D(2026, 12, 30)),
        ("2026-12", 31, D(2026, 12, 31)),
        ("2026-11", 25, D(2026, 11, 25)),
        ("2026-02", 1, D(2026, 2, 1)),
    ],
)
def test_monthly_due_date(period: str, day: int, due: dt.date) -> None:
    assert ReportRule("monthly", day).due_date(period) == due


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (D(2026, 1, 1), "2026-01"),
        (D(2026, 2, 28), "2026-02"),
        (D(2026, 12, 31), "2026-12"),
        (D(2027, 1, 1), "2027-01"),
    ],
)
def test_monthly_period_is_the_calendar_month(today: dt.date, period: str) -> None:
    assert ReportRule().period_for(today) == period


def test_previous_period_crosses_the_year_end() -> None:
    assert ReportRule().previous("2027-01") == "2026-12"
    assert ReportRule().previous("2026-03") == "2026-02"
    assert ReportRule(QUARTERLY, 30).previous("2027-03") == "2026-12"
    assert ReportRule(QUARTERLY, 30).previous("2026-12") == "2026-09"


@pytest.mark.parametrize(
    ("today", "period", "due", "label"),
    [
        (D(2026, 1, 5), "2026-03", D(2026, 3, 30), "2026年第1季度"),
        (D(2026, 3, 31), "2026-03", D(2026, 3, 30), "2026年第1季度"),
        (D(2026, 5, 1), "2026-06", D(2026, 6, 30), "2026年第2季度"),
        (D(2026, 11, 22), "2026-12", D(2026, 12, 30), "2026年第4季度"),
    ],
)
def test_quarterly_rule(today: dt.date, period: str, due: dt.date, label: str) -> None:
    rule = ReportRule(QUARTERLY, 30)
    assert rule.period_for(today) == period
    assert rule.due_date(period) == due
    assert rule.label(period) == label
    assert rule.description == "每季度末月30日前"


def test_quarterly_february_has_no_role_but_31_clamps_in_june() -> None:
    assert ReportRule(QUARTERLY, 31).due_date("2026-06") == D(2026, 6, 30)
    assert ReportRule(QUARTERLY, 31).first_day("2026-06") == D(2026, 4, 1)


@pytest.mark.parametrize(
    ("today", "reminder", "left"),
    [
        (D(2026, 11, 20), Reminder.NONE, 10),
        (D(2026, 11, 26), Reminder.NONE, 4),
        (D(2026, 11, 27), Reminder.DUE_SOON, 3),
        (D(2026, 11, 30), Reminder.DUE_SOON, 0),
        # February: the 30th does not exist, so the 28th is the day and the warning starts the 25th.
        (D(2026, 2, 24), Reminder.NONE, 4),
        (D(2026, 2, 25), Reminder.DUE_SOON, 3),
        (D(2026, 2, 28), Reminder.DUE_SOON, 0),
        # A 31-day month: the 31st is after the 30th, the reporting day has passed.
        (D(2026, 12, 31), Reminder.OVERDUE, -1),
    ],
)
def test_reminder(today: dt.date, reminder: Reminder, left: int) -> None:
    assert ReportRule().reminder(today) == (reminder, left)


def test_bad_rules_are_refused() -> None:
    with pytest.raises(UsageError, match="1 到 31"):
        ReportRule("monthly", 0)
    with pytest.raises(UsageError, match="monthly"):
        ReportRule("weekly", 30)


def test_default_rule_is_the_notice_wording() -> None:
    assert ReportRule().description == "每月30日前"
    assert ReportRule().label("2026-11") == "2026年11月"


# --- the period of a real ledger ---------------------------------------------------------------


def _ledger(db: Database) -> tuple[int, list[int]]:
    with db.session() as s, s.begin():
        ledger = Ledger(title="测试台账", unit="甲局")
        ledger.tasks = [Task(seq=str(i), title=f"任务{i}", position=i) for i in range(1, 5)]
        s.add(ledger)
        s.flush()
        return ledger.id, [t.id for t in ledger.tasks]


def test_missing_tasks_and_a_new_month(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        ledger_id, ids = _ledger(db)
        with db.session() as s, s.begin():
            tasks.set_progress(s, ids[0], "2026-10", "十月已推进")
            tasks.set_progress(s, ids[1], "2026-11", "十一月已推进")
            tasks.set_progress(s, ids[2], "2026-11", "   ")  # blank text is not a report
            tasks.set_done(s, ids[3], True, D(2026, 9, 15))  # finished before November
        with db.session() as s:
            nov = reporting.period_status(s, ledger_id, today=D(2026, 11, 28))
            assert nov.period == "2026-11" and nov.label == "2026年11月"
            assert nov.due == D(2026, 11, 30)
            assert nov.reminder is Reminder.DUE_SOON and nov.days_left == 2
            assert nov.missing == {ids[0], ids[2]}
            assert nov.task_count == 4 and nov.last_submitted is None
            # December: nothing is erased, and every open task is 未填报 again.
            dec = reporting.period_status(s, ledger_id, today=D(2026, 12, 1))
            assert dec.missing == {ids[0], ids[1], ids[2]}
            assert reporting.previous_progress(s, ids[1], "2026-12") == ("2026-11", "十一月已推进")
            assert reporting.previous_progress(s, ids[0], "2026-12") == ("2026-10", "十月已推进")
            assert reporting.previous_progress(s, ids[2], "2026-12") is None
            history = tasks.progress_history(s, ids[1])
            assert [(h.period, h.text) for h in history] == [("2026-11", "十一月已推进")]
    finally:
        db.close()


def test_task_finished_during_the_period_still_reports(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        ledger_id, ids = _ledger(db)
        with db.session() as s, s.begin():
            tasks.set_done(s, ids[0], True, D(2026, 11, 3))
        with db.session() as s:
            status = reporting.period_status(s, ledger_id, today=D(2026, 11, 10))
            assert ids[0] in status.missing
    finally:
        db.close()
