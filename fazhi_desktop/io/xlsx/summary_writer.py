"""The 汇总台账 as an xlsx: every task with each unit's progress under it, 催报, statistics.

Three sheets, streamed in openpyxl's write-only mode like the ordinary 台账 export:

* 汇总台账 — the official look (title, 填报 line, boxed table, A4 landscape). Each task is one
  row (序号, 主要任务, 完成时间); under it one row per unit (单位, 进展情况, 状态), because
  dozens of units cannot stand side by side. 序号 is merged down over the task's unit rows.
* 未报送单位 — the units that have not reported for the period, then those that reported late,
  with the date received: the list to 催报 from.
* 统计 — completion rate by unit, status counts, overdue tasks by month, as tables and as
  native Excel charts drawn from those tables (:mod:`charts`), editable in Excel and WPS.

Every text a unit or the office typed is written as a string cell (never a formula).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, NamedStyle
from openpyxl.utils import get_column_letter

from fazhi_desktop.io.atomic import atomic_path
from fazhi_desktop.io.xlsx import charts
from fazhi_desktop.io.xlsx.charts import TableRange
from fazhi_desktop.io.xlsx.styles import (
    BODY_PT,
    BOX,
    DATE_FORMAT,
    INFO_PT,
    INFO_ROW_PT,
    MIDDLE,
    MIDDLE_LEFT,
    MIN_ROW_PT,
    TITLE_FONT,
    TITLE_PT,
    TITLE_ROW_PT,
    TOP_CENTRE,
    TOP_LEFT,
    font,
    merged_width,
    print_setup,
    row_height,
    seq_value,
    solid,
    text_safe_cell,
)
from fazhi_desktop.models.charts import (
    COMPLETION_TITLE,
    OVERDUE_TITLE,
    STATUS_TITLE,
    completion_rate,
    month_label,
)
from fazhi_desktop.models.status import COLOUR_FILL, REPORT_STATE_FILL, Colour
from fazhi_desktop.models.summary_records import SummarySnapshot, SummaryTask
from fazhi_desktop.vocab.dates import date_label

SUMMARY_SHEET = "汇总台账"
CHASE_SHEET = "未报送单位"
STATS_SHEET = "统计"
NO_RETURN = "暂无单位报送该项进展"

# 序号 | 单位 | 进展情况 | 完成时间 / 状态, adding up to the printable width of A4 landscape.
_WIDTHS = (6, 20, 88, 18)
_CHASE_WIDTHS = (6, 36, 14, 18, 52)
_STATS_WIDTHS = (30, 10, 12, 10)

_TASK_FILL = "#EDEDED"
_STATE_FILL = REPORT_STATE_FILL

# Named styles: one lookup per cell instead of hashing fonts and borders, and they show up in
# Excel's style gallery.
TITLE, INFO, HEADER = "汇总标题", "汇总填报栏", "汇总表头"
CENTRE, TEXT, DATE = "汇总居中", "汇总正文", "汇总日期"
TASK_SEQ, TASK_TEXT, TASK_DATE = "汇总任务序号", "汇总任务", "汇总任务时间"
NOTE, SECTION, NUMBER, PERCENT = "汇总说明", "汇总小标题", "汇总数字", "汇总百分比"


def status_style(colour: Colour) -> str:
    return f"汇总状态-{colour.value}"


def state_style(state: str) -> str:
    return f"汇总报送-{state}"


def write_summary_xlsx(snap: SummarySnapshot, target: Path) -> None:
    """Write the workbook to ``target`` (replaced atomically; a locked target raises)."""
    with atomic_path(target) as tmp:
        workbook = Workbook(write_only=True)
        _register_styles(workbook)
        workbook.properties.title = f"{snap.title}（{snap.period_label}）"
        workbook.properties.creator = snap.unit or "法治台账"
        _summary_sheet(workbook, snap)
        _chase_sheet(workbook, snap)
        _stats_sheet(workbook, snap)
        workbook.save(tmp)


# --- styles and cells -------------------------------------------------------------------------


def _register_styles(workbook: Workbook) -> None:
    body = font()
    bold = font(bold=True)
    grey = solid(_TASK_FILL)
    styles = [
        NamedStyle(TITLE, font=font(TITLE_PT, name=TITLE_FONT), alignment=MIDDLE),
        NamedStyle(INFO, font=font(INFO_PT), alignment=MIDDLE_LEFT),
        NamedStyle(HEADER, font=bold, alignment=MIDDLE, border=BOX),
        NamedStyle(CENTRE, font=body, alignment=TOP_CENTRE, border=BOX),
        NamedStyle(TEXT, font=body, alignment=TOP_LEFT, border=BOX),
        NamedStyle(DATE, font=body, alignment=TOP_CENTRE, border=BOX, number_format=DATE_FORMAT),
        NamedStyle(TASK_SEQ, font=bold, alignment=TOP_CENTRE, border=BOX),
        NamedStyle(TASK_TEXT, font=bold, alignment=TOP_LEFT, border=BOX, fill=grey),
        NamedStyle(
            TASK_DATE,
            font=body,
            alignment=TOP_CENTRE,
            border=BOX,
            fill=grey,
            number_format=DATE_FORMAT,
        ),
        NamedStyle(NOTE, font=body, alignment=TOP_LEFT),
        NamedStyle(
            SECTION,
            font=font(INFO_PT, name=TITLE_FONT),
            alignment=Alignment(horizontal="left", vertical="center"),
        ),
        NamedStyle(NUMBER, font=body, alignment=MIDDLE, border=BOX),
        NamedStyle(PERCENT, font=body, alignment=MIDDLE, border=BOX, number_format="0.0%"),
    ]
    for colour, fill in COLOUR_FILL.items():
        styles.append(
            NamedStyle(
                status_style(colour),
                font=body,
                alignment=TOP_CENTRE,
                border=BOX,
                fill=solid(fill),
            )
        )
    for state, state_fill in _STATE_FILL.items():
        styles.append(
            NamedStyle(
                state_style(state),
                font=body,
                alignment=TOP_CENTRE,
                border=BOX,
                fill=solid(state_fill or "#FFFFFF"),
            )
        )
    for style in styles:
        workbook.add_named_style(style)


class _Writer:
    """Appends rows to one write-only sheet, keeping count and setting each row's height."""

    def __init__(self, workbook: Workbook, name: str, widths: Sequence[float]) -> None:
        self.sheet = workbook.create_sheet(name)
        self.widths = widths
        self.row = 0

    @property
    def last(self) -> str:
        return get_column_letter(len(self.widths))

    def append(self, values: Sequence[tuple[object, str]], height: float | None = None) -> int:
        self.row += 1
        if height is not None:
            self.sheet.row_dimensions[self.row].height = height
        self.sheet.append([text_safe_cell(self.sheet, v, s) for v, s in values])
        return self.row

    def banner(self, text: str, style: str, font_pt: float, minimum: float) -> int:
        """A line across the whole width (title, 填报 line, 说明)."""
        total = merged_width(self.widths)
        row = self.append([(text, style)], row_height([(text, total)], font_pt, minimum))
        self.merge(f"A{row}:{self.last}{row}")
        return row

    def merge(self, ref: str) -> None:
        self.sheet.merged_cells.add(ref)


