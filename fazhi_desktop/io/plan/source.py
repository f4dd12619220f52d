"""A plan file (or pasted text) as numbered lines, the input of the plan parser.

Plans arrive as .docx, as .txt saved by Notepad or WPS (UTF-8, UTF-16 or GBK/GB18030, the
default of Chinese Windows), or copied from a web page. Table rows become lines with cells:
a Word table row, or a pasted line whose cells are separated by tabs (a browser copies table
cells that way) or by ``|``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path

from fazhi_desktop.errors import InputFileError
from fazhi_desktop.io.plan.docx_source import read_docx_lines
from fazhi_desktop.models.source_lines import SourceLine
from fazhi_desktop.paths import require_regular_file

MAX_TEXT_BYTES = 20 * 1024 * 1024
DOCX_SUFFIXES = (".docx", ".docm", ".dotx")
TEXT_SUFFIXES = (".txt", ".text", ".md", "")
SUPPORTED = "Word 文档（.docx）或纯文本（.txt）"


_NEWLINE = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c")


def _cells(line: str) -> tuple[str, ...] | None:
    if line.count("\t") >= 2:
        parts = line.split("\t")
    elif line.count("|") >= 2:
        parts = line.split("|")
        if not parts[0].strip():
            parts = parts[1:]
    else:
        return None
    cells = [p.strip() for p in parts]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells) if len(cells) >= 2 else None


def lines_from_text(text: str) -> list[SourceLine]:
    """Pasted or file text as source lines; blank lines are kept so line numbers match.

    Text copied out of a PDF is broken at the page width, not at paragraph ends; such lines
    are joined back into paragraphs (the joined line keeps the number of its first line).
    """
    raw = [line.rstrip() for line in _NEWLINE.split(text)]
    width = _wrap_width(raw)
    out: list[SourceLine] = []
    number = 0
    while number < len(raw):
        first = number
        line = raw[number]
        number += 1
        if width and _cells(line) is None:
            while number < len(raw) and _continues(line, raw[number], width):
                line = line.rstrip() + raw[number].strip()
                number += 1
        where = f"第 {first + 1} 行" if number == first + 1 else f"第 {first + 1}–{number} 行"
        out.append(SourceLine(first + 1, line, where, _cells(line)))
    return out


# ---------------------------------------------------------------------------------------------
# Lines broken at the page width

_TERMINAL = tuple("。！？；：:;!?")
_STARTS_NEW = re.compile(
    r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|"
    r"[①-⑳]|第[一二三四五六七八九十\d]+[部章条]|附\s*件|[-—–]\s*\d+\s*[-—–])"
)
_PAGE_NUMBER = re.compile(r"\s*[-—–]?\s*\d{1,4}\s*[-—–]?\s*")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text.strip())


def _wrap_width(lines: list[str]) -> int:
    """The page width the text was broken at, or 0 when it was not broken at a width."""
    widths = [
        _width(line)
        for line in lines
        if _width(line) >= 30 and not line.rstrip().endswith(_TERMINAL) and _cells(line) is None
    ]
    if len(widths) < 3:
        return 0
    common = max(set(widths), key=lambda w: sum(abs(x - w) <= 3 for x in widths))
    near = sum(abs(x - common) <= 3 for x in widths)
    # Text broken at a width has most of its long lines at that width; a few title-length
    # lines among many whole paragraphs (a notice typed line by line) is not such text.
    long_lines = sum(1 for line in lines if _width(line) >= 30)
    return common if near >= 3 and near * 2 >= len(widths) and near * 3 >= long_lines else 0


def _continues(line: str, following: str, width: int) -> bool:
    """True when ``following`` is the rest of ``line``'s paragraph, broken at the width."""
    if not following.strip() or _PAGE_NUMBER.fullmatch(following):
        return False
    if _width(line) < width - 4 or line.rstrip().endswith(("。", "！", "？")):
        return False
    return _STARTS_NEW.match(following) is None


