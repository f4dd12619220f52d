"""Plans in the shapes offices send them, written by the tests themselves.

Each builder writes a real file (python-docx for .docx) and the expectations next to it say
what a careful clerk would type into the 台账 from reading that plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# The shared reference notice 濮科〔2020〕28号 (its 台账 and, as 附件, the plan), verbatim.
REFERENCE = Path(__file__).resolve().parent / "fixtures" / "plans" / "notice_004.txt"


def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def attachment_text() -> str:
    """The shared notice from its "附 件" line on: the plan itself."""
    text = reference_text()
    return text[text.index("附 件") :]


@dataclass
class Expected:
    seq: str
    title: str
    section: str
    requirements: list[str]
    department: str
    partners: str
    deadline_text: str
    deadline: dt.date | None
    extra: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# A 工作要点 in Word: notice first, sections, 牵头单位/配合单位, 长期坚持 and 年底前, one task in
# traditional characters with its fields in brackets, one with Word's own list numbering.

WORK_POINTS_TITLE = "某某区2024年法治政府建设工作要点"
WORK_POINTS: list[Expected] = [
    Expected(
        "（一）",
        "深入学习贯彻习近平法治思想",
        "一、着力提升依法行政能力",
        ["将习近平法治思想纳入区政府常务会议会前学法", "组织领导干部专题培训。"],
        "区司法局",
        "区委组织部、区委宣传部",
        "长期坚持",
        None,
    ),
    Expected(
        "（二）",
        "落实领导干部学法用法制度",
        "一、着力提升依法行政能力",
        ["每季度组织一次会前学法。", "年度述职报告述法。"],
        "区政府办公室",
        "各街道办事处",
        "年底前",
        dt.date(2024, 12, 31),
    ),
    Expected(
        "（三）",
        "規範行政執法行為",
        "二、全面推进严格规范公正文明执法",
        ["推行行政執法三項制度，開展執法案卷評查。"],
        "區司法局",
        "各行政執法部門",
        "2024年9月30日前",
        dt.date(2024, 9, 30),
    ),
    Expected(
        "（四）",
        "加强行政复议规范化建设",
        "二、全面推进严格规范公正文明执法",
        ["健全复议案件审理机制。", "推进复议调解和解。"],
        "区司法局",
        "区法院",
        "2024年12月底前",
        dt.date(2024, 12, 31),
    ),
]
WORK_POINTS_NOTICE = (
    "某某区人民政府办公室关于印发《某某区2024年法治政府建设工作要点》的通知",
    "各街道办事处，区政府各部门：",
    "《某某区2024年法治政府建设工作要点》已经区政府同意，现印发给你们，请认真贯彻落实。",
    "某某区人民政府办公室",
    "2024年3月1日",
)
WORK_POINTS_UNPLACED = (
    *WORK_POINTS_NOTICE,
    "2024年是实施“八五”普法规划的关键之年。现提出如下工作要点。",
    "三、保障措施",
    "各单位要加强组织领导，确保各项任务落到实处。",
)


def write_work_points_docx(path: Path) -> Path:
    document = docx.Document()
    for line in WORK_POINTS_NOTICE:
        document.add_paragraph(line)
    document.add_paragraph(WORK_POINTS_TITLE)
    document.add_paragraph(WORK_POINTS_UNPLACED[len(WORK_POINTS_NOTICE)])
    document.add_paragraph("一、着力提升依法行政能力")
    document.add_paragraph("（一）深入学习贯彻习近平法治思想。")
    document.add_paragraph(
        "具体措施：一是将习近平法治思想纳入区政府常务会议会前学法；二是组织领导干部专题培训。"
    )
    document.add_paragraph("牵头单位：区司法局；配合单位：区委组织部、区委宣传部")
    document.add_paragraph("完成时间：长期坚持")
    document.add_paragraph("（二）落实领导干部学法用法制度")
    document.add_paragraph("工作要求：")
    document.add_paragraph("（1）每季度组织一次会前学法。")
    document.add_paragraph("（2）年度述职报告述法。")
    document.add_paragraph("牵头单位：区政府办公室")
    document.add_paragraph("配合单位：各街道办事处")
    document.add_paragraph("完成时间：年底前")
    document.add_paragraph("二、全面推进严格规范公正文明执法")
    document.add_paragraph(
        "（三）規範行政執法行為。推行行政執法三項制度，開展執法案卷評查。"
        "（牽頭單位：區司法局；配合單位：各行政執法部門；完成時間：2024年9月30日前）"
    )
    document.add_paragraph("（四）加强行政复议规范化建设")
    # Word's automatic numbering: the "1." and "2." are not in the paragraphs' text.
    document.add_paragraph("健全复议案件审理机制。", style="List Number")
    document.add_paragraph("推进复议调解和解。", style="List Number")
    document.add_paragraph("责任单位：区司法局（牵头），区法院")
    document.add_paragraph("完成时间：2024年12月底前")
    for line in WORK_POINTS_UNPLACED[-2:]:
        document.add_paragraph(line)
    document.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# A 任务分解表: the tasks are a Word table with merged section rows and a merged 牵头单位 cell.

TABLE_TITLE = "某某县2023年依法治县工作任务分解表"
TABLE_PLAN: list[Expected] = [
    Expected(
        "1",
        "深入学习贯彻习近平法治思想",
        "一、党的领导",
        ["组织专题学习。", "开展宣讲活动。"],
        "县委宣传部",
        "县司法局",
        "长期坚持",
        None,
    ),
    Expected(
        "2",
        "落实述法制度",
        "一、党的领导",
        ["年度述职中述法。"],
        "县委组织部",
        "各乡镇",
        "年底前",
        dt.date(2023, 12, 31),
    ),
    Expected(
        "3",
        "完善领导干部学法制度",
        "一、党的领导",
        ["每年组织一次学法考试。"],
        "县委组织部",
        "",
        "2023年11月",
        dt.date(2023, 11, 30),
    ),
    Expected(
        "4",
        "推进行政执法规范化",
        "二、依法行政",
        ["落实三项制度", "开展案卷评查。"],
        "县司法局",
        "各执法部门",
        "2023年10月31日前",
        dt.date(2023, 10, 31),
    ),
]


def write_table_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph(TABLE_TITLE)
    document.add_paragraph("各乡镇、县直各单位要对照下表逐项落实。")
    header = ("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限")
    rows: list[tuple[str, ...]] = [
        header,
        ("一、党的领导",) * 6,
        (
            "1",
            "深入学习贯彻习近平法治思想",
            "1.组织专题学习。\n2.开展宣讲活动。",
            "县委宣传部",
            "县司法局",
            "长期坚持",
        ),
        ("2", "落实述法制度", "年度述职中述法。", "县委组织部", "各乡镇", "年底前"),
        ("3", "完善领导干部学法制度", "每年组织一次学法考试。", "", "", "2023年11月"),
        ("二、依法行政",) * 6,
        (
            "4",
            "推进行政执法规范化",
            "一是落实三项制度；二是开展案卷评查。",
            "县司法局",
            "各执法部门",
            "2023年10月31日前",
        ),
    ]
    table = document.add_table(rows=len(rows), cols=len(header))
    for r, values in enumerate(rows):
        if len(set(values)) == 1:
            merged = table.cell(r, 0).merge(table.cell(r, len(header) - 1))
            merged.text = values[0]
            continue
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            lines = value.split("\n")
            cell.text = lines[0]
            for more in lines[1:]:
                cell.add_paragraph(more)
    # 县委组织部 leads tasks 2 and 3: one cell merged down two rows, as offices draw it.
    lead = table.cell(3, 3).merge(table.cell(4, 3))
    for paragraph in lead.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    lead.paragraphs[0].text = "县委组织部"
    document.add_paragraph("注：各单位每季度末报送进展。")
    document.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# Word's multi-level list numbering with Chinese counters: 一、 / （一） / 1.


def write_auto_numbered_docx(path: Path) -> Path:
    """Headings numbered by Word itself (一、 （一） 1.), none of it typed."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%3."/></w:lvl>'
        "</w:abstractNum>"
    )
    numbering.insert(0, abstract)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        ppr = paragraph._p.get_or_add_pPr()
        numpr = parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
        )
        ppr.append(numpr)
        assert ppr.find(qn("w:numPr")) is not None

    document.add_paragraph("某某镇2025年法治建设工作计划")
    numbered("重点工作", 0)
    numbered("加强法治宣传", 1)
    numbered("开展“法律进乡村”活动。", 2)
    numbered("建设法治文化阵地。", 2)
    document.add_paragraph("牵头单位：镇综治办；配合单位：各村（社区）")
    document.add_paragraph("完成时限：2025年6月底前")
    numbered("化解矛盾纠纷", 1)
    numbered("开展矛盾纠纷排查。", 2)
    document.add_paragraph("牵头单位：镇司法所")
    document.add_paragraph("完成时限：持续推进")
    numbered("工作要求", 0)
    document.add_paragraph("各村要明确专人负责。")
    document.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# Plain text in other offices' styles

