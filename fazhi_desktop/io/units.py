"""Who does a task: 牵头/配合 wording in a plan line, a bracket or a 台账 cell.

One parser for both importers, so a 台账 cell "市司法局牵头，市财政局配合" is split the same way
as the same words at the end of a plan item: 牵头 (or 负责, or "（牵头）") → 责任单位, the rest →
配合单位. "按职责分工负责" beside a 牵头 unit names partners; without one, everyone named is
responsible. Matching is on :func:`fold`, so traditional script and full-width commas work.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from fazhi_desktop.io.plan.markers import fold

_TRIM = " \t\u3000;；,，。、:："
# 牵头 / 配合 wording and trailing parentheticals

_LEAD_WORDS = (
    "牵头负责", "牵头落实", "牵头", "主责", "主办", "负总责", "负责", "具体负责", "分别牵头",
    "共同牵头", "联合牵头", "为牵头单位", "为责任单位", "为主责单位", "落实", "抓好落实",
    "组织实施", "具体实施",
)  # fmt: skip
_CARRY_WORDS = ("负责", "具体负责", "落实", "抓好落实", "组织实施", "具体实施")
# Verbs that say who carries a task out only after a unit's name ("各地区落实"), never after
# other words ("确保工作落实").
_WEAK_WORDS = ("落实", "抓好落实", "组织实施", "具体实施")
_PARTNER_WORDS = ("配合落实", "配合", "参与", "协助", "协同", "协办", "为配合单位", "为协办单位")
_BY = re.compile(r"^(?:由|请)")  # "由县委组织部负责"
# "…各有关部门，乡镇人民政府按职责分工分别负责": everyone named is responsible — unless a
# unit is named as the lead: "（市委编办牵头，市政府各部门按职责分工负责）" names partners.
_SHARED_TAIL = re.compile(
    r"(?:按照?(?:各自)?职责(?:分工)?|根据职责(?:分工)?|分工)?"
    r"(?:分别|共同|各自)?(?:负责|落实|抓好落实|推进)?$|各负其责$"
)
_SHARED = re.compile(r"分别负责|按照?(?:各自)?职责|各负其责|共同负责|分工负责|根据职责")
_LEAD_MARK = re.compile(r"[(]\s*(?:牵头|主责|牵头单位|主办)\s*[)]")
_CLAUSE_SPLIT = re.compile(r"[;,，；]")


@dataclass(frozen=True, slots=True)
class Responsibility:
    lead: str
    partners: str
    deadline: str = ""


def _ends_with(clause: str, words: tuple[str, ...]) -> str | None:
    for word in sorted(words, key=len, reverse=True):
        if clause.endswith(word):
            return word
    return None


# A 台账 names the same few 责任科室 on thousands of rows; splitting each distinct text once took
# the import of 10,000 rows from 1.7× plain openpyxl towards 1.2× (issue 17). The result is frozen.
@functools.lru_cache(maxsize=4096)
def split_responsibility(original: str) -> Responsibility | None:
    """``市司法局牵头，各有关部门配合`` or ``市司法局（牵头）、市财政局``; None for plain lists."""
    folded = fold(original)
    if _LEAD_MARK.search(folded):
        lead: list[str] = []
        partners: list[str] = []
        for unit, unit_f in _units(original, folded):
            if _LEAD_MARK.search(unit_f):
                lead.append(_strip_span(unit, _LEAD_MARK.search(unit_f)))
            else:
                partners.append(unit)
        return Responsibility("、".join(lead), "、".join(partners))
    return _clauses(original, folded)


def _strip_span(text: str, match: re.Match[str] | None) -> str:
    if match is None:
        return text
    return (text[: match.start()] + text[match.end() :]).strip(_TRIM)


def _units(original: str, folded: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    start = 0
    depth = 0
    for i, ch in enumerate(folded + "、"):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch in "、,;，；" and depth <= 0:
            piece, piece_f = original[start:i].strip(_TRIM), folded[start:i].strip(_TRIM)
            if piece:
                out.append((piece, piece_f))
            start = i + 1
    return out


def _clauses(original: str, folded: str) -> Responsibility | None:
    from fazhi_desktop.models.deadlines import is_undated, parse_deadline

    lead: list[str] = []
    partners: list[str] = []
    deadline: list[str] = []
    unmarked: list[str] = []
    shared: list[str] = []
    carriers: list[str] = []  # "…负责" beside a "…牵头": those who carry the task out
    start = 0
    pieces = []
    for match in [*_CLAUSE_SPLIT.finditer(folded), None]:
        end = match.start() if match is not None else len(folded)
        pieces.append((original[start:end].strip(_TRIM), folded[start:end].strip(_TRIM)))
        start = match.end() if match is not None else end
    for piece, piece_f in pieces:
        if not piece:
            continue
        if _SHARED.search(piece_f):
            cut = _SHARED_TAIL.search(piece_f)
            shared.append(piece[: cut.start()].strip(_TRIM) if cut else piece)
            continue
        word = _ends_with(piece_f, _LEAD_WORDS)
        if word in _WEAK_WORDS and not _UNIT_NAME.fullmatch(piece_f[: len(piece_f) - len(word)]):
            word = None
        if word is not None:
            unit = _BY.sub("", piece[: len(piece) - len(word)].strip(_TRIM)) or piece
            (carriers if word in _CARRY_WORDS else lead).append(unit)
            continue
        word = _ends_with(piece_f, _PARTNER_WORDS)
        if word is not None:
            partners.append(_BY.sub("", piece[: len(piece) - len(word)].strip(_TRIM)) or piece)
            continue
        if parse_deadline(piece, 2000) is not None or (is_undated(piece) and piece_f):
            deadline.append(piece)
            continue
        if len(piece_f) > 60 or "。" in piece_f:
            return None
        unmarked.append(piece)
    if lead:
        partners.extend(carriers)  # "（市审批局牵头，各县区政府负责）"
    else:  # "（发展改革委、商务部负责，各地区落实）": the first named lead the task
        lead, partners = carriers[:1], carriers[1:] + partners
    if not lead and shared and not partners:
        # "县政府办公室、各有关部门，乡镇人民政府按职责分工分别负责": all of them, no lead.
        return Responsibility(_listed([*unmarked, *shared]), "", "；".join(deadline))
    if not lead and not partners:
        if deadline and unmarked and all(_UNIT_LIST.fullmatch(fold(u)) for u in unmarked):
            return Responsibility(_listed(unmarked), "", "；".join(deadline))  # （县委办；6月底前）
        return None
    partners.extend(u for u in shared if u)
    # A unit named without 牵头/配合 beside one that has it: the lead if none is marked as such
    # ("市应急办，市编办配合"), else one more partner ("市司法局牵头，各有关部门").
    (partners if lead else lead).extend(unmarked)
    return Responsibility(_listed(lead), _listed(partners), "；".join(deadline))


# "市级各有关部门及各县市区政府": two units, listed as such.
_AND = re.compile(r"(?<=[局办委厅部院会心府位门科室所队站处组道镇街区县司])(?:及|和|以及)(?=\S)")


def _listed(units: list[str]) -> str:
    out = []
    for unit in units:
        unit = unit.removesuffix("等")  # "市编办、市司法局等": the units named
        cuts = [m.span() for m in _AND.finditer(fold(unit))]
        for start, end in reversed(cuts):
            unit = unit[:start] + "、" + unit[end:]
        out.append(unit)
    return "、".join(out)


# "（县司法局）", "（市发改委、市财政局）": a bracket holding nothing but unit names.
_UNIT = (
    r"(?:[^、,，;；()]|\([^()]{1,6}\)){1,24}?(?:局|办|委|厅|部|院|会|中心|政府|单位|部门|科|室|所"
    r"|队|站|处|组|街道|乡镇|镇|街|县区|地区|区|县|市|省|乡|办事处|公司|集团|司)(?:\([^()]{1,6}\))?"
)
_UNIT_LIST = re.compile(rf"{_UNIT}(?:[、,，]{_UNIT})*(?:等)?")
_UNIT_NAME = re.compile(rf"{_UNIT}等?")


def _split_units(folded: str) -> list[str]:
    return [piece.strip() for piece, _f in _units(folded, folded) if piece.strip()]
_NOT_UNITS = re.compile(r"简称|以下|包括|含|例如|如|根据|按照|依据|第")
_TRAILING_JUNK = " \t\u3000。.;,"


def _trailing_bracket(folded: str) -> tuple[int, int, int] | None:
    """(start, inner start, inner end) of a bracket closing the line; brackets may nest:
    "（区政务服务数据管理局牵头，各镇（街）按职责分工负责）"."""
    end = len(folded.rstrip(_TRAILING_JUNK))
    if end == 0 or folded[end - 1] != ")":
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        if folded[i] == ")":
            depth += 1
        elif folded[i] == "(":
            depth -= 1
            if depth == 0:
                return (i, i + 1, end - 1) if end - 1 - (i + 1) >= 2 else None
    return None
_DATE_HINT = re.compile(r"月|季|底|前|末|完成|年内|半年|年中")


def trailing_parenthetical(original: str, folded: str) -> tuple[str, Responsibility] | None:
    """A closing ``（市司法局牵头，各县区配合）`` or ``（2024年6月底前完成）`` on a line.

    Returns the line without it, and what it said; None when the line ends otherwise.
    """
    from fazhi_desktop.models.deadlines import is_undated, parse_deadline

    found_at = _trailing_bracket(folded)
    if found_at is None:
        return None
    start, inner_start, inner_end = found_at
    inner, inner_f = original[inner_start:inner_end], folded[inner_start:inner_end].strip()
    before = original[:start].rstrip()
    found = _clauses(inner, inner_f)
    if found is not None:
        return before, found
    cut = _SHARED_TAIL.search(inner_f) if _SHARED.search(inner_f) else None
    if cut is not None and cut.start() > 0:
        # "（区司法局、区直各部门按职责分工负责）": all of them are responsible.
        inner, inner_f = inner[: cut.start()].strip(_TRIM), inner_f[: cut.start()].strip(_TRIM)
    if _UNIT_LIST.fullmatch(inner_f) and not _NOT_UNITS.search(inner_f):
        return before, Responsibility(inner.strip(), "")
    short = len(inner_f) <= 24
    dated = parse_deadline(inner, 2000) is not None and _DATE_HINT.search(inner_f) is not None
    if short and (dated or (inner_f and is_undated(inner) and len(inner_f) <= 8)):
        return before, Responsibility("", "", inner.strip())
    return None


def trailing_sentence(original: str) -> tuple[str, Responsibility] | None:
    """An item whose last sentence names its units: "…报送清单。市普法办牵头，各部门配合。"."""
    text = original.rstrip()
    body = text.rstrip("。.;；")
    cut = max(body.rfind("。"), body.rfind("；"))
    if cut <= 0:
        return None
    found = unit_line(body[cut + 1 :])
    return (text[: cut + 1], found) if found is not None else None


def unit_line(original: str) -> Responsibility | None:
    """A line that names nothing but who does the task, under the task's text:
    "市财政局牵头，市直各部门配合。", "市发改委负责。", "各县区政府，市直各部门"."""
    text = original.strip().rstrip("。.;；")
    folded = fold(text)
    if not text or len(text) > 80 or "。" in folded or ":" in folded:
        return None
    found = _clauses(text, folded)
    if found is not None:
        # Without brackets or a label, only names of units make the line a unit line:
        # "各相关单位要加强配合" is a sentence.
        units = _split_units(fold(f"{found.lead}、{found.partners}"))
        return found if units and all(_UNIT_NAME.fullmatch(u) for u in units) else None
    if (
        _UNIT_LIST.fullmatch(folded)
        and not _NOT_UNITS.search(folded)
        and (re.search(r"[、,，]", folded) or folded.startswith("各"))
    ):
        return Responsibility(text, "")
    return None


_CLOSING_DATE = re.compile(
    r"(?:^|[,;，；。])\s*(?P<d>(?:于|在|力争|确保)?[^,;，；。]{0,14}?"
    r"(?:\d{1,2}\s*月|年底|年内|年末|季度|上半年|下半年)[^,;，；。]{0,6}?(?:前|底|内|末)"
    r"(?:完成|办结|落实到位|全面完成|基本完成)?)\s*[。.]?\s*$"
)


_EMBEDDED_DATE = re.compile(
    r"(?:19|20)\d{2}\s*年\s*(?:底|末)\s*前|(?:(?:19|20)\d{2}\s*年\s*)?(?:\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:底|末|中旬|上旬|下旬)?"
    r"|年底|年末|上半年|下半年|第?[一二三四1-4]\s*季度末?)\s*前"
)


def embedded_deadline(original: str) -> str | None:
    """A deadline inside a task's text: "…。2023年6月底前完成汇编并公开。" → "2023年6月底前"."""
    from fazhi_desktop.models.deadlines import parse_deadline

    for match in _EMBEDDED_DATE.finditer(fold(original)):
        found = original[match.start() : match.end()]
        if parse_deadline(found, 2000) is not None:
            return found
    return None


def closing_deadline(original: str) -> str | None:
    """A deadline ending a task's text without a label: "…，2024年6月底前完成。"."""
    from fazhi_desktop.models.deadlines import parse_deadline

    match = _CLOSING_DATE.search(fold(original))
    if match is None:
        return None
    found = original[match.start("d") : match.end("d")].strip()
    return found if parse_deadline(found, 2000) is not None else None
