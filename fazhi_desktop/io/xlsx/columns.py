"""Which 台账 column a header cell names.

Offices name the same column differently (主要任务 / 工作任务 / 重点任务, 责任科室 / 牵头单位 …),
add notes in brackets (``完成时限（时间节点）``, ``责任人(签字)``), put line breaks and spaces into
headers (``序  号``, ``主要\\n任务``) and write in traditional characters. Matching is on the
normalised header, exact first, then by the longest known name the header contains.
"""

from __future__ import annotations

import enum
import functools
import re

from fazhi_desktop.textnorm import normalize


class Field(enum.Enum):
    SEQ = "序号"
    TITLE = "主要任务"
    REQUIREMENTS = "具体措施"
    DEADLINE = "完成时间"
    PROGRESS = "进展情况"
    DEPARTMENT = "责任科室"
    PARTNERS = "配合单位"
    OWNER = "责任人"
    NOTE = "备注"
    STATUS = "状态"

    # Members are singletons compared by identity; the default Enum hash runs Python code and is
    # hit several times per row of a 10,000-row import.
    __hash__ = object.__hash__


# Names found anywhere inside a header cell (longest wins). The first name of each field is
# the one this program writes.
SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.SEQ: ("序号", "编号", "序列号"),
    Field.TITLE: (
        "主要任务", "工作任务", "任务名称", "重点任务", "任务内容", "工作内容", "重点工作",
        "工作事项", "任务事项", "主要工作", "目标任务", "工作项目", "任务项目",
    ),
    Field.REQUIREMENTS: (
        "具体措施", "任务要求", "工作措施", "主要措施", "工作要求", "具体任务", "推进措施",
        "落实措施", "工作举措", "具体举措", "措施要求", "任务分解",
    ),
    Field.DEADLINE: (
        "完成时间", "完成时限", "时间节点", "完成期限", "时间要求", "时限要求", "截止时间",
        "完成日期", "办结时限", "办结时间", "时间安排", "进度安排",
    ),
    Field.PROGRESS: (
        "进展情况", "推进情况", "工作进展", "落实情况", "完成情况", "进度情况", "工作进度",
        "推进进度", "进展", "办理情况", "执行情况",
    ),
    Field.DEPARTMENT: (
        "责任科室", "责任单位", "牵头单位", "责任部门", "牵头部门", "牵头科室", "主责单位",
        "主办单位", "责任股室", "承办单位", "责任处室", "牵头处室", "责任主体", "负责科室",
        "负责单位", "负责部门", "负责处室", "承办科室", "承办部门", "牵头",
    ),
    Field.PARTNERS: (
        "配合单位", "协办单位", "配合部门", "配合科室", "协作单位", "参与单位", "协办部门",
        "配合处室", "协助单位",
    ),
    Field.OWNER: (
        "责任人", "联系人", "负责人", "经办人", "具体责任人", "责任领导", "分管领导", "承办人",
    ),
    Field.NOTE: ("备注",),
    Field.STATUS: ("状态", "完成状态", "任务状态", "是否完成"),
}  # fmt: skip

# Generic words that name a column only when they are the whole header: "任务" alone is the task
# column, but a header merely containing 任务 (任务要求) is not.
_EXACT_ONLY: dict[Field, tuple[str, ...]] = {
    Field.SEQ: ("序", "No", "No.", "NO"),
    Field.TITLE: ("任务", "内容", "事项", "项目", "工作"),
    Field.REQUIREMENTS: ("措施", "要求", "举措"),
    Field.DEADLINE: ("时间", "时限", "期限"),
    Field.PROGRESS: ("进度", "情况"),
    Field.DEPARTMENT: ("单位", "部门", "科室", "牵头"),
    Field.PARTNERS: ("配合",),
    Field.OWNER: ("人员",),
    Field.NOTE: ("说明", "附注", "其他"),
}

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
# deadline, 相关单位 a unit column.
_ENDINGS: tuple[tuple[str, Field], ...] = (
    ("内容", Field.TITLE), ("任务", Field.TITLE), ("事项", Field.TITLE), ("清单", Field.TITLE),
    ("时间", Field.DEADLINE), ("时限", Field.DEADLINE), ("期限", Field.DEADLINE),
    ("日期", Field.DEADLINE), ("节点", Field.DEADLINE), ("情况", Field.PROGRESS),
    ("进展", Field.PROGRESS), ("进度", Field.PROGRESS), ("单位", Field.DEPARTMENT),
    ("部门", Field.DEPARTMENT), ("科室", Field.DEPARTMENT), ("处室", Field.DEPARTMENT),
)  # fmt: skip

# A category column (类别, or a second task column to the left of the task): its cells, merged
# down the rows of their tasks, are each task's 章节.
CATEGORY_NAMES = ("类别", "类型", "分类", "领域", "板块", "方面", "一级指标", "工作类别")
