"""A unit's return carries everything the 汇总 needs (issue 16: bugs 4, 5, 6 and 19).

The unit keeps its own database, as in real use: it exports (or 报送) its ledger, the office
consolidates the file into a 汇总 ledger in another database, and the 汇总 must show every
task of the unit exactly as the unit's ledger does.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require_tool
from openpyxl import Workbook, load_workbook

from fazhi_desktop.cli import main
from fazhi_desktop.io.xlsx.completion import done_in_text
from fazhi_desktop.io.xlsx.return_data import DATA_SHEET, PROP_PERIOD
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.orm import Return
from fazhi_desktop.models.records import TaskRecord
from fazhi_desktop.models.status import Status
from fazhi_desktop.services import (
    consolidate,
    demo,
    exports,
    ledgers,
    submit,
    summary,
    summary_views,
    tasks,
)
from fazhi_desktop.services.ledgers import create_ledger
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.vocab.kinds import ReportState

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_xlsx_fixtures import soffice_convert
from summary_returns import template_draft

UNITS = ("市司法局", "市委编办", "市财政局", "市教育局")
UNIT = "市司法局"
TODAY = dt.date(2026, 11, 22)
NOV = "2026-11"
SEP = "2026-09"
D = dt.date


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[Database, int]]:
    """The 法治办's database: the plan and a 汇总 ledger made from it."""
    db = open_database(tmp_path / "office.sqlite3")
    with db.session() as s, s.begin():
        plan = create_ledger(s, template_draft(8, UNITS), period="2026-01")
        summary_id = summary.create_summary(s, plan)
    yield db, summary_id
    db.close()


# (done_on or None, progress, owner, note) for the unit's 8 tasks: done on time, done late,
# overdue, in progress, not started, a 备注 and a long text among them.
_UNIT_STATE = (
    (D(2026, 1, 20), "制度已印发。", "张三", ""),
    (D(2026, 4, 2), "已按新要求修订并印发。", "李四", "逾期原因：等待上级文件"),
    (None, "正在起草，尚未提交审议。", "王五", ""),
    (None, "本月组织培训两次。", "张三", "配合单位已反馈意见"),
    (None, "", "", ""),
    (D(2026, 6, 1), "全部完成，资料已归档。", "赵六", ""),
    (None, "推进中：已完成初稿。\n下一步征求意见。", "李四", "=不是公式"),
    (D(2026, 11, 3), "已完成。", "王五", ""),
)


@pytest.fixture
def unit_db(tmp_path: Path) -> Iterator[tuple[Database, int]]:
    """The unit's own database: its ledger of the same plan, with its progress and 完成."""
    db = open_database(tmp_path / "unit.sqlite3")
    draft = template_draft(8, UNITS)
    draft.kind, draft.unit, draft.reporter, draft.phone = "ledger", UNIT, "张三", "0393-1234567"
    draft.title = "2026年法治政府建设工作台账"
    for task, (_done_on, progress, owner, note) in zip(draft.tasks, _UNIT_STATE, strict=True):
        task.progress, task.owner, task.note = progress, owner, note
    with db.session() as s, s.begin():
        ledger_id = create_ledger(s, draft, period=NOV)
        for task, (done_on, *_rest) in zip(
            ledgers.get_ledger(s, ledger_id).tasks, _UNIT_STATE, strict=True
        ):
            if done_on is not None:
                tasks.set_done(s, task.id, True, done_on)
    yield db, ledger_id
    db.close()


def _unit_record(unit_db: tuple[Database, int], period: str | None) -> tuple[TaskRecord, ...]:
    db, ledger_id = unit_db
    with db.session() as s:
        return ledgers.load_record(s, ledger_id, today=TODAY, period=period).tasks


def _export(unit_db: tuple[Database, int], target: Path, period: str | None = None) -> Path:
    db, ledger_id = unit_db
    settings = AppSettings()
    with db.session() as s:
        record = exports.snapshot(s, ledger_id, today=TODAY, settings=settings, period=period)
    return exports.export_xlsx(record, target, settings)


