"""The 年度报告 first draft: what it takes from the 台账, and the .docx it writes.

The ledgers below are written straight into a real SQLite file; the expectations are worked out
here from the same specs (done by year end, latest progress of the year), independently of the
service. The .docx is read back with python-docx, its XML, and LibreOffice → PDF → pdftotext.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pytest
from conftest import TODAY, require_tool
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from fazhi_desktop.cli import main
from fazhi_desktop.errors import FazhiError, NotFoundError, UsageError
from fazhi_desktop.io.docx import annual_report as report_docx
from fazhi_desktop.io.docx.gongwen import LINE_PITCH_TWIPS
from fazhi_desktop.models.annual_report_records import PARTS, UNIT_PLACEHOLDER
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.orm import Ledger, ProgressEntry, Task
from fazhi_desktop.models.status import Status, classify
from fazhi_desktop.services.annual_report import build_annual_report, section_title

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_xlsx_fixtures import soffice_convert

YEAR = 2025
YEAR_END = dt.date(YEAR, 12, 31)
UNIT = "某市司法局"
PLAN_SECTION = "（一）深化行政执法体制改革，合理配置执法力量。"
D = dt.date


@dataclass(frozen=True)
class Spec:
    ledger: str
    title: str
    section: str = ""
    deadline: dt.date | None = None
    deadline_text: str = ""
    done_on: dt.date | None = None
    progress: dict[str, str] = field(default_factory=dict)
    department: str = "法制科"
    linked: bool = False  # linked to the plan task (whose section is PLAN_SECTION)


SPECS = (
    Spec("A", "深化“放管服”改革", "一、依法全面履行政府职能", D(2025, 6, 30), "6.30",
         D(2025, 6, 20), {"2025-03": "已制定实施方案", "2025-06": "已完成权责清单梳理并公布"}),
    Spec("A", "推进行政审批制度改革。", "一、依法全面履行政府职能", D(2025, 9, 30), "9.30",
         D(2025, 10, 15), {"2025-10": "审批事项精简至86项\n实现一网通办"}, department="审批科"),
    Spec("A", "健全规范性文件制定程序", "二、完善依法行政制度体系", D(2025, 5, 31), "5.31",
         None, {"2025-04": "办法正在起草"}),
    Spec("A", "开展规范性文件清理", "二、完善依法行政制度体系", D(2025, 11, 30), "11.30"),
    Spec("A", "加强法治宣传教育", "", None, "长期坚持", None, {"2025-12": "开展宪法宣传周活动"}),
    Spec("A", "建设法治文化阵地", "", D(2026, 3, 31), "2026.3.31"),
    Spec("A", "整合执法队伍", "", D(2025, 12, 15), "12.15", D(2025, 12, 1),
         {"2025-11": "已完成执法力量整合", "2026-01": "新一年又有新进展"}, linked=True),
    Spec("A", "推行行政执法三项制度", "", D(2025, 12, 31), "年底前", D(2026, 1, 20),
         {"2025-12": "年底前基本完成制度建设"}),
    Spec("A", "完善行政复议体制", "", D(2025, 8, 31), "8.31", None,
         {"2024-12": "上一年度的旧进展"}),
    Spec("A", "落实法律顾问制度", "", D(2025, 7, 31), "7.31", D(2025, 7, 10),
         {"2025-07": "聘请法律顾问\x0b3名"}),
    Spec("B", "清理涉企规范性文件", "一、 依法全面履行政府职能", D(2025, 4, 30), "4.30",
         D(2025, 4, 1), {"2025-04": "完成清理12件"}, department="执法科"),
    Spec("C", "2024年的旧任务", "", D(2024, 12, 31), "12.31", None,
         {"2024-12": "二〇二四年台账的进展"}),
    Spec("C", "跨年推进的任务", "", D(2025, 3, 31), "2025.3.31", None,
         {"2025-02": "跨年任务的进展"}),
    Spec("S", "汇总台账中的任务", "", D(2025, 6, 30), "6.30", D(2025, 5, 20),
         {"2025-05": "各单位汇总的进展"}),
)  # fmt: skip
LEDGERS = {  # name: (title, year, kind, unit)
    "A": ("2025年法治政府建设工作台账", YEAR, "ledger", UNIT),
    "B": ("2025年执法科工作台账", YEAR, "ledger", UNIT),
    "C": ("2024年法治政府建设工作台账", 2024, "ledger", UNIT),
    "P": ("2025年法治政府建设实施方案", YEAR, "plan", UNIT),
    "S": ("2025年法治政府建设工作台账（汇总）", YEAR, "summary", UNIT),
}
IN_REPORT = [s for s in SPECS if s.ledger in ("A", "B")]


# --- what the report must say, worked out from the specs ---------------------------------------
def done_by_year_end(spec: Spec) -> bool:
    return spec.done_on is not None and spec.done_on <= YEAR_END


def year_progress(spec: Spec) -> str:
    periods = sorted(p for p in spec.progress if p.startswith(f"{YEAR}-"))
    return spec.progress[periods[-1]] if periods else ""


def status_of(spec: Spec) -> Status:
    done = done_by_year_end(spec)
    return classify(
        deadline=spec.deadline,
        done=done,
        done_on=spec.done_on if done else None,
        has_progress=bool(year_progress(spec)),
        today=YEAR_END,
    )[0]


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def squash(text: str) -> str:
    """Text compared across layouts: no whitespace, no XML-illegal control characters."""
    return re.sub(r"[\s\x00-\x1f]+", "", text)


# --- fixtures ----------------------------------------------------------------------------------
def fill(database: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    with database.session() as session, session.begin():
        for name, (title, year, kind, unit) in LEDGERS.items():
            ledger = Ledger(title=title, year=year, kind=kind, unit=unit)
            session.add(ledger)
            session.flush()
            ids[name] = ledger.id
        plan_task = Task(ledger_id=ids["P"], position=0, seq="1", section=PLAN_SECTION,
                         title="深化行政执法体制改革")  # fmt: skip
        session.add(plan_task)
        session.flush()
        for position, spec in enumerate(SPECS):
            task = Task(
                ledger_id=ids[spec.ledger],
                position=position,
                seq=str(position + 1),
                section=spec.section,
                title=spec.title,
                deadline=spec.deadline,
                deadline_text=spec.deadline_text,
                department=spec.department,
                done=spec.done_on is not None,
                done_on=spec.done_on,
                plan_task_id=plan_task.id if spec.linked else None,
            )
            task.progress = [ProgressEntry(period=p, text=t) for p, t in spec.progress.items()]
            session.add(task)
    return ids


@pytest.fixture
def filled(database: Database) -> Iterator[tuple[Database, dict[str, int]]]:
    yield database, fill(database)


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DocxDocument]:
    """The default 2025 report of the filled database, written to a .docx and read back."""
    folder = tmp_path_factory.mktemp("annual")
    database = open_database(folder / "ledger.sqlite3")
    try:
        fill(database)
        with database.session() as session:
            report = build_annual_report(session, YEAR, today=TODAY)
    finally:
        database.close()
    target = folder / "报告.docx"
    report_docx.write_annual_report(report, target)
    return target, docx.Document(str(target))


@pytest.fixture(scope="module")
def pdf_text(drafted: tuple[Path, DocxDocument]) -> list[str]:
    """The draft converted by LibreOffice, as pdftotext reads it: one string per page."""
    require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    source, _doc = drafted
    work = source.parent / "lo"
    (pdf,) = soffice_convert([source], work / "pdf", "pdf", work / "profile")
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [page for page in text.split("\f") if page.strip()]


def paragraphs(doc: DocxDocument) -> list[tuple[str, str]]:
    return [(p.style.name if p.style else "", p.text) for p in doc.paragraphs]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# --- the gathered data -------------------------------------------------------------------------
def test_the_report_counts_what_the_ledgers_hold(
    filled: tuple[Database, dict[str, int]],
) -> None:
    database, _ids = filled
    with database.session() as session:
        report = build_annual_report(session, YEAR, today=TODAY)
    statuses = [status_of(s) for s in IN_REPORT]
    c = report.counts
    assert c.total == len(IN_REPORT)
    assert c.done_on_time == statuses.count(Status.DONE)
    assert c.done_late == statuses.count(Status.DONE_LATE)
    assert c.overdue == statuses.count(Status.OVERDUE)
    assert c.in_progress == statuses.count(Status.IN_PROGRESS)
    assert c.not_started == statuses.count(Status.NOT_STARTED)
    assert c.done + c.open == c.total and c.done > 0 and c.open > 0
    assert c.unreported == sum(
        1 for s in IN_REPORT if not done_by_year_end(s) and not year_progress(s)
    )
    assert report.as_of == YEAR_END and report.unit == UNIT and report.warnings == ()
    by_title = {item.title: item for item in report.items}
    assert set(by_title) == {s.title for s in IN_REPORT}
    for spec in IN_REPORT:
        item = by_title[spec.title]
        assert item.status is status_of(spec), spec.title
        assert item.progress == year_progress(spec), spec.title


def test_sections_follow_the_plan_in_order_of_first_appearance(
    filled: tuple[Database, dict[str, int]],
) -> None:
    database, _ids = filled
    with database.session() as session:
        report = build_annual_report(session, YEAR, today=TODAY)
    expected: dict[str, list[str]] = {}
    for spec in IN_REPORT:
        raw = PLAN_SECTION if spec.linked else spec.section
        key = section_title(raw) or "其他工作"
        expected.setdefault(key, []).append(spec.title)
    # Unsectioned tasks come last, under the neutral heading.
    others = expected.pop("其他工作")
    expected["其他工作"] = others
    got = {s.title: [i.title for i in s.items] for s in report.sections}
    assert list(got) == list(expected) and got == expected
    # The linked task took the plan's section, the two 台账 share the first one.
    assert "深化行政执法体制改革，合理配置执法力量" in got
    assert "清理涉企规范性文件" in got["依法全面履行政府职能"]


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("一、依法全面履行政府职能", "依法全面履行政府职能"),
        ("（一）深化行政执法体制改革，合理配置力量。", "深化行政执法体制改革，合理配置力量"),
        ("(二) 完善制度", "完善制度"),
        ("3. 强化监督", "强化监督"),
        ("第二部分 推进依法决策", "推进依法决策"),
        ("十二、其他", "其他"),
        ("三、工作任务 （一）深化行政执法体制改革。", "深化行政执法体制改革"),
        ("第一部分 总体要求 二、主要任务", "主要任务"),
        ("落实“谁执法谁普法” 普法责任制", "落实“谁执法谁普法” 普法责任制"),
        ("加强组织领导", "加强组织领导"),
        ("", ""),
    ],
)  # fmt: skip
def test_section_names_lose_their_old_numbering(raw: str, title: str) -> None:
    assert section_title(raw) == title


@pytest.mark.parametrize(
    ("index", "number"),
    [(0, "一"), (9, "十"), (10, "十一"), (19, "二十"), (22, "二十三"), (98, "九十九"), (99, "100")],
)
def test_sections_are_numbered_in_chinese(index: int, number: str) -> None:
    assert report_docx.section_number(index) == number


def test_other_years_ledgers_give_only_their_tasks_of_the_year(
    filled: tuple[Database, dict[str, int]],
) -> None:
    database, ids = filled
    with database.session() as session:
        report = build_annual_report(session, YEAR, today=TODAY, ledger_ids=[ids["C"]])
    wanted = [s for s in SPECS if s.ledger == "C" and (s.deadline and s.deadline.year == YEAR)]
    assert [i.title for i in report.items] == [s.title for s in wanted]
    assert report.items[0].progress == year_progress(wanted[0])


def test_a_summary_ledger_is_used_only_when_named(
    filled: tuple[Database, dict[str, int]],
) -> None:
    database, ids = filled
    with database.session() as session:
        named = build_annual_report(session, YEAR, today=TODAY, ledger_ids=[ids["S"]])
        default = build_annual_report(session, YEAR, today=TODAY)
    (spec,) = [s for s in SPECS if s.ledger == "S"]
    assert [(i.title, i.progress) for i in named.items] == [(spec.title, year_progress(spec))]
    assert spec.title not in {i.title for i in default.items}


def test_unit_comes_from_the_option_the_ledgers_or_a_placeholder(
    filled: tuple[Database, dict[str, int]],
) -> None:
    database, ids = filled
    with database.session() as session, session.begin():
        session.get(Ledger, ids["B"]).unit = "某市城管局"
    with database.session() as session:
        mixed = build_annual_report(session, YEAR, today=TODAY)
        given = build_annual_report(session, YEAR, today=TODAY, unit=" 某市人民政府 ")
        single = build_annual_report(session, YEAR, today=TODAY, ledger_ids=[ids["B"]])
    assert mixed.unit == "" and mixed.title.startswith(UNIT_PLACEHOLDER)
    assert "某市司法局" in mixed.warnings[0] and "某市城管局" in mixed.warnings[0]
    assert given.unit == "某市人民政府" and given.warnings == ()
    assert single.title == f"某市城管局关于{YEAR}年法治政府建设情况的报告"


@pytest.mark.parametrize(
    ("year", "ledgers", "error", "says"),
    [
        (2023, None, UsageError, "没有年度为 2023 年的工作台账"),
        (TODAY.year + 1, None, UsageError, "还没有开始"),
        (1999, None, UsageError, "无效"),
        (YEAR, ["P"], UsageError, "是实施方案，不是工作台账"),
        (YEAR, [999], NotFoundError, "999"),
        (2023, ["A"], UsageError, "没有属于 2023 年的任务"),
    ],
)
def test_impossible_requests_are_explained(
    filled: tuple[Database, dict[str, int]],
    year: int,
    ledgers: list[str | int] | None,
    error: type[FazhiError],
    says: str,
) -> None:
    database, ids = filled
    chosen = None if ledgers is None else [ids.get(str(x), x) for x in ledgers]
    with database.session() as session, pytest.raises(error, match=says):
        build_annual_report(session, year, today=TODAY, ledger_ids=chosen)


# --- the document ------------------------------------------------------------------------------
def test_the_five_parts_come_in_order_under_the_title(
    drafted: tuple[Path, DocxDocument],
) -> None:
    _path, doc = drafted
    paras = paragraphs(doc)
    assert paras[0] == ("公文标题", f"{UNIT}关于\n{YEAR}年法治政府建设情况的报告")
    parts = [text for style, text in paras if style == "Heading 1"]
    assert parts == [f"{n}、{name}" for n, name in zip("一二三四五", PARTS, strict=True)]
    # Part 1's sections are （一）… in order, with the 1. 2. … of the tasks running on.
    sections = [text for style, text in paras if style == "Heading 2"]
    assert [s[: s.index("）") + 1] for s in sections] == ["（一）", "（二）", "（三）", "（四）"]
    numbers = [int(m.group(1)) for _s, t in paras if (m := re.match(r"^(\d+)\. ", t))]
    first_part = numbers[: len(IN_REPORT)]
    assert first_part == list(range(1, len(IN_REPORT) + 1))


def test_every_completed_tasks_progress_is_in_the_draft(
    drafted: tuple[Path, DocxDocument],
) -> None:
    _path, doc = drafted
    text = squash("\n".join(p.text for p in doc.paragraphs))
    completed = [s for s in IN_REPORT if done_by_year_end(s)]
    assert completed
    for spec in completed:
        assert squash(year_progress(spec)) in text, spec.title
    # What the year did not hold stays out: last year's entry, next January's, other ledgers.
    for absent in (
        "上一年度的旧进展",
        "新一年又有新进展",
        "二〇二四年台账的进展",
        "跨年任务的进展",
        "各单位汇总的进展",
    ):
        assert absent not in text


SHORTFALL_LINE = re.compile(
    rf"^截至{YEAR}年底，台账中逾期未完成的任务(\d+)项，"
    r"尚未完成且全年未填报进展的任务(\d+)项，共涉及(\d+)项任务：$"
)
CARRIED_LINE = re.compile(rf"^截至{YEAR}年底尚未完成的(\d+)项任务，需转入{YEAR + 1}年继续推进：$")


def _state_ok(state: str, spec: Spec) -> bool:
    """“（…）” after a task states exactly that task's facts: its state, the dates the 台账
    holds, whether it went unreported, and (in parts 2 and 4) its 责任科室."""
    status = status_of(spec)
    wanted = {status.value}
    limit = f"完成时限{cn(spec.deadline)}" if spec.deadline else spec.deadline_text
    if status is not Status.DONE and limit:
        wanted.add(limit)
    if done_by_year_end(spec) and spec.done_on:
        wanted.add(f"{cn(spec.done_on)}完成")
    if not done_by_year_end(spec) and not year_progress(spec):
        wanted.add("台账未填报本年度进展")
    clauses = re.split(r"[，；]", state)
    dept = [c for c in clauses if c.startswith("责任科室：")]
    if dept and dept != [f"责任科室：{spec.department}"]:
        return False
    return {c for c in clauses if not c.startswith("责任科室：")} == wanted


def test_no_text_appears_that_the_data_did_not_hold(drafted: tuple[Path, DocxDocument]) -> None:
    """Each paragraph is fixed wording, a count from the data, or the 台账's own text."""
    _path, doc = drafted
    by_title = {s.title.rstrip("。"): s for s in IN_REPORT}
    statuses = [status_of(s) for s in IN_REPORT]
    done = statuses.count(Status.DONE) + statuses.count(Status.DONE_LATE)
    overdue = statuses.count(Status.OVERDUE)
    unreported = sum(1 for s in IN_REPORT if not done_by_year_end(s) and not year_progress(s))
    shortfalls = sum(
        1 for s, st in zip(IN_REPORT, statuses, strict=True)
        if st is Status.OVERDUE or (not done_by_year_end(s) and not year_progress(s))
    )  # fmt: skip
    open_ = len(IN_REPORT) - done
    progress_lines = {
        line.replace("\x0b", "") for s in IN_REPORT for line in year_progress(s).split("\n") if line
    }
    sections = {section_title(PLAN_SECTION)} | {section_title(s.section) for s in IN_REPORT}
    sections |= {"其他工作"}
    parts = {f"{n}、{name}" for n, name in zip("一二三四五", PARTS, strict=True)}
    summary = re.compile(
        rf"^{YEAR}年，台账共列入法治政府建设任务(\d+)项，截至{YEAR}年底已完成(\d+)项"
        r"(?:（其中逾期完成(\d+)项）)?，尚未完成(\d+)项（(.*)）。$"
    )
    seen_items = 0
    for style, text in paragraphs(doc):
        if style == "公文标题":
            assert text.replace("\n", "") == f"{UNIT}关于{YEAR}年法治政府建设情况的报告"
        elif style == "Heading 1":
            assert text in parts
        elif style == "Heading 2":
            assert re.sub(r"^（[一二三四五六七八九十]+）", "", text) in sections
        elif style == "撰写提示":
            assert text.startswith("【撰写提示：") and text.endswith("请删除本段】")
        elif style == "落款":
            assert text in (UNIT, "【成文日期】")
        elif not text:
            continue
        elif m := summary.match(text):
            total, done_n, late, open_n, detail = m.groups()
            assert (int(total), int(done_n), int(open_n)) == (len(IN_REPORT), done, open_)
            assert int(late or 0) == statuses.count(Status.DONE_LATE)
            for label, n in re.findall(r"(推进中|未启动|逾期未完成)(\d+)项", detail):
                assert statuses.count(Status(label)) == int(n)
        elif m := SHORTFALL_LINE.match(text):
            assert tuple(map(int, m.groups())) == (overdue, unreported, shortfalls)
        elif m := CARRIED_LINE.match(text):
            assert int(m.group(1)) == open_
        elif m := re.match(r"^(\d+)\. (.+?)。(.*)$", text):
            spec = by_title[m.group(2)]
            rest = m.group(3)
            state = re.search(r"（([^（）]*)）$", rest)
            body = rest[: state.start()] if state else rest
            assert body in progress_lines | {""}, text
            if body:
                assert body in year_progress(spec).replace("\x0b", "")
            if state:
                assert _state_ok(state.group(1), spec), text
            seen_items += 1
        else:
            # A later line of a several-line progress text, perhaps with the state after it.
            state = re.search(r"（([^（）]*)）$", text)
            body = text[: state.start()] if state else text
            owners = [s for s in IN_REPORT if body and body in year_progress(s).split("\n")]
            assert owners, f"text not from the data: {text}"
            if state:
                assert _state_ok(state.group(1), owners[0]), text
    # Part 1 lists every task, part 2 the shortfalls, part 4 the open ones.
    assert seen_items == len(IN_REPORT) + shortfalls + open_


