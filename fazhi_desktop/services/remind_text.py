"""The 催报 mail's text: the built-in template and the check of one the office edited.

Apart from ``services.remind`` so the settings (``services.config``) can check a template
without importing what 催报 itself needs.
"""

from __future__ import annotations

import string

from fazhi_desktop.errors import UsageError

FIELDS = ("单位", "期间", "截止日期", "文件名", "报送邮箱", "汇总单位", "日期")
DEFAULT_TEMPLATE = (
    "{单位}：\n"
    "\n"
    "您好！{期间}法治政府建设工作台账进展情况应于{截止日期}前报送，目前尚未收到贵单位的报送。"
    "请抓紧填报，并将 Excel 文件按“{文件名}”命名，发送至 {报送邮箱}。\n"
    "\n"
    "如已报送，请忽略本邮件；如有困难，请与我们联系。谢谢支持！\n"
    "\n"
    "{汇总单位}\n"
    "{日期}\n"
)


_PLACEHOLDERS = "、".join("{" + name + "}" for name in FIELDS)


def check_template(text: str) -> str:
    """The template as given, or a Chinese error naming the placeholder it cannot fill.

    Only the plain names are allowed: ``{单位:>99999999}`` would make a gigabyte of spaces,
    ``{单位.upper}`` or ``{单位!r}`` text no office meant to send."""
    if not text.strip():
        return ""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        raise UsageError(
            "催报模板中的花括号不成对。占位符写成 {单位} 这样；要写花括号本身，请写两个：{{ }}。"
        ) from None
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in FIELDS or spec or conversion:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise UsageError(
                f"催报模板中的“{{{written}}}”无法识别。可用：{_PLACEHOLDERS}；"
                "要写花括号本身，请写两个：{{ }}。"
            )
    return text
