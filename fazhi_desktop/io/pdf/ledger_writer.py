"""The 台账 as a printable PDF: A4 landscape, official columns, embedded Chinese fonts.

Layout is decided first (:mod:`pdf_layout`), then each page is drawn straight onto a reportlab
canvas: text lines, cell fills and one path of grid lines per page. Only our TrueType faces are
ever set, so the PDF references no unembedded base-14 font (not even Helvetica).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from fazhi_desktop.io.atomic import atomic_path
from fazhi_desktop.io.pdf.fonts import Face, FontChoice, find_fonts, register
from fazhi_desktop.io.pdf.layout import (
    BODY_SIZE,
    COLUMNS,
    FOOTER_SIZE,
    FOOTER_Y,
    HEADER_SIZE,
    INFO_SIZE,
    LEADING_RATIO,
    MARGIN_X,
    NOTE_SIZE,
    PAD_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIGNATURE_LABELS,
    TABLE_WIDTH,
    TITLE_SIZE,
    Faces,
    Page,
    Slice,
    TextLine,
    continued_seq,
    header_lines,
    paginate,
)
from fazhi_desktop.io.pdf.ops import FontSelector, PageOps
from fazhi_desktop.io.pdf.rows import PAD_Y
from fazhi_desktop.models.records import LedgerRecord

__all__ = ["FontChoice", "export_pdf", "find_fonts"]

GRID_WIDTH = 0.5
OUTER_WIDTH = 0.9
BOLD_STROKE = 0.35  # fake bold for the status word: fill + thin stroke of the glyph outline
HEADER_FILL = "#E4E4E4"
BANNER_FILL = "#F2F2F2"
SIGNATURE_RULE = 110.0
STATUS_COLUMN = len(COLUMNS) - 1


def load_faces(fonts: FontChoice) -> Faces:
    title = register(fonts.title)
    header = register(fonts.header)
    body = register(fonts.body)
    fallback = register(fonts.fallback) if fonts.fallback else None
    return Faces(
        title=Face(title, TITLE_SIZE, fallback),
        info=Face(body, INFO_SIZE, fallback),
        header=Face(header, HEADER_SIZE, fallback),
        body=Face(body, BODY_SIZE, fallback),
        banner=Face(header, BODY_SIZE, fallback),
        note=Face(body, NOTE_SIZE, fallback),
        footer=Face(body, FOOTER_SIZE, fallback),
    )


def export_pdf(
    ledger: LedgerRecord,
    target: Path,
    *,
    signature_line: bool = False,
    fonts: FontChoice | None = None,
) -> int:
    """Write ``ledger`` as a PDF to ``target`` (atomically); returns the number of pages.

    A4 landscape; title, 填报单位/填报时间 line, the official columns plus 状态 with the header
    on every page, 说明 lines, an optional 审核人/填报人/日期 signature line, and
    ``第 N 页 共 M 页`` at the foot. ``fonts`` defaults to :func:`find_fonts`.
    """
    faces = load_faces(fonts or find_fonts())
    pages = paginate(ledger, faces, signature_line=signature_line)
    header = header_lines(faces.header)
    with atomic_path(target) as tmp, binary_streams():
        canvas = Canvas(
            str(tmp),
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            pageCompression=1,
            initialFontName=faces.body.name,
            initialFontSize=BODY_SIZE,
        )
        canvas.setTitle(ledger.title)
        canvas.setAuthor(ledger.unit)
        canvas.setSubject("工作台账")
        canvas.setCreator("法治台账 fazhi-desktop")
        selector = FontSelector(canvas)
        for number, page in enumerate(pages, start=1):
            ops = PageOps(canvas, selector)
            _draw_page(ops, faces, page, header)
            footer = TextLine(
                faces.footer, PAGE_WIDTH / 2, FOOTER_Y, f"第 {number} 页 共 {len(pages)} 页", True
            )
            ops.text(_placed([footer]))
            ops.flush()
            canvas.showPage()
        canvas.save()
    return len(pages)


@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """Plain zlib streams: the ASCII85 layer is pure Python in reportlab and costs seconds."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


# A line ready to set: face, left x, baseline y, text.
Placed = tuple[Face, float, float, str]


def _draw_page(ops: PageOps, faces: Faces, page: Page, header: list[list[str]]) -> None:
    texts = _placed(page.texts)
    bold: list[Placed] = []
    if page.header_top is not None:
        _draw_table(ops, faces, page, header, texts, bold)
    if page.signature_y is not None:
        _signature(ops, faces.note, page.signature_y, texts)
    ops.text(texts)
    ops.text(bold, bold=True, stroke=BOLD_STROKE)