def test_page_layout_follows_gbt_9704(drafted: tuple[Path, DocxDocument]) -> None:
    path, doc = drafted
    section = doc.sections[0]
    # Word stores lengths in twips (1/1440 inch), so millimetres come back to 0.1 mm.
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)  # fmt: skip
    assert [round(s.mm, 1) for s in sizes if s is not None] == [210, 297, 37, 35, 28, 26]
    with zipfile.ZipFile(path) as z:
        document = z.read("word/document.xml").decode("utf-8")
        settings = z.read("word/settings.xml").decode("utf-8")
        fonts = z.read("word/fontTable.xml").decode("utf-8")
        footers = [z.read(n).decode("utf-8") for n in z.namelist() if "footer" in n]
        names = z.namelist()
    assert re.search(r'<w:pgSz w:w="11906" w:h="16838"', document)
    assert re.search(
        r'<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"', document
    )
    assert "<w:evenAndOddHeaders" in settings
    assert len(footers) == 2
    for footer in footers:
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", footer))
        assert text == "— 1 —"  # the field's cached value between the 一字线
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
        assert 'w:eastAsia="宋体"' in footer and '<w:sz w:val="28"/>' in footer  # 4号宋体
    alignments = sorted(re.search(r'<w:jc w:val="(\w+)"', f).group(1) for f in footers)
    assert alignments == ["left", "right"]
    # The faces, with their fallbacks, and no python-docx preview picture.
    for face, alt in (("方正小标宋简体", "宋体"), ("黑体", "SimHei"), ("楷体", "楷体_GB2312"),
                      ("仿宋", "仿宋_GB2312")):  # fmt: skip
        assert re.search(rf'<w:font w:name="{face}"><w:altName w:val="{alt}"/>', fonts)
    assert not any("thumbnail" in n for n in names)
    assert doc.core_properties.author == UNIT and "python-docx" not in doc.core_properties.comments


