"""Plans as real offices publish them (issue 14): site furniture, no title line, unit phrases.

Each text reproduces the *structure* of a public document (numbering, where the units and
dates sit, the furniture around it) in our own words; the address of the model is given.
"""

from __future__ import annotations

import pytest

from fazhi_desktop.io.plan.source import lines_from_text
from fazhi_desktop.io.plan.text import parse_plan
from fazhi_desktop.io.units import split_responsibility, unit_line
from fazhi_desktop.services import plans

# Model: https://yongchang.gov.cn/zfxxgk/zc/wj/agwzlfl/jzf/art/2025/art_4ac8ce0009be4a7a991a7121d36457ca.html
# (site 索引号 table, notice, "（此件公开发布）", 实施方案 with 总体要求 and 保障措施).
SITE_PAGE = """索 引 号 | 11620300013909010R/2025-48086 | 主题分类 | 政府文件 |
发文字号 | 某政发〔2025〕33号 | 制发机构 | |
成文日期 | 2025-06-13 | 发布日期 | 2025-06-30 |
标 题 | 某市人民政府关于印发《某市创建法治政府建设示范市实施方案》的通知 |
各县区人民政府，市政府各部门：
《某市创建法治政府建设示范市实施方案》已经市政府同意，现印发给你们，请认真抓好贯彻落实。
某市人民政府
2025年6月13日
（此件公开发布）
某市创建法治政府建设示范市实施方案
为加快推进法治建设，结合实际，制定本实施方案。
一、总体要求
坚持以习近平新时代中国特色社会主义思想为指导，全面建设法治政府。
二、主要任务
（一）健全政府机构职能体系。全面实行权责清单制度。（市委编办牵头，市政府各部门按职责分工负责）
（二）深入推进放管服改革。推行告知承诺制。（市政务服务中心牵头，市发改委、市市场监管局配合）
（三）加强规范性文件监督管理。落实备案审查制度。（市司法局负责）
三、保障措施
（一）加强组织领导。各地各部门要高度重视。
【打印本页】 【关闭窗口】
"""


def test_site_furniture_is_skipped_and_shared_duty_names_partners() -> None:
    parsed = plans.parse_plan_text(SITE_PAGE)
    draft = parsed.draft
    assert draft.title == "某市创建法治政府建设示范市实施方案"
    assert [(t.title, t.department, t.partners) for t in draft.tasks] == [
        ("健全政府机构职能体系", "市委编办", "市政府各部门"),
        ("深入推进放管服改革", "市政务服务中心", "市发改委、市市场监管局"),
        ("加强规范性文件监督管理", "市司法局", ""),
    ]
    assert draft.tasks[0].requirements == ["全面实行权责清单制度。"]
    reasons = {u.number: u.reason for u in parsed.unplaced}
    for number in (1, 2, 3, 9, 20):
        assert "网页或版面信息" in reasons[number]


# Model: a newspaper continuation page (http://szb.northnews.cn/nmgrb/html/2022-09/12/content_38614_190502.htm
# carries a plan over two pages): the body starts with "（上接第一版）" and has no title line.
CONTINUATION = """（上接第一版）
1.深入学习宣传习近平法治思想。组织开展专题学习。（区委宣传部、区司法局牵头，区直各部门配合）
2.推进严格规范公正文明执法。开展执法案卷评查。（区司法局牵头，各执法部门配合；年底前完成）
3.加强政务诚信建设。健全失信惩戒机制。（区发改局牵头，区直各部门按职责分工负责）
"""


def test_a_page_without_title_is_read_by_structure() -> None:
    parsed = parse_plan(lines_from_text(CONTINUATION), default_title="第二版")
    draft = parsed.draft
    assert draft.title == "第二版"  # never the furniture line
    assert [(t.title, t.department, t.partners) for t in draft.tasks] == [
        ("深入学习宣传习近平法治思想", "区委宣传部、区司法局", "区直各部门"),
        ("推进严格规范公正文明执法", "区司法局", "各执法部门"),
        ("加强政务诚信建设", "区发改局", "区直各部门"),
    ]
    assert draft.tasks[1].deadline_text == "年底前完成"
    assert [u.number for u in parsed.unplaced] == [1]


