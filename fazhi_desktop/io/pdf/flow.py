"""A small flow layout for PDF reports: text lines, boxed tables and charts, page after page.

The 台账 export has its own page layout tuned to its fixed columns (:mod:`layout`); reports
with other tables (the 汇总台账, its 催报 list and statistics) are laid out here with the same
pieces: every cell is wrapped once with :mod:`cjk_wrap`, rows go onto pages by the one rule in
:mod:`rows`, every page is known before anything is drawn (so ``第 N 页 共 M 页`` needs no
second pass), and pages are drawn with :class:`PageOps`.

Tables repeat their header rows on every page. A row may keep with the next one (a task with
its first unit) and may carry a label that it shows in the first column when it starts a page
(``3`` then ``续``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from fazhi_desktop.io.pdf.cjk_wrap import wrap_phrases, wrap_text
from fazhi_desktop.io.pdf.fonts import Face
from fazhi_desktop.io.pdf.layout import (
    CONTINUED,
    FOOTER_Y,
    LEADING_RATIO,
    MARGIN_BOTTOM,
    MARGIN_X,
    PAD_X,
    PAGE_WIDTH,
    TABLE_WIDTH,
    TOP,
)
from fazhi_desktop.io.pdf.ops import FontSelector, PageOps
from fazhi_desktop.io.pdf.rows import PAD_Y, RowShape, pack_rows, row_height

GRID_WIDTH = 0.5
OUTER_WIDTH = 0.9
BOLD_STROKE = 0.35
HEADER_FILL = "#E4E4E4"
FULL = TOP - MARGIN_BOTTOM


@dataclass(frozen=True, slots=True)
class Column:
    width: float  # relative; the table scales the columns to its width
    centred: bool = False
    phrases: bool = False  # names: break between them, not inside one


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    span: int = 1
    fill: str | None = None
    bold: bool = False
    centred: bool | None = None  # None: as the column says


@dataclass(slots=True)
class Row:
    cells: Sequence[Cell]
    keep_with_next: bool = False
    # No rule under the first column: it reads as one cell merged down over the next row.
    joined_below: bool = False
    # What the first column shows when the row continues on the next page (with 续 under it).
    label: str = ""
    lines: list[list[str]] = field(default_factory=list)  # filled in by the layout


@dataclass(slots=True)
class Table:
    columns: Sequence[Column]
    header: Sequence[Row]
    rows: Sequence[Row]
    width: float = TABLE_WIDTH


@dataclass(frozen=True, slots=True)
class Text:
    face: Face
    text: str
    centred: bool = False
    gap_after: float = 0.0
    keep: float = 0.0  # room wanted below it on the same page (a heading keeps with its table)


@dataclass(frozen=True, slots=True)
class Graphic:
    """A vector drawing (a chart), centred; it moves to the next page rather than split."""

    drawing: Drawing
    gap_after: float = 8.0


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Text | Table | Graphic | PageBreak
Placed = tuple[Face, float, float, str]


@dataclass(slots=True)
class Page:
    texts: list[Placed] = field(default_factory=list)
    bold: list[Placed] = field(default_factory=list)
    fills: list[tuple[str, float, float, float, float]] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    graphics: list[tuple[Drawing, float, float]] = field(default_factory=list)  # at x, y
    slices: list[tuple[Row, int, int]] = field(default_factory=list)  # row, first line, end


def _lines(row: Row) -> int:
    return max(1, *(len(cell) for cell in row.lines))


def _leading(face: Face) -> float:
    return face.size * LEADING_RATIO


def _baseline(top: float, face: Face) -> float:
    # The CJK em box is centred in the line box, as in the 台账 export.
    return top - (_leading(face) - face.size) / 2 - 0.88 * face.size


class _Grid:
    """A table's column edges and cell wrapping, for one placement width."""

    def __init__(self, table: Table, body: Face) -> None:
        scale = table.width / sum(c.width for c in table.columns)
        self.left = MARGIN_X + (TABLE_WIDTH - table.width) / 2
        self.edges = [self.left]
        for column in table.columns:
            self.edges.append(self.edges[-1] + column.width * scale)
        self.right = self.edges[-1]
        self.columns = table.columns
        self.body = body

    def spans(self, row: Row) -> list[tuple[int, int, Cell]]:
        out, start = [], 0
        for cell in row.cells:
            out.append((start, start + cell.span, cell))
            start += cell.span
        return out

    def wrap(self, row: Row, face: Face) -> None:
        row.lines = []
        for start, end, cell in self.spans(row):
            width = self.edges[end] - self.edges[start] - 2 * PAD_X
            wrap = wrap_phrases if self.columns[start].phrases and cell.span == 1 else wrap_text
            row.lines.append(wrap(cell.text, width, face.widths))

    def height(self, lines: int, face: Face) -> float:
        return row_height(lines, _leading(face))