def _east_asia(doc: DocxDocument, style: str) -> str:
    rfonts = doc.styles[style].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert rfonts is not None
    assert not any(k.endswith("Theme") for k in rfonts.attrib)
    return str(rfonts.get(qn("w:eastAsia")))


def test_styles_name_the_official_faces_and_sizes(drafted: tuple[Path, DocxDocument]) -> None:
    _path, doc = drafted
    expected = {
        "公文标题": ("方正小标宋简体", 22),
        "Heading 1": ("黑体", 16),
        "Heading 2": ("楷体", 16),
        "Normal": ("仿宋", 16),
    }
    for style, (face, size) in expected.items():
        assert _east_asia(doc, style) == face
        font = doc.styles[style].font
        assert font.size is not None and font.size.pt == size and not font.bold
    body = doc.styles["Normal"].paragraph_format
    assert body.line_spacing is not None
    assert round(body.line_spacing.pt * 20) == LINE_PITCH_TWIPS  # 22 lines fill the 版心
    assert body.first_line_indent is not None and body.first_line_indent.pt == 32  # 空两字
    guidance = doc.styles["撰写提示"].font
    assert (
        guidance.italic and guidance.color.rgb is not None and str(guidance.color.rgb) != "000000"
    )
    # Every paragraph of the draft uses one of these styles: none falls back to Word's defaults.
    used = {style for style, _t in paragraphs(doc)}
    assert used <= set(expected) | {"撰写提示", "落款"}


