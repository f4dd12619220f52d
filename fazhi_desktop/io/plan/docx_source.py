"""A .docx plan as source lines: paragraphs and table rows in document order.

Word keeps automatic list numbering ("1." "（一）" typed by the list feature, not by the user)
outside the paragraph's text, in numbering.xml; without it a plan's numbering would vanish, so
the labels are rendered here. Tracked insertions count as text, deletions do not.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_desktop.errors import InputFileError
from fazhi_desktop.models.source_lines import SourceLine

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _val(element: Any, tag: str) -> str | None:
    child = element.find(W + tag) if element is not None else None
    return None if child is None else child.get(W + "val")


# ---------------------------------------------------------------------------------------------
# List numbering

_CN = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"


def _chinese(n: int, digits: str = _CN, ten: str = "十") -> str:
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (
            ("" if tens == 1 and digits is _CN else digits[tens])
            + ten
            + (digits[ones] if ones else "")
        )
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):  # fmt: skip
        while n >= value:
            out += letters
            n -= value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "ideographDigital"):  # fmt: skip
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """Renders Word's list labels; counters follow each list (numId) through the document."""

    abstract_of: dict[str, str] = field(default_factory=dict)
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    overrides: dict[tuple[str, int], int] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Any) -> Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        for abstract in root.findall(W + "abstractNum"):
            levels = {}
            for lvl in abstract.findall(W + "lvl"):
                start = _val(lvl, "start")
                levels[int(lvl.get(W + "ilvl", "0"))] = _Level(
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                    int(start) if start and start.lstrip("-").isdigit() else 1,
                )
            numbering.levels[abstract.get(W + "abstractNumId", "")] = levels
        for num in root.findall(W + "num"):
            num_id = num.get(W + "numId", "")
            numbering.abstract_of[num_id] = _val(num, "abstractNumId") or ""
            for override in num.findall(W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start and start.isdigit():
                    numbering.overrides[(num_id, int(override.get(W + "ilvl", "0")))] = int(start)
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(self.abstract_of.get(num_id, ""), {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        start = self.overrides.get((num_id, ilvl), levels[ilvl].start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        text = levels[ilvl].text
        for level, lvl in levels.items():
            placeholder = f"%{level + 1}"
            if placeholder in text:
                value = counters.get(level, self.overrides.get((num_id, level), lvl.start))
                text = text.replace(placeholder, _format(value, lvl.fmt))
        return text if levels[ilvl].fmt not in ("bullet", "none") else ""


def _style_numpr(document: Any, style_id: str | None) -> tuple[str | None, int | None]:
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = document.styles.element.get_by_id(style_id)
        if style is None:
            break
        ppr = style.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        if numpr is not None:
            ilvl = _val(numpr, "ilvl")
            return _val(numpr, "numId"), int(ilvl) if ilvl and ilvl.isdigit() else None
        style_id = _val(style, "basedOn")
    return None, None


def _paragraph_label(document: Any, p: Any, numbering: Numbering) -> str:
    ppr = p.find(W + "pPr")
    numpr = ppr.find(W + "numPr") if ppr is not None else None
    style_num, style_ilvl = _style_numpr(document, _val(ppr, "pStyle"))
    num_id = _val(numpr, "numId") if numpr is not None else None
    ilvl_text = _val(numpr, "ilvl") if numpr is not None else None
    num_id = num_id or style_num
    if not num_id or num_id == "0":
        return ""
    ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else (style_ilvl or 0)
    return numbering.label(num_id, ilvl)


# ---------------------------------------------------------------------------------------------
# Text


def _paragraph_text(p: Any) -> str:
    parts = []
    for element in p.iter():
        tag = element.tag
        if tag == W + "t":
            parts.append(element.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


@dataclass
class _Reader:
    document: Any
    numbering: Numbering
    lines: list[SourceLine] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0

    def text_of(self, p: Any) -> str:
        label = _paragraph_label(self.document, p, self.numbering)
        return label + _paragraph_text(p)

    def add(self, text: str, where: str, cells: tuple[str, ...] | None = None) -> None:
        self.lines.append(SourceLine(len(self.lines) + 1, text, where, cells))

    def paragraph(self, p: Any) -> None:
        self.paragraphs += 1
        for piece in self.text_of(p).split("\n"):
            if piece.strip():
                self.add(piece.rstrip(), f"第 {self.paragraphs} 段")

    def table(self, tbl: Any) -> None:
        from docx.table import Table

        self.tables += 1
        table = Table(tbl, self.document)
        for r, row in enumerate(table.rows, start=1):
            before = [""] * (row.grid_cols_before or 0)
            texts = []
            for cell in row.cells:
                pieces = [self.text_of(p._p) for p in cell.paragraphs]
                texts.append("\n".join(x.strip() for x in pieces if x.strip()))
            cells = tuple(before + texts)
            if any(cells):
                self.add(" ".join(c for c in cells if c), f"表 {self.tables} 第 {r} 行", cells)

    def block(self, element: Any) -> None:
        if element.tag == W + "p":
            self.paragraph(element)
        elif element.tag == W + "tbl":
            self.table(element)
        elif element.tag == W + "sdt":  # a content control: its paragraphs and tables
            content = element.find(W + "sdtContent")
            for child in content if content is not None else ():
                self.block(child)


def _blocks(document: Any) -> Iterator[Any]:
    yield from document.element.body.iterchildren()


def read_docx_lines(path: Path) -> list[SourceLine]:
    """The paragraphs and table rows of a .docx, in document order, as source lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(
            f"“{path.name}”不是有效的 Word 文档（{exc.__class__.__name__}）。"
            "请在 Word 或 WPS 中打开后重新“另存为”.docx 再导入。"
        ) from exc
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged file
        raise InputFileError(
            f"“{path.name}”已损坏，无法读取（{exc.__class__.__name__}）。"
            "请在 Word 或 WPS 中打开后重新“另存为”.docx 再导入。"
        ) from exc
    reader = _Reader(document, Numbering.of(document))
    for element in _blocks(document):
        reader.block(element)
    if not reader.lines:
        raise InputFileError(f"“{path.name}”中没有文字，没有可导入的方案内容。")
    return reader.lines
