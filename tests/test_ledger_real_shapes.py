"""台账 as offices keep them (issue 14): unit phrases in a cell, two unit columns, no 序号,
no year in the title, rows and columns that go into no task field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx
from fazhi_desktop.services import imports


def _write(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_lead_and_partner_phrase_in_a_cell_is_split(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx", [
        ["某局2024年法治政府建设工作台账"],
        ["序号", "主要任务", "责任单位", "完成时限", "进展情况"],
        [1, "学习宣传法治思想", "局办公室牵头，法规科、执法大队配合", "6月底前", ""],
        [2, "规范执法", "法规科（牵头）、执法大队", "年底前", ""],
        [3, "政务公开", "局办公室负责", "长期坚持", ""],
    ])  # fmt: skip
    tasks = read_ledger_xlsx(path).tasks
    assert [(t.department, t.partners) for t in tasks] == [
        ("局办公室", "法规科、执法大队"),
        ("法规科", "执法大队"),
        ("局办公室", ""),
    ]


def test_a_responsible_column_beside_a_lead_column_is_the_partners(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx", [
        ["2024年工作台账"],
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
        [1, "任务甲", "区司法局", "各街道", "12月31日"],
    ])  # fmt: skip
    draft = read_ledger_xlsx(path)
    task = draft.tasks[0]
    assert (task.department, task.partners, task.note) == ("区司法局", "各街道", "")
    assert task.deadline == dt.date(2024, 12, 31)


def test_no_seq_column_numbers_the_tasks(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx", [
        ["2024年工作台账"],
        ["工作任务", "责任科室", "完成时间"],
        ["任务甲", "办公室", "6月底前"],
        ["任务乙", "法规科", "年底前"],
    ])  # fmt: skip
    assert [t.seq for t in read_ledger_xlsx(path).tasks] == ["1", "2"]


def test_year_from_the_files_dates_not_from_today(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx", [
        ["法治政府建设工作台账"],
        ["序号", "主要任务", "完成时间", "责任科室"],
        [1, "任务甲", "2023年6月30日", "办公室"],
        [2, "任务乙", "年底前", "办公室"],
    ])  # fmt: skip
    draft = imports.read_xlsx(path, today=dt.date(2026, 11, 30))
    assert draft.year == 2023
    assert [t.deadline for t in draft.tasks] == [dt.date(2023, 6, 30), dt.date(2023, 12, 31)]
    assert any("2023 年" in w for w in draft.warnings)


def test_without_any_year_the_deadline_stays_text_and_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx", [
        ["法治政府建设工作台账"],
        ["序号", "主要任务", "完成时间", "责任科室"],
        [1, "任务甲", "年底前", "办公室"],
    ])  # fmt: skip
    draft = imports.read_xlsx(path, today=dt.date(2026, 11, 30))
    assert draft.year is None and draft.tasks[0].deadline is None
    assert draft.tasks[0].deadline_text == "年底前"
    assert any("年份" in w for w in draft.warnings)


def test_rows_and_cells_no_task_took_are_listed(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx", [
        ["2024年工作台账"],
        ["序号", "主要任务", "责任科室", "完成时间", None],
        [1, "任务甲", "办公室", "6月底前", "另附材料"],
        [2, None, None, None, None],
        ["序号", "主要任务", "责任科室", "完成时间", None],
        [3, "任务乙", "法规科", "年底前", None],
    ])  # fmt: skip
    draft = read_ledger_xlsx(path)
    assert [t.title for t in draft.tasks] == ["任务甲", "任务乙"]
    assert draft.tasks[0].note == "第E列：另附材料"  # a column without a header: kept
    assert [(u.number, u.reason) for u in draft.unused] == [
        (4, "只有序号的空行"),
        (5, "重复的表头（表格跨页）"),
    ]