INLINE_POINTS = """某某县2024年法治政府建设工作要点

为深入贯彻落实《法治政府建设实施纲要（2021－2025年）》，结合我县实际，制定本要点。

一、加强党对法治政府建设的领导
１．深入学习贯彻习近平法治思想。把习近平法治思想纳入政府常务会议学法内容。（牵头单位：县司法局；配合单位：县委宣传部、各乡镇人民政府；完成时限：2024年6月底前）
２．落实党政主要负责人第一责任人职责。每季度研究一次法治政府建设工作。（县政府办牵头，各部门配合，长期坚持）
二、健全依法行政制度体系
３．加强行政规范性文件管理。一是严格合法性审核；二是落实备案审查制度；三是开展规范性文件清理。（牵头单位：县司法局；完成时限：年底前）
４．推进重大行政决策科学化。健全重大行政决策目录管理制度。（责任单位：县政府办、县司法局，完成时限：2024年10月31日）
三、保障措施
各乡镇、各部门要高度重视，确保各项任务落到实处。
"""

# Copied out of a PDF: lines broken at the page width, a page number in between.
WRAPPED_POINTS = """某某市人民政府2022年法治政府建设工作要点
一、深入学习贯彻习近平法治思想
（一）把学习贯彻习近平法治思想作为政府常务会
议学法的重要内容，推动党政主要负责人切实履行推进
法治建设第一责任人职责。（牵头单位：市司法局；配合
单位：市政府办公室；完成时限：2022年12月底前）
（二）加强法治宣传教育，组织开展“八五”普法中期
评估工作，推动普法责任制落实。（牵头单位：市司法
局；完成时限：2022年11月底前）
- 2 -
二、健全政府机构职能体系
（三）深化“放管服”改革，全面实行行政许可事项清单
管理，推进政务服务标准化、规范化、便利化。（牵头
单位：市政务服务管理局；完成时限：长期坚持）
"""

