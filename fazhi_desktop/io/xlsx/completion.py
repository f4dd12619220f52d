"""Whether a unit's own words say a task is finished: "已完成", "已办结", "完成于9月15日".

Returns from other programs (or typed by hand) have no 完成 flag, only 进展情况 and 备注 text.
A clause counts as done only when it *ends* in a done phrase ("该项工作已全部完成。"), or names
the day it was done; "已完成初稿" (a step, not the task), "基本完成", "尚未完成" and plans
("计划年底前全部完成") do not. An explicit "未完成" anywhere wins over everything else.
"""

from __future__ import annotations

import datetime as dt
import re

from fazhi_desktop.textnorm import normalize

_CLAUSES = re.compile(r"[。；;！!？?\n，,]+")
# Said anywhere, these mean the task is not (yet) finished.
_NOT_DONE = re.compile(
    r"未完成|尚未|没有完成|未能完成|未办结|待完成|基本完成|部分完成|大部分完成|正在|推进中|未启动"
)
# A clause about the future is a plan, not a fact.
_FUTURE = re.compile(r"计划|预计|争取|力争|确保|拟|将于|将在|准备|下一步|下步")
_DONE_END = re.compile(
    r"(?:^|已经?|均已|都已|现已|目前已|全部|已全部|已按期|按期|按时|顺利|圆满|已如期|如期)"
    r"(?:完成|办结|完结)(?:了)?(?:任务|工作|各项任务)?$"
)
_DAY = r"(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DONE_ON = re.compile(
    rf"(?:完成|办结)(?:于|时间[:：]?|日期[:：]?)\s*{_DAY}"
    rf"|已(?:经)?于\s*{_DAY}\s*(?:前)?\s*(?:全部|按期|顺利)?(?:完成|办结)"
)


def done_in_text(*texts: str, year: int | None) -> tuple[bool, dt.date | None]:
    """(done, the day it was done if the text names one); ``year`` for days without a year."""
    done, day = False, None
    for text in texts:
        flat = normalize(text or "").replace(" ", "")
        if not flat:
            continue
        if _NOT_DONE.search(flat):
            return False, None
        if "完" not in flat and "办结" not in flat:
            continue  # every done phrase has 完成, 完结 or 办结: most progress texts have none
        for clause in _CLAUSES.split(flat):
            if not clause or _FUTURE.search(clause):
                continue
            found = _DONE_ON.search(clause)
            if found:
                done = True
                day = day or _date(found.groups(), year)
            elif _DONE_END.search(clause):
                done = True
    return done, day if done else None


def _date(groups: tuple[str | None, ...], year: int | None) -> dt.date | None:
    # Two alternatives of three groups each: take whichever matched.
    first = groups[:3] if groups[1] is not None else groups[3:]
    y, m, d = first
    full_year = int(y) if y else year
    if full_year is None or m is None or d is None:
        return None
    try:
        return dt.date(full_year, int(m), int(d))
    except ValueError:
        return None
