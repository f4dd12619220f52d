"""The small pieces of a plan's text: numbering, field labels, sub-items, 牵头/配合 wording.

Offices number, label and punctuate plans in many ways (``（一）`` or ``(一)``, ``1．`` or ``1、``,
``责任单位：`` or ``【牵头单位】``, ``一是…二是…``, traditional characters). Everything here
matches on :func:`fold`, a copy of the text with the same length as the original, so a match's
span cuts the *original* text: what the user sees keeps the office's own characters.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass

from fazhi_desktop.textnorm import normalize
from fazhi_desktop.vocab import columns as vocab

# ---------------------------------------------------------------------------------------------
# Folding


@functools.cache
def _fold_char(ch: str) -> str:
    if "\u2460" <= ch <= "\u24ff" or "\u3220" <= ch <= "\u3229":
        return ch  # ① ⑴ ⒈ ㈠: numbering markers in their own right, kept for the marker rules
    if ch.isspace():
        return " "
    folded = normalize(ch)
    return folded if len(folded) == 1 else ch


def fold(text: str) -> str:
    """``text`` for matching: full-width → ASCII, traditional → simplified, one char per char."""
    return "".join(_fold_char(ch) for ch in text)


# ---------------------------------------------------------------------------------------------
# Numbering

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}  # fmt: skip
CN_NUM = "一二三四五六七八九十百零〇两"


def cn_number(text: str) -> int | None:
    """一 … 九十九 (and 一百 …) as an int; None if ``text`` is not such a numeral."""
    if not text or any(c not in CN_NUM for c in text):
        return None
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        h = _CN_DIGIT.get(hundreds, 1 if not hundreds else -1)
        tail = cn_number(rest.lstrip("零〇")) if rest else 0
        return None if h < 0 or tail is None else h * 100 + tail
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGIT.get(tens, 1 if not tens else -1)
        o = _CN_DIGIT.get(ones, 0 if not ones else -1)
        return None if t < 0 or o < 0 or len(tens) > 1 or len(ones) > 1 else t * 10 + o
    return _CN_DIGIT[text] if len(text) == 1 else None


class Level(enum.IntEnum):
    """Heading levels in the order of GB/T 9704 (一、 > （一） > 1. > （1）), outermost first."""

    PART = 0  # 第一部分 / 第一章
    SECTION = 1  # 一、
    PAREN_CN = 2  # （一）
    ARABIC = 3  # 1. 1． 1、 ⒈
    PAREN_NUM = 4  # （1） 1） ⑴
    CIRCLED = 5  # ①
    PLAIN = 6  # a task written without a number (found from its fields, not its marker)
    ITEM = 7  # 一是 …: always a sub-item, never a task


@dataclass(frozen=True, slots=True)
class Heading:
    level: Level
    number: int
    marker: str  # as written, e.g. "（一）", "1．"
    rest: int  # where the text after the marker starts in the line


_NUM = r"[一二三四五六七八九十百零〇两]{1,4}"
_HEADINGS: tuple[tuple[Level, re.Pattern[str]], ...] = (
    (Level.PART, re.compile(rf"第\s*(?P<cn>{_NUM}|\d{{1,2}})\s*(?:部分|章|篇)\s*[:、.]?")),
    (Level.SECTION, re.compile(rf"(?P<cn>{_NUM})\s*(?:、|\.(?!\d))")),
    (Level.PAREN_CN, re.compile(rf"[(〔\[【]\s*(?P<cn>{_NUM})\s*[)〕\]】]\s*[、.]?")),
    (Level.PAREN_CN, re.compile(r"(?P<sym>[\u3220-\u3229])")),
    (Level.ARABIC, re.compile(r"(?P<d>\d{1,3})\s*(?:[.、](?![\d.])|,(?=\s*[\u4e00-\u9fff]))")),
    (Level.ARABIC, re.compile(r"(?P<sym>[\u2488-\u249b])")),
    (Level.ARABIC, re.compile(r"(?P<d>\d{1,3})[\t ]+(?=[\u4e00-\u9fff])(?![年月日号季项个条次])")),
    (Level.PAREN_NUM, re.compile(r"[(〔\[【]\s*(?P<d>\d{1,3})\s*[)〕\]】]")),
    (Level.PAREN_NUM, re.compile(r"(?P<d>\d{1,3})\)")),
    (Level.PAREN_NUM, re.compile(r"(?P<sym>[\u2474-\u2487])")),
    (Level.CIRCLED, re.compile(r"(?P<sym>[\u2460-\u2473])")),
    (Level.ITEM, re.compile(r"(?P<cn>[一二三四五六七八九十]{1,3})\s*是(?=[\u4e00-\u9fff:,\s])")),
    (Level.ITEM, re.compile(r"(?:其|第)(?P<cn>[一二三四五六七八九十]{1,3})\s*[,、:是]")),
)


def _symbol_number(sym: str) -> int:
    code = ord(sym)
    for first in (0x2460, 0x2474, 0x2488, 0x3220):
        if first <= code < first + 20:
            return code - first + 1
    return 0


def heading_of(original: str, folded: str) -> Heading | None:
    """The numbering marker a line starts with, if any (leading blanks allowed)."""
    start = len(folded) - len(folded.lstrip())
    for level, pattern in _HEADINGS:
        match = pattern.match(folded, start)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("cn"):
            number = cn_number(groups["cn"])
        elif groups.get("d"):
            number = int(groups["d"])
        else:
            number = _symbol_number(groups["sym"])
        if not number:
            continue
        end = match.end()
        rest = end + len(folded[end:]) - len(folded[end:].lstrip())
        if rest >= len(folded.rstrip()):
            continue  # a marker alone ("1." on its line) is not a heading; "二、" page junk
        return Heading(level, number, original[start:end].strip(), rest)
    return None


# ---------------------------------------------------------------------------------------------
# Field labels


FieldKind = vocab.Field
# The fields a plan states with a label in running text ("牵头单位：市司法局；完成时限：6月底").
_LABELLED = (
    FieldKind.REQUIREMENTS,
    FieldKind.DEPARTMENT,
    FieldKind.PARTNERS,
    FieldKind.DEADLINE,
    FieldKind.OWNER,
    FieldKind.NOTE,
)
_LABELS: dict[FieldKind, tuple[str, ...]] = {
    f: vocab.REGISTRY[f].names + vocab.REGISTRY[f].label_words for f in _LABELLED
}
LABEL_KIND: dict[str, FieldKind] = {
    label: kind for kind, labels in _LABELS.items() for label in labels
}


def _spaced(label: str) -> str:
    # Formal documents space labels out to align them: "责 任 单 位：".
    return r"[ \u3000]*".join(re.escape(ch) for ch in label)


_LABEL_ALT = "|".join(_spaced(x) for x in sorted(LABEL_KIND, key=len, reverse=True))
_LONG_ALT = "|".join(_spaced(x) for x in sorted(LABEL_KIND, key=len, reverse=True) if len(x) >= 4)
# A label is followed by a colon, or stands in 【】/[] brackets. It starts the text or follows
# a blank, a bracket or punctuation: "…工作。（牵头单位：X；配合单位：Y）". Between blanks a
# full label needs no colon: "牵头单位  市司法局  完成时限  2024年6月".
_LABEL = re.compile(
    rf"(?:(?:^|(?<=[\s(\[【;,。、.]))(?P<a>{_LABEL_ALT})\s*[:]"
    rf"|[【\[](?P<b>{_LABEL_ALT})[】\]]\s*:?"
    rf"|(?:^|(?<=\s))(?P<c>{_LONG_ALT})[ \u3000\t]+(?=[^\s:]))"
)
_NOT_LABEL_CHARS = re.compile(r"[\s\u3000]")


@dataclass(frozen=True, slots=True)
class Field:
    kind: FieldKind
    label: str  # as written
    value: str  # as written, trimmed


@dataclass(frozen=True, slots=True)
class LineFields:
    """A line split into the text before its first label and its labelled fields."""

    pre: str
    fields: tuple[Field, ...]


_TRIM = " \t\u3000;；,，。、:："


def _cut_at_unbalanced_close(value: str) -> tuple[str, bool]:
    depth = 0
    for i, ch in enumerate(value):
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth -= 1
            if depth < 0:
                return value[:i], True
    return value, False


def split_fields(original: str, folded: str) -> LineFields:
    """The labelled fields of a line (``责任单位：X 完成时限：Y``) and the text before them."""
    matches = list(_LABEL.finditer(folded))
    if not matches:
        return LineFields(original.strip(), ())
    pre = original[: matches[0].start()]
    opened = pre.rstrip().endswith(("(", "（", "[", "【"))
    if opened:
        pre = pre.rstrip()[:-1]
    fields = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(original)
        value = original[match.end() : end]
        value, closed = _cut_at_unbalanced_close(value)
        if closed:
            opened = False
        written = match.group("a") or match.group("b") or match.group("c")
        label_text = _NOT_LABEL_CHARS.sub("", written)
        label = _NOT_LABEL_CHARS.sub("", original[match.start() : match.end()]).strip(":：【】[]")
        kind = LABEL_KIND[label_text]
        # A 任务要求 keeps its closing 。; a unit list or a date loses stray punctuation.
        value = (
            value.strip(" \t\u3000;；:：") if kind is FieldKind.REQUIREMENTS else value.strip(_TRIM)
        )
        fields.append(Field(kind, label, value))
    return LineFields(pre.strip(), tuple(fields))


# ---------------------------------------------------------------------------------------------
# 牵头 / 配合 wording and trailing parentheticals

_LEAD_WORDS = ("牵头负责", "牵头落实", "牵头", "主责", "主办", "负总责", "负责")
_PARTNER_WORDS = ("配合落实", "配合", "参与", "协助", "协同", "协办")
# "…各有关部门，乡镇人民政府按职责分工分别负责": everyone named is responsible; no split.
_SHARED = re.compile(r"分别负责|按职责|各负其责|共同负责|分工负责")
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

    if _SHARED.search(folded):
        return None
    lead: list[str] = []
    partners: list[str] = []
    deadline: list[str] = []
    unmarked: list[str] = []
    start = 0
    pieces = []
    for match in [*_CLAUSE_SPLIT.finditer(folded), None]:
        end = match.start() if match is not None else len(folded)
        pieces.append((original[start:end].strip(_TRIM), folded[start:end].strip(_TRIM)))
        start = match.end() if match is not None else end
    for piece, piece_f in pieces:
        if not piece:
            continue
        word = _ends_with(piece_f, _LEAD_WORDS)
        if word is not None:
            lead.append(piece[: len(piece) - len(word)].strip(_TRIM) or piece)
            continue
        word = _ends_with(piece_f, _PARTNER_WORDS)
        if word is not None:
            partners.append(piece[: len(piece) - len(word)].strip(_TRIM) or piece)
            continue
        if parse_deadline(piece, 2000) is not None or (is_undated(piece) and piece_f):
            deadline.append(piece)
            continue
        if len(piece_f) > 60 or "。" in piece_f:
            return None
        unmarked.append(piece)
    if not lead and not partners:
        return None
    # A unit named without 牵头/配合 beside one that has it: the lead if none is marked as such
    # ("市应急办，市编办配合"), else one more partner ("市司法局牵头，各有关部门").
    (partners if lead else lead).extend(unmarked)
    return Responsibility("、".join(lead), "、".join(partners), "；".join(deadline))


# "（县司法局）", "（市发改委、市财政局）": a bracket holding nothing but unit names.
_UNIT = (
    r"[^、,，;；()]{1,18}?(?:局|办|委|厅|部|院|会|中心|政府|单位|部门|科|室|所|队|站|处|组"
    r"|街道|乡镇|镇|县区|办事处|公司|集团)"
)
_UNIT_LIST = re.compile(rf"{_UNIT}(?:[、,，]{_UNIT})*(?:等)?")
_NOT_UNITS = re.compile(r"简称|以下|包括|含|例如|如|根据|按照|依据|第")
_TRAILING_PAREN = re.compile(r"[(]([^()]{2,200})[)][\s。.;,]*$")
_DATE_HINT = re.compile(r"月|季|底|前|末|完成|年内|半年|年中")


def trailing_parenthetical(original: str, folded: str) -> tuple[str, Responsibility] | None:
    """A closing ``（市司法局牵头，各县区配合）`` or ``（2024年6月底前完成）`` on a line.

    Returns the line without it, and what it said; None when the line ends otherwise.
    """
    from fazhi_desktop.models.deadlines import is_undated, parse_deadline

    match = _TRAILING_PAREN.search(folded)
    if match is None:
        return None
    inner, inner_f = original[match.start(1) : match.end(1)], match.group(1).strip()
    before = original[: match.start()].rstrip()
    found = _clauses(inner, inner_f)
    if found is not None:
        return before, found
    if _UNIT_LIST.fullmatch(inner_f) and not _NOT_UNITS.search(inner_f):
        return before, Responsibility(inner.strip(), "")
    short = len(inner_f) <= 24
    dated = parse_deadline(inner, 2000) is not None and _DATE_HINT.search(inner_f) is not None
    if short and (dated or (inner_f and is_undated(inner) and len(inner_f) <= 8)):
        return before, Responsibility("", "", inner.strip())
    return None


_CLOSING_DATE = re.compile(
    r"(?:^|[,;，；。])\s*(?P<d>(?:于|在|力争|确保)?[^,;，；。]{0,14}?"
    r"(?:\d{1,2}\s*月|年底|年内|年末|季度|上半年|下半年)[^,;，；。]{0,6}?(?:前|底|内|末)"
    r"(?:完成|办结|落实到位|全面完成|基本完成)?)\s*[。.]?\s*$"
)


def closing_deadline(original: str) -> str | None:
    """A deadline ending a task's text without a label: "…，2024年6月底前完成。"."""
    from fazhi_desktop.models.deadlines import parse_deadline

    match = _CLOSING_DATE.search(fold(original))
    if match is None:
        return None
    found = original[match.start("d") : match.end("d")].strip()
    return found if parse_deadline(found, 2000) is not None else None