# Tasks and their 任务要求 numbered alike: "1." items restart under a bare 任务要求 label.
SAME_NUMBERING = """某某局2023年依法行政工作计划
1.完善政府立法程序
任务要求：
1.健全政府立法立项机制。
2.落实立法后评估制度。
责任单位：法规科
完成时限：10月底前
2.提高政务公开能力
任务要求：
1.加强网站管理。
责任单位：办公室
完成时限：年底前
3.加强执法监督
任务要求：开展案卷评查。
责任单位：执法监督科
完成时限：每半年
"""

# Sub-items on their own lines with no 任务要求 label, fields only after the last of them.
ITEMS_THEN_FIELDS = """某某区2022年法治政府建设重点任务清单
一、依法全面履行政府职能
（一）深化“放管服”改革
推进政务服务事项标准化。
1.梳理公布政务服务事项清单。
2.推行告知承诺制。
责任单位：区政务服务中心
完成时限：2022年6月
（二）优化法治化营商环境
1.清理涉企规范性文件。
责任单位：区司法局、区发改局
完成时限：2022年底
二、严格规范公正文明执法
（一）规范行政执法行为
1.落实行政执法三项制度。
2.开展执法案卷评查。
（责任单位：区司法局，区检察院配合）
完成时限：每季度
"""

# Tasks without numbers: each is a paragraph followed by its fields.
UNNUMBERED = """某某局2024年普法工作要点

为深入贯彻落实“八五”普法规划，制定本要点。

一、加强学习
深入学习习近平法治思想。组织专题学习，开展研讨交流。
责 任 单 位：办公室
完 成 时 限：全年
开展宪法宣传周活动。
责任单位：普法科
完成时限：12月
二、强化执法
推行行政执法公示制度。
责任单位  执法科
完成时限  6月底前
"""

# Numbering runs on across sections; fields in brackets or as the closing words.
RUNNING_NUMBERS = """某某县2024年法治政府建设工作要点
一、加强党的领导
1. 学习贯彻习近平法治思想，2024年6月底前完成。（县委宣传部）
2. 落实述法制度（县委组织部牵头）
3. 开展法治督察（县委依法治县办负责，各乡镇配合）
二、推进依法行政
4. 推行行政执法公示制度，确保年底前落实到位。（县司法局）
三、工作步骤
（一）动员部署。3月底前完成动员。
（二）督促落实。适时开展督查。
"""

# A task table copied from a web page: cells separated by tabs, section rows between.
PASTED_TABLE = (
    "某某市2024年法治政府建设重点任务清单\n"
    "序号\t重点任务\t具体举措\t牵头单位\t配合单位\t完成时限\n"
    "一、健全政府机构职能体系\n"
    "1\t深化放管服改革\t1.编制行政许可事项清单。2.推行告知承诺制。\t市政务服务局\t市司法局\t"
    "2024年6月底前\n"
    "2\t优化营商环境\t开展涉企执法检查。\t市发改委\t\t长期坚持\n"
    "二、健全依法行政制度体系\n"
    "3\t加强规范性文件管理\t严格合法性审核。\t市司法局\t各县区\t年底前\n"
)
