"""``fazhi import FILE`` (plan or 台账, told apart) and ``import-plan --level`` (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import TODAY
from test_cli import run

D = TODAY.isoformat()

# Structure of a 工作要点 whose tasks are the "1." items under "一、" (e.g. the 2024 要点 of
# many 区县: http://www.tjjh.gov.cn publishes them this way), in our own words.
POINTS = """某区2024年法治政府建设工作要点
一、深入学习贯彻习近平法治思想
1.把学习习近平法治思想纳入常务会议学法内容。（区司法局牵头，区直各部门配合）
2.组织领导干部参加法治专题培训。（区委组织部牵头，区司法局配合）
二、依法全面履行政府职能
3.动态调整权责清单。（区委编办牵头，区直各部门按职责分工负责）
"""


def fazhi(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--db", str(db), "--today", D, *argv)


def _ledger_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("某局2024年重点工作执行台账")
    rows = [
        ["序号", "重点工作", "责任科室", "完成时限", "工作进度"],
        ["1", "垃圾分类示范小区创建", "环卫科", "年底前", "按计划推进"],
        ["2", "背街小巷改造", "市政科牵头，各中队配合", "10月底前", ""],
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def test_import_tells_a_word_ledger_from_a_plan(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    ledger = _ledger_docx(tmp_path / "台账.docx")
    code, out, err = fazhi(capsys, db_path, "import", str(ledger), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["kind"] == "ledger" and data["ledger_id"] is not None and data["year"] == 2024
    assert [(t["task"], t["department"], t["partners"]) for t in data["tasks"]] == [
        ("垃圾分类示范小区创建", "环卫科", ""),
        ("背街小巷改造", "市政科", "各中队"),
    ]
    assert data["tasks"][1]["deadline"] == "2024-10-31"
    assert [t["line"] for t in data["tasks"]] == [3, 4]  # where each task came from
    plan = tmp_path / "要点.txt"
    plan.write_text(POINTS, encoding="gb18030")
    code, out, err = fazhi(capsys, db_path, "import", str(plan), "--json", "--dry-run")
    data = json.loads(out)
    assert (code, data["kind"], data["level"], data["levels"]) == (0, "plan", 3, [1, 3])
    assert [(t["seq"], t["line"]) for t in data["tasks"]] == [("1.", 3), ("2.", 4), ("3.", 6)]
    assert data["unused"] == []


def test_import_an_excel_ledger_lists_what_it_did_not_use(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (
        ["2024年工作台账"],
        ["序号", "主要任务", "责任科室", "完成时间"],
        [1, "任务甲", "办公室", "6月底前"],
        [2, None, None, None],
    ):
        ws.append(row)
    wb.save(tmp_path / "台账.xlsx")
    code, out, _err = fazhi(capsys, db_path, "import", str(tmp_path / "台账.xlsx"), "--json")
    data = json.loads(out)
    assert (code, data["kind"], len(data["tasks"])) == (0, "ledger", 1)
    assert data["unused"] == [
        {"line": 4, "where": "第 4 行", "text": "2", "reason": "只有序号的空行"}
    ]


def test_import_plan_level_chooses_the_numbering_level(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    plan = tmp_path / "要点.txt"
    plan.write_text(POINTS, encoding="utf-8")
    code, out, _ = fazhi(capsys, db_path, "import-plan", str(plan), "--json", "--dry-run")
    assert [t["task"][:6] for t in json.loads(out)["tasks"]] == [
        "把学习习近平",
        "组织领导干部",
        "动态调整权责",
    ]
    code, out, _ = fazhi(
        capsys, db_path, "import-plan", str(plan), "--json", "--dry-run", "--level", "1"
    )
    data = json.loads(out)
    assert code == 0 and data["level"] == 1
    assert [t["task"] for t in data["tasks"]] == [
        "深入学习贯彻习近平法治思想",
        "依法全面履行政府职能",
    ]
    code, out, err = fazhi(capsys, db_path, "import-plan", str(plan), "--level", "2")
    assert code == 2 and "没有“（一）”这一级编号" in err and "3（“1.”）" in err
