"""The 汇总台账 as a PDF: A4 landscape, embedded Chinese fonts, for printing and signing.

Three parts, each starting on a new page: the 汇总台账 (each task, then one row per unit with
its progress and status), the units to 催报 for the period, and the statistics (tables and the
same charts the window and the xlsx show, drawn with reportlab's charts in :mod:`charts`).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from fazhi_desktop.io.atomic import atomic_path
from fazhi_desktop.io.pdf import charts
from fazhi_desktop.io.pdf.flow import (
    Block,
    Cell,
    Column,
    Graphic,
    Layout,
    Page,
    PageBreak,
    Row,
    Table,
    Text,
    draw,
)
from fazhi_desktop.io.pdf.fonts import Face, FontChoice, find_fonts
from fazhi_desktop.io.pdf.layout import (
    BODY_SIZE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TABLE_WIDTH,
    Faces,
    format_date,
)
from fazhi_desktop.io.pdf.ledger_writer import binary_streams, load_faces
from fazhi_desktop.io.pdf.ops import FontSelector
from fazhi_desktop.models.charts import COMPLETION_TITLE, OVERDUE_TITLE, STATUS_TITLE, month_label
from fazhi_desktop.models.status import COLOUR_FILL, REPORT_STATE_FILL
from fazhi_desktop.models.summary_records import SummarySnapshot, SummaryTask

NO_RETURN = "暂无单位报送该项进展"
TASK_FILL = "#EDEDED"
STATE_FILL = REPORT_STATE_FILL
HEADING_SIZE = 12.0
STATS_TABLE_WIDTH = TABLE_WIDTH * 0.62
CHART_WIDTH = TABLE_WIDTH * 0.78
CHART_GAP = 14.0
# Dozens of units in one chart would print too small to read: 20 bars fill a page.
UNITS_PER_CHART = 20

_SUMMARY_COLUMNS = (
    Column(34, centred=True),
    Column(112, centred=True, phrases=True),
    Column(430),
    Column(84, centred=True, phrases=True),
)
_CHASE_COLUMNS = (
    Column(34, centred=True),
    Column(200, phrases=True),
    Column(80, centred=True),
    Column(100, centred=True),
    Column(250),
)


def write_summary_pdf(
    snap: SummarySnapshot, target: Path, *, fonts: FontChoice | None = None
) -> int:
    """Write the PDF to ``target`` (atomically); returns the number of pages."""
    faces = load_faces(fonts or find_fonts())
    pages = summary_pages(snap, faces)
    with atomic_path(target) as tmp, binary_streams():
        canvas = Canvas(
            str(tmp),
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            pageCompression=1,
            initialFontName=faces.body.name,  # never Helvetica: every font is embedded
            initialFontSize=BODY_SIZE,
        )
        canvas.setTitle(f"{snap.title}（{snap.period_label}）")
        canvas.setAuthor(snap.unit)
        canvas.setSubject("汇总台账")
        canvas.setCreator("法治台账 fazhi-desktop")
        draw(canvas, FontSelector(canvas), pages, faces.footer)
        canvas.save()
    return len(pages)


def summary_pages(snap: SummarySnapshot, faces: Faces) -> list[Page]:
    """Every page of the PDF, laid out but not drawn."""
    heading = Face(faces.header.name, HEADING_SIZE, faces.header.fallback)
    layout = Layout(faces.body, faces.header)
    layout.add(_summary_part(snap, faces))
    layout.add([PageBreak(), *_chase_part(snap, faces)])
    layout.add([PageBreak(), *_stats_part(snap, faces, heading)])
    return layout.pages


def _summary_part(snap: SummarySnapshot, faces: Faces) -> list[Block]:
    info = "　　".join(
        [
            f"汇总单位：{snap.unit.strip()}",
            f"报送期间：{snap.period_label}（{snap.due.month}月{snap.due.day}日截止）",
            f"汇总时间：{format_date(snap.generated_on)}",
        ]
    )
    header = [
        Row([Cell("序号"), Cell("主要任务", span=2), Cell("完成时间")], joined_below=True),
        Row([Cell(""), Cell("报送单位"), Cell("进展情况", centred=True), Cell("状态")]),
    ]
    rows: list[Row] = []
    for task in snap.tasks:
        rows.extend(_task_rows(task))
    notes = [
        "说明：每项任务下列出各单位最近一次报送的进展；单位名后注有月份的，"
        "是该单位本期尚未报送、沿用其该月的报送。",
    ]
    if snap.review_count:
        notes.append(
            f"另有 {snap.review_count} 条报送内容待核对（未能对应任务、重复报送等），"
            "请在程序“汇总情况 → 待核对”中查看。"
        )
    return [
        Text(faces.title, snap.title.strip() or "汇总台账", centred=True, gap_after=6.0),
        Text(faces.info, info),
        Text(faces.info, snap.counts_text(), gap_after=4.0),
        Table(_SUMMARY_COLUMNS, header, rows),
        *(Text(faces.note, line) for line in notes),
    ]


def _task_rows(task: SummaryTask) -> list[Row]:
    seq = task.seq.strip()
    rows = [
        Row(
            [
                Cell(seq),
                Cell(task.title, span=2, fill=TASK_FILL, bold=True, centred=False),
                Cell(task.deadline_shown, fill=TASK_FILL),
            ],
            keep_with_next=True,
            joined_below=True,
        )
    ]
    if not task.units:
        rows.append(Row([Cell(""), Cell("—"), Cell(NO_RETURN), Cell("")], label=seq))
    for index, line in enumerate(task.units):
        unit = line.unit + (f"\n（{line.earlier_period}）" if line.earlier_period else "")
        rows.append(
            Row(
                [
                    Cell(""),
                    Cell(unit),
                    Cell(line.progress),
                    Cell(line.status.value, fill=COLOUR_FILL.get(line.colour), bold=True),
                ],
                joined_below=index + 1 < len(task.units),
                label=seq,
            )
        )
    return rows


def _chase_part(snap: SummarySnapshot, faces: Faces) -> list[Block]:
    due = format_date(snap.due)
    blocks: list[Block] = [
        Text(
            faces.title,
            f"{snap.period_label}未报送、逾期报送单位（催报）",
            centred=True,
            gap_after=6.0,
        ),
        Text(faces.info, f"报送截止：{due}　　{snap.counts_text()}", gap_after=4.0),
    ]
    if not snap.chase:
        blocks.append(Text(faces.note, "本期应报单位均已按时报送。"))
        return blocks
    header = [
        Row([Cell(h, centred=True) for h in ("序号", "单位", "报送情况", "收到日期", "报送文件")])
    ]
    rows = [
        Row(
            [
                Cell(str(number)),
                Cell(line.unit),
                Cell(line.state, fill=STATE_FILL.get(line.state)),
                Cell(format_date(line.received_on) if line.received_on else ""),
                Cell(line.file_name),
            ]
        )
        for number, line in enumerate(snap.chase, start=1)
    ]
    blocks.append(Table(_CHASE_COLUMNS, header, rows))
    return blocks


def _completion_graphics(rows: tuple[tuple[str, int, int], ...], face: Face) -> list[Graphic]:
    """The completion chart, in parts of at most a page's worth of units each."""
    parts = [rows[i : i + UNITS_PER_CHART] for i in range(0, len(rows), UNITS_PER_CHART)]
    if len(parts) <= 1:
        return [Graphic(charts.completion_drawing(rows, face, CHART_WIDTH), CHART_GAP)]
    return [
        Graphic(
            charts.completion_drawing(part, face, CHART_WIDTH, part=f"{n}/{len(parts)}"),
            CHART_GAP,
        )
        for n, part in enumerate(parts, start=1)
    ]


