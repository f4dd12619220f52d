"""Write an :class:`AnnualReport` as the .docx first draft of the 法治政府建设情况报告.

Numbering follows the reports offices publish: parts 一、, sections （一）, tasks 1. counted
on through the whole of a part. Every sentence is either fixed wording, a number counted from
the data, or text the 台账 holds; what the writer must add is asked for in grey 撰写提示
paragraphs (style “撰写提示”) meant to be deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.text.paragraph import Paragraph

from fazhi_desktop.io.atomic import atomic_path
from fazhi_desktop.io.docx.gongwen import (
    BODY_STYLE,
    GUIDANCE_STYLE,
    HEADING_1,
    HEADING_2,
    SIGNATURE_STYLE,
    TITLE_CHARS_PER_LINE,
    TITLE_STYLE,
    new_document,
)
from fazhi_desktop.models.report_records import (
    PARTS,
    UNIT_PLACEHOLDER,
    AnnualReport,
    ReportItem,
)
from fazhi_desktop.models.status import Status
from fazhi_desktop.vocab.dates import date_label as cn_date

PART_NUMBERS = "一二三四五"
SECTION_NUMBERS = "一二三四五六七八九十"
DATE_PLACEHOLDER = "【成文日期】"
GUIDANCE_PREFIX = "【撰写提示："
GUIDANCE_SUFFIX = "请删除本段】"
NOT_REPORTED = "台账未填报本年度进展"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_END_PUNCT = "。；;，,、：: \t"


def write_annual_report(report: AnnualReport, target: Path) -> None:
    doc = build_document(report)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))


def build_document(report: AnnualReport) -> DocxDocument:
    doc = new_document()
    _properties(doc, report)
    _title(doc, report)
    _guidance(
        doc,
        "此处写导语，概述本年度法治政府建设的总体情况。本初稿由“法治台账”根据"
        f"{_sources(report)}截至{cn_date(report.as_of)}的记录生成，第一、二、四部分所列任务、"
        "进展和数字均来自台账，请据实修改、归纳和补充。",
    )
    _part_one(doc, report)
    _part_two(doc, report)
    _part_three(doc)
    _part_four(doc, report)
    _part_five(doc)
    _signature(doc, report)
    return doc


# --- wording ---------------------------------------------------------------------------------
def section_number(index: int) -> str:
    """一 … 十, 十一 … 九十九 for the ``index``-th section (from 0), as the reports number them."""
    n = index + 1
    if n <= 10:
        return SECTION_NUMBERS[n - 1]
    if n >= 100:
        return str(n)  # no plan has that many sections; stay unambiguous if one does
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else SECTION_NUMBERS[tens - 1]
    return f"{head}十{SECTION_NUMBERS[ones - 1] if ones else ''}"


def state_text(item: ReportItem) -> str:
    """The task's completion state in words, with the dates the 台账 holds."""
    # An undated task's 完成时间 is a phrase (长期坚持, 持续推进): quoted as it stands.
    limit = f"完成时限{cn_date(item.deadline)}" if item.deadline else item.deadline_text.strip()
    done_on = f"{cn_date(item.done_on)}完成" if item.done_on else ""
    parts: list[str]
    if item.status is Status.DONE:
        parts = ["已完成", done_on]
    elif item.status is Status.DONE_LATE:
        parts = ["逾期完成", limit, done_on]
    else:
        parts = [item.status.value, limit]
    if not item.reported:
        parts.append(NOT_REPORTED)
    return "，".join(p for p in parts if p)


def clean(text: str) -> str:
    """Text storable in the document: XML-illegal control characters dropped."""
    return _ILLEGAL_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _sources(report: AnnualReport) -> str:
    if not report.sources:
        return "台账"
    return "、".join(f"《{clean(s)}》" for s in report.sources)


def _as_of(report: AnnualReport) -> str:
    return f"截至{report.year}年底" if report.year_complete else f"截至{cn_date(report.as_of)}"


def _summary(report: AnnualReport) -> str:
    c = report.counts
    done_detail = f"（其中逾期完成{c.done_late}项）" if c.done_late else ""
    open_parts = [
        (Status.IN_PROGRESS.value, c.in_progress),
        (Status.NOT_STARTED.value, c.not_started),
        (Status.OVERDUE.value, c.overdue),
    ]
    open_detail = "、".join(f"{label}{n}项" for label, n in open_parts if n)
    open_text = f"，尚未完成{c.open}项（{open_detail}）" if c.open else "，全部完成"
    return (
        f"{report.year}年，台账共列入法治政府建设任务{c.total}项，"
        f"{_as_of(report)}已完成{c.done}项{done_detail}{open_text}。"
    )


# --- paragraphs ------------------------------------------------------------------------------
def _properties(doc: DocxDocument, report: AnnualReport) -> None:
    props = doc.core_properties
    now = dt.datetime.now().replace(microsecond=0)
    props.title = clean(report.title)
    props.author = clean(report.unit)
    props.last_modified_by = ""
    props.comments = "由法治台账根据台账记录生成的初稿"
    props.created = props.modified = now
    props.revision = 1


def _para(doc: DocxDocument, text: str, style: str = BODY_STYLE) -> Paragraph:
    if style == BODY_STYLE:
        # The default style needs no w:pStyle; naming it makes python-docx search every style
        # per paragraph, nine tenths of the time for a long 台账.
        return doc.add_paragraph(clean(text))
    return doc.add_paragraph(clean(text), style=style)