def _submit(unit_db: tuple[Database, int], folder: Path) -> Path:
    db, ledger_id = unit_db
    settings = AppSettings()
    with db.session() as s, s.begin():
        ledgers.get_ledger(s, ledger_id).mailbox = "fazhiban@example.com"
    with db.session() as s:
        prepared = submit.prepare(s, ledger_id, today=TODAY, settings=settings)
    return submit.export_attachment(prepared, folder, settings)


def _assert_summary_shows(
    office: tuple[Database, int], unit_tasks: tuple[TaskRecord, ...], period: str
) -> None:
    """Every field of every task of the unit's ledger is what the 汇总 shows for the unit."""
    db, summary_id = office
    with db.session() as s:
        (ret,) = s.query(Return).all()
        assert (ret.unit, ret.period) == (UNIT, period)
        across = summary_views.tasks_across_units(s, summary_id, today=TODAY)
        figures = summary_views.stats(s, summary_id, today=TODAY)
        report = summary_views.period_report(s, summary_id, period)
    assert len(across) == len(unit_tasks)
    for task, row in zip(unit_tasks, across, strict=True):
        (shown,) = row.units
        seen = (row.seq, row.title, row.deadline_text, row.deadline, shown.unit, shown.progress,
                shown.done, shown.done_on, shown.status, shown.owner, shown.note)  # fmt: skip
        own = (task.seq, task.title, task.deadline_text, task.deadline, UNIT, task.progress,
               task.done, task.done_on, task.status, task.owner, task.note)  # fmt: skip
        assert seen == own, task.seq
    done = sum(t.status in (Status.DONE, Status.DONE_LATE) for t in unit_tasks)
    assert done == 4
    assert figures.completion == ((UNIT, done, len(unit_tasks)),)
    assert [u.unit for u in report.units if u.state != ReportState.MISSING] == [UNIT]


@pytest.mark.parametrize("route", ["export-xlsx", "submit"])
def test_a_units_return_shows_in_the_summary_as_in_its_ledger(
    office: tuple[Database, int], unit_db: tuple[Database, int], tmp_path: Path, route: str
) -> None:
    if route == "submit":
        path = _submit(unit_db, tmp_path / "报送")
    else:
        path = _export(unit_db, tmp_path / "return.xlsx")
    # The visible sheet keeps the official 7 columns; the data sheet is hidden and protected.
    book = load_workbook(path)
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    assert len(visible) == 1 and visible[0].max_column == 7
    assert book[DATA_SHEET].sheet_state == "veryHidden" and book[DATA_SHEET].protection.sheet
    result = consolidate.consolidate(office[0], office[1], [path], today=TODAY)
    assert result.outcomes[0].ok and result.outcomes[0].matched == 8, result.outcomes[0].message
    _assert_summary_shows(office, _unit_record(unit_db, None), NOV)


@pytest.mark.slow
def test_the_return_survives_a_save_in_libreoffice(
    office: tuple[Database, int], unit_db: tuple[Database, int], tmp_path: Path
) -> None:
    require_tool("soffice")
    (tmp_path / "src").mkdir()
    source = _export(unit_db, tmp_path / "src" / "return.xlsx")
    (saved,) = soffice_convert(
        [source], tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML", tmp_path / "profile"
    )
    assert PROP_PERIOD in {p.name for p in load_workbook(saved).custom_doc_props.props}
    result = consolidate.consolidate(office[0], office[1], [saved], today=TODAY)
    assert result.outcomes[0].ok, result.outcomes[0].message
    _assert_summary_shows(office, _unit_record(unit_db, None), NOV)


def test_a_hand_edited_progress_decides_completion_by_its_words(
    office: tuple[Database, int], unit_db: tuple[Database, int], tmp_path: Path
) -> None:
    path = _export(unit_db, tmp_path / "return.xlsx")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet["D4"] = "尚未完成，正在返工。"  # task 1 was marked done in the unit's ledger
    sheet["D6"] = "已办结"  # task 3 was open
    book.save(path)
    assert consolidate.consolidate(office[0], office[1], [path], today=TODAY).outcomes[0].ok
    with office[0].session() as s:
        across = summary_views.tasks_across_units(s, office[1], today=TODAY)
    assert [across[i].units[0].done for i in range(4)] == [False, True, True, False]


