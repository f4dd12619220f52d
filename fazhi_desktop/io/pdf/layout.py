"""Measuring and paginating the 台账 for the PDF, without drawing anything.

Every cell is wrapped exactly once into lines (see :mod:`cjk_wrap`); rows are then packed page
by page. Knowing every page before drawing gives the total for ``第 N 页 共 M 页`` without a
second pass, and keeps the work linear in the number of rows (reportlab's LongTable is not).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from fazhi_desktop.io.pdf.cjk_wrap import wrap_phrases, wrap_text
from fazhi_desktop.io.pdf.fonts import Face
from fazhi_desktop.io.pdf.rows import MIN_SPLIT_LINES, RowShape, pack_rows, row_height
from fazhi_desktop.models.records import LedgerRecord, TaskRecord
from fazhi_desktop.models.status import COLOUR_FILL, COLOUR_LABEL, Colour
from fazhi_desktop.vocab.dates import date_label as format_date
from fazhi_desktop.vocab.dates import period_label as format_period

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN_X = 15 * mm
MARGIN_TOP = 13 * mm
MARGIN_BOTTOM = 16 * mm
FOOTER_Y = 8 * mm
TABLE_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
TOP = PAGE_HEIGHT - MARGIN_TOP

TITLE_SIZE = 20.0
INFO_SIZE = 11.0
HEADER_SIZE = 10.5
BODY_SIZE = 9.5
NOTE_SIZE = 10.5
FOOTER_SIZE = 9.0
LEADING_RATIO = 1.45  # Chinese text needs more air between lines than Latin
BODY_LEADING = round(BODY_SIZE * LEADING_RATIO, 2)
PAD_X = 3.0
GAP_AFTER_TITLE = 6.0
GAP_BEFORE_TABLE = 4.0
GAP_BEFORE_NOTES = 8.0
GAP_BEFORE_SIGNATURE = 22.0

CONTINUED = "续"
EMPTY_LEDGER = "（本台账暂无任务）"
SIGNATURE_LABELS = ("审核人：", "填报人：", "日期：")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: float
    centred: bool
    phrases: bool  # short field of names: break between names, not inside one


def _columns() -> tuple[Column, ...]:
    # Relative widths: 进展情况 gets the most room, it is what the leader reads.
    spec = (
        ("seq", "序号", 36, True, False),
        ("title", "主要任务", 160, False, False),
        ("deadline", "完成时间", 71, True, True),
        ("progress", "进展情况", 242, False, False),
        ("department", "责任科室", 74, True, True),
        ("owner", "责任人", 56, True, True),
        ("note", "备注", 62, False, False),
        ("status", "状态", 56, True, True),
    )
    scale = TABLE_WIDTH / sum(s[2] for s in spec)
    return tuple(Column(k, label, w * scale, centred, ph) for k, label, w, centred, ph in spec)


COLUMNS = _columns()


@dataclass(frozen=True, slots=True)
class Faces:
    """The faces each part of the page is set in."""

    title: Face
    info: Face
    header: Face
    body: Face
    banner: Face
    note: Face
    footer: Face


@dataclass(slots=True)
class Row:
    """One table row: the wrapped lines of each cell (a banner row has a single cell)."""

    cells: list[list[str]]
    seq: str = ""
    fill: str | None = None
    banner: bool = False
    lines: int = 1

    def __post_init__(self) -> None:
        self.lines = max(1, *(len(cell) for cell in self.cells))


@dataclass(slots=True)
class Slice:
    """The part of a row on one page; a row that fits on a page is a single slice."""

    row: Row
    start: int
    end: int
    top: float
    height: float
    continued: bool = False

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.end >= self.row.lines


@dataclass(slots=True)
class TextLine:
    face: Face
    x: float
    y: float
    text: str
    centred: bool = False


@dataclass(slots=True)
class Page:
    texts: list[TextLine] = field(default_factory=list)
    header_top: float | None = None
    slices: list[Slice] = field(default_factory=list)
    signature_y: float | None = None


def _cell_texts(task: TaskRecord) -> list[str]:
    deadline = task.deadline_text.strip()
    if not deadline and task.deadline is not None:
        deadline = format_date(task.deadline)
    department = task.department
    if task.partners.strip():
        department = f"{department}\n配合：{task.partners}" if department else task.partners
    status = task.status.value
    label = COLOUR_LABEL.get(task.colour, "")
    # 临期 is not a status, only a warning; in black and white the fill alone would not say it.
    if task.colour is Colour.DUE_SOON and label:
        status = f"{status}\n（{label}）"
    return [
        task.seq,
        task.title,
        deadline,
        task.progress,
        department,
        task.owner,
        task.note,
        status,
    ]


def _cell_width(column: Column) -> float:
    return column.width - 2 * PAD_X


def build_rows(ledger: LedgerRecord, body: Face, banner: Face) -> list[Row]:
    widths = [_cell_width(c) for c in COLUMNS]
    wrappers = [wrap_phrases if c.phrases else wrap_text for c in COLUMNS]
    rows: list[Row] = []
    section = ""
    for task in ledger.tasks:
        if task.section and task.section != section:
            lines = wrap_text(task.section, TABLE_WIDTH - 2 * PAD_X, banner.widths)
            rows.append(Row([lines], banner=True))
        section = task.section
        cells = [
            wrap(text, width, body.widths)
            for wrap, text, width in zip(wrappers, _cell_texts(task), widths, strict=True)
        ]
        rows.append(Row(cells, seq=task.seq, fill=COLOUR_FILL.get(task.colour)))
    if not rows:
        rows.append(Row([[EMPTY_LEDGER]], banner=True))
    return rows


def header_lines(header: Face) -> list[list[str]]:
    return [wrap_text(c.label, _cell_width(c), header.widths) for c in COLUMNS]


def continued_seq(seq: str, body: Face) -> list[str]:
    """The 序号 cell of a row's continuation on the next page: the number, then 续."""
    return [*wrap_text(seq, _cell_width(COLUMNS[0]), body.widths), CONTINUED]


