"""The column registry: every field a task has, its label, and the names offices give it.

One entry per field says what the program calls it (``label``, as in the official 台账
``序号 | 主要任务 | 完成时间 | 进展情况 | 责任科室 | 责任人 | 备注``), which ``TaskRecord``
attribute holds it, whether the table edits it, how wide it is drawn, and how documents name
it. The table model, the undo commands, the import previews, the xlsx and plan readers, and the
xlsx and PDF writers all read this table, so adding a synonym or changing a label happens here.

Names come in three strengths, because matching is done three ways:

* ``names`` — unambiguous column names: a header cell *containing* one names this field
  (``完成时限（时间节点）`` → 完成时间). Also accepted as a label in running text
  (``牵头单位：市司法局``).
* ``words`` — generic words that name the field only when they are the *whole* header cell
  (``单位``, ``时间``); a header merely containing them (``单位名称``) does not.
* ``keywords`` — short stems a plan's task table header is searched for, in the order
  :data:`PLAN_TABLE_ORDER` gives (plan tables are laid out more freely than 台账).

``label_words`` are short words accepted as an inline label before a colon (``配合：X``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Field(enum.Enum):
    SEQ = "序号"
    SECTION = "章节"
    TITLE = "主要任务"
    REQUIREMENTS = "任务要求"
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


@dataclass(frozen=True, slots=True)
class Column:
    field: Field
    attr: str  # the TaskRecord / TaskDraft attribute
    editable: bool = False  # edited in the main table's cell
    width: int = 0  # default width in the main table, pixels at 96 dpi (0: not a table column)
    names: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    label_words: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.field.value


REGISTRY: dict[Field, Column] = {
    c.field: c
    for c in (
        Column(
            Field.SEQ, "seq", editable=True, width=44,
            names=("序号", "编号", "序列号"),
            words=("序", "No", "No.", "NO"),
            keywords=("序号", "编号"),
        ),
        Column(
            Field.SECTION, "section",
            keywords=("类别", "类型", "领域", "板块", "分类", "一级指标", "方面"),
        ),
        Column(
            Field.TITLE, "title", editable=True, width=230,
            names=(
                "主要任务", "工作任务", "任务名称", "重点任务", "任务内容", "工作内容", "重点工作",
                "工作事项", "任务事项", "主要工作", "目标任务", "工作项目", "任务项目",
            ),
            words=("任务", "内容", "事项", "项目", "工作"),
            keywords=("任务", "事项", "工作", "项目", "内容", "指标"),
        ),
        Column(
            Field.REQUIREMENTS, "requirements",
            names=(
                "具体措施", "任务要求", "工作措施", "主要措施", "工作要求", "具体任务", "推进措施",
                "落实措施", "工作举措", "具体举措", "措施要求", "任务分解", "具体要求", "目标要求",
                "具体内容", "主要内容", "主要举措", "实施内容", "工作任务要求",
            ),
            words=("措施", "要求", "举措"),
            # In running text "工作内容：…" under a task lists what it requires.
            label_words=("工作内容", "任务内容", "重点工作"),
            keywords=(
                "要求", "措施", "举措", "具体内容", "主要内容", "工作内容", "任务内容",
                "具体任务", "具体工作", "具体事项", "实施内容", "目标", "标准",
            ),
        ),
        Column(
            Field.DEADLINE, "deadline_text", editable=True, width=80,
            names=(
                "完成时间", "完成时限", "时间节点", "完成期限", "时间要求", "时限要求", "截止时间",
                "完成日期", "办结时限", "办结时间", "时间安排", "进度安排", "截止日期",
                "完成时限要求",
            ),
            words=("时间", "时限", "期限"),
            label_words=("时限",),
            keywords=("时限", "时间", "期限", "节点", "日期", "进度安排"),
        ),
        Column(
            Field.PROGRESS, "progress", editable=True, width=300,
            names=(
                "进展情况", "推进情况", "工作进展", "落实情况", "完成情况", "进度情况", "工作进度",
                "推进进度", "进展", "办理情况", "执行情况",
            ),
            words=("进度", "情况"),
            # In a plan's task table these columns are to be filled later: not the plan's text.
            keywords=(
                "进展", "情况", "工作进度", "形象进度", "佐证", "得分", "分值",
            ),
        ),
        Column(
            Field.DEPARTMENT, "department", editable=True, width=110,
            names=(
                "责任科室", "责任单位", "牵头单位", "责任部门", "牵头部门", "牵头科室", "主责单位",
                "主办单位", "责任股室", "承办单位", "责任处室", "牵头处室", "责任主体", "主责部门",
                "负责单位", "负责部门", "实施单位", "落实单位", "责任单位(部门)", "牵头责任单位",
                "负责科室", "负责处室", "承办科室", "承办部门",
            ),
            words=("单位", "部门", "科室", "牵头"),
            label_words=("牵头",),
            keywords=(
                "牵头", "责任单位", "责任部门", "责任科室", "责任处室", "主责", "负责",
                "承办", "责任主体", "实施单位", "落实单位", "主办", "责任股室",
            ),
        ),
        Column(
            Field.PARTNERS, "partners",
            names=(
                "配合单位", "协办单位", "配合部门", "配合科室", "协作单位", "参与单位", "协办部门",
                "配合处室", "协助单位", "协同单位", "参加单位",
            ),
            words=("配合",),
            label_words=("配合", "协办", "参与"),
            keywords=("配合", "协办", "参与", "协助", "协同", "协作"),
        ),
        Column(
            Field.OWNER, "owner", editable=True, width=80,
            names=(
                "责任人", "联系人", "负责人", "经办人", "具体责任人", "责任领导", "分管领导",
                "承办人", "牵头领导",
            ),
            words=("人员",),
            keywords=("责任人", "责任领导", "牵头领导", "分管领导", "联系人", "经办人"),
        ),
        Column(
            Field.NOTE, "note", editable=True, width=90,
            names=("备注",),
            words=("说明", "附注", "其他"),
            keywords=("备注", "说明"),
        ),
        Column(
            Field.STATUS, "status", width=112,
            names=("状态", "完成状态", "任务状态", "是否完成"),
        ),
    )
}  # fmt: skip

# The official 台账 columns, in the order every office prints them.
OFFICIAL: tuple[Column, ...] = tuple(
    REGISTRY[f]
    for f in (
        Field.SEQ,
        Field.TITLE,
        Field.DEADLINE,
        Field.PROGRESS,
        Field.DEPARTMENT,
        Field.OWNER,
        Field.NOTE,
    )
)
OFFICIAL_LABELS: tuple[str, ...] = tuple(c.label for c in OFFICIAL)
# The window's table: the official columns and the computed 状态.
TABLE: tuple[Column, ...] = (*OFFICIAL, REGISTRY[Field.STATUS])
# Attribute → label, for messages and undo texts ("修改进展情况").
LABEL_OF_ATTR: dict[str, str] = {c.attr: c.label for c in REGISTRY.values()}

# The order a plan table's header cell is tested in; the first field with a keyword contained in
# the cell wins. 进展 (PROGRESS) comes early: "完成情况" must not be read as a 完成时间.
PLAN_TABLE_ORDER: tuple[Field, ...] = (
    Field.SEQ,
    Field.PROGRESS,
    Field.OWNER,
    Field.PARTNERS,
    Field.DEPARTMENT,
    Field.DEADLINE,
    Field.REQUIREMENTS,
    Field.SECTION,
    Field.TITLE,
    Field.NOTE,
)