def _placed(lines: list[TextLine]) -> list[Placed]:
    return [
        (t.face, t.x - t.face.widths[t.text] / 2 if t.centred else t.x, t.y, t.text)
        for t in lines
    ]


def _draw_table(
    ops: PageOps,
    faces: Faces,
    page: Page,
    header: list[list[str]],
    texts: list[Placed],
    bold: list[Placed],
) -> None:
    assert page.header_top is not None
    if not page.slices:
        return
    left = MARGIN_X
    right = MARGIN_X + TABLE_WIDTH
    edges = [left]
    for column in COLUMNS:
        edges.append(edges[-1] + column.width)
    edges[-1] = right
    top = page.header_top
    header_height = top - page.slices[0].top
    bottom = page.slices[-1].top - page.slices[-1].height

    ops.fill_rect(HEADER_FILL, left, top - header_height, TABLE_WIDTH, header_height)
    for index, lines in enumerate(header):
        _cell_text(texts, faces.header, lines, edges[index], edges[index + 1], top,
                   header_height, centred=True, middle=True)
    rules = [(left, top - header_height, right, top - header_height)]
    rules.extend((x, top, x, top - header_height) for x in edges[1:-1])
    for part in page.slices:
        row = part.row
        part_bottom = part.top - part.height
        rules.append((left, part_bottom, right, part_bottom))
        if row.banner:
            ops.fill_rect(BANNER_FILL, left, part_bottom, TABLE_WIDTH, part.height)
            _cell_text(texts, faces.banner, row.cells[0][part.start:part.end], left, right,
                       part.top, part.height, centred=False, middle=part.whole)
            continue
        rules.extend((x, part.top, x, part_bottom) for x in edges[1:-1])
        if row.fill:
            ops.fill_rect(row.fill, edges[STATUS_COLUMN], part_bottom,
                          edges[STATUS_COLUMN + 1] - edges[STATUS_COLUMN], part.height)
        _slice_texts(faces, part, edges, texts, bold)
    ops.segments(GRID_WIDTH, rules)
    ops.stroke_rect(OUTER_WIDTH, left, bottom, TABLE_WIDTH, top - bottom)


def _slice_texts(
    faces: Faces,
    part: Slice,
    edges: list[float],
    texts: list[Placed],
    bold: list[Placed],
) -> None:
    row = part.row
    for index, column in enumerate(COLUMNS):
        lines = row.cells[index][part.start:part.end]
        if index == 0 and part.continued:
            lines = continued_seq(row.seq, faces.body)
        elif index == STATUS_COLUMN and part.continued:
            lines = row.cells[index]  # the word again: the fill alone does not print
        target = bold if index == STATUS_COLUMN else texts
        _cell_text(target, faces.body, lines, edges[index], edges[index + 1], part.top,
                   part.height, centred=column.centred, middle=part.whole)


def _cell_text(
    out: list[Placed],
    face: Face,
    lines: list[str],
    x0: float,
    x1: float,
    top: float,
    height: float,
    *,
    centred: bool,
    middle: bool,
) -> None:
    """Queue a cell's lines: vertically centred in whole rows, top-aligned in split ones."""
    if not lines:
        return
    leading = face.size * LEADING_RATIO
    offset = PAD_Y
    if middle:
        offset = (height - len(lines) * leading) / 2
    y = top - offset - (leading - face.size) / 2 - 0.88 * face.size
    middle_x = (x0 + x1) / 2
    widths = face.widths
    for line in lines:
        if line:
            out.append((face, middle_x - widths[line] / 2 if centred else x0 + PAD_X, y, line))
        y -= leading


def _signature(ops: PageOps, face: Face, y: float, texts: list[Placed]) -> None:
    """审核人：____  填报人：____  日期：____ with drawn rules, spread over the table width."""
    slot = TABLE_WIDTH / len(SIGNATURE_LABELS)
    rules = []
    for index, label in enumerate(SIGNATURE_LABELS):
        x = MARGIN_X + index * slot + (slot - face.widths[label] - SIGNATURE_RULE) / 2
        texts.append((face, x, y, label))
        rule_x = x + face.widths[label]
        rules.append((rule_x, y - 2, rule_x + SIGNATURE_RULE, y - 2))
    ops.segments(GRID_WIDTH, rules)
