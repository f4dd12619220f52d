"""Chinese line breaking for table cells (禁则 / kinsoku).

Rules, as a clerk expects them from Word or WPS:

* a line may break between any two CJK characters;
* Latin words and numbers (``2020``, ``10.31``, ``=SUM(A1)``, an e-mail address) stay whole
  unless a single word is wider than the cell, which is then cut by character;
* closing punctuation (，。、；：？！）》」』”’ …) never starts a line and opening punctuation
  (（《「『“‘ …) never ends one, when a slightly shorter line avoids it;
* explicit newlines in the text are kept.

The breaker is greedy and works on cumulative widths with ``bisect``, so the per-character
work is a regex and a dict lookup: long ledgers stay linear and fast.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from itertools import accumulate

# Characters that must not begin a line (GB/T 15834 and the usual 禁则 set).
NO_LINE_START = frozenset(
    "，。、；：？！）》」』”’〉】〕〗〙〛｝］．｡､･ー〜～…‥·・%％‰℃°′″"
    ",.;:?!)]}>"
)
# Characters that must not end a line.
NO_LINE_END = frozenset("（《「『“‘〈【〔〖〘〚｛［([{<￥＄$£€#＃")
# Dashes and ellipses come in pairs (——, ……) that must stay on one line.
_PAIRED = frozenset("—…")

# A Latin run is any stretch of printable ASCII / Latin-1 / Latin Extended letters; CJK text
# is one unit per character; runs of spaces are break opportunities that vanish at line ends.
_UNIT = re.compile(r"[!-~\u00a1-\u024f]+| +|.", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_EPS = 1e-6


def normalise(text: str) -> str:
    """Unify newlines, turn tabs into spaces, drop other control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def _can_break_before(units: list[str], k: int) -> bool:
    unit = units[k]
    prev = units[k - 1]
    if unit[0] == " " or prev[0] == " ":
        return True
    if unit[0] in NO_LINE_START or prev[-1] in NO_LINE_END:
        return False
    return not (unit[0] in _PAIRED and prev[-1] == unit[0])


def _explode(units: list[str], widths: Mapping[str, float], width: float) -> list[str]:
    """Cut Latin runs wider than the cell into single characters, which may then break."""
    out: list[str] = []
    for u in units:
        if len(u) > 1 and u[0] != " " and widths[u] > width:
            out.extend(u)
        else:
            out.append(u)
    return out


def wrap_paragraph(text: str, width: float, widths: Mapping[str, float]) -> list[str]:
    """Break one paragraph (no newlines) into lines no wider than ``width``.

    ``widths`` maps a unit (one character, a Latin run or a run of spaces) to its width in the
    same unit as ``width``; a dict with ``__missing__`` that measures and caches is ideal.
    A single character wider than the cell gets a line of its own rather than being lost.
    """
    units = _UNIT.findall(text)
    sizes = list(map(widths.__getitem__, units))
    if sizes and max(sizes) > width:
        units = _explode(units, widths, width)
        sizes = list(map(widths.__getitem__, units))
    return _greedy(units, sizes, width)


def _greedy(units: list[str], sizes: list[float], width: float) -> list[str]:
    n = len(units)
    cum = list(accumulate(sizes, initial=0.0))
    lines: list[str] = []
    start = 0
    while start < n:
        while start < n and units[start][0] == " ":
            start += 1
        if start >= n:
            break
        end = bisect_right(cum, cum[start] + width + _EPS, lo=start + 1) - 1
        if end >= n:
            lines.append("".join(units[start:]).rstrip(" "))
            break
        if end <= start:
            end = start + 1
        else:
            brk = end
            while brk > start and not _can_break_before(units, brk):
                brk -= 1
            if brk > start:  # else nothing on the line may break: the rule has to give
                end = brk
        lines.append("".join(units[start:end]).rstrip(" "))
        start = end
    return lines


def wrap_text(text: str, width: float, widths: Mapping[str, float]) -> list[str]:
    """Break ``text`` into lines; each newline in the text starts a new line.

    Empty text gives no lines; an empty line inside the text is kept as an empty line.
    """
    text = normalise(text).strip("\n")
    if not text.strip():
        return []
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(wrap_paragraph(para, width, widths) or [""])
    return lines


# A phrase of a short field: a name or department with the separator that follows it.
_PHRASE = re.compile(r"[^ 、，,/；;：:]+[、，,/；;：:]*| +")


def wrap_phrases(text: str, width: float, widths: Mapping[str, float]) -> list[str]:
    """Like :func:`wrap_text`, but keep names and departments whole where they fit.

    ``王群才 马红霞`` breaks at the space and ``办公室、机关总支`` after the 、 rather than
    inside a name; a phrase wider than the cell falls back to character breaking.
    """
    text = normalise(text).strip("\n")
    if not text.strip():
        return []
    lines: list[str] = []
    for para in text.split("\n"):
        phrases = _PHRASE.findall(para)
        sizes = list(map(widths.__getitem__, phrases))
        if sizes and max(sizes) <= width:
            lines.extend(_greedy(phrases, sizes, width) or [""])
        else:
            lines.extend(wrap_paragraph(para, width, widths) or [""])
    return lines