class Layout:
    """Places blocks onto pages; :func:`draw` then paints them."""

    def __init__(self, body: Face, header: Face) -> None:
        self.body = body
        self.header = header
        self.pages: list[Page] = [Page()]
        self.y = TOP
        self._table_top: float | None = None  # where the open table's frame starts
        self._fresh = False  # nothing placed yet under the header just set

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def room(self) -> float:
        return self.y - MARGIN_BOTTOM

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = TOP

    def add(self, blocks: Sequence[Block]) -> None:
        for block in blocks:
            if isinstance(block, Text):
                self._text(block)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Graphic):
                self._graphic(block)
            elif self.y < TOP:  # a page break on a fresh page would leave it blank
                self.new_page()

    def _text(self, block: Text) -> None:
        face = block.face
        lines = wrap_text(block.text, TABLE_WIDTH, face.widths)
        if block.keep and self.y < TOP and self.room() < len(lines) * _leading(face) + block.keep:
            self.new_page()
        for line in lines:
            if self.room() < _leading(face):
                self.new_page()
            x = PAGE_WIDTH / 2 - face.widths[line] / 2 if block.centred else MARGIN_X
            self.page.texts.append((face, x, _baseline(self.y, face), line))
            self.y -= _leading(face)
        self.y -= block.gap_after

    def _graphic(self, block: Graphic) -> None:
        drawing = block.drawing
        if drawing.height > self.room() and self.y < TOP:
            self.new_page()
        x = MARGIN_X + (TABLE_WIDTH - drawing.width) / 2
        self.page.graphics.append((drawing, x, self.y - drawing.height))
        self.y -= drawing.height + block.gap_after

    # --- tables ---------------------------------------------------------------------------

    def _table(self, table: Table) -> None:
        grid = _Grid(table, self.body)
        for row in table.header:
            grid.wrap(row, self.header)
        for row in table.rows:
            grid.wrap(row, self.body)
        header_height = sum(grid.height(_lines(r), self.header) for r in table.header)
        first = table.rows[0] if table.rows else None
        need = header_height + (grid.height(_lines(first), self.body) if first else 0.0)
        if need > self.room() and self.y < TOP:
            self.new_page()
        self.start(grid, table, fresh=False)
        label_width = grid.edges[1] - grid.edges[0] - 2 * PAD_X
        shapes = [
            RowShape(
                _lines(row),
                _leading(self.body),
                keep_with_next=row.keep_with_next,
                label_lines=len(self._label(row, label_width)),
            )
            for row in table.rows
        ]
        pack_rows(shapes, _TableSheet(self, grid, table, FULL - header_height))
        self._close(grid)
        self.y -= 10.0

    def _label(self, row: Row, width: float) -> list[str]:
        """The first column of a row continued on a new page: its label, then 续."""
        if not row.label:
            return []
        return [*wrap_text(row.label, width, self.body.widths), CONTINUED]

    def start(self, grid: _Grid, table: Table, *, fresh: bool) -> None:
        """The header rows at the current position (on a new page when ``fresh``)."""
        if fresh:
            self._close(grid)
            self.new_page()
        self._table_top = self.y
        for row in table.header:
            height = grid.height(_lines(row), self.header)
            self.page.fills.append(
                (HEADER_FILL, grid.left, self.y - height, grid.right - grid.left, height)
            )
            self._cells(grid, row, self.header, 0, _lines(row), height, middle=True)
            self._rule_under(grid, row, height)
            self.y -= height
        self._fresh = True

    def _rule_under(self, grid: _Grid, row: Row, height: float) -> None:
        bottom = self.y - height
        start = grid.edges[1] if row.joined_below else grid.left
        self.page.rules.append((start, bottom, grid.right, bottom))
        for start_col, _end, _cell in grid.spans(row)[1:]:
            x = grid.edges[start_col]
            self.page.rules.append((x, self.y, x, bottom))

    def place(self, grid: _Grid, row: Row, start: int, end: int, *, continued: bool) -> None:
        """Lines ``start:end`` of a row; at the top of a table page it shows its label and 续."""
        lines = end - start
        label_lines: list[str] = []
        if continued or self._fresh:
            label_lines = self._label(row, grid.edges[1] - grid.edges[0] - 2 * PAD_X)
            lines = max(lines, len(label_lines))
        height = grid.height(lines, self.body)
        self.page.slices.append((row, start, end))
        whole = start == 0 and end >= _lines(row)
        for first, last, cell in grid.spans(row):
            if cell.fill:
                x0, x1 = grid.edges[first], grid.edges[last]
                self.page.fills.append((cell.fill, x0, self.y - height, x1 - x0, height))
        self._cells(grid, row, self.body, start, end, height, middle=whole)
        if label_lines:
            self._lines_in(
                self.page.texts,
                self.body,
                label_lines,
                grid.edges[0],
                grid.edges[1],
                height,
                centred=True,
                middle=False,
            )
        self._rule_under(grid, row, height)
        self.y -= height
        self._fresh = False

    def _cells(
        self,
        grid: _Grid,
        row: Row,
        face: Face,
        start: int,
        end: int,
        height: float,
        *,
        middle: bool,
    ) -> None:
        for (first, last, cell), lines in zip(grid.spans(row), row.lines, strict=True):
            centred = grid.columns[first].centred if cell.centred is None else cell.centred
            out = self.page.bold if cell.bold else self.page.texts
            self._lines_in(
                out,
                face,
                lines[start:end],
                grid.edges[first],
                grid.edges[last],
                height,
                centred=centred,
                middle=middle,
            )

    def _lines_in(
        self,
        out: list[Placed],
        face: Face,
        lines: list[str],
        x0: float,
        x1: float,
        height: float,
        *,
        centred: bool,
        middle: bool,
    ) -> None:
        if not lines:
            return
        leading = _leading(face)
        offset = (height - len(lines) * leading) / 2 if middle else PAD_Y
        top = self.y - offset
        for line in lines:
            if line:
                x = (x0 + x1) / 2 - face.widths[line] / 2 if centred else x0 + PAD_X
                out.append((face, x, _baseline(top, face), line))
            top -= leading

    def _close(self, grid: _Grid) -> None:
        """The outer frame around the part of the table on this page."""
        top = self._table_top
        if top is not None and top > self.y:
            self.page.boxes.append((grid.left, self.y, grid.right - grid.left, top - self.y))
        self._table_top = None