def _stats_part(snap: SummarySnapshot, faces: Faces, heading: Face) -> list[Block]:
    figures = snap.figures
    narrow = (Column(1, centred=True),)

    def table(headers: tuple[str, ...], rows: list[list[str]], first: int) -> Table:
        columns = (Column(first, phrases=True), *narrow * (len(headers) - 1))
        head = [Row([Cell(h, centred=True) for h in headers])]
        body = [Row([Cell(v) for v in row]) for row in rows] or [
            Row([Cell("（无）", span=len(headers), centred=True)])
        ]
        return Table(columns, head, body, width=STATS_TABLE_WIDTH)

    completion = [
        [unit, str(done), str(total), f"{100 * done / total:.1f}%" if total else "—"]
        for unit, done, total in figures.completion
    ]
    statuses = [[status, str(count)] for status, count in figures.status_counts]
    months = [[month_label(m), str(count)] for m, count in figures.overdue_by_month]
    return [
        Text(faces.title, f"汇总统计（{snap.period_label}）", centred=True, gap_after=6.0),
        Text(faces.info, snap.counts_text(), gap_after=8.0),
        Text(heading, f"一、{COMPLETION_TITLE}", gap_after=4.0, keep=90.0),
        table(("单位", "已完成", "报送任务数", "完成率"), completion, 3),
        *_completion_graphics(figures.completion, faces.body),
        Text(heading, f"二、{STATUS_TITLE}", gap_after=4.0, keep=90.0),
        table(("状态", "项数"), statuses, 2),
        Graphic(charts.status_drawing(figures.status_counts, faces.body, CHART_WIDTH), CHART_GAP),
        Text(heading, f"三、{OVERDUE_TITLE}", gap_after=4.0, keep=90.0),
        table(("完成时限月份", "逾期项数"), months, 2),
        Graphic(
            charts.overdue_drawing(figures.overdue_by_month, faces.body, CHART_WIDTH), CHART_GAP
        ),
    ]
