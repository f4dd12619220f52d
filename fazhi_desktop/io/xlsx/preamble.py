"""The rows above a 台账 header: the title and the 填报单位 / 填报人 / 联系电话 / 填报时间 line.

The labels are matched on normalised text (full-width colons, traditional characters) but the
values are taken from the original text: a unit name is shown as its office wrote it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from fazhi_desktop.io.xlsx.grid import Row, shown_text
from fazhi_desktop.textnorm import normalize

# Label (as normalised) → what it names. Longer labels are tried first.
_LABELS: dict[str, str] = {
    "填报单位": "unit", "报送单位": "unit", "填报部门": "unit", "填报科室": "unit",
    "单位名称": "unit", "责任单位": "unit", "单位": "unit",
    "填报人": "reporter", "填表人": "reporter", "报送人": "reporter", "制表人": "reporter",
    "经办人": "reporter",
    "联系电话": "phone", "联系方式": "phone", "电话": "phone", "手机": "phone",
    "填报时间": "filled", "填报日期": "filled", "报送时间": "filled", "报送日期": "filled",
    "填表时间": "filled", "填表日期": "filled", "日期": "filled",
    "报送期间": "period", "填报期间": "period", "所属期间": "period", "报送月份": "period",
    "填报月份": "period", "所属月份": "period",
}  # fmt: skip
# Labels that open a line only at its start: "单位：" in the middle of a 说明 is not a field.
_LABEL = re.compile(r"([\u3400-\u9fff]{1,8})\s*(?:[(（][^)）]{0,12}[)）])?\s*[:：]")
_NAMES = sorted(_LABELS, key=len, reverse=True)
_TITLE_WORDS = ("台账", "台帐", "清单", "一览表", "分解表", "任务表", "计划表", "方案", "表")
_ATTACHMENT = re.compile(r"^附(?:件|表)\s*\d*\s*[:：]?$")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})(?:\s*[月./-]\s*(\d{1,2}))?")
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*(?:年\s*第\s*([1-4一二三四])\s*季度?|[年./-]\s*(\d{1,2})\s*月?)"
)


@dataclass
class Preamble:
    title: str = ""
    info: dict[str, str] = field(default_factory=dict)

    @property
    def filled_on(self) -> dt.date | None:
        return filled_date(self.info.get("filled", ""))

    @property
    def period(self) -> str | None:
        """The period the 报送期间 line names (``YYYY-MM``; a quarter by its last month)."""
        return period_in(self.info.get("period", ""))


def _labels(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each field label in ``text``; start is where the label word begins."""
    found: list[tuple[int, int, str]] = []
    for match in _LABEL.finditer(text):
        key = normalize(match.group(1)).replace(" ", "")
        for name in _NAMES:
            if key.endswith(name):
                # The match may have swallowed the end of the value before it (…科技局填报人：).
                found.append((match.end(1) - len(name), match.end(), _LABELS[name]))
                break
    return found


def _fields_in(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    labels = _labels(text)
    if not labels or labels[0][0] > 2:
        return found
    for number, (_start, end, kind) in enumerate(labels):
        stop = labels[number + 1][0] if number + 1 < len(labels) else len(text)
        value = text[end:stop].strip(" \t\u3000_\n")
        if value and kind not in found:
            found[kind] = value
    return found


def row_text(row: Row) -> str:
    return "    ".join(shown_text(v) for v in row if shown_text(v))


def is_info_line(text: str) -> bool:
    """True for a line like ``填报单位：…  填报时间：…`` (labels, not sentences)."""
    labels = _labels(text)
    return bool(labels) and labels[0][0] <= 2


def info_fields(row: Row) -> dict[str, str]:
    """unit / reporter / phone / filled, as written in a 填报 row."""
    return _fields_in(row_text(row))


def filled_date(text: str) -> dt.date | None:
    match = _DATE.search(normalize(text)) if text else None
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def period_in(text: str) -> str | None:
    """``2026年9月`` → ``2026-09``, ``2026年第4季度`` → ``2026-12``; None if neither."""
    match = _PERIOD.search(normalize(text)) if text else None
    if not match:
        return None
    year, quarter, month = match.group(1), match.group(2), match.group(3)
    number = int(month) if month else ("一二三四".find(quarter) + 1 or int(quarter)) * 3
    return f"{int(year):04d}-{number:02d}" if 1 <= number <= 12 else None


def read_preamble(rows: list[Row]) -> Preamble:
    """Title and 填报 fields from the rows above the header."""
    preamble = Preamble()
    candidates: list[str] = []
    for row in rows:
        text = row_text(row)
        if not text:
            continue
        if is_info_line(text):
            for kind, value in info_fields(row).items():
                preamble.info.setdefault(kind, value)
            continue
        if _ATTACHMENT.match(normalize(text).replace(" ", "")):
            continue
        candidates.append(re.sub(r"\s*\n\s*", "", text).strip())
    titled = [c for c in candidates if any(w in normalize(c) for w in _TITLE_WORDS)]
    pool = titled or candidates
    if pool:
        preamble.title = max(pool, key=len)
    return preamble
