"""Which 台账 column a header cell names.

Offices name the same column differently (主要任务 / 工作任务 / 重点任务, 责任科室 / 牵头单位 …),
add notes in brackets (``完成时限（时间节点）``, ``责任人(签字)``), put line breaks and spaces into
headers (``序  号``, ``主要\\n任务``) and write in traditional characters. Matching is on the
normalised header, exact first, then by the longest known name the header contains.
"""

from __future__ import annotations

import functools
import re

from fazhi_desktop.textnorm import normalize
from fazhi_desktop.vocab.columns import REGISTRY, Field

__all__ = ["SYNONYMS", "Field", "field_of", "header_key"]


# The column names themselves live in the registry, shared with the plan reader and the writers.
SYNONYMS: dict[Field, tuple[str, ...]] = {f: c.names for f, c in REGISTRY.items() if c.names}
# Generic words that name a column only when they are the whole header: "任务" alone is the task
# column, but a header merely containing 任务 (任务要求) is not.
_EXACT_ONLY: dict[Field, tuple[str, ...]] = {f: c.words for f, c in REGISTRY.items() if c.words}

# A header cell is short; a longer cell mentioning 进展情况 is a sentence (a 说明 line).
MAX_HEADER_CHARS = 14

_BRACKETS = re.compile(r"[(\[（【〔][^)\]）】〕]*[)\]）】〕]")
_DROP = re.compile(r"[\s:：*＊/、]")


def header_key(text: str) -> str:
    """The form of a header cell used for matching: normalised, no spaces, no bracketed notes."""
    key = _DROP.sub("", normalize(text))
    without_notes = _BRACKETS.sub("", key)
    return without_notes or key


@functools.cache
def _contained() -> list[tuple[str, Field]]:
    pairs = [(normalize(name), field) for field, names in SYNONYMS.items() for name in names]
    # Longest first, so 具体责任人 wins over 责任人 and 完成情况 is never read as 完成时间.
    return sorted(pairs, key=lambda pair: -len(pair[0]))


@functools.cache
def _exact() -> dict[str, Field]:
    table = {normalize(name): field for field, names in _EXACT_ONLY.items() for name in names}
    table.update({normalize(name): field for field, names in SYNONYMS.items() for name in names})
    return table


@functools.lru_cache(maxsize=4096)
def field_of(text: str) -> Field | None:
    """The field a header cell names, or None when it is no known 台账 column."""
    if not text.strip():
        return None
    key = header_key(text)
    if not key or len(key) > MAX_HEADER_CHARS:
        return None
    exact = _exact().get(key)
    if exact is not None:
        return exact
    if key.endswith("人"):
        return Field.OWNER  # 承办人, 经办人: a person, never the unit column
    full = _DROP.sub("", normalize(text))
    for name, field in _contained():
        if name in key or name in full:
            return field
    for ending, field in _ENDINGS:
        if key.endswith(ending):
            return field
    return None


# Last resort, by what the name ends with: 普法内容 and 普法责任任务 are the task, 集中宣传时间 the
# deadline. A unit column is never guessed by its ending: 交办单位 names who gave the task.
_ENDINGS: tuple[tuple[str, Field], ...] = (
    ("内容", Field.TITLE), ("任务", Field.TITLE), ("事项", Field.TITLE), ("清单", Field.TITLE),
    ("时间", Field.DEADLINE), ("时限", Field.DEADLINE), ("期限", Field.DEADLINE),
    ("日期", Field.DEADLINE), ("节点", Field.DEADLINE), ("情况", Field.PROGRESS),
    ("进展", Field.PROGRESS), ("进度", Field.PROGRESS),
)  # fmt: skip

# A category column (类别, or a second task column to the left of the task): its cells, merged
# down the rows of their tasks, are each task's 章节.
CATEGORY_NAMES = REGISTRY[Field.SECTION].keywords