# ---------------------------------------------------------------------------------------------
# Sub-items: "1.…2.…", "一是…二是…", "（1）…（2）…", "①…②…"

_BREAK = r"(?:^|(?<=[\s。;:!?,.、]))"
_ITEM_FAMILIES: tuple[re.Pattern[str], ...] = (
    re.compile(_BREAK + r"(?P<d>\d{1,2})\s*[.、](?![\d.])"),
    re.compile(_BREAK + r"(?P<cn>[一二三四五六七八九十]{1,3})是"),
    re.compile(_BREAK + r"(?:其|第)(?P<cn>[一二三四五六七八九十]{1,3})\s*[,、:是]"),
    re.compile(r"[(](?P<d>\d{1,2})[)]"),
    re.compile(rf"[(](?P<cn>{_NUM})[)]"),
    re.compile(r"(?P<sym>[\u2460-\u2473\u2474-\u2487])"),
)


def _number(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("d"):
        return int(groups["d"])
    if groups.get("cn"):
        return cn_number(groups["cn"])
    return _symbol_number(groups["sym"])


def _run(pattern: re.Pattern[str], folded: str) -> list[re.Match[str]]:
    """The longest run of markers numbered 1, 2, 3… in reading order."""
    run: list[re.Match[str]] = []
    for match in pattern.finditer(folded):
        number = _number(match)
        if number == len(run) + 1:
            run.append(match)
    return run


def split_items(original: str) -> list[str]:
    """Sub-items of a 任务要求 text, markers removed; the text itself when it has none."""
    text = original.strip()
    if not text:
        return []
    folded = fold(text)
    best: list[re.Match[str]] = []
    for pattern in _ITEM_FAMILIES:
        run = _run(pattern, folded)
        if not run:
            continue
        at_start = not folded[: run[0].start()].strip(_TRIM)
        if len(run) < 2 and not at_start:
            continue
        if len(run) > len(best) or (len(run) == len(best) and run[0].start() < best[0].start()):
            best = run
    if not best:
        return [strip_item(text)]
    items = []
    intro = text[: best[0].start()].strip()
    if intro.strip(_TRIM):
        items.append(intro)
    for match, following in zip(best, [*best[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        piece = strip_item(text[match.end() : end])
        if piece:
            items.append(piece)
    return items


def strip_item(text: str) -> str:
    """An item without blanks around it or a list separator (；) after it."""
    return text.strip().rstrip(";；,，、").strip()


# ---------------------------------------------------------------------------------------------
# Sentences

_SENTENCE_END = re.compile(r"[。!?;]")
_TERMINAL = tuple("。!?;:！？；：」』”)）")


def first_sentence(original: str) -> tuple[str, str]:
    """``标题。正文…`` → (标题, 正文); the title keeps no closing 。."""
    folded = fold(original)
    match = _SENTENCE_END.search(folded)
    if match is None:
        colon = folded.find(":")
        if 0 < colon <= 40 and folded[colon + 1 :].strip():
            return original[:colon].strip(), original[colon + 1 :].strip()
        return original.strip().rstrip("。.;；"), ""
    return (
        original[: match.start()].strip(),
        original[match.end() :].strip(),
    )


def ends_sentence(text: str) -> bool:
    stripped = fold(text).rstrip()
    return not stripped or stripped.endswith(tuple(fold("".join(_TERMINAL))))