# --- sheet 1: the 汇总台账 ---------------------------------------------------------------------


def _info_line(snap: SummarySnapshot) -> str:
    day = snap.generated_on
    parts = [
        f"汇总单位：{snap.unit.strip() or chr(0x3000) * 4}",
        f"报送期间：{snap.period_label}（{snap.due.month}月{snap.due.day}日截止）",
        snap.counts_text(),
        f"汇总时间：{date_label(day)}",
    ]
    return "    ".join(parts)


def _summary_sheet(workbook: Workbook, snap: SummarySnapshot) -> None:
    out = _Writer(workbook, SUMMARY_SHEET, _WIDTHS)
    print_setup(out.sheet, _WIDTHS, "3:4")
    out.sheet.freeze_panes = "A5"
    out.banner(snap.title.strip() or "汇总台账", TITLE, TITLE_PT, TITLE_ROW_PT)
    out.banner(_info_line(snap), INFO, INFO_PT, INFO_ROW_PT)
    out.append([("序号", HEADER), ("主要任务", HEADER), ("", HEADER), ("完成时间", HEADER)], 24.0)
    out.append([("", HEADER), ("报送单位", HEADER), ("进展情况", HEADER), ("状态", HEADER)], 24.0)
    out.merge("A3:A4")
    out.merge("B3:C3")
    for task in snap.tasks:
        _task_rows(out, task)
    notes = [
        "说明：每项任务下列出各单位最近一次报送的进展；单位名后注有月份的，"
        "是该单位本期尚未报送、沿用其该月的报送。",
        f"{snap.period_label}未报送、逾期报送的单位见“{CHASE_SHEET}”表，"
        f"完成率等统计见“{STATS_SHEET}”表。",
    ]
    if snap.review_count:
        notes.append(
            f"另有 {snap.review_count} 条报送内容待核对（未能对应任务、重复报送等），"
            "请在程序“汇总情况 → 待核对”中查看。"
        )
    for line in notes:
        out.banner(line, NOTE, BODY_PT, MIN_ROW_PT)


