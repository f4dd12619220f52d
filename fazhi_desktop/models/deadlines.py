"""Which date a 完成时间 text means.

Clerks write deadlines as free text: ``10.31``, ``10月31日前``, ``2021年6月底前``, ``三季度``,
``下半年``, ``6月底前完成初稿，10月底前全面完成``, ``长期坚持``. The rules, in order:

* Text is matched after :func:`fazhi_desktop.textnorm.normalize` (full-width → ASCII,
  traditional → simplified) and after Chinese numerals before 年/月/季/日/号/旬 become digits.
* Every date the text names is found. Month-only forms mean the month's last day (``6月``,
  ``6月底/末/份``, ``下旬``); ``上旬``/``月初`` the 10th, ``月中`` the 15th, ``中旬`` the 20th;
  a quarter its last day; ``上半年``/``年中`` 6-30; ``下半年``, ``年底``, ``年内``, ``全年`` 12-31.
* Several dates (a range ``6月-9月``, stages ``6月底前初稿，10月底前完成``): the latest one,
  because the task is due when its last part is.
* A year in the text wins and carries forward to later dates without one
  (``2021年12月初稿，次年3月完成`` → 2022-03-31); otherwise the ledger's year is used. With no year
  from either, the date is unknown: ``None``, never a guess.
* A concrete date beats an "undated" word: ``长期坚持，每年12月底前报送`` → 12-31 of the
  ledger year, because that date is what the clerk will be held to. Recurring texts without a month
  (``每月30日前``, ``每季度``) name no date.
* A date that cannot exist (``6月31日``, ``2月30日``, ``13月``) makes the whole text ``None`` so the
  clerk is asked, rather than silently using another date from the same text.
* ``M.D`` (``10.31``) is only a date when it cannot be a decimal: the text is nothing but dates,
  or it is followed by 前/日/止/完成..., preceded by 截至/截止/时间:..., or joined to another date
  by a dash. Followed by a unit (``10.31万元``, ``1.5倍``) it never is. Likewise a bare year
  (``2021年``) is a date (its year end) only in a text that is nothing but dates.
* Two-digit years (``21年``) are not read as years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, replace

from fazhi_desktop.textnorm import normalize

__all__ = ["UNDATED_KEYWORDS", "is_undated", "parse_deadline"]

# Words meaning "no fixed date by design". Substring match on normalised text; several entries
# are contained in others and are listed anyway so the tuple reads as documentation.
UNDATED_KEYWORDS: tuple[str, ...] = (
    "长期坚持",
    "长期推进",
    "长期开展",
    "持续推进",
    "持续开展",
    "常态化",
    "长期",
    "持续",
    "常年",
    "经常性",
    "日常",
    "定期",
    "不定期",
    "随时",
    "适时",
    "每日",
    "每天",
    "每周",
    "每月",
    "每季度",
    "每半年",
    "每年",
    "上级要求",
    "上级部署",
    "上级安排",
    "上级通知",
    "另行通知",
)

# A cell holding only one of these is a deliberate "no date", like an empty cell.
_PLACEHOLDERS = frozenset({"无", "暂无", "不限", "无限期"})

_MIN_YEAR = 1900
_MAX_YEAR = 2199

# ---------------------------------------------------------------------------------------------
# Text preparation

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63]+")
_WAVES = re.compile(r"[\u301c\u223c]")
# Chinese IMEs type 。 or · for the dot in 10.31.
_DIGIT_DOT = re.compile(r"(?<=\d)[。·・](?=\d)")
_SPACES = re.compile(r"\s+")
_JANUARY = re.compile(r"(?<![\d单])元月")  # 元月底 = January
_CN_DIGITS = {
    "〇": 0, "零": 0, "○": 0, "O": 0, "o": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_YEAR = re.compile(r"[〇零○Oo一二三四五六七八九]{4}(?=年)")
_CN_SMALL = re.compile(r"[零一二两三四五六七八九十廿卅]{1,4}(?=月|季|日|号|旬)")


def _small_cn_number(run: str) -> int | None:
    """Value of 一 … 三十一 (also 廿五, 卅一); None for anything else."""
    run = run.replace("廿", "二十").replace("卅", "三十")
    if "十" not in run:
        return _CN_DIGITS[run] if len(run) == 1 else None
    tens_part, _, ones_part = run.partition("十")
    if "十" in ones_part or len(tens_part) > 1 or len(ones_part) > 1:
        return None
    tens = _CN_DIGITS[tens_part] if tens_part else 1
    ones = _CN_DIGITS[ones_part] if ones_part else 0
    return tens * 10 + ones


def _cn_small_sub(match: re.Match[str]) -> str:
    value = _small_cn_number(match.group())
    return match.group() if value is None else str(value)


def _drop_space(match: re.Match[str]) -> str:
    # Keep a separator only where it divides two numbers ("2021 6" must not become "20216").
    before = match.string[match.start() - 1] if match.start() else ""
    after = match.string[match.end()] if match.end() < len(match.string) else ""
    return " " if before.isdigit() and after.isdigit() else ""


def _prepare(text: str) -> str:
    text = normalize(text)
    text = _DASHES.sub("-", text)
    text = _WAVES.sub("~", text)
    text = _DIGIT_DOT.sub(".", text)
    text = _JANUARY.sub("1月", text)
    text = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group()), text)
    text = _CN_SMALL.sub(_cn_small_sub, text)
    return _SPACES.sub(_drop_space, text)


# ---------------------------------------------------------------------------------------------
# Finding dates

# An optional year in front of a Chinese date: absolute (2021年, 2021年度) or relative (次年).
_RELATIVE_YEARS = {
    "今年": 0, "本年": 0, "本年度": 0, "当年": 0,
    "次年": 1, "明年": 1, "翌年": 1, "来年": 1, "下一年": 1, "下年": 1,
    "去年": -1, "上一年": -1, "上年": -1,
}  # fmt: skip
# Single-character forms before 年底/年内: 次年底, 去年底.
_RELATIVE_CHARS = {"今": 0, "本": 0, "当": 0, "次": 1, "明": 1, "翌": 1, "来": 1, "下": 1,
                   "去": -1, "上": -1}  # fmt: skip
_REL = "|".join(sorted(_RELATIVE_YEARS, key=len, reverse=True))
_REL_CHAR = "".join(_RELATIVE_CHARS)


def _year(tag: str) -> str:
    return rf"(?:(?P<{tag}_y>(?<!\d)\d{{4}})年度?|(?P<{tag}_r>{_REL}))?"


_CONNECT = r"[-~至到]+"
# After these a number is a quantity, not a day: 10.31万元, 6月3个, 1.5倍.
_UNIT = r"[%‰万亿千百元角分米倍个次人件项名家户吨亩斤克天周岁度条篇期批场所]"
_END = r"(?=前|$|[,;、。)\s]|完成)"

_PATTERN = re.compile(
    "|".join(
        (
            # 2021.9.30, 2021-9-30, 2021/9/30 (one separator throughout)
            r"(?P<ymd_y>(?<![\d.])\d{4})(?P<ymd_s>[./-])(?P<ymd_m>\d{1,2})(?P=ymd_s)"
            r"(?P<ymd_d>\d{1,2})(?!\d)",
            # 2021.9, 2021-09: a month
            rf"(?P<ym_y>(?<![\d.])\d{{4}})[./-](?P<ym_m>\d{{1,2}})"
            rf"(?:-(?P<ym_m2>\d{{1,2}}))?(?!\d|[./]\d|{_UNIT})",
            # 第三季度, 3季度, 一季度末, Q3
            _year("q") + r"(?:第)?(?<![\d每])(?P<q_n>[1-4])季(?:度(?:末|底)?|末|底)",
            _year("qq") + r"(?<![A-Za-z])[Qq](?P<qq_n>[1-4])(?!\d)",
            # 上半年 / 下半年
            _year("h") + r"(?P<h_n>[上下])半年度?(?:末|底)?",
            # 年中 (mid-year), only where it cannot be part of 年中央 etc.
            rf"(?:(?P<mid_y>(?<!\d)\d{{4}})年?|(?P<mid_r>{_REL})|(?<![\d\u4e00-\u9fff]))年中{_END}",
            # 年底, 年末, 年内, 年终, 2021年底, 次年底; not 3年内 / 半年内 (durations), not 每年底
            rf"(?:(?P<ye_y>(?<!\d)\d{{4}})年?|(?P<ye_rw>{_REL})|(?P<ye_r>[{_REL_CHAR}])"
            r"|(?<![\d半多几每一二两三四五六七八九十]))年度?(?:底|末|内|终)",
            # 全年
            _year("fy") + r"全年",
            # 10月31日, 6月1日-30日, 10月31 (a number of things is excluded by _UNIT)
            _year("md") + r"(?<![\d每])(?P<md_m>\d{1,2})月份?(?P<md_d>\d{1,2})"
            rf"(?:[日号]|(?![\d.]|{_UNIT}))(?:{_CONNECT}(?P<md_d2>\d{{1,2}})[日号])?",
            # 6月, 6月底, 6月份, 6-9月, 6月上旬, 6月中
            _year("mp") + rf"(?<![\d每])(?:\d{{1,2}}{_CONNECT})?(?P<mp_m>\d{{1,2}})月份?"
            rf"(?P<mp_p>上旬|中旬|下旬|底|末|初|中{_END})?",
            # 10.31, 10/31: a date only in context (see module docstring)
            r"(?P<w_m>(?<![\d./])\d{1,2})[./](?P<w_d>\d{1,2})(?!\d|[./]\d)",
            # 2021年 / 2021 alone: the year's end, only in a text that is nothing but dates
            r"(?P<by_y>(?<![\d.])\d{4})(?![\d.])(?:年度?)?",
        )
    )
)

# What may surround dates in a text that is "nothing but dates".
_FILLER = re.compile(
    r"完成时间|完成时限|时间|时限|期限|截止|截至|为止|之前|以前|以内|前|止|内|"
    r"全面完成|基本完成|完成|结束|左右|期间|开始|起|于|在|至|到|和|及|或|与|底|末|日|号|"
    r"[\s,;:、。.()\[\]（）【】<>《》\"'“”‘’!?！？\-~/]"
)
# Not 于/到/至: 高于10.31, 提高到10.31 are quantities. 于10.31前 is caught by 前 anyway.
_WEAK_BEFORE = re.compile(r"(?:截至|截止|时间|时限|期限|日期):?$")
_WEAK_AFTER = re.compile(r"(?:日|号|前|之前|以前|止|为止|截止|完成|结束)")
_UNIT_AFTER = re.compile(_UNIT)
_CONNECTOR_ONLY = re.compile(rf"^{_CONNECT}$")
_PUNCTUATION = re.compile(r"[\W_]")
_EVERY_ONE = re.compile(r"每[1个]")  # 每一季度, 每个月 → 每季度, 每月


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    year: int | None  # named in the text
    shift: int | None  # relative year (次年 = +1), applied to the year in force
    month: int
    day: int | None  # None = last day of the month
    strong: bool  # an impossible strong date invalidates the text; a weak one is just no date
    weak: bool = False  # needs context to count (M.D, bare year)
    bare_year: bool = False
    year_only: bool = False  # sets the year for later dates but is no date itself


def _year_of(match: re.Match[str], tag: str) -> tuple[int | None, int | None]:
    groups = match.groupdict()
    absolute = groups.get(f"{tag}_y")
    relative = groups.get(f"{tag}_r")
    if absolute is not None:
        return int(absolute), None
    if relative is not None:
        shift = _RELATIVE_YEARS.get(relative, _RELATIVE_CHARS.get(relative))
        return None, shift
    return None, None


_PART_DAY = {"上旬": 10, "初": 10, "中": 15, "中旬": 20, "下旬": None, "底": None, "末": None}


def _mention(match: re.Match[str]) -> _Mention:
    g = match.groupdict()
    span = match.start(), match.end()

    def make(tag: str, month: int, day: int | None) -> _Mention:
        year, shift = _year_of(match, tag)
        return _Mention(*span, year, shift, month, day, strong=True)

    if g["ymd_y"] is not None:
        return _Mention(*span, int(g["ymd_y"]), None, int(g["ymd_m"]), int(g["ymd_d"]), True)
    if g["ym_y"] is not None:
        month = int(g["ym_m2"] or g["ym_m"])
        return _Mention(*span, int(g["ym_y"]), None, month, None, strong=False)
    if g["q_n"] is not None:
        return make("q", int(g["q_n"]) * 3, None)
    if g["qq_n"] is not None:
        return make("qq", int(g["qq_n"]) * 3, None)
    if g["h_n"] is not None:
        return make("h", 6 if g["h_n"] == "上" else 12, None)
    if match.group().endswith("年中"):
        return make("mid", 6, 30)
    if match.group().endswith("全年"):
        return make("fy", 12, 31)
    if g["md_m"] is not None:
        return make("md", int(g["md_m"]), int(g["md_d2"] or g["md_d"]))
    if g["mp_m"] is not None:
        return make("mp", int(g["mp_m"]), _PART_DAY.get(g["mp_p"]))
    if g["w_m"] is not None:
        return _Mention(*span, None, None, int(g["w_m"]), int(g["w_d"]), False, weak=True)
    if g["by_y"] is not None:
        return _Mention(*span, int(g["by_y"]), None, 12, 31, False, weak=True, bare_year=True)
    # Only the year-end alternative is left (年底/年内/..., possibly 2021年底 or 次年底).
    year = int(g["ye_y"]) if g["ye_y"] is not None else None
    if g["ye_rw"] is not None:
        shift: int | None = _RELATIVE_YEARS[g["ye_rw"]]
    else:
        shift = _RELATIVE_CHARS[g["ye_r"]] if g["ye_r"] is not None else None
    return _Mention(*span, year, shift, 12, 31, True)


def _only_dates(text: str, mentions: list[_Mention]) -> bool:
    rest = list(text)
    for m in mentions:
        rest[m.start : m.end] = [" "] * (m.end - m.start)
    return not _FILLER.sub("", "".join(rest))


def _weak_counts(text: str, found: list[_Mention], i: int, only_dates: bool) -> bool:
    m = found[i]
    if _UNIT_AFTER.match(text, m.end):
        return False
    context = _WEAK_AFTER.match(text, m.end) or _WEAK_BEFORE.search(
        text, max(0, m.start - 4), m.start
    )
    if m.bare_year or only_dates or context:
        return only_dates or (context is not None and not m.bare_year)
    # A dash joining it to the date before or after it: 10.1-10.31.
    before = found[i - 1] if i else None
    after = found[i + 1] if i + 1 < len(found) else None
    if before is not None and _CONNECTOR_ONLY.match(text[before.end : m.start]):
        return True
    return (
        after is not None
        and _CONNECTOR_ONLY.match(text[m.end : after.start]) is not None
        and not _UNIT_AFTER.match(text, after.end)
    )


def _scan(text: str) -> list[_Mention]:
    """Dates named in prepared ``text``, in reading order; weak ones only where they count."""
    found: list[_Mention] = []
    for match in _PATTERN.finditer(text):
        if match.start() and text[match.start() - 1] == "每":  # 每12月, 每一季度: recurring
            continue
        found.append(_mention(match))
    only_dates = _only_dates(text, found)
    kept = [
        m for i, m in enumerate(found) if not m.weak or _weak_counts(text, found, i, only_dates)
    ]
    if any(not m.bare_year for m in kept):
        # "2021年，6月底前": the year is the year of the dates, not a date of its own.
        kept = [replace(m, year_only=True) if m.bare_year else m for m in kept]
    return kept


def _valid_in_some_year(month: int, day: int | None) -> bool:
    # 2000 is a leap year: 2月29日 is possible until a year says otherwise.
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(2000, month)[1]


def _date(year: int, month: int, day: int | None) -> dt.date | None:
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12):
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return dt.date(year, month, last)
    return dt.date(year, month, day) if 1 <= day <= last else None


def _resolve(mentions: list[_Mention], ledger_year: int | None) -> dt.date | None:
    dates: list[dt.date] = []
    in_force = ledger_year  # the year for dates that name none; a year in the text replaces it
    for m in mentions:
        year: int | None
        if m.year is not None:
            year = in_force = m.year
        elif m.shift is not None:
            year = in_force = None if in_force is None else in_force + m.shift
        else:
            year = in_force
        if m.year_only:
            continue
        if year is None:
            # Unknown year: no date, but 6月31日 is impossible in every year.
            if m.strong and not _valid_in_some_year(m.month, m.day):
                return None
            continue
        date = _date(year, m.month, m.day)
        if date is not None:
            dates.append(date)
        elif m.strong:
            return None
    return max(dates, default=None)


# ---------------------------------------------------------------------------------------------
# Public API


def parse_deadline(text: str, year: int | None) -> dt.date | None:
    """The date a deadline text means, using the ledger's year for texts without one.

    ``None`` when the text names no date (``长期坚持``, empty), names one that cannot exist, or
    needs a year and none is known. Never raises. See the module docstring for the rules.
    """
    if not isinstance(text, str) or (year is not None and not isinstance(year, int)):
        return None
    return _parse_deadline(text, year)


# A 台账 repeats its deadline texts (an import of 10,000 rows parsed ~300 distinct ones 12,000
# times, a sixth of the import): each distinct (text, year) is parsed once. Results are
# immutable dates, so sharing them is safe.
@functools.lru_cache(maxsize=8192)
def _parse_deadline(text: str, year: int | None) -> dt.date | None:
    try:
        prepared = _prepare(text)
        if not prepared:
            return None
        return _resolve(_scan(prepared), year)
    except (ValueError, OverflowError, RecursionError):  # belt and braces: junk never raises
        return None


def is_undated(text: str) -> bool:
    """True for texts that name no date by design.

    That is: empty text, a placeholder (``/``, ``—``, ``无``), or an undated word
    (``长期坚持``, ``持续推进``, ``常态化``, ``每月``, ``随时``; see UNDATED_KEYWORDS) with
    no date. A text that also names a date (``长期坚持，每年12月底前报送``) is dated. A text
    with neither (``待定``, ``按进度``) is *not* undated: it is a deadline nobody could read.
    """
    if not isinstance(text, str):
        return False
    return _is_undated(text)


@functools.lru_cache(maxsize=8192)
def _is_undated(text: str) -> bool:
    prepared = _prepare(text)
    if not _PUNCTUATION.sub("", prepared) or prepared in _PLACEHOLDERS:
        return True
    if not any(word in _EVERY_ONE.sub("每", prepared) for word in UNDATED_KEYWORDS):
        return False
    return not _scan(prepared)
