"""A plan's source lines as the parser sees them: numbering, fields and kind of each line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fazhi_desktop.io.plan.markers import (
    Field,
    FieldKind,
    Heading,
    Level,
    first_sentence,
    fold,
    heading_of,
    split_fields,
)
from fazhi_desktop.io.units import trailing_parenthetical, trailing_sentence, unit_line
from fazhi_desktop.models.source_lines import SourceLine

REQ = FieldKind.REQUIREMENTS


@dataclass(slots=True)
class Elem:
    pos: int
    line: SourceLine
    folded: str
    heading: Heading | None = None
    level: Level | None = None
    pre: str = ""
    fields: list[Field] = field(default_factory=list)
    group: int | None = None
    blank: bool = False
    noise: bool = False  # a page number, or site/page furniture (see ``furniture``)
    furniture: bool = False
    table: bool = False

    @property
    def is_heading(self) -> bool:
        return self.level is not None and self.level < Level.ITEM


# What a government site or a newspaper page puts around a document: the 索引号 / 发布机构 /
# 文号 block, "（此件公开发布）", print and close links, "（上接第一版）". Never a title or a task.
_SITE_LABELS = (
    "索引号", "发布机构", "发文机关", "发文单位", "发文字号", "文号", "发文日期", "成文日期",
    "发布日期", "发布时间", "主题分类", "主题词", "公文种类", "有效性", "信息来源", "来源",
    "浏览次数", "访问量", "点击数", "生效日期", "废止日期", "所属机构", "信息分类", "体裁分类",
    "组配分类", "服务对象", "标题", "名称", "文章来源", "更新时间", "作者", "编辑",
)  # fmt: skip
_SITE_LABEL = re.compile(
    "(?:" + "|".join(r"\s*".join(label) for label in _SITE_LABELS) + r")\s*(?:[:|]|\s)"
)
_SITE_BITS = re.compile(
    r"\s*(?:[(](?:此件|本件)?(?:公开发布|主动公开|依申请公开|删减后公开)[)]"
    r"|[(]?(?:上接|下转|转|接)第?[一二三四五六七八九十\d]+(?:版|页)[)]?"
    r"|[【\[]\s*[^】\]]{1,8}\s*[】\]]"
    r"|打印本页|打印此页|关闭窗口|关闭本页|返回顶部|分享到|扫一扫[^\s]*|字号\s*:?\s*大\s*中\s*小"
    r"|(?:当前位置|您的位置|您当前的位置)\s*:.*|首页\s*[>»].*"
    r"|上一页|下一页|尾页|(?<![\d.])\d{1,3}(?![\d.、])|共\s*\d+\s*页)\s*"
)
_LINKS = ("打印", "关闭", "收藏", "分享", "返回", "顶部", "大中小", "字号")


def is_furniture(folded: str) -> bool:
    """A line of site or page furniture: "索 引 号：…", "【打印本页】【关闭窗口】"."""
    text = folded.strip()
    if not text:
        return False
    if _SITE_LABEL.match(text) and len(text) <= 200:
        return True
    rest, pos = [], 0
    while pos < len(text):
        match = _SITE_BITS.match(text, pos)
        if match is None or match.end() == pos:
            return False
        bit = match.group().strip()
        if bit.startswith(("【", "[")) and not any(w in bit for w in _LINKS):
            return False  # 【牵头单位】 and the like are the plan's own brackets
        rest.append(bit)
        pos = match.end()
    return bool(rest)


_PAGE_NUMBER = re.compile(r"[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?")


def make_elem(pos: int, line: SourceLine) -> Elem:
    folded = fold(line.text)
    elem = Elem(pos, line, folded)
    stripped = folded.strip()
    if is_furniture(stripped) and not _PAGE_NUMBER.fullmatch(stripped):
        elem.noise = elem.furniture = True
        return elem
    if line.cells is not None:
        elem.table = True
        return elem
    if not stripped:
        elem.blank = True
        return elem
    if _PAGE_NUMBER.fullmatch(stripped):
        elem.noise = True
        return elem
    elem.heading = heading_of(line.text, folded)
    elem.level = elem.heading.level if elem.heading else None
    start = elem.heading.rest if elem.heading else 0
    parts = split_fields(line.text[start:], folded[start:])
    elem.pre = parts.pre
    elem.fields = list(parts.fields)
    found = trailing_parenthetical(elem.pre, fold(elem.pre)) if elem.pre else None
    alone = unit_line(elem.pre) if elem.pre and not elem.fields and not elem.heading else None
    if alone is not None:
        found = "", alone
    elif found is None and elem.pre and not any(f.kind is not REQ for f in elem.fields):
        found = trailing_sentence(elem.pre)
    if found is not None:
        elem.pre, said = found
        for kind, value in (
            (FieldKind.DEPARTMENT, said.lead),
            (FieldKind.PARTNERS, said.partners),
            (FieldKind.DEADLINE, said.deadline),
        ):
            if value:
                elem.fields.append(Field(kind, "", value))
    return elem


def heading_title(elem: Elem) -> str:
    """A heading as a section name: its number and its first sentence."""
    title, _rest = first_sentence(elem.pre)
    return f"{elem.heading.marker if elem.heading else ''}{title}"