def test_numbered_text_without_any_title_or_fields_is_a_plan() -> None:
    text = "（上接第一版）\n一、加强执法\n（一）开展执法检查。\n（二）推进执法公示。\n"
    parsed = parse_plan(lines_from_text(text), default_title="page2")
    assert [t.title for t in parsed.draft.tasks] == ["开展执法检查", "推进执法公示"]


# Model: 政务公开工作要点 of several cities, where the units stand on the line under the item
# without a label (e.g. http://xiping.gov.cn/portal/zwgk/zfwj/xzb/xzbelel/webinfo/2020/09/1606553978297842.htm
# has them labelled; others drop the label).
UNITS_BELOW = """某市2023年政务公开工作要点
一、围绕稳经济促发展加强政策公开
（一）做好财政信息公开。按规定公开预决算信息。
市财政局牵头，市直各部门配合。
（二）做好重大项目信息公开。
市发改委负责。
二、围绕保障民生加强信息公开
（三）推进就业信息公开。
各县区政府，市直各部门
"""


def test_unit_lines_under_an_item_are_its_units() -> None:
    tasks = plans.parse_plan_text(UNITS_BELOW).draft.tasks
    assert [(t.title, t.department, t.partners, t.requirements) for t in tasks] == [
        ("做好财政信息公开", "市财政局", "市直各部门", ["按规定公开预决算信息。"]),
        ("做好重大项目信息公开", "市发改委", "", []),
        ("推进就业信息公开", "各县区政府，市直各部门", "", []),
    ]


def test_traditional_unit_phrases() -> None:
    text = (
        "某縣2024年法治政府建設工作要點\n一、深化依法行政\n"
        "（一）加強行政複議工作。提升辦案質量。（縣司法局牽頭，縣直各部門按職責分工負責）\n"
    )
    task = plans.parse_plan_text(text).draft.tasks[0]
    got = (task.title, task.department, task.partners)
    assert got == ("加強行政複議工作", "縣司法局", "縣直各部門")


@pytest.mark.parametrize(
    ("text", "lead", "partners"),
    [
        ("市委编办牵头，市政府各部门按职责分工负责", "市委编办", "市政府各部门"),
        ("區司法局牽頭，各鎮街配合", "區司法局", "各鎮街"),
        ("县司法局负责", "县司法局", ""),
    ],
)
def test_one_unit_phrase_parser(text: str, lead: str, partners: str) -> None:
    found = split_responsibility(text)
    assert found is not None and (found.lead, found.partners) == (lead, partners)


@pytest.mark.parametrize(
    "text", ["坚持问题导向，统筹推进各项工作。", "某市人民政府", "市司法局要加强指导，确保工作落实"]
)
def test_sentences_are_not_unit_lines(text: str) -> None:
    assert unit_line(text) is None


# Model: http://www.gov.cn newspaper-style pages (e.g. the 普法责任制 notice carried over two
# pages of a city daily): no brackets, the units are the item's last sentence, dates in the text.
NEWSPAPER = """上接第一版
为落实普法责任制，现提出如下工作安排。
1.建立普法责任清单。9月底前各部门报送本部门清单。市普法办牵头，市级各执法部门配合。
2.开展以案释法。定期发布典型案例。市中级人民法院、市人民检察院牵头，市司法局配合。
3.规范执法裁量。（市审批局牵头，各县（市、区）政府负责）
4.健全考评机制。（市级各有关部门及各县市区政府按职责分工负责）
下转第三版
"""


def test_units_in_the_last_sentence_nested_brackets_and_dates_in_the_text() -> None:
    parsed = parse_plan(lines_from_text(NEWSPAPER), year=2017, default_title="第二版")
    tasks = parsed.draft.tasks
    assert [(t.title, t.department, t.partners) for t in tasks] == [
        ("建立普法责任清单", "市普法办", "市级各执法部门"),
        ("开展以案释法", "市中级人民法院、市人民检察院", "市司法局"),
        ("规范执法裁量", "市审批局", "各县（市、区）政府"),
        ("健全考评机制", "市级各有关部门、各县市区政府", ""),
    ]
    assert tasks[0].requirements == ["9月底前各部门报送本部门清单。"]
    assert tasks[0].deadline is not None and tasks[0].deadline.isoformat() == "2017-09-30"
    reasons = {u.number: u.reason for u in parsed.unplaced}
    assert "网页或版面信息" in reasons[1] and "网页或版面信息" in reasons[7]