def render_text(lines: Iterable[SourceLine]) -> str:
    """The lines as text that :func:`lines_from_text` reads back line for line."""
    return "\n".join(line.display for line in lines)


# ---------------------------------------------------------------------------------------------
# Files

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, name: str) -> str:
    """Text of a .txt: a BOM's encoding, else UTF-8, else GB18030 (superset of GBK/GB2312)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        raise InputFileError(
            f"“{name}”不是文本文件（含有二进制内容）。请导入 Word 文档（.docx）或纯文本（.txt）。"
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(
        f"无法识别“{name}”的文字编码（既不是 UTF-8 也不是 GBK）。"
        "请用记事本打开后“另存为”，编码选 UTF-8，再导入。"
    )


def _unsupported(path: Path, data: bytes) -> str | None:
    """Why this file cannot be read as a plan (old Word, PDF, Excel…); None if it can."""
    name = path.name
    suffix = path.suffix.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix in (".doc", ".wps", ".dot", ".wpt"):
        return (
            f"“{name}”是旧版 Word/WPS 文档（.doc/.wps），本程序不能直接读取。"
            "请在 Word 或 WPS 中打开它，“另存为”Word 文档（.docx）后再导入。"
        )
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return (
            f"“{name}”是 PDF 文件，本程序不能直接读取。请在 PDF 阅读器中全选复制文字，"
            "粘贴到“导入方案”窗口的文字框；或用 WPS 把它转为 Word 文档（.docx）后再导入。"
        )
    if data.startswith(b"{\\rtf") or suffix == ".rtf":
        return f"“{name}”是 RTF 文档。请在 Word 或 WPS 中打开，另存为 Word 文档（.docx）后再导入。"
    if suffix in (".xlsx", ".xlsm", ".xls", ".et", ".csv"):
        return (
            f"“{name}”是表格文件，不是方案。Excel 台账请用“导入 Excel 台账”"
            "（命令行 `fazhi import-xlsx`）导入。"
        )
    if suffix in (".htm", ".html", ".mht", ".mhtml"):
        return (
            f"“{name}”是网页文件。请在浏览器中打开网页，全选复制正文，粘贴到“导入方案”窗口的"
            "文字框；或粘贴到记事本另存为 .txt 后再导入。"
        )
    return None


def _is_docx(data: bytes, path: Path) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read_plan_source(path: Path) -> list[SourceLine]:
    """A plan file as source lines; :class:`InputFileError` for anything else."""
    name = path.name
    require_regular_file(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)
    except FileNotFoundError:
        raise InputFileError(f"找不到文件“{path}”。请检查路径和文件名。") from None
    except IsADirectoryError:
        raise InputFileError(f"“{path}”是文件夹，不是文件。") from None
    except OSError as exc:
        raise InputFileError(
            f"无法读取“{name}”：{exc.strerror or exc}。若文件正在 Word/WPS 中打开，请先关闭。"
        ) from exc
    if size == 0 or not data.strip():
        raise InputFileError(f"“{name}”是空文件，没有可导入的方案内容。")
    if _is_docx(data, path):
        return read_docx_lines(path)
    reason = _unsupported(path, data)
    if reason is not None:
        raise InputFileError(reason)
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() in DOCX_SUFFIXES:
        raise InputFileError(
            f"“{name}”不是有效的 Word 文档（文件可能已损坏）。"
            "请在 Word 或 WPS 中打开后重新“另存为”.docx 再导入。"
        )
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputFileError(
            f"不支持“{path.suffix}”格式的文件“{name}”。请导入{SUPPORTED}，"
            "或在“导入方案”窗口中粘贴方案文字。"
        )
    if size > MAX_TEXT_BYTES:
        raise InputFileError(f"“{name}”太大（超过 20 MB），不像是一份方案。")
    text = decode_text(data, name)
    if not text.strip():
        raise InputFileError(f"“{name}”是空文件，没有可导入的方案内容。")
    return lines_from_text(text)
