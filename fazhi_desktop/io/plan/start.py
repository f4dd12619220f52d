"""Where a plan starts in its file, and its title and year.

Plans usually arrive inside a notice ("关于印发《X》的通知" … then X itself), or after a bare
"附件" line; otherwise the title is the first title-like line before the first task.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_desktop.io.plan.elems import Elem
from fazhi_desktop.io.plan.markers import fold

_NOTICE = re.compile(
    r"印发.{0,40}?《(?P<name>[^》]{4,80})》|关于印发(?P<bare>[^《》]{4,80}?)的(?:通知|函)"
)
_ATTACHMENT = re.compile(r"附\s*件\s*\d*\s*:?")
_DOC_NUMBER = re.compile(r"[〔\[(]\s*\d{4}\s*[〕\])]\s*\d+\s*号")
_DATE_ONLY = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,6}")
PLAN_WORDS = re.compile(
    r"方案|要点|计划|安排|清单|任务|台账|规划|意见|措施|分工|细则|纲要|责任书|部署|重点工作|实施|行动"
)
# A report or summary tells what was done; it may say 实施 or 部署, but it is not a plan.
REPORT_WORDS = re.compile(r"报告|总结|情况|汇报|通报|述职")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SPACES = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACES.sub("", text).strip('《》"“”')


def _title_like(elem: Elem) -> bool:
    text = elem.folded.strip()
    return (
        not elem.blank
        and not elem.noise
        and not elem.table
        and 2 <= len(text) <= 80
        and not text.endswith(("。", ":", ";", ","))
        and not _DOC_NUMBER.search(text)
        and not _DATE_ONLY.fullmatch(text)
    )


@dataclass(slots=True)
class Start:
    start: int  # first element of the plan (the title line when there is one)
    title: str
    title_pos: tuple[int, ...]
    notice: bool  # the plan came after a notice (通知) that was skipped


def _join_title(elems: Sequence[Elem], pos: int) -> tuple[str, tuple[int, ...]]:
    """The title at ``pos``, joined with its next line when the title was broken in two."""
    title = elems[pos].line.text.strip()
    nxt = pos + 1
    if (
        nxt < len(elems)
        and _title_like(elems[nxt])
        and not elems[nxt].heading
        and not elems[nxt].fields
        and len(elems[nxt].folded.strip()) <= 30
        and not PLAN_WORDS.search(fold(title))
        and PLAN_WORDS.search(elems[nxt].folded)
    ):
        return title + elems[nxt].line.text.strip(), (pos, nxt)
    return title, (pos,)


def find_start(elems: Sequence[Elem]) -> Start:
    first_content = next((e.pos for e in elems if e.is_heading or e.fields or e.table), len(elems))
    # 1. A notice "关于印发《X》的通知" followed by X itself: the plan starts at X.
    for elem in elems[: max(first_content, 1) + 40]:
        match = _NOTICE.search(elem.folded)
        after = elem.pos + 1
        if match is None and after < len(elems):
            # The notice's title is often broken over two lines.
            match = _NOTICE.search(elem.folded.strip() + elems[after].folded.strip())
            after += 1
        if match is None:
            continue
        name = _squash(match.group("name") or match.group("bare"))
        later = [e for e in elems[after:] if _title_like(e) and not e.is_heading]
        for exact in (True, False):
            for cand in later:
                here = _squash(cand.folded)
                if here == name or (
                    not exact
                    and ":" not in here
                    and (here.startswith(name) or here.endswith(name))
                    and len(here) <= len(name) + 12
                ):
                    return Start(cand.pos, cand.line.text.strip(), (cand.pos,), True)
                nxt = cand.pos + 1
                if exact and nxt < len(elems) and here + _squash(elems[nxt].folded) == name:
                    title = cand.line.text.strip() + elems[nxt].line.text.strip()
                    return Start(cand.pos, title, (cand.pos, nxt), True)
        break
    # 2. A bare "附件" line: the plan is the attachment.
    for elem in elems:
        if elem.table or not _ATTACHMENT.fullmatch(elem.folded.strip()):
            continue
        title_elem = next((e for e in elems[elem.pos + 1 :] if not e.blank), None)
        if title_elem is not None and _title_like(title_elem) and not title_elem.is_heading:
            title, used = _join_title(elems, title_elem.pos)
            skipped = any(not e.blank for e in elems[: elem.pos])
            return Start(elem.pos, title, (elem.pos, *used), skipped)
    # 3. A notice without "印发《X》" ends with its date (成文日期); a plan's title right following
    #    it starts the plan: "…2021年1月25日 /（此件公开发布）/ X任务分解方案".
    for elem in elems:
        if elem.table or not _DATE_ONLY.fullmatch(elem.folded.strip()):
            continue
        following = next((e for e in elems[elem.pos + 1 :] if not (e.blank or e.noise)), None)
        if (
            following is not None
            and following.pos > first_content
            and _title_like(following)
            and not following.is_heading
            and PLAN_WORDS.search(following.folded)
        ):
            title, used = _join_title(elems, following.pos)
            return Start(following.pos, title, used, True)
    # 4. Otherwise the title is the first title-like line before the first task-like line.
    candidates = [e for e in elems[:first_content] if _title_like(e)]
    for elem in candidates:
        title, used = _join_title(elems, elem.pos)
        if PLAN_WORDS.search(fold(title)):
            return Start(0, title, used, False)
    if candidates and len(candidates[0].folded.strip()) <= 40:
        return Start(0, candidates[0].line.text.strip(), (candidates[0].pos,), False)
    return Start(0, "", (), False)


_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}


def year_of(title: str, elems: Sequence[Elem]) -> int | None:
    # 二〇二四年 as well as 2024年.
    folded = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group()), fold(title))
    match = _YEAR.search(folded)
    if match:
        return int(match.group(1))
    for elem in elems:
        dated = _DATE_ONLY.fullmatch(elem.folded.strip())
        found = _YEAR.search(dated.group()) if dated else None
        if found:
            return int(found.group(1))
    return None
