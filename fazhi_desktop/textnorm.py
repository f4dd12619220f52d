"""One normal form for the text this program matches on (headers, deadline words, keywords).

Files come from many offices: some typed with full-width digits, some in traditional characters
(Hong Kong / Guangdong notices), some with stray non-breaking or zero-width spaces. Matching is
always done on ``normalize(text)``; the text shown to the user is never rewritten.

Traditional → simplified uses OpenCC (``t2s``), the reference converter, shipped as wheels with
its dictionaries. If its dictionaries cannot be loaded (e.g. a PyInstaller build that forgot
``--collect-data opencc``) we fall back to a small explicit table covering the vocabulary the
program matches on, and log it once, rather than failing to open a ledger.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable

_log = logging.getLogger(__name__)

# Zero-width characters survive NFKC and break substring matches.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACE_RUN = re.compile(r"\s+")

# Fallback only: traditional → simplified for the characters of the words the program looks
# for (table headers, deadline and status vocabulary). Not a general converter.
_FALLBACK_PAIRS = (
    "務务時时間间進进況况責责單单負负牽牵頭头備备註注說说報报號号長长堅坚續续態态週周隨随"
    "適适經经級级內内終终來来當当為为結结開开賬账臺台帳帐啟启動动狀状萬万個个項项於于與与"
    "會会門门領领導导員员據据後后實实現现關关際际處处辦办統统這这將将對对應应該该類类別别"
    "範范圍围層层縣县區区鄉乡鎮镇黨党議议決决規规權权執执監监審审傳传達达發发稱称兩两舉举"
)
_FALLBACK_T2S = {
    ord(t): s for t, s in zip(_FALLBACK_PAIRS[::2], _FALLBACK_PAIRS[1::2], strict=True)
}


def _fallback_t2s(text: str) -> str:
    return text.translate(_FALLBACK_T2S)


@functools.cache
def _t2s() -> Callable[[str], str]:
    try:
        import opencc

        converter = opencc.OpenCC("t2s")
    except Exception:  # any failure to load the C library or its dictionaries
        _log.warning("OpenCC 不可用，繁体字只按内置小表转换", exc_info=True)
        return _fallback_t2s

    def convert(text: str) -> str:
        return str(converter.convert(text))

    return convert


def normalize(text: str) -> str:
    """``text`` in the form used for matching.

    NFKC (full-width digits and punctuation → ASCII, e.g. ``１０．３１`` → ``10.31``,
    ``，`` → ``,``), invisible characters removed, traditional characters → simplified,
    whitespace runs → one space, ends stripped.
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = _SPACE_RUN.sub(" ", text).strip()
    if not text or text.isascii():
        return text
    return _t2s()(text)


# Line breaks (Alt+Enter in a cell, \u2028 from Word), tabs and other control characters.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` as one line: each run of line breaks and control characters becomes one space.

    For what must stay on one line wherever it goes: a mail header (a line break there is header
    injection, and Python refuses to send it), a sheet name, a document property, a file name.
    """
    return _SPACE_RUN.sub(" ", _BREAKS.sub(" ", text)).strip()


def has_breaks(text: str) -> bool:
    """Whether ``text`` holds a line break or control character (see :func:`one_line`)."""
    return _BREAKS.search(text) is not None