def test_export_for_a_period_states_it_and_consolidates_as_it(
    office: tuple[Database, int], unit_db: tuple[Database, int], tmp_path: Path
) -> None:
    db, ledger_id = unit_db
    with db.session() as s, s.begin():
        first = ledgers.get_ledger(s, ledger_id).tasks[0].id
        tasks.set_progress(s, first, SEP, "九月的进展")
    path = tmp_path / "九月.xlsx"
    argv = ["--db", str(db.path), "--today", TODAY.isoformat()]
    assert main([*argv, "export-xlsx", "--period", SEP, "-o", str(path)]) == 0
    info = load_workbook(path).worksheets[0]["A2"].value
    assert "报送期间：2026年9月" in info and "填报时间：2026年11月22日" in info
    result = consolidate.consolidate(office[0], office[1], [path], today=TODAY)
    assert result.outcomes[0].period == SEP, result.outcomes[0].message
    _assert_summary_shows(office, _unit_record(unit_db, SEP), SEP)


def _foreign_return(path: Path, info: str, rows: list[tuple[str, str, str, str]]) -> Path:
    """A return typed in another program: official layout, no hidden data."""
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年法治政府建设工作台账"])
    sheet.append([info])
    sheet.append(["序号", "主要任务", "完成时间", "进展情况", "责任科室", "责任人", "备注"])
    for seq, title, progress, note in rows:
        sheet.append([seq, title, "", progress, "", "", note])
    book.save(path)
    return path


def test_a_hand_made_return_gives_its_period_and_completion_in_words(
    office: tuple[Database, int], tmp_path: Path
) -> None:
    db, summary_id = office
    with db.session() as s:
        titles = [(t.seq, t.title) for t in ledgers.get_ledger(s, summary_id).tasks]
    words = [("已办结", ""), ("完成于9月15日", ""), ("基本完成，尚有收尾。", ""),
             ("按计划推进", "已完成"), ("已完成初稿，正在征求意见。", ""),
             ("该项工作已全部完成。", "")]  # fmt: skip
    rows = [(seq, title, p, n) for (seq, title), (p, n) in zip(titles, words, strict=False)]
    info = f"填报单位：{UNIT}    填报时间：2026年11月20日    报送期间：2026年9月"
    path = _foreign_return(tmp_path / "手填.xlsx", info, rows)
    result = consolidate.consolidate(db, summary_id, [path], today=TODAY)
    assert result.outcomes[0].period == SEP, result.outcomes[0].message
    with db.session() as s:
        across = summary_views.tasks_across_units(s, summary_id, today=TODAY)
    shown = [(t.units[0].done, t.units[0].done_on) for t in across[:6]]
    assert shown == [(True, None), (True, D(2026, 9, 15)), (False, None), (True, None),
                     (False, None), (True, None)]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("已完成", (True, None)), ("已办结。", (True, None)), ("全部完成", (True, None)),
        ("完成于2026年3月5日", (True, D(2026, 3, 5))), ("已于10月8日完成", (True, D(2026, 10, 8))),
        ("未完成", (False, None)), ("尚未完成", (False, None)), ("基本完成", (False, None)),
        ("已完成初稿", (False, None)), ("计划年底前全部完成", (False, None)), ("", (False, None)),
    ],
)  # fmt: skip
def test_completion_in_words(text: str, expected: tuple[bool, dt.date | None]) -> None:
    assert done_in_text(text, year=2026) == expected