# Model: a 政府工作报告 分工方案 (http://www.panjin.gov.cn, 2021): the notice's own numbered
# points, a 联系人 line and the date come before the plan's title and its table; and a page of a
# provincial plan (http://fyzhizao.com/policy/207041_2.htm) ending in pagination links.
NOTICE_THEN_TABLE = (
    "盘政办发〔2021〕1号\n各县、区人民政府，市政府各部门：\n"
    "1.明确任务，压实责任。各牵头单位要建立任务清单。\n"
    "2.统筹协调，合力攻坚。各相关单位要加强配合。\n"
    "联系人：王某，联系电话：2800000。\n某市人民政府办公室\n2021年1月25日\n（此件公开发布）\n"
    "2021年市《政府工作报告》任务分解和责任分工方案\n"
    "序号\t重点任务\t牵头单位\t责任单位\t完成时限\n"
    "1\t推动重点项目建设\t市发展改革委\t各县区政府\t2021年12月底前\n"
    "2\t规范行政执法程序。2021年底前全面推行执法公示制度。\t市司法局\t\t\n"
    "上一页 1 2 3 下一页\n"
)


def test_a_notice_without_a_book_title_ends_at_its_date() -> None:
    parsed = plans.parse_plan_text(NOTICE_THEN_TABLE)
    draft = parsed.draft
    assert draft.title == "2021年市《政府工作报告》任务分解和责任分工方案"
    assert [(t.title, t.department, t.partners) for t in draft.tasks] == [
        ("推动重点项目建设", "市发展改革委", "各县区政府"),
        ("规范行政执法程序", "市司法局", ""),
    ]
    assert [t.deadline.isoformat() if t.deadline else None for t in draft.tasks] == [
        "2021-12-31",
        "2021-12-31",
    ]
    reasons = {u.number: u.reason for u in parsed.unplaced}
    assert reasons[3] == "方案之前的通知内容，不是任务" and "网页或版面信息" in reasons[13]


@pytest.mark.parametrize(
    ("item", "lead", "partners", "deadline"),
    [
        ("落实第一责任人职责。（县委办；2024年6月底前）", "县委办", "", "2024-06-30"),
        ("开展述法工作。由县委组织部负责，县司法局配合。", "县委组织部", "县司法局", None),
        (
            "完善考核机制。（县委组织部、县司法局分别牵头，各乡镇配合）",
            "县委组织部、县司法局",
            "各乡镇",
            None,
        ),
        (
            "推进法治宣传。县委宣传部为牵头单位，县司法局为配合单位。",
            "县委宣传部",
            "县司法局",
            None,
        ),
        ("加强队伍建设（县司法局，2024年底前）", "县司法局", "", "2024-12-31"),
        # Model: 国办发〔2016〕19号 要点 (http://www.gov.cn): "等" and "各地区落实".
        (
            "推进政策公开。（县发改局、县商务局等负责，各乡镇落实）",
            "县发改局、县商务局",
            "各乡镇",
            None,
        ),
        ("确保工作落实。（县司法局负责）", "县司法局", "", None),
    ],
)
def test_more_ways_to_name_who_does_an_item(
    item: str, lead: str, partners: str, deadline: str | None
) -> None:
    text = (
        f"某县2024年依法治县工作要点\n一、加强党的领导\n1.{item}\n2.另一项工作。（县司法局负责）\n"
    )
    task = plans.parse_plan_text(text).draft.tasks[0]
    got = (task.department, task.partners, task.deadline.isoformat() if task.deadline else None)
    assert got == (lead, partners, deadline)
    assert "县" not in task.title


def test_bracketed_units_on_their_own_line_and_a_date_in_the_title() -> None:
    text = (
        "某县2024年法治政府建设工作要点\n一、加强组织领导\n"
        "（一）落实第一责任人职责。\n（县委办牵头，县直各部门配合）\n"
        "（二）2024年6月底前，完成法治政府建设考核。\n（县委依法治县办负责）\n"
    )
    tasks = plans.parse_plan_text(text).draft.tasks
    assert [(t.department, t.partners) for t in tasks] == [
        ("县委办", "县直各部门"),
        ("县委依法治县办", ""),
    ]
    assert tasks[1].deadline is not None and tasks[1].deadline.isoformat() == "2024-06-30"