class Paginator:
    """Packs the title, the table rows, the 说明 and the signature line into pages."""

    def __init__(self, faces: Faces) -> None:
        self.faces = faces
        self.header = header_lines(faces.header)
        header_leading = faces.header.size * LEADING_RATIO
        self.header_height = row_height(max(map(len, self.header)), header_leading)
        self.pages: list[Page] = []
        self.y = TOP
        self._new_page()

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def _new_page(self) -> None:
        self.pages.append(Page())
        self.y = TOP

    def room(self) -> float:
        return self.y - MARGIN_BOTTOM

    def _text(self, face: Face, text_lines: list[str], *, centred: bool, x: float) -> None:
        leading = face.size * LEADING_RATIO
        for text in text_lines:
            if self.room() < leading:
                self._new_page()
            # Baseline sits so the CJK em box is centred in the line box.
            baseline = self.y - (leading - face.size) / 2 - 0.88 * face.size
            self.page.texts.append(TextLine(face, x, baseline, text, centred))
            self.y -= leading

    def title(self, ledger: LedgerRecord) -> None:
        face = self.faces.title
        lines = wrap_text(ledger.title.strip() or "工作台账", TABLE_WIDTH, face.widths)
        self._text(face, lines, centred=True, x=PAGE_WIDTH / 2)
        self.y -= GAP_AFTER_TITLE
        face = self.faces.info
        left = f"填报单位：{ledger.unit.strip()}"
        right_parts = []
        if ledger.reporter.strip():
            right_parts.append(f"填报人：{ledger.reporter.strip()}")
        if ledger.phone.strip():
            right_parts.append(f"联系电话：{ledger.phone.strip()}")
        if ledger.period:
            right_parts.append(f"填报月份：{format_period(ledger.period)}")
        right_parts.append(f"填报时间：{format_date(ledger.generated_on)}")
        right = "　　".join(right_parts)
        gap = 2 * face.size
        if face.widths[left] + gap + face.widths[right] <= TABLE_WIDTH:
            leading = face.size * LEADING_RATIO
            baseline = self.y - (leading - face.size) / 2 - 0.88 * face.size
            self.page.texts.append(TextLine(face, MARGIN_X, baseline, left))
            right_x = MARGIN_X + TABLE_WIDTH - face.widths[right]
            self.page.texts.append(TextLine(face, right_x, baseline, right))
            self.y -= leading
        else:
            self._text(face, self._pack([left, *right_parts], face), centred=False, x=MARGIN_X)
        self.y -= GAP_BEFORE_TABLE

    @staticmethod
    def _pack(items: list[str], face: Face) -> list[str]:
        """Items side by side on as few lines as fit; a label is never cut from its value."""
        lines: list[str] = []
        for item in items:
            joined = f"{lines[-1]}　　{item}" if lines else item
            if lines and face.widths[joined] <= TABLE_WIDTH:
                lines[-1] = joined
            else:
                lines.extend(wrap_text(item, TABLE_WIDTH, face.widths))
        return lines

    def start_table_page(self, *, fresh: bool) -> None:
        if fresh:
            self._new_page()
        self.page.header_top = self.y
        self.y -= self.header_height

    def place(self, row: Row, start: int, end: int, *, continued: bool) -> None:
        lines = end - start
        if continued:
            lines = max(lines, len(self.continued_seq(row)))
        height = row_height(lines, self._leading(row))
        self.page.slices.append(Slice(row, start, end, self.y, height, continued))
        self.y -= height

    def continued_seq(self, row: Row) -> list[str]:
        return continued_seq(row.seq, self.faces.body)

    def _leading(self, row: Row) -> float:
        face = self.faces.banner if row.banner else self.faces.body
        return face.size * LEADING_RATIO

    def table(self, rows: list[Row]) -> None:
        if self.room() < self.header_height + row_height(MIN_SPLIT_LINES, BODY_LEADING):
            self._new_page()
        self.start_table_page(fresh=False)
        pack_rows([self._shape(row) for row in rows], _RowSheet(self, rows))

    def _shape(self, row: Row) -> RowShape:
        return RowShape(
            row.lines,
            self._leading(row),
            keep_with_next=row.banner,  # a section heading stays with its first task
            splittable=not row.banner,
            label_lines=len(self.continued_seq(row)),
        )

    def full(self) -> float:
        return TOP - MARGIN_BOTTOM - self.header_height

    def closing(self, notes: list[str], *, signature: bool) -> None:
        """The 说明 lines and the signature line, on the page where the table ends.

        A signature must not stand on a page of its own (nor 说明 away from its table): when
        they do not fit under the last row, that row moves to the next page with them.
        """
        face = self.faces.note
        leading = face.size * LEADING_RATIO
        if notes and not notes[0].startswith("说明"):
            notes = [f"说明：{notes[0]}", *notes[1:]]
        wrapped = [w for line in notes for w in wrap_text(line, TABLE_WIDTH, face.widths)]
        height = GAP_BEFORE_NOTES + len(wrapped) * leading if wrapped else 0.0
        if signature:
            height += GAP_BEFORE_SIGNATURE + leading
        if not height:
            return
        if height > self.room() + 1e-6:
            self._pull_last_row(height)
        if wrapped:
            self.y -= GAP_BEFORE_NOTES
            self._text(face, wrapped, centred=False, x=MARGIN_X)
        if signature:
            if self.room() < GAP_BEFORE_SIGNATURE + leading:
                self._new_page()
            else:
                self.y -= GAP_BEFORE_SIGNATURE
            self.page.signature_y = self.y - (leading - face.size) / 2 - 0.88 * face.size
            self.y -= leading

    def _pull_last_row(self, block: float) -> None:
        slices = self.page.slices
        pulled = slices[-1:]
        if len(slices) >= 2 and slices[-2].row.banner:
            pulled = slices[-2:]  # a section heading goes with its task
        if len(slices) <= len(pulled) or not all(p.whole for p in pulled):
            return
        if sum(p.height for p in pulled) + block > self.full():
            return
        del slices[-len(pulled) :]
        self.start_table_page(fresh=True)
        for part in pulled:
            self.place(part.row, 0, part.row.lines, continued=False)


class _RowSheet:
    """The paginator as :func:`pack_rows` sees it, for one table's rows."""

    def __init__(self, paginator: Paginator, rows: list[Row]) -> None:
        self.paginator = paginator
        self.rows = rows

    def room(self) -> float:
        return self.paginator.room()

    def full(self) -> float:
        return self.paginator.full()

    def next_page(self) -> None:
        self.paginator.start_table_page(fresh=True)

    def place(self, index: int, start: int, end: int, *, continued: bool) -> None:
        self.paginator.place(self.rows[index], start, end, continued=continued)


def paginate(ledger: LedgerRecord, faces: Faces, *, signature_line: bool) -> list[Page]:
    """Every page of the PDF, with each text line and table slice at its final position."""
    paginator = Paginator(faces)
    paginator.title(ledger)
    paginator.table(build_rows(ledger, faces.body, faces.banner))
    paginator.closing(ledger.notes_lines(), signature=signature_line)
    return paginator.pages
