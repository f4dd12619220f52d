"""Task tables as offices lay them out (issue 14), in Word and in Excel.

Models (structure only, text ours): the 政务公开重点任务清单 of a city bureau (category column
merged down its tasks, e.g. https://www.chizhou.gov.cn — 市信访局 2023 清单), a 政府工作报告
任务推进台账 with a two-row header (http://www.dawa.gov.cn), a 普法责任清单 in traditional
script and one with a 类别 column (http://www.jinshan.gov.cn 2018 普法责任清单).
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx
from fazhi_desktop.services import plans


def _docx(
    path: Path,
    title: str,
    rows: list[list[str]],
    merges: tuple[tuple[int, int, int, int], ...] = (),
) -> Path:
    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    document.save(str(path))
    return path


def test_a_merged_category_column_is_the_section_and_unknown_columns_do_not_matter(
    tmp_path: Path,
) -> None:
    path = _docx(tmp_path / "清单.docx", "某局2023年政务公开重点任务清单", [
        ["工作任务", "序号", "具体要求", "责任科室", "时限要求", "佐证材料"],
        ["规范文件公开", "1", "清理行政规范性文件并公布目录。", "办公室", "年底前", "目录"],
        ["做好主动公开", "2", "规范信息公开专栏。", "各科室", "持续推进", ""],
        ["", "3", "编制发布年度报告。", "办公室", "3月底前", ""],
    ], merges=((2, 0, 3, 0),))  # fmt: skip
    tasks = plans.read_plan(path).draft.tasks
    assert [(t.seq, t.title, t.section, t.department) for t in tasks] == [
        ("1", "清理行政规范性文件并公布目录", "规范文件公开", "办公室"),
        ("2", "规范信息公开专栏", "做好主动公开", "各科室"),
        ("3", "编制发布年度报告", "做好主动公开", "办公室"),
    ]
    assert tasks[0].note == "佐证材料：目录"
    assert tasks[2].deadline is not None and tasks[2].deadline.isoformat() == "2023-03-31"


def test_numbered_requirements_in_the_task_column_and_no_seq_column(tmp_path: Path) -> None:
    path = _docx(tmp_path / "要点.docx", "某中心2022年政务公开工作要点任务分解", [
        ["工作任务", "具体要求", "責任部門"],
        ["一、做好专栏公开。", "1.及时更新概况信息。", "办公室"],
        ["一、做好专栏公开。", "2.及时更新公众号信息。", "办公室牽頭，各科室配合"],
    ])  # fmt: skip
    tasks = plans.read_plan(path).draft.tasks
    assert [(t.seq, t.title, t.department, t.partners) for t in tasks] == [
        ("1", "及时更新概况信息", "办公室", ""),
        ("2", "及时更新公众号信息", "办公室", "各科室"),
    ]


def test_a_two_row_header_and_a_progress_column(tmp_path: Path) -> None:
    path = _docx(tmp_path / "分解.docx", "某县2021年重点任务分解表", [
        ["序号", "重點任務", "责任清单", "责任清单", "工作进度", "完成时限"],
        ["序号", "重點任務", "责任领导", "負責科室", "工作进度", "完成时限"],
        ["1", "完成增长目标", "某某", "发改局", "按计划推进", "2021年12月"],
        ["2", "建设农村公路", "某某", "交通局", "启动", "2021年10月底前"],
    ], merges=((0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3)))  # fmt: skip
    tasks = plans.read_plan(path).draft.tasks
    assert [(t.seq, t.title, t.owner, t.department) for t in tasks] == [
        ("1", "完成增长目标", "某某", "发改局"),
        ("2", "建设农村公路", "某某", "交通局"),
    ]


def test_ledger_category_column_and_column_names_by_their_ending(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (
        ["某区2018年普法责任清单"],
        ["类别", "序号", "普法责任任务", "牵头单位", "相关责任单位", "集中宣传时间"],
        ["重点对象", 1, "国家工作人员学法", "区委组织部", "区司法局", "6月"],
        [None, 2, "青少年法治教育", "区教育局", "团区委", "9月"],
    ):
        ws.append(row)
    ws.merge_cells("A3:A4")
    wb.save(tmp_path / "清单.xlsx")
    tasks = read_ledger_xlsx(tmp_path / "清单.xlsx").tasks
    assert [(t.title, t.section, t.department, t.partners, t.deadline_text) for t in tasks] == [
        ("国家工作人员学法", "重点对象", "区委组织部", "区司法局", "6月"),
        ("青少年法治教育", "重点对象", "区教育局", "团区委", "9月"),
    ]
