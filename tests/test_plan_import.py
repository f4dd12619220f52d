"""Reading plans (方案 / 工作要点) into plan drafts: the shared notice, and other shapes."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

import pytest
from conftest import require_tool
from plan_samples import (
    INLINE_POINTS,
    ITEMS_THEN_FIELDS,
    PASTED_TABLE,
    RUNNING_NUMBERS,
    SAME_NUMBERING,
    TABLE_PLAN,
    TABLE_TITLE,
    UNNUMBERED,
    WORK_POINTS,
    WORK_POINTS_TITLE,
    WORK_POINTS_UNPLACED,
    WRAPPED_POINTS,
    Expected,
    attachment_text,
    reference_text,
    write_auto_numbered_docx,
    write_table_docx,
    write_work_points_docx,
)

from fazhi_desktop.errors import InputFileError
from fazhi_desktop.io.plan.markers import split_items
from fazhi_desktop.io.plan.source import lines_from_text, read_plan_source
from fazhi_desktop.io.plan.text import PlanParse
from fazhi_desktop.io.units import split_responsibility
from fazhi_desktop.models.records import TaskDraft
from fazhi_desktop.paths import resource_path
from fazhi_desktop.services import plans

REFERENCE_DIR = Path(__file__).resolve().parent / "fixtures" / "plans"
DEADLINE_004 = dt.date(2020, 10, 31)
CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """1 → 一, 25 → 二十五 (written independently of the parser's numeral reader)."""
    tens, ones = divmod(n, 10)
    return (
        ("" if tens < 2 else CN[tens - 1]) + ("十" if tens else "") + (CN[ones - 1] if ones else "")
    )


def _squash(text: str) -> str:
    return re.sub(r"[\s,，。;；、:：()（）“”]", "", text)


def _check(task: TaskDraft, want: Expected) -> None:
    assert (task.seq, task.title, task.section) == (want.seq, want.title, want.section)
    assert task.requirements == want.requirements
    assert (task.department, task.partners) == (want.department, want.partners)
    assert (task.deadline_text, task.deadline) == (want.deadline_text, want.deadline)


# --- the shared plan ------------------------------------------------------------------------


def test_the_shared_plan_gives_its_25_tasks() -> None:
    text = attachment_text()
    started = time.perf_counter()
    parsed = plans.parse_plan_text(text)
    elapsed = time.perf_counter() - started
    draft = parsed.draft
    assert draft.kind == "plan"
    assert draft.title == "濮阳市人民政府2020年法治政府建设冲刺方案"
    assert draft.year == 2020
    assert [t.seq for t in draft.tasks] == [f"({_cn(i)})" for i in range(1, 26)]
    assert {t.section for t in draft.tasks} == {"三、工作任务"}
    # The plan states its task count itself: "形成以下25项法治政府建设冲刺工作任务".
    assert "形成以下25项" in text
    for task in draft.tasks:
        assert task.title and task.requirements and task.department
        assert task.deadline_text == "2020年10月31日" and task.deadline == DEADLINE_004
    assert draft.tasks[0].department == "市委编办、市司法局、各有关部门"
    assert elapsed < 1.0, f"parsing the shared plan took {elapsed:.2f}s"


def test_requirements_are_the_plans_own_items() -> None:
    """Each task's 任务要求 line, cut at its "N." items by hand here, equals the parsed list."""
    text = attachment_text()
    lines = [line for line in text.splitlines() if line.startswith("任务要求:")]
    parsed = plans.parse_plan_text(text).draft.tasks
    assert len(lines) == len(parsed) == 25
    for line, task in zip(lines, parsed, strict=True):
        body = line.removeprefix("任务要求:")
        count = 1
        while f"{count + 1}." in body:
            count += 1
        assert len(task.requirements) == count, task.title
        assert _squash("".join(task.requirements)) == _squash(re.sub(r"\d\.", "", body))


def test_the_demo_ledgers_requirements_match_the_plan() -> None:
    """The demo 台账 (typed from the same notice) agrees with the parse on 17 tasks."""
    demo = json.loads(resource_path("demo", "puyang-2020.json").read_text(encoding="utf-8"))
    by_title = {_squash(t.title): t for t in plans.parse_plan_text(attachment_text()).draft.tasks}
    for row in demo["tasks"]:
        task = by_title[_squash(row["title"])]
        assert [_squash(r) for r in task.requirements] == [_squash(r) for r in row["requirements"]]


def test_the_whole_notice_reports_what_comes_before_the_plan() -> None:
    text = reference_text()
    parsed = plans.parse_plan_text(text)
    assert len(parsed.draft.tasks) == 25
    assert parsed.draft.title == "濮阳市人民政府2020年法治政府建设冲刺方案"
    source = text.splitlines()
    plan_title_line = source.index("濮阳市人民政府2020年法治政府建设冲刺方案") + 1
    notice = [u for u in parsed.unplaced if u.number < plan_title_line]
    # Every non-blank line of the notice, its 17-row 台账 included, is reported, none taken.
    assert [u.number for u in notice] == [
        n for n, line in enumerate(source, start=1) if n < plan_title_line and line.strip()
    ]
    assert all("通知" in u.reason for u in notice)
    assert any("完善政府立法程序" in u.text for u in notice)


def test_every_line_is_in_a_task_or_reported() -> None:
    text = reference_text()
    parsed = plans.parse_plan_text(text)
    reported = {u.number for u in parsed.unplaced}
    placed_text = _squash(
        "".join(
            f"{t.section}|{t.seq}{t.title}|{'|'.join(t.requirements)}|{t.department}|"
            f"{t.deadline_text}"
            for t in parsed.draft.tasks
        )
        + parsed.draft.title
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or number in reported:
            continue
        value = (
            line.split(":", 1)[-1] if re.match(r"^(任务要求|责任单位|完成时限):", line) else line
        )
        chunks = [c for c in re.split(r"\d+\.", value) if _squash(c)]
        assert all(_squash(c) in placed_text for c in chunks), f"line {number} lost: {line}"


def test_gbk_utf16_and_bom_files_read_alike(tmp_path: Path) -> None:
    text = attachment_text().replace("\n", "\r\n")
    expected = plans.parse_plan_text(text).draft
    for name, data in (
        ("gbk.txt", text.encode("gb18030")),
        ("utf8-bom.txt", codecs.BOM_UTF8 + text.encode("utf-8")),
        ("utf16.txt", text.encode("utf-16")),
        ("plain.txt", text.encode("utf-8")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        draft = plans.read_plan(path).draft
        assert [(t.seq, t.title, t.requirements) for t in draft.tasks] == [
            (t.seq, t.title, t.requirements) for t in expected.tasks
        ], name
        assert draft.source == name


# --- plans of other offices -----------------------------------------------------------------


def test_own_work_points_docx(tmp_path: Path) -> None:
    path = write_work_points_docx(tmp_path / "工作要点.docx")
    parsed = plans.read_plan(path)
    draft = parsed.draft
    assert (draft.title, draft.year) == (WORK_POINTS_TITLE, 2024)
    assert len(draft.tasks) == len(WORK_POINTS)
    for task, want in zip(draft.tasks, WORK_POINTS, strict=True):
        _check(task, want)
    assert [u.text for u in parsed.unplaced] == list(WORK_POINTS_UNPLACED)
    assert all(u.where.startswith("第 ") and u.where.endswith(" 段") for u in parsed.unplaced)


def test_table_plan_docx(tmp_path: Path) -> None:
    path = write_table_docx(tmp_path / "任务分解表.docx")
    parsed = plans.read_plan(path)
    assert (parsed.draft.title, parsed.draft.year) == (TABLE_TITLE, 2023)
    for task, want in zip(parsed.draft.tasks, TABLE_PLAN, strict=True):
        _check(task, want)
    assert len(parsed.draft.tasks) == len(TABLE_PLAN)
    assert [u.text for u in parsed.unplaced] == [
        "各乡镇、县直各单位要对照下表逐项落实。",
        "注：各单位每季度末报送进展。",
    ]


def test_word_list_numbering_is_read(tmp_path: Path) -> None:
    lines = read_plan_source(write_auto_numbered_docx(tmp_path / "计划.docx"))
    texts = [line.text for line in lines]
    assert texts[1:5] == ["一、重点工作", "（一）加强法治宣传", "1.开展“法律进乡村”活动。",
                          "2.建设法治文化阵地。"]  # fmt: skip
    assert "（二）化解矛盾纠纷" in texts and "1.开展矛盾纠纷排查。" in texts
    assert "二、工作要求" in texts
    draft = plans.parse_plan_lines(lines).draft
    assert [(t.seq, t.title, t.department, t.partners) for t in draft.tasks] == [
        ("（一）", "加强法治宣传", "镇综治办", "各村（社区）"),
        ("（二）", "化解矛盾纠纷", "镇司法所", ""),
    ]
    assert draft.tasks[0].deadline == dt.date(2025, 6, 30)
    assert draft.tasks[1].deadline is None and draft.tasks[1].deadline_text == "持续推进"


def test_bracketed_fields_and_full_width_numbers() -> None:
    parsed = plans.parse_plan_text(INLINE_POINTS)
    got = [
        (t.seq, t.title, t.department, t.partners, t.deadline_text, t.deadline, t.requirements)
        for t in parsed.draft.tasks
    ]
    assert got == [
        ("１．", "深入学习贯彻习近平法治思想", "县司法局", "县委宣传部、各乡镇人民政府",
         "2024年6月底前", dt.date(2024, 6, 30), ["把习近平法治思想纳入政府常务会议学法内容。"]),
        ("２．", "落实党政主要负责人第一责任人职责", "县政府办", "各部门", "长期坚持", None,
         ["每季度研究一次法治政府建设工作。"]),
        ("３．", "加强行政规范性文件管理", "县司法局", "", "年底前", dt.date(2024, 12, 31),
         ["严格合法性审核", "落实备案审查制度", "开展规范性文件清理。"]),
        ("４．", "推进重大行政决策科学化", "县政府办、县司法局", "", "2024年10月31日",
         dt.date(2024, 10, 31), ["健全重大行政决策目录管理制度。"]),
    ]  # fmt: skip
    assert {t.section for t in parsed.draft.tasks} == {
        "一、加强党对法治政府建设的领导",
        "二、健全依法行政制度体系",
    }
    assert [u.number for u in parsed.unplaced] == [3, 11, 12]


def test_text_copied_from_a_pdf_is_joined_back() -> None:
    parsed = plans.parse_plan_text(WRAPPED_POINTS)
    tasks = parsed.draft.tasks
    assert [t.seq for t in tasks] == ["（一）", "（二）", "（三）"]
    assert tasks[0].title.endswith("推动党政主要负责人切实履行推进法治建设第一责任人职责")
    assert (tasks[0].department, tasks[0].partners) == ("市司法局", "市政府办公室")
    assert tasks[1].deadline == dt.date(2022, 11, 30)
    assert (tasks[2].department, tasks[2].deadline_text) == ("市政务服务管理局", "长期坚持")
    assert [(u.text, u.reason) for u in parsed.unplaced] == [("- 2 -", "疑似页码")]


def test_requirements_numbered_like_the_tasks() -> None:
    tasks = plans.parse_plan_text(SAME_NUMBERING).draft.tasks
    assert [(t.seq, t.title, t.requirements, t.department) for t in tasks] == [
        ("1.", "完善政府立法程序", ["健全政府立法立项机制。", "落实立法后评估制度。"], "法规科"),
        ("2.", "提高政务公开能力", ["加强网站管理。"], "办公室"),
        ("3.", "加强执法监督", ["开展案卷评查。"], "执法监督科"),
    ]
    assert [t.deadline for t in tasks] == [dt.date(2023, 10, 31), dt.date(2023, 12, 31), None]


def test_fields_after_the_last_sub_item_belong_to_the_task() -> None:
    tasks = plans.parse_plan_text(ITEMS_THEN_FIELDS).draft.tasks
    assert [(t.seq, t.title, len(t.requirements), t.department, t.partners) for t in tasks] == [
        ("（一）", "深化“放管服”改革", 3, "区政务服务中心", ""),
        ("（二）", "优化法治化营商环境", 1, "区司法局、区发改局", ""),
        ("（一）", "规范行政执法行为", 2, "区司法局", "区检察院"),
    ]
    assert tasks[0].requirements[1:] == ["梳理公布政务服务事项清单。", "推行告知承诺制。"]


def test_year_and_title_can_be_given() -> None:
    text = SAME_NUMBERING.replace("2023年", "")
    parsed = plans.parse_plan_text(text)
    assert parsed.draft.year is None
    assert all(t.deadline is None for t in parsed.draft.tasks)
    assert any("年份" in w for w in parsed.draft.warnings)
    given = plans.parse_plan_text(text, year=2026, title="局计划").draft
    assert (given.title, given.year) == ("局计划", 2026)
    assert given.tasks[0].deadline == dt.date(2026, 10, 31)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("1.甲。2.乙。3.丙", ["甲。", "乙。", "丙"]),
        ("1. 甲;2.乙", ["甲", "乙"]),
        ("一是甲；二是乙；三是丙。", ["甲", "乙", "丙。"]),
        ("（1）甲；（2）乙。", ["甲", "乙。"]),
        ("①甲②乙", ["甲", "乙"]),
        ("主要包括：1.甲。2.乙。", ["主要包括：", "甲。", "乙。"]),
        ("达到3.5%以上，提高到10.31万元", ["达到3.5%以上，提高到10.31万元"]),
        ("统一是前提", ["统一是前提"]),
        ("只有一段要求。", ["只有一段要求。"]),
    ],
)
def test_split_items(text: str, items: list[str]) -> None:
    assert split_items(text) == items


@pytest.mark.parametrize(
    ("text", "lead", "partners"),
    [
        ("市司法局牵头，各有关部门配合", "市司法局", "各有关部门"),
        ("市司法局（牵头）、市财政局、市人社局", "市司法局", "市财政局、市人社局"),
        ("市應急辦，市編辦配合", "市應急辦", "市編辦"),
        ("市委编办、市司法局、各有关部门", None, None),
        (
            "县政府办公室、各有关部门,乡镇人民政府按职责分工分别负责",
            "县政府办公室、各有关部门、乡镇人民政府",
            "",
        ),
    ],
)
def test_split_responsibility(text: str, lead: str | None, partners: str | None) -> None:
    found = split_responsibility(text)
    got = (found.lead, found.partners) if found else (None, None)
    assert got == (lead, partners)


# --- what is not a plan ---------------------------------------------------------------------


def test_annual_reports_are_not_plans() -> None:
    for name in ("000_62e2dc2a36f1e949.txt", "003_1851f6b757763484.txt"):
        path = Path("/work/shared/reference") / name
        if not path.exists():
            pytest.skip("shared reference reports not available")
        with pytest.raises(InputFileError, match=r"没有在.*找到任务"):
            plans.read_plan(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.txt", b"", "空文件"),
        ("空白.txt", b" \r\n\t\r\n", "空文件"),
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, r"另存为.*\.docx"),
        ("扫描件.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("台账.xlsx", b"PK\x03\x04" + b"\0" * 100, "Excel"),
        ("坏的.docx", b"PK\x03\x04 not really a zip", "不是有效的 Word 文档"),
        ("图片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "不支持"),
        ("二进制.txt", bytes(range(256)) * 4, "不是文本文件"),
        (
            "随笔.txt",
            "今天天气很好，我们去公园散步。\n晚上看了一本书。".encode(),
            "没有在.*找到任务",
        ),
        ("网页.html", b"<html><body>x</body></html>", "网页"),
    ],
)
def test_bad_files_are_refused_with_a_reason(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=message) as info:
        plans.read_plan(path)
    assert name in str(info.value) or "找到任务" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="找不到文件"):
        plans.read_plan(tmp_path / "没有.docx")


def test_a_docx_saved_as_txt_is_read_as_word(tmp_path: Path) -> None:
    docx_path = write_work_points_docx(tmp_path / "a.docx")
    disguised = tmp_path / "方案.txt"
    disguised.write_bytes(docx_path.read_bytes())
    assert len(plans.read_plan(disguised).draft.tasks) == len(WORK_POINTS)


def test_source_lines_keep_numbers() -> None:
    lines = lines_from_text("标题\n\n一、甲\t乙\t丙\n")
    assert [(x.number, x.where) for x in lines] == [
        (1, "第 1 行"), (2, "第 2 行"), (3, "第 3 行"), (4, "第 4 行"),
    ]  # fmt: skip
    assert lines[2].cells == ("一、甲", "乙", "丙")


def test_parse_result_lines_point_at_tasks() -> None:
    text = attachment_text()
    parsed: PlanParse = plans.parse_plan_text(text)
    source = text.splitlines()
    for line, task in zip(parsed.task_lines, parsed.draft.tasks, strict=True):
        assert source[line - 1].startswith(task.seq + task.title)


def test_tasks_without_numbers_and_spaced_labels() -> None:
    parsed = plans.parse_plan_text(UNNUMBERED)
    got = [(t.seq, t.title, t.section, t.department, t.deadline) for t in parsed.draft.tasks]
    assert got == [
        ("1", "深入学习习近平法治思想", "一、加强学习", "办公室", dt.date(2024, 12, 31)),
        ("2", "开展宪法宣传周活动", "一、加强学习", "普法科", dt.date(2024, 12, 31)),
        ("3", "推行行政执法公示制度", "二、强化执法", "执法科", dt.date(2024, 6, 30)),
    ]
    assert parsed.draft.tasks[0].requirements == ["组织专题学习，开展研讨交流。"]
    assert [u.text for u in parsed.unplaced] == ["为深入贯彻落实“八五”普法规划，制定本要点。"]


def test_numbering_that_runs_on_across_sections() -> None:
    parsed = plans.parse_plan_text(RUNNING_NUMBERS)
    got = [(t.seq, t.title, t.department, t.partners, t.deadline) for t in parsed.draft.tasks]
    assert got == [
        ("1.", "学习贯彻习近平法治思想", "县委宣传部", "", dt.date(2024, 6, 30)),
        ("2.", "落实述法制度", "县委组织部", "", None),
        ("3.", "开展法治督察", "县委依法治县办", "各乡镇", None),
        ("4.", "推行行政执法公示制度", "县司法局", "", dt.date(2024, 12, 31)),
    ]
    # 三、工作步骤 numbers its parts afresh: not tasks, and said so.
    assert [u.number for u in parsed.unplaced] == [8, 9, 10]


def test_a_table_pasted_from_a_web_page() -> None:
    parsed = plans.parse_plan_text(PASTED_TABLE)
    tasks = parsed.draft.tasks
    assert [(t.seq, t.title, t.section, t.department, t.partners) for t in tasks] == [
        ("1", "深化放管服改革", "一、健全政府机构职能体系", "市政务服务局", "市司法局"),
        ("2", "优化营商环境", "一、健全政府机构职能体系", "市发改委", ""),
        ("3", "加强规范性文件管理", "二、健全依法行政制度体系", "市司法局", "各县区"),
    ]
    assert tasks[0].requirements == ["编制行政许可事项清单。", "推行告知承诺制。"]
    assert [t.deadline for t in tasks] == [dt.date(2024, 6, 30), None, dt.date(2024, 12, 31)]
    assert parsed.unplaced == []


def test_lead_and_responsible_units_and_broken_unit_lists() -> None:
    text = (
        "某某市2024年法治政府建设实施方案\n"
        "（一）加强组织领导\n"
        "责任单位：市委编办、市司法局、\n"
        "各有关部门\n"
        "完成时限：年底前\n"
        "（二）推进严格执法。加强执法监督。"
        "（牵头单位：市司法局；责任单位：各执法部门；完成时限：长期坚持）\n"
    )
    tasks = plans.parse_plan_text(text).draft.tasks
    assert [(t.title, t.department, t.partners, t.deadline_text) for t in tasks] == [
        ("加强组织领导", "市委编办、市司法局、各有关部门", "", "年底前"),
        ("推进严格执法", "市司法局", "各执法部门", "长期坚持"),
    ]


def test_tabs_in_paragraphs_and_a_year_in_chinese_numerals() -> None:
    text = (
        "某某县二〇二四年依法行政工作要点\n"
        "一、\t加强领导\n"
        "（一）\t落实第一责任人职责\t（牵头单位：县委办）\n"
        "（二）\t开展述法，年底前完成。\t（牵头单位：县委组织部）\n"
    )
    parsed = plans.parse_plan_text(text)
    assert parsed.draft.year == 2024
    assert [(t.seq, t.title, t.department, t.deadline) for t in parsed.draft.tasks] == [
        ("（一）", "落实第一责任人职责", "县委办", None),
        ("（二）", "开展述法", "县委组织部", dt.date(2024, 12, 31)),
    ]
    assert parsed.unplaced == []


@pytest.mark.parametrize(
    "header",
    [
        "序号\t工作内容\t具体措施\t责任单位\t完成时间",
        "序号\t目标任务\t工作要求\t责任部门\t时间节点",
    ],
)
def test_table_headers_in_other_words(header: str) -> None:
    row = "1\t推进依法决策\t1.完善目录。2.开展评估。\t办公室\t6月底前"
    text = f"某某局2025年工作任务清单\n{header}\n{row}\n"
    (task,) = plans.parse_plan_text(text).draft.tasks
    assert (task.seq, task.title, task.requirements) == (
        "1",
        "推进依法决策",
        ["完善目录。", "开展评估。"],
    )
    assert (task.department, task.deadline) == ("办公室", dt.date(2025, 6, 30))


@pytest.mark.slow
def test_docx_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    """Word files are not written by python-docx: LibreOffice rewrites the XML, the list
    numbering definitions and the table merges its own way; the parse must not change."""
    require_tool("soffice")
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    from make_xlsx_fixtures import soffice_convert

    (tmp_path / "src").mkdir()
    originals = [
        write_work_points_docx(tmp_path / "src" / "points.docx"),
        write_table_docx(tmp_path / "src" / "table.docx"),
        write_auto_numbered_docx(tmp_path / "src" / "numbered.docx"),
    ]
    converted = soffice_convert(
        originals, tmp_path / "lo", "docx:MS Word 2007 XML", tmp_path / "profile"
    )
    for original, resaved in zip(originals, converted, strict=True):
        want, got = plans.read_plan(original).draft, plans.read_plan(resaved).draft
        assert (got.title, got.year) == (want.title, want.year)
        assert [
            (t.seq, t.title, t.section, t.requirements, t.department, t.partners, t.deadline)
            for t in got.tasks
        ] == [
            (t.seq, t.title, t.section, t.requirements, t.department, t.partners, t.deadline)
            for t in want.tasks
        ], original.name