class _TableSheet:
    """A table being laid out, as :func:`pack_rows` sees it."""

    def __init__(self, layout: Layout, grid: _Grid, table: Table, full: float) -> None:
        self.layout = layout
        self.grid = grid
        self.table = table
        self._full = full

    def room(self) -> float:
        return self.layout.room()

    def full(self) -> float:
        return self._full

    def next_page(self) -> None:
        self.layout.start(self.grid, self.table, fresh=True)

    def place(self, index: int, start: int, end: int, *, continued: bool) -> None:
        self.layout.place(self.grid, self.table.rows[index], start, end, continued=continued)


def draw(canvas: Canvas, fonts: FontSelector, pages: list[Page], footer: Face) -> None:
    """Paint the pages, with ``第 N 页 共 M 页`` centred at the foot of each."""
    for number, page in enumerate(pages, start=1):
        ops = PageOps(canvas, fonts)
        for colour, x, y, w, h in page.fills:
            ops.fill_rect(colour, x, y, w, h)
        ops.segments(GRID_WIDTH, page.rules)
        for x, y, w, h in page.boxes:
            ops.stroke_rect(OUTER_WIDTH, x, y, w, h)
        text = f"第 {number} 页 共 {len(pages)} 页"
        foot = (footer, PAGE_WIDTH / 2 - footer.widths[text] / 2, FOOTER_Y, text)
        ops.text([*page.texts, foot])
        ops.text(page.bold, bold=True, stroke=BOLD_STROKE)
        ops.flush()
        for drawing, x, y in page.graphics:
            renderPDF.draw(drawing, canvas, x, y)
        canvas.showPage()