def test_a_missing_unit_is_a_visible_placeholder(
    filled: tuple[Database, dict[str, int]], tmp_path: Path
) -> None:
    database, ids = filled
    with database.session() as session, session.begin():
        for ledger_id in (ids["A"], ids["B"]):
            session.get(Ledger, ledger_id).unit = ""
    with database.session() as session:
        report = build_annual_report(session, YEAR, today=TODAY)
    target = tmp_path / "no-unit.docx"
    report_docx.write_annual_report(report, target)
    doc = docx.Document(str(target))
    title = doc.paragraphs[0]
    assert title.runs[0].text == UNIT_PLACEHOLDER
    assert title.runs[0].font.highlight_color is not None
    assert "【单位名称】" in report.warnings[0]


def test_writing_into_a_missing_folder_changes_nothing(
    filled: tuple[Database, dict[str, int]], tmp_path: Path
) -> None:
    database, _ids = filled
    with database.session() as session:
        report = build_annual_report(session, YEAR, today=TODAY)
    out = tmp_path / "out"
    with pytest.raises(FazhiError, match="不存在"):
        report_docx.write_annual_report(report, out / "报告.docx")
    out.mkdir()
    existing = out / "报告.docx"
    existing.write_bytes(b"old")
    report_docx.write_annual_report(report, existing)
    assert zipfile.is_zipfile(existing)
    assert [p.name for p in out.iterdir()] == ["报告.docx"]  # no temporary left behind