def test_the_period_header_adds_up(
    office: tuple[Database, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """4 units listed, one of them and one unit not on the list report."""
    db, summary_id = office
    with db.session() as s:
        titles = [(t.seq, t.title) for t in ledgers.get_ledger(s, summary_id).tasks]
    rows = [(seq, title, "进展", "") for seq, title in titles]
    files = [
        _foreign_return(tmp_path / f"{u}.xlsx", f"填报单位：{u}    报送期间：2026年11月", rows)
        for u in (UNIT, "市审计局")
    ]
    for path in files:
        consolidate.consolidate(db, summary_id, [path], today=TODAY, received_on=D(2026, 11, 20))
    with db.session() as s:
        report = summary_views.period_report(s, summary_id, NOV)
    counts = dict(report.counts())
    assert counts == {"已报送": 1, "逾期报送": 0, "未报送": 3}
    assert sum(counts.values()) == len(report.expected) == len(UNITS)
    assert [u.unit for u in report.unlisted] == ["市审计局"]
    assert report.header_text() == (
        "2026年11月（11月30日截止）：应报 4 个单位，已报送 1，逾期报送 0，未报送 3；"
        "名单外报送 1 个单位（见“待核对”）"
    )
    argv = ["--db", str(db.path), "--today", TODAY.isoformat(), "report-status"]
    assert main([*argv, "--ledger", str(summary_id), "--period", NOV]) == 0
    assert capsys.readouterr().out.splitlines()[-1].strip() == report.counts_text()


def test_demo_mailbox_is_invented_and_its_export_imports_as_this_year(
    demo_db: Path, tmp_path: Path
) -> None:
    draft = demo.demo_draft(TODAY)
    for text in (draft.mailbox, draft.notes):
        assert "163.com" not in text
    assert draft.mailbox.endswith("@example.com")  # reserved for examples (RFC 2606)
    path = tmp_path / "demo.xlsx"
    argv = ["--db", str(demo_db), "--today", TODAY.isoformat()]
    assert main([*argv, "export-xlsx", "-o", str(path)]) == 0
    assert "2020年" in load_workbook(path).worksheets[0]["A1"].value  # the notice's title
    assert main([*argv, "import-xlsx", str(path)]) == 0
    db = open_database(demo_db)
    try:
        with db.session() as s:
            imported = ledgers.load_record(s, 2, today=TODAY)
            original = ledgers.load_record(s, 1, today=TODAY)
    finally:
        db.close()
    assert imported.year == TODAY.year
    assert [t.deadline for t in imported.tasks] == [t.deadline for t in original.tasks]
    assert [(t.done, t.done_on) for t in imported.tasks] == [
        (t.done, t.done_on) for t in original.tasks
    ]


def test_a_return_is_matched_by_the_plan_task_its_rows_carry_out(
    office: tuple[Database, int], tmp_path: Path
) -> None:
    """The unit renumbered and reworded its tasks but linked each to the plan's."""
    db = open_database(tmp_path / "unit-linked.sqlite3")
    try:
        with db.session() as s, s.begin():
            plan = create_ledger(s, template_draft(8, UNITS), period="2026-01")
            draft = template_draft(8, UNITS)
            draft.kind, draft.unit, draft.title = "ledger", UNIT, "本局台账"
            for number, task in enumerate(reversed(draft.tasks), start=1):
                task.seq, task.title = f"（{number}）", f"本局自定事项甲乙丙{number}"
                task.progress = f"本局第{number}项进展"
            ledger_id = create_ledger(s, draft, period=NOV)
            plan_tasks = ledgers.get_ledger(s, plan).tasks
            for task, target in zip(
                ledgers.get_ledger(s, ledger_id).tasks, reversed(plan_tasks), strict=True
            ):
                task.plan_task_id = target.id
        path = _export((db, ledger_id), tmp_path / "linked.xlsx")
    finally:
        db.close()
    result = consolidate.consolidate(office[0], office[1], [path], today=TODAY)
    assert result.outcomes[0].matched == 8, result.outcomes[0].message
    with office[0].session() as s:
        across = summary_views.tasks_across_units(s, office[1], today=TODAY)
    # The unit's row （1） (its last) carries out the plan's task 1, and so on.
    assert [t.units[0].progress for t in across] == [f"本局第{n}项进展" for n in range(1, 9)]


def test_without_the_data_sheet_the_document_properties_give_the_period(
    office: tuple[Database, int], unit_db: tuple[Database, int], tmp_path: Path
) -> None:
    """A program that drops hidden sheets and a clerk who retyped the unit line."""
    path = _export(unit_db, tmp_path / "return.xlsx", period=SEP)
    book = load_workbook(path)
    del book[DATA_SHEET]
    book.worksheets[0]["A2"] = f"填报单位：{UNIT}    填报时间：2026年11月22日"
    book.save(path)
    assert consolidate.consolidate(office[0], office[1], [path], today=TODAY).outcomes[0].ok
    with office[0].session() as s:
        (ret,) = s.query(Return).all()
        assert (ret.unit, ret.period) == (UNIT, SEP)