def _title(doc: DocxDocument, report: AnnualReport) -> None:
    paragraph = doc.add_paragraph(style=TITLE_STYLE)
    unit = clean(report.unit) or UNIT_PLACEHOLDER
    if report.unit:
        paragraph.add_run(unit)
    else:
        _placeholder(paragraph, UNIT_PLACEHOLDER)
    head = paragraph.add_run("关于")
    # A title too long for one line breaks after “关于”, as published reports do, rather than
    # wherever the line runs out (GB/T 9704: 回行时词意完整、排列对称).
    if len(report.title) > TITLE_CHARS_PER_LINE and len(unit) + 2 <= TITLE_CHARS_PER_LINE:
        head.add_break()
    paragraph.add_run(f"{report.year}年法治政府建设情况的报告")


def _placeholder(paragraph: Paragraph, text: str) -> None:
    """A bracketed blank the writer fills in, highlighted so it cannot be missed."""
    paragraph.add_run(text).font.highlight_color = WD_COLOR_INDEX.YELLOW


def _guidance(doc: DocxDocument, text: str) -> None:
    _para(doc, f"{GUIDANCE_PREFIX}{text}{GUIDANCE_SUFFIX}", GUIDANCE_STYLE)


def _part(doc: DocxDocument, index: int) -> None:
    _para(doc, f"{PART_NUMBERS[index]}、{PARTS[index]}", HEADING_1)


def _item(doc: DocxDocument, number: int, item: ReportItem, *, progress: bool, dept: bool) -> None:
    """“1. 任务。进展（状态）”; a progress text of several lines continues in paragraphs of
    its own, the state after its last line."""
    title = clean(item.title).strip().rstrip(_END_PUNCT)
    lines = [line.strip() for line in clean(item.progress).split("\n") if line.strip()]
    state = state_text(item)
    if dept and item.department.strip():
        state = f"责任科室：{clean(item.department).strip()}；{state}"
    if not progress or not lines:
        _para(doc, f"{number}. {title}。（{state}）")
        return
    lines[-1] = f"{lines[-1]}（{state}）"
    _para(doc, f"{number}. {title}。{lines[0]}")
    for line in lines[1:]:
        _para(doc, line)


def _part_one(doc: DocxDocument, report: AnnualReport) -> None:
    _part(doc, 0)
    _para(doc, _summary(report))
    number = 0
    for index, section in enumerate(report.sections):
        if section.title:
            _para(doc, f"（{section_number(index)}）{clean(section.title)}", HEADING_2)
        for item in section.items:
            number += 1
            _item(doc, number, item, progress=True, dept=False)


def _part_two(doc: DocxDocument, report: AnnualReport) -> None:
    _part(doc, 1)
    _guidance(
        doc,
        "以下是台账中逾期未完成或全年未填报进展的任务，供查找不足、分析原因时参考。"
        "请归纳存在的问题并分析主客观原因，不必逐项照录。",
    )
    shortfalls = report.shortfalls
    c = report.counts
    if not shortfalls:
        _para(doc, f"{_as_of(report)}，台账中没有逾期未完成的任务，也没有全年未填报进展的任务。")
        return
    _para(
        doc,
        f"{_as_of(report)}，台账中逾期未完成的任务{c.overdue}项，"
        f"尚未完成且全年未填报进展的任务{c.unreported}项，共涉及{len(shortfalls)}项任务：",
    )
    for number, item in enumerate(shortfalls, start=1):
        _item(doc, number, item, progress=True, dept=True)


def _part_three(doc: DocxDocument) -> None:
    _part(doc, 2)
    _guidance(
        doc,
        "台账中没有这部分内容，请据实撰写：党政主要负责人如何研究部署法治政府建设、"
        "带头学法用法、推进重大行政决策合法性审查、出庭应诉、督促整改问题等。",
    )


def _part_four(doc: DocxDocument, report: AnnualReport) -> None:
    _part(doc, 3)
    _guidance(
        doc,
        f"以下是{report.year}年尚未完成、需在{report.year + 1}年继续推进的任务。"
        f"请结合上级部署补充{report.year + 1}年度的工作思路和重点安排。",
    )
    carried = report.carried
    if not carried:
        _para(doc, f"{report.year}年台账任务均已完成，没有需转入{report.year + 1}年的任务。")
        return
    _para(
        doc,
        f"{_as_of(report)}尚未完成的{len(carried)}项任务，需转入{report.year + 1}年继续推进：",
    )
    for number, item in enumerate(carried, start=1):
        _item(doc, number, item, progress=False, dept=True)


def _part_five(doc: DocxDocument) -> None:
    _part(doc, 4)
    _guidance(
        doc,
        "如有上级要求报告的其他事项（如法治政府建设示范创建、督察整改、重大突发事件依法"
        "处置等），请在此写明；没有可写“无”。",
    )


def _signature(doc: DocxDocument, report: AnnualReport) -> None:
    _para(doc, "")
    unit = doc.add_paragraph(style=SIGNATURE_STYLE)
    if report.unit:
        unit.add_run(clean(report.unit))
    else:
        _placeholder(unit, UNIT_PLACEHOLDER)
    _placeholder(doc.add_paragraph(style=SIGNATURE_STYLE), DATE_PLACEHOLDER)