# --- LibreOffice --------------------------------------------------------------------------------
@pytest.mark.slow
def test_libreoffice_converts_it_and_the_text_comes_back(
    drafted: tuple[Path, DocxDocument], pdf_text: list[str]
) -> None:
    whole = squash("".join(pdf_text))
    assert squash(f"{UNIT}关于{YEAR}年法治政府建设情况的报告") in whole
    positions = [
        whole.find(squash(f"{n}、{name}")) for n, name in zip("一二三四五", PARTS, strict=True)
    ]
    assert -1 not in positions and positions == sorted(positions)
    for spec in IN_REPORT:
        if done_by_year_end(spec):
            assert squash(year_progress(spec)) in whole, spec.title
    assert "新一年又有新进展" not in whole and "上一年度的旧进展" not in whole
    # Every page carries its number between 一字线.
    for number, page in enumerate(pdf_text, start=1):
        assert re.search(rf"—\s*{number}\s*—", page), page[-80:]


@pytest.mark.slow
def test_libreoffice_lays_it_out_on_a4(drafted: tuple[Path, DocxDocument]) -> None:
    require_tool("soffice")
    pdfinfo = require_tool("pdfinfo")
    source, _doc = drafted
    pdf = source.parent / "lo" / "pdf" / f"{source.stem}.pdf"
    if not pdf.exists():
        soffice_convert([source], pdf.parent, "pdf", source.parent / "lo" / "profile")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (595, 842)  # A4