def _task_rows(out: _Writer, task: SummaryTask) -> None:
    # The plan's own words (“10月底前”) when it has them, else the date as a date cell.
    written = task.deadline_text.strip()
    deadline: tuple[object, str] = (
        (task.deadline, TASK_DATE)
        if task.deadline is not None and not written
        else (task.deadline_shown, TASK_DATE)
    )
    title_width = _WIDTHS[1] + _WIDTHS[2] + 1
    first = out.append(
        [(seq_value(task.seq), TASK_SEQ), (task.title, TASK_TEXT), ("", TASK_TEXT), deadline],
        row_height([(task.title, title_width), (task.deadline_shown, _WIDTHS[3])]),
    )
    out.merge(f"B{first}:C{first}")
    if not task.units:
        out.append([("", CENTRE), ("—", CENTRE), (NO_RETURN, TEXT), ("", CENTRE)])
    for line in task.units:
        unit = line.unit + (f"\n（{line.earlier_period}）" if line.earlier_period else "")
        out.append(
            [
                ("", CENTRE),
                (unit, CENTRE),
                (line.progress, TEXT),
                (line.status.value, status_style(line.colour)),
            ],
            row_height([(unit, _WIDTHS[1]), (line.progress, _WIDTHS[2])]),
        )
    out.merge(f"A{first}:A{out.row}")


# --- sheet 2: 催报 ----------------------------------------------------------------------------


def _chase_sheet(workbook: Workbook, snap: SummarySnapshot) -> None:
    out = _Writer(workbook, CHASE_SHEET, _CHASE_WIDTHS)
    print_setup(out.sheet, _CHASE_WIDTHS, "3:3")
    out.sheet.freeze_panes = "A4"
    out.banner(f"{snap.period_label}未报送、逾期报送单位（催报）", TITLE, TITLE_PT, TITLE_ROW_PT)
    due = snap.due
    out.banner(
        f"报送截止：{date_label(due)}    {snap.counts_text()}",
        INFO,
        INFO_PT,
        INFO_ROW_PT,
    )
    headers = ("序号", "单位", "报送情况", "收到日期", "报送文件")
    out.append([(h, HEADER) for h in headers], 24.0)
    for number, line in enumerate(snap.chase, start=1):
        out.append(
            [
                (number, CENTRE),
                (line.unit, TEXT),
                (line.state, state_style(line.state)),
                (line.received_on if line.received_on else "", DATE),
                (line.file_name, TEXT),
            ],
            row_height([(line.unit, _CHASE_WIDTHS[1]), (line.file_name, _CHASE_WIDTHS[4])]),
        )
    if not snap.chase:
        out.banner("本期应报单位均已按时报送。", NOTE, BODY_PT, MIN_ROW_PT)


# --- sheet 3: 统计 ----------------------------------------------------------------------------


def _stats_sheet(workbook: Workbook, snap: SummarySnapshot) -> None:
    out = _Writer(workbook, STATS_SHEET, _STATS_WIDTHS)
    print_setup(out.sheet, _STATS_WIDTHS, None)
    out.append([(f"{snap.title}（{snap.period_label}）统计", SECTION)], 28.0)
    figures = snap.figures

    def table(
        heading: str, headers: Sequence[str], rows: list[list[tuple[object, str]]]
    ) -> TableRange:
        out.append([])
        out.append([(heading, SECTION)], 24.0)
        header_row = out.append([(h, HEADER) for h in headers], 24.0)
        for row in rows:
            out.append(row)
        if not rows:
            out.append([("（无）", CENTRE)] + [("", CENTRE)] * (len(headers) - 1))
        return TableRange(header_row, len(rows))

    completion = table(
        f"一、{COMPLETION_TITLE}",
        ("单位", "已完成", "报送任务数", "完成率"),
        [
            [
                (unit, TEXT),
                (done, NUMBER),
                (total, NUMBER),
                (completion_rate(done, total), PERCENT),
            ]
            for unit, done, total in figures.completion
        ],
    )
    statuses = table(
        f"二、{STATUS_TITLE}",
        ("状态", "项数"),
        [[(status, TEXT), (count, NUMBER)] for status, count in figures.status_counts],
    )
    months = table(
        f"三、{OVERDUE_TITLE}",
        ("完成时限月份", "逾期项数"),
        [
            [(month_label(month), TEXT), (count, NUMBER)]
            for month, count in figures.overdue_by_month
        ],
    )
    # An empty table (（无）) gets no chart: there is nothing to draw.
    drawn = []
    if completion.rows:
        drawn.append(charts.completion_chart(out.sheet, completion))
    if statuses.rows:
        names = [status for status, _count in figures.status_counts]
        drawn.append(charts.status_chart(out.sheet, statuses, names))
    if months.rows:
        drawn.append(charts.overdue_chart(out.sheet, months))
    charts.place_charts(out.sheet, completion.header_row - 1, drawn)
