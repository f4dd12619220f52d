"""The services the window and the CLI share: ledgers, task edits, statuses and the demo."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import TODAY
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi_desktop.errors import NotFoundError, UsageError
from fazhi_desktop.models.db import Database
from fazhi_desktop.models.deadlines import parse_deadline
from fazhi_desktop.models.orm import Ledger, ProgressEntry, Task
from fazhi_desktop.models.periods import period_of
from fazhi_desktop.models.records import LedgerDraft, TaskDraft, TaskRecord
from fazhi_desktop.models.status import DEFAULT_DUE_SOON_DAYS, Colour, Status
from fazhi_desktop.services import demo, ledgers, tasks

DAY = dt.timedelta(days=1)


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """One session for a test; each test commits where a real caller would."""
    with database.session() as s:
        yield s


@contextmanager
def _write(session: Session) -> Iterator[None]:
    """Commit what the block did, as the window and CLI do after each edit (reads autobegin)."""
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    session.commit()


def _ledger(session: Session, drafts: list[TaskDraft], *, year: int | None = 2026) -> int:
    with _write(session):
        return ledgers.create_ledger(
            session, LedgerDraft(title="测试台账", year=year, tasks=drafts), period="2026-11"
        )


def _records(session: Session, ledger_id: int, **kwargs: object) -> list[TaskRecord]:
    kwargs.setdefault("today", TODAY)
    return ledgers.load_task_records(session, ledger_id, **kwargs)  # type: ignore[arg-type]


def _by_seq(session: Session, ledger_id: int, **kwargs: object) -> dict[str, TaskRecord]:
    return {r.seq: r for r in _records(session, ledger_id, **kwargs)}


def _positions(session: Session, ledger_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Task.position, Task.title).where(Task.ledger_id == ledger_id).order_by(Task.position)
    )
    return [(p, t) for p, t in rows]


# --- create_ledger ----------------------------------------------------------------------------


def test_create_ledger_keeps_tasks_requirements_and_fields(session: Session) -> None:
    reqs = ["第三项写在最前", "第一项", "第二项"]
    ledger_id = _ledger(
        session,
        [
            TaskDraft(
                seq="一",
                title="完善政府立法程序",
                requirements=[*reqs, "  "],  # a blank sub-item is dropped, not stored
                deadline_text="10.31",
                deadline=dt.date(2026, 10, 31),
                department="政法科",
                partners="办公室",
                owner="艾延坤",
                note="按季度报送",
                section="一、依法全面履行政府职能",
            ),
            TaskDraft(seq="二", title="规范性文件备案"),
        ],
    )
    first, second = _records(session, ledger_id)
    assert first.requirements == tuple(reqs)
    assert (first.seq, first.title, first.deadline_text, first.deadline) == (
        "一",
        "完善政府立法程序",
        "10.31",
        dt.date(2026, 10, 31),
    )
    assert (first.department, first.partners, first.owner, first.note) == (
        "政法科",
        "办公室",
        "艾延坤",
        "按季度报送",
    )
    assert first.section == "一、依法全面履行政府职能"
    assert [first.position, second.position] == [0, 1]
    assert second.requirements == ()
    ledger = session.get(Ledger, ledger_id)
    assert ledger is not None and (ledger.title, ledger.year) == ("测试台账", 2026)


def test_create_ledger_stores_progress_in_the_given_period(session: Session) -> None:
    with _write(session):
        ledger_id = ledgers.create_ledger(
            session,
            LedgerDraft(
                title="台账",
                year=2026,
                tasks=[TaskDraft(seq="1", title="甲", progress="已完成初稿"), TaskDraft(seq="2")],
            ),
            period="2026-09",
        )
    first, second = _records(session, ledger_id)
    assert (first.progress, first.progress_period) == ("已完成初稿", "2026-09")
    assert tasks.period_text(session, first.id, "2026-09") == "已完成初稿"
    # No text, no entry: an empty month must not hide an earlier month's progress later.
    assert second.progress_period is None
    assert tasks.progress_history(session, second.id) == []


def test_create_ledger_prefers_the_period_the_file_names(session: Session) -> None:
    with _write(session):
        ledger_id = ledgers.create_ledger(
            session,
            LedgerDraft(title="台账", period="2026-06", tasks=[TaskDraft(seq="1", progress="x")]),
            period="2026-11",
        )
    assert _records(session, ledger_id)[0].progress_period == "2026-06"


def test_list_ledgers_counts_tasks(session: Session) -> None:
    a = _ledger(session, [TaskDraft(seq="1"), TaskDraft(seq="2")])
    b = _ledger(session, [])
    summaries = ledgers.list_ledgers(session)
    assert [(s.id, s.task_count) for s in summaries] == [(a, 2), (b, 0)]


# --- statuses and colours -----------------------------------------------------------------


@pytest.fixture
def status_ledger(session: Session) -> int:
    return _ledger(
        session,
        [
            TaskDraft(seq="overdue", deadline=TODAY - DAY),
            TaskDraft(seq="today", deadline=TODAY),
            TaskDraft(seq="soon7", deadline=TODAY + 7 * DAY),
            TaskDraft(seq="later8", deadline=TODAY + 8 * DAY),
            TaskDraft(seq="far", deadline=TODAY + 60 * DAY),
            TaskDraft(seq="done", deadline=TODAY - DAY, done=True, done_on=TODAY - 2 * DAY),
            TaskDraft(seq="done_on_day", deadline=TODAY - DAY, done=True, done_on=TODAY - DAY),
            TaskDraft(seq="late", deadline=TODAY - 5 * DAY, done=True, done_on=TODAY - DAY),
            TaskDraft(seq="done_undated_day", deadline=TODAY - 5 * DAY, done=True),
            TaskDraft(seq="undated", deadline_text="长期坚持", deadline=None),
            TaskDraft(seq="undated_progress", deadline_text="持续推进", progress="每月推进"),
            TaskDraft(seq="soon_progress", deadline=TODAY + 2 * DAY, progress="已起草"),
            TaskDraft(seq="blank_progress", deadline=TODAY + 60 * DAY, progress="   "),
        ],
    )


def test_statuses_and_colours_on_an_injected_today(session: Session, status_ledger: int) -> None:
    got = {seq: (r.status, r.colour) for seq, r in _by_seq(session, status_ledger).items()}
    assert got == {
        "overdue": (Status.OVERDUE, Colour.OVERDUE),
        "today": (Status.NOT_STARTED, Colour.DUE_SOON),  # due today is not yet late
        "soon7": (Status.NOT_STARTED, Colour.DUE_SOON),
        "later8": (Status.NOT_STARTED, Colour.NONE),
        "far": (Status.NOT_STARTED, Colour.NONE),
        "done": (Status.DONE, Colour.DONE),
        "done_on_day": (Status.DONE, Colour.DONE),
        "late": (Status.DONE_LATE, Colour.DONE_LATE),
        "done_undated_day": (Status.DONE, Colour.DONE),
        "undated": (Status.NOT_STARTED, Colour.NONE),
        "undated_progress": (Status.IN_PROGRESS, Colour.NONE),
        "soon_progress": (Status.IN_PROGRESS, Colour.DUE_SOON),
        "blank_progress": (Status.NOT_STARTED, Colour.NONE),
    }
    assert DEFAULT_DUE_SOON_DAYS == 7


def test_due_soon_days_is_configurable(session: Session, status_ledger: int) -> None:
    def colour(seq: str, days: int) -> Colour:
        return _by_seq(session, status_ledger, due_soon_days=days)[seq].colour

    assert colour("later8", 8) is Colour.DUE_SOON
    assert colour("later8", 7) is Colour.NONE
    assert colour("soon7", 6) is Colour.NONE
    assert colour("today", 0) is Colour.DUE_SOON
    assert colour("far", 60) is Colour.DUE_SOON
    assert colour("overdue", 60) is Colour.OVERDUE  # overdue wins over due soon


def test_today_moves_the_status(session: Session, status_ledger: int) -> None:
    later = _by_seq(session, status_ledger, today=TODAY + 9 * DAY)
    assert later["soon7"].status is Status.OVERDUE
    assert later["later8"].status is Status.OVERDUE
    earlier = _by_seq(session, status_ledger, today=TODAY - 30 * DAY)
    assert earlier["overdue"].colour is Colour.NONE
    assert earlier["late"].status is Status.DONE_LATE  # lateness is fixed by the dates


def test_undated_task_is_never_overdue(session: Session, status_ledger: int) -> None:
    for today in (TODAY, dt.date(2099, 12, 31), dt.date(1999, 1, 1)):
        record = _by_seq(session, status_ledger, today=today)["undated"]
        assert record.deadline is None
        assert record.status is Status.NOT_STARTED and record.colour is Colour.NONE


# --- progress -------------------------------------------------------------------------------


@pytest.fixture
def one_task(session: Session) -> tuple[int, int]:
    ledger_id = _ledger(session, [TaskDraft(seq="1", title="甲", deadline_text="12.31")])
    return ledger_id, _records(session, ledger_id)[0].id


def test_latest_progress_is_the_highest_period(session: Session, one_task: tuple[int, int]) -> None:
    ledger_id, task_id = one_task
    with _write(session):
        # Written out of order: "latest" must mean the period, not the last edit.
        tasks.set_progress(session, task_id, "2026-09", "九月")
        tasks.set_progress(session, task_id, "2026-11", "十一月")
        tasks.set_progress(session, task_id, "2026-10", "十月")
    record = _records(session, ledger_id)[0]
    assert (record.progress, record.progress_period) == ("十一月", "2026-11")
    assert record.status is Status.IN_PROGRESS
    history = tasks.progress_history(session, task_id)
    assert [(h.period, h.text) for h in history] == [
        ("2026-11", "十一月"),
        ("2026-10", "十月"),
        ("2026-09", "九月"),
    ]


def test_period_caps_the_progress_shown(session: Session, one_task: tuple[int, int]) -> None:
    ledger_id, task_id = one_task
    with _write(session):
        tasks.set_progress(session, task_id, "2026-09", "九月")
        tasks.set_progress(session, task_id, "2026-11", "十一月")
        tasks.set_progress(session, task_id, "2027-01", "一月")  # across the year end
    assert _records(session, ledger_id, period="2026-12")[0].progress == "十一月"
    assert _records(session, ledger_id, period="2026-11")[0].progress == "十一月"
    assert _records(session, ledger_id, period="2026-10")[0].progress == "九月"
    capped = _records(session, ledger_id, period="2026-08")[0]
    assert (capped.progress, capped.progress_period) == ("", None)
    assert capped.status is Status.NOT_STARTED
    assert _records(session, ledger_id)[0].progress == "一月"
    record = ledgers.load_record(session, ledger_id, today=TODAY, period="2026-10")
    assert record.period == "2026-10" and record.tasks[0].progress == "九月"


def test_set_progress_returns_old_text_and_none_removes(
    session: Session, one_task: tuple[int, int]
) -> None:
    ledger_id, task_id = one_task
    with _write(session):
        assert tasks.set_progress(session, task_id, "2026-11", "初稿") is None
        assert tasks.set_progress(session, task_id, "2026-11", "定稿") == "初稿"
        assert tasks.set_progress(session, task_id, "2026-10", "上月") is None
    assert tasks.period_text(session, task_id, "2026-11") == "定稿"
    # One entry per period: re-editing a month replaces that month's text.
    count = session.scalar(select(func.count()).where(ProgressEntry.task_id == task_id))
    assert count == 2
    with _write(session):
        assert tasks.set_progress(session, task_id, "2026-11", None) == "定稿"
        assert tasks.set_progress(session, task_id, "2026-11", None) is None
    assert tasks.period_text(session, task_id, "2026-11") is None
    assert _records(session, ledger_id)[0].progress == "上月"  # the older month shows again


def test_clearing_a_month_shows_the_previous_month_again(
    session: Session, one_task: tuple[int, int]
) -> None:
    ledger_id, task_id = one_task
    with _write(session):
        tasks.set_progress(session, task_id, "2026-10", "十月进展")
        tasks.set_progress(session, task_id, "2026-11", "十一月进展")
        assert tasks.set_progress(session, task_id, "2026-11", "  \n") == "十一月进展"
    assert tasks.period_text(session, task_id, "2026-11") is None
    assert _records(session, ledger_id)[0].progress == "十月进展"


def test_progress_text_is_stored_verbatim(session: Session, one_task: tuple[int, int]) -> None:
    ledger_id, task_id = one_task
    text = "=已完成80%\n第二行\t含制表符 '引号' \"双引号\""
    with _write(session):
        tasks.set_progress(session, task_id, "2026-11", text)
    assert _records(session, ledger_id)[0].progress == text


def test_set_progress_on_a_missing_task(session: Session) -> None:
    with pytest.raises(NotFoundError, match="9999"):
        tasks.set_progress(session, 9999, "2026-11", "x")


# --- fields and done ------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2026, 2021, 2028])
@pytest.mark.parametrize("text", ["9月底", "10.31", "第三季度", "2月底前", "长期坚持"])
def test_set_deadline_text_rederives_the_date_with_the_ledger_year(
    session: Session, year: int, text: str
) -> None:
    ledger_id = _ledger(session, [TaskDraft(seq="1", deadline_text="12.31")], year=year)
    task_id = _records(session, ledger_id)[0].id
    with _write(session):
        assert tasks.set_field(session, task_id, "deadline_text", text) == "12.31"
    record = _records(session, ledger_id)[0]
    assert record.deadline_text == text
    assert record.deadline == parse_deadline(text, year)
    if record.deadline is not None:
        assert record.deadline.year == year


def test_set_deadline_text_without_a_ledger_year(session: Session) -> None:
    ledger_id = _ledger(session, [TaskDraft(seq="1")], year=None)
    task_id = _records(session, ledger_id)[0].id
    with _write(session):
        tasks.set_field(session, task_id, "deadline_text", "2021年6月30日")
    assert _records(session, ledger_id)[0].deadline == dt.date(2021, 6, 30)
    with _write(session):
        tasks.set_field(session, task_id, "deadline_text", "10.31")
    assert _records(session, ledger_id)[0].deadline == parse_deadline("10.31", None)


@pytest.mark.parametrize("field", tasks.TEXT_FIELDS)
def test_set_field_returns_the_old_value(session: Session, field: str) -> None:
    ledger_id = _ledger(session, [TaskDraft(seq="1", title="甲", department="政法科")])
    task_id = _records(session, ledger_id)[0].id
    task = tasks.get_task(session, task_id)
    before = getattr(task, field)
    with _write(session):
        assert tasks.set_field(session, task_id, field, "新值") == before
    session.expire_all()
    assert getattr(tasks.get_task(session, task_id), field) == "新值"


def test_set_field_refuses_other_fields(session: Session, one_task: tuple[int, int]) -> None:
    for field in ("id", "ledger_id", "position", "done", "deadline", "nonsense"):
        with pytest.raises(UsageError):
            tasks.set_field(session, one_task[1], field, "1")


def test_set_done_and_reopen(session: Session) -> None:
    ledger_id = _ledger(session, [TaskDraft(seq="1", deadline=TODAY - 3 * DAY)])
    task_id = _records(session, ledger_id)[0].id
    with _write(session):
        assert tasks.set_done(session, task_id, True, TODAY - 5 * DAY) == (False, None)
    record = _records(session, ledger_id)[0]
    assert (record.done, record.done_on, record.status) == (True, TODAY - 5 * DAY, Status.DONE)
    with _write(session):
        assert tasks.set_done(session, task_id, True, TODAY) == (True, TODAY - 5 * DAY)
    assert _records(session, ledger_id)[0].status is Status.DONE_LATE
    with _write(session):
        assert tasks.set_done(session, task_id, False, TODAY) == (True, TODAY)
    record = _records(session, ledger_id)[0]
    # Reopened: the completion date goes too, and the task is overdue again.
    assert (record.done, record.done_on, record.status) == (False, None, Status.OVERDUE)


# --- add, delete, restore, move -------------------------------------------------------------


@pytest.fixture
def five_tasks(session: Session) -> int:
    return _ledger(
        session,
        [
            TaskDraft(seq=str(i), title=f"任务{i}", requirements=[f"要求{i}甲", f"要求{i}乙"])
            for i in range(1, 6)
        ],
    )


def test_add_task_at_a_position_shifts_the_rest(session: Session, five_tasks: int) -> None:
    with _write(session):
        new_id = tasks.add_task(
            session,
            five_tasks,
            TaskDraft(
                seq="新", title="新任务", requirements=["要求一", "要求二"], deadline_text="9月底"
            ),
            position=2,
        )
    assert [t for _, t in _positions(session, five_tasks)] == [
        "任务1",
        "任务2",
        "新任务",
        "任务3",
        "任务4",
        "任务5",
    ]
    assert [p for p, _ in _positions(session, five_tasks)] == list(range(6))
    record = next(r for r in _records(session, five_tasks) if r.id == new_id)
    assert record.requirements == ("要求一", "要求二")
    assert record.deadline == parse_deadline("9月底", 2026)


def test_add_task_defaults_to_the_end_and_clamps(session: Session, five_tasks: int) -> None:
    with _write(session):
        tasks.add_task(session, five_tasks, TaskDraft(title="末尾"))
        tasks.add_task(session, five_tasks, TaskDraft(title="很远"), position=99)
        tasks.add_task(session, five_tasks, TaskDraft(title="负数"), position=-3)
    order = _positions(session, five_tasks)
    assert [p for p, _ in order] == list(range(8))
    assert order[0][1] == "负数"
    assert [t for _, t in order][-2:] == ["末尾", "很远"]


def test_add_task_to_a_missing_ledger(session: Session) -> None:
    with pytest.raises(NotFoundError):
        tasks.add_task(session, 4242, TaskDraft(title="x"))


def test_delete_then_restore_gives_back_the_same_task(session: Session, five_tasks: int) -> None:
    target = _records(session, five_tasks)[2]
    with _write(session):
        tasks.set_progress(session, target.id, "2026-10", "十月")
        tasks.set_progress(session, target.id, "2026-11", "十一月")
        tasks.set_done(session, target.id, True, TODAY)
        tasks.set_field(session, target.id, "note", "备注")
    with _write(session):
        tasks.add_task(session, five_tasks, TaskDraft(title="x"), position=5)  # noise at the end
    before = {r.id: r for r in _records(session, five_tasks)}
    assert before[target.id].requirements == ("要求3甲", "要求3乙")
    history = tasks.progress_history(session, target.id)
    positions = _positions(session, five_tasks)

    with _write(session):
        snapshot = tasks.delete_task(session, target.id)
    after_delete = _positions(session, five_tasks)
    assert [p for p, _ in after_delete] == list(range(len(positions) - 1))
    assert target.title not in [t for _, t in after_delete]
    assert session.scalar(select(func.count()).where(ProgressEntry.task_id == target.id)) == 0

    # Undo usually comes later, in another transaction.
    with _write(session):
        restored_id = tasks.restore_task(session, snapshot)
    assert restored_id == target.id
    assert {r.id: r for r in _records(session, five_tasks)} == before
    assert tasks.progress_history(session, target.id) == history
    assert _positions(session, five_tasks) == positions


def test_delete_and_restore_keep_requirements(session: Session) -> None:
    ledger_id = _ledger(
        session,
        [
            TaskDraft(seq="1"),
            TaskDraft(seq="2", requirements=["丙", "甲", "乙"]),
            TaskDraft(seq="3"),
        ],
    )
    target = _records(session, ledger_id)[1]
    with _write(session):
        snapshot = tasks.delete_task(session, target.id)
    with _write(session):
        tasks.restore_task(session, snapshot)
    assert _records(session, ledger_id)[1] == target
    assert target.requirements == ("丙", "甲", "乙")


def _check_permutation(session: Session, ledger_id: int, expected: list[str]) -> None:
    order = _positions(session, ledger_id)
    assert [p for p, _ in order] == list(range(len(expected)))
    assert [t for _, t in order] == expected


def test_move_task_up_and_down(session: Session, five_tasks: int) -> None:
    model = [t for _, t in _positions(session, five_tasks)]
    ids = {r.title: r.id for r in _records(session, five_tasks)}
    moves = [
        ("任务3", -1),
        ("任务3", -1),
        ("任务3", -1),  # already first: stays
        ("任务1", +1),
        ("任务5", +1),  # already last: stays
        ("任务2", +3),
        ("任务4", -2),
    ]
    for title, step in moves:
        old = model.index(title)
        new = max(0, min(old + step, len(model) - 1))
        with _write(session):
            assert tasks.move_task(session, ids[title], old + step) == old
        model.insert(new, model.pop(old))
        _check_permutation(session, five_tasks, model)


def test_move_task_jumps_every_way(session: Session, five_tasks: int) -> None:
    """Every (from, to) pair, including out-of-range targets, keeps 0..n-1 positions."""
    model = [t for _, t in _positions(session, five_tasks)]
    ids = {r.title: r.id for r in _records(session, five_tasks)}
    for src, dst in itertools.product(range(5), [-2, 0, 1, 2, 3, 4, 7]):
        title = model[src]
        with _write(session):
            assert tasks.move_task(session, ids[title], dst) == src
        model.insert(max(0, min(dst, 4)), model.pop(src))
        _check_permutation(session, five_tasks, model)


def test_move_does_not_touch_other_ledgers(session: Session, five_tasks: int) -> None:
    other = _ledger(session, [TaskDraft(title="别的1"), TaskDraft(title="别的2")])
    first = _records(session, five_tasks)[0]
    with _write(session):
        tasks.move_task(session, first.id, 4)
        tasks.delete_task(session, _records(session, five_tasks)[0].id)
    assert _positions(session, other) == [(0, "别的1"), (1, "别的2")]


# --- plan links -----------------------------------------------------------------------------


def test_linked_task_without_requirements_shows_the_plan_tasks(session: Session) -> None:
    plan = _ledger(
        session, [TaskDraft(seq="1", title="方案任务", requirements=["要求甲", "要求乙"])]
    )
    ledger_id = _ledger(
        session,
        [
            TaskDraft(seq="1", title="台账任务"),
            TaskDraft(seq="2", title="有自己要求", requirements=["自己的"]),
            TaskDraft(seq="3", title="未关联"),
        ],
    )
    plan_task_id = _records(session, plan)[0].id
    with _write(session):
        for record in _records(session, ledger_id)[:2]:
            task = session.get(Task, record.id)
            assert task is not None
            task.plan_task_id = plan_task_id
    linked, own, unlinked = _records(session, ledger_id)
    assert linked.requirements == ("要求甲", "要求乙")
    assert own.requirements == ("自己的",)
    assert unlinked.requirements == ()
    assert _records(session, ledger_id, with_requirements=False)[0].requirements == ()
    only = _records(session, ledger_id, task_id=linked.id)
    assert [r.id for r in only] == [linked.id] and only[0].requirements == ("要求甲", "要求乙")


def test_undoing_a_plan_task_delete_restores_the_links_to_it(session: Session) -> None:
    plan = _ledger(session, [TaskDraft(seq="1", title="方案任务", requirements=["要求甲"])])
    ledger_id = _ledger(session, [TaskDraft(seq="1", title="台账任务")])
    plan_task_id = _records(session, plan)[0].id
    with _write(session):
        task = session.get(Task, _records(session, ledger_id)[0].id)
        assert task is not None
        task.plan_task_id = plan_task_id
    before = _records(session, ledger_id)
    assert before[0].requirements == ("要求甲",)
    with _write(session):
        snapshot = tasks.delete_task(session, plan_task_id)
    assert _records(session, ledger_id)[0].requirements == ()  # ON DELETE SET NULL
    with _write(session):
        tasks.restore_task(session, snapshot)
    assert _records(session, ledger_id) == before


# --- resolving ledgers and tasks ------------------------------------------------------------


def test_resolve_ledger_id(session: Session) -> None:
    with pytest.raises(NotFoundError, match="fazhi demo"):
        ledgers.resolve_ledger_id(session, None)
    first = _ledger(session, [])
    assert ledgers.resolve_ledger_id(session, None) == first
    assert ledgers.resolve_ledger_id(session, first) == first
    second = _ledger(session, [])
    third = _ledger(session, [])
    with pytest.raises(UsageError) as info:
        ledgers.resolve_ledger_id(session, None)
    for ledger_id in (first, second, third):
        assert str(ledger_id) in str(info.value)
    assert "--ledger" in str(info.value)
    assert ledgers.resolve_ledger_id(session, second) == second
    with pytest.raises(NotFoundError, match="999"):
        ledgers.resolve_ledger_id(session, 999)


def test_find_task_by_seq(session: Session) -> None:
    ledger_id = _ledger(session, [TaskDraft(seq="1"), TaskDraft(seq="2"), TaskDraft(seq="2")])
    assert ledgers.resolve_ledger_id(session, ledger_id) == ledger_id
    assert tasks.find_task_by_seq(session, ledger_id, " 1 ") == _records(session, ledger_id)[0].id
    with pytest.raises(UsageError, match="重复"):
        tasks.find_task_by_seq(session, ledger_id, "2")
    with pytest.raises(NotFoundError, match="“7”"):
        tasks.find_task_by_seq(session, ledger_id, "7")


# --- demo -----------------------------------------------------------------------------------

DEMO_TODAYS = [
    TODAY,
    dt.date(2026, 2, 27),
    dt.date(2026, 12, 30),
    dt.date(2026, 12, 31),
    dt.date(2027, 1, 1),
    dt.date(2028, 2, 29),
]


@pytest.mark.parametrize("today", DEMO_TODAYS, ids=str)
def test_demo_shows_every_colour(session: Session, today: dt.date) -> None:
    with _write(session):
        ledger_id = demo.create_demo(session, today)
    assert ledger_id is not None
    record = ledgers.load_record(session, ledger_id, today=today)
    assert len(record.tasks) == 17
    assert {t.colour for t in record.tasks} == set(Colour)
    assert {t.status for t in record.tasks} == set(Status)
    assert [t.seq for t in record.tasks] == [str(i) for i in range(1, 18)]
    assert all(t.requirements and all(r.strip() for r in t.requirements) for t in record.tasks)
    assert record.mailbox == "fazhiban@example.com"
    assert record.year == today.year
    # The 完成时间 the clerk reads must mean the date the colour was computed from.
    for task in record.tasks:
        assert parse_deadline(task.deadline_text, record.year) == task.deadline, task.seq
    # Progress the demo wrote is this month's or last month's, never in the future.
    periods = {t.progress_period for t in record.tasks if t.progress_period}
    assert periods and max(periods) == period_of(today)


def test_demo_is_created_once(session: Session) -> None:
    with _write(session):
        first = demo.create_demo(session, TODAY)
    with _write(session):
        second = demo.create_demo(session, TODAY)
    assert first is not None and second is None
    assert session.scalar(select(func.count(Ledger.id))) == 1
    assert session.scalar(select(func.count(Task.id))) == 17


def test_demo_is_not_created_over_a_real_ledger(session: Session) -> None:
    _ledger(session, [TaskDraft(seq="1")])
    with _write(session):
        assert demo.create_demo(session, TODAY) is None
    assert [s.task_count for s in ledgers.list_ledgers(session)] == [1]
