"""Writing a page's PDF operators directly, for speed.

reportlab's canvas and text objects format every number through a pure-Python ``fp_str`` and
re-dispatch every line; for ledgers of thousands of rows that dominated the run time. Here a
page's fills, rules and text are collected as operator strings and added with
``Canvas.addLiteral``. Fonts still go through reportlab's TrueType subsetting
(``TTFont.splitString`` / ``getSubsetInternalName``), so embedding and ToUnicode maps are
reportlab's own.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from fazhi_desktop.io.pdf.fonts import Face


def _num(value: float) -> str:
    return f"{value:.2f}"


def _rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return f"{r:.3f} {g:.3f} {b:.3f}"


class FontSelector:
    """Per document: reportlab font objects and the PDF names of their subsets, cached."""

    def __init__(self, canvas: Canvas) -> None:
        # The document is where reportlab records which glyphs each subset uses.
        self.doc: Any = canvas._doc
        self._fonts: dict[str, Any] = {}
        self._names: dict[tuple[str, float], dict[int, str]] = {}

    def font(self, name: str) -> Any:
        font = self._fonts.get(name)
        if font is None:
            font = self._fonts[name] = pdfmetrics.getFont(name)
        return font

    def subset_ops(self, name: str, size: float) -> dict[int, str]:
        """Subset number → ``/Fn+s size Tf`` for the subsets of this font seen so far."""
        ops = self._names.get((name, size))
        if ops is None:
            ops = self._names[(name, size)] = {}
        return ops

    def select(self, name: str, subset: int, size: float) -> str:
        """The ``/Fn+s size Tf`` operator for one subset of a font."""
        ops = self.subset_ops(name, size)
        op = ops.get(subset)
        if op is None:
            internal = self.font(name).getSubsetInternalName(subset, self.doc)
            op = ops[subset] = f"{internal} {_num(size)} Tf"
        return op


class PageOps:
    """Collects one page's drawing operators; :meth:`flush` hands them to the canvas."""

    def __init__(self, canvas: Canvas, fonts: FontSelector) -> None:
        self._canvas = canvas
        self._fonts = fonts
        self._ops: list[str] = []

    def fill_rect(self, colour: str, x: float, y: float, w: float, h: float) -> None:
        self._ops.append(
            f"q {_rgb(colour)} rg {_num(x)} {_num(y)} {_num(w)} {_num(h)} re f Q"
        )

    def stroke_rect(self, width: float, x: float, y: float, w: float, h: float) -> None:
        self._ops.append(f"q {width} w 0 G {_num(x)} {_num(y)} {_num(w)} {_num(h)} re S Q")

    def segments(self, width: float, segs: list[tuple[float, float, float, float]]) -> None:
        """Straight rules ``(x1, y1, x2, y2)`` in black, as one stroked path."""
        if not segs:
            return
        path = " ".join(
            f"{_num(x1)} {_num(y1)} m {_num(x2)} {_num(y2)} l" for x1, y1, x2, y2 in segs
        )
        self._ops.append(f"q {width} w 0 G 0 J {path} S Q")

    def text(
        self,
        lines: list[tuple[Face, float, float, str]],
        *,
        bold: bool = False,
        stroke: float = 0.35,
    ) -> None:
        """Set ``(face, x, baseline, text)`` lines in one BT..ET block.

        ``bold`` strokes the glyph outlines as well as filling them (render mode 2): CJK
        fonts rarely ship a bold face, and this reads as bold on paper.
        """
        if not lines:
            return
        ops = self._ops
        ops.append(f"q {stroke} w 0 G 0 g BT 2 Tr" if bold else "BT")
        fonts = self._fonts
        doc = fonts.doc
        append = ops.append
        current = ""
        for face, x, y, text in lines:
            append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
            for font_name, chunk in face.runs(text):
                names = fonts.subset_ops(font_name, face.size)
                for subset, data in fonts.font(font_name).splitString(chunk, doc):
                    selected = names.get(subset) or fonts.select(font_name, subset, face.size)
                    # Hex strings need no escaping and bytes.hex() runs in C.
                    if selected == current:
                        append(f"<{data.hex()}> Tj")
                    else:
                        append(f"{selected} <{data.hex()}> Tj")
                        current = selected
        ops.append("ET Q" if bold else "ET")

    def flush(self) -> None:
        if self._ops:
            self._canvas.addLiteral("\n".join(self._ops))
            self._ops = []