# --- the command -------------------------------------------------------------------------------
def test_cli_writes_the_draft_and_states_the_counts(
    capsys: pytest.CaptureFixture[str], filled: tuple[Database, dict[str, int]], db_path: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    database, ids = filled
    database.close()
    out_file = tmp_path / "年度报告.docx"
    base = ("--db", str(db_path), "--today", TODAY.isoformat(), "annual-report", "--year", "2025")
    code, out, err = run_cli(capsys, *base, "-o", str(out_file))
    assert (code, err) == (0, "")
    done = sum(1 for s in IN_REPORT if done_by_year_end(s))
    assert f"共{len(IN_REPORT)}项任务，已完成{done}项" in out and str(out_file) in out
    default_text = [p.text for p in docx.Document(str(out_file)).paragraphs]
    # Both ways of naming several 台账 give the same report as the default.
    for extra in (["--ledger", str(ids["A"]), str(ids["B"])],
                  ["--ledger", str(ids["A"]), "--ledger", str(ids["B"])]):  # fmt: skip
        again = tmp_path / "again.docx"
        code, _out, err = run_cli(capsys, *base, *extra, "-o", str(again))
        assert (code, err) == (0, "")
        assert [p.text for p in docx.Document(str(again)).paragraphs] == default_text
    code, out, _ = run_cli(capsys, *base, "--unit", "某市人民政府", "-o", str(out_file))
    assert code == 0
    assert docx.Document(str(out_file)).paragraphs[0].text.startswith("某市人民政府关于")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--year", "2023"], "没有年度为 2023 年的工作台账"),
        (["--year", "2025", "--ledger", "999"], "没有编号为 999 的台账"),
        (["--year", "2025", "--ledger", "4"], "不是工作台账"),
        (["--year", "2025", "-o", "报告.doc"], "应以 .docx 结尾"),
    ],
)
def test_cli_refuses_with_a_chinese_reason_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    filled: tuple[Database, dict[str, int]],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    says: str,
) -> None:
    database, ids = filled
    assert ids["P"] == 4  # the plan, named by number in the arguments above
    database.close()
    monkeypatch.chdir(tmp_path)
    if "-o" not in args:
        args = [*args, "-o", "报告.docx"]
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run_cli(capsys, "--db", str(db_path), "annual-report", *args)
    assert code == 2 and out == "" and says in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_cli_requires_the_year(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, _out, err = run_cli(capsys, "--db", str(db_path), "annual-report", "-o", "x.docx")
    assert code == 2 and "--year" in err
