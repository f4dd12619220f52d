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
