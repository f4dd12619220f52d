"""The 汇总 charts: native Excel charts in the xlsx, reportlab vector charts in the PDF.

Read back with independent tools: openpyxl (chart type, titles, the cells each series points
at), LibreOffice (the xlsx's charts render), poppler's pdftotext/pdfimages/pdftoppm (the PDF's
chart text is there, drawn as vectors, in the status colours).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import require_tool
from openpyxl.chart import BarChart
from PIL import Image

from fazhi_desktop.io.pdf.summary_writer import write_summary_pdf
from fazhi_desktop.io.xlsx.summary_writer import STATS_SHEET, write_summary_xlsx
from fazhi_desktop.models.charts import (
    COMPLETION_TITLE,
    OVERDUE_TITLE,
    STATUS_COLOURS,
    STATUS_TITLE,
    month_label,
)
from fazhi_desktop.models.status import Colour, Status
from fazhi_desktop.models.summary_records import (
    SummaryFigures,
    SummarySnapshot,
    SummaryTask,
    UnitLine,
)

UNITS = ("市司法局", "市委编办", "市财政局", "市人力资源和社会保障局")
COMPLETION = tuple((unit, n, 6) for n, unit in enumerate(UNITS, start=1))  # none at 100 %
STATUS_COUNTS = tuple(
    (s.value, n) for s, n in ((Status.NOT_STARTED, 3), (Status.IN_PROGRESS, 9), (Status.DONE, 12),
                              (Status.OVERDUE, 4))
)  # fmt: skip
MONTHS = (("2026-03", 1), ("2026-06", 2), ("2026-09", 5))


def _snapshot(figures: SummaryFigures) -> SummarySnapshot:
    line = UnitLine("市委编办", "已召开专题会议。", Status.IN_PROGRESS, Colour.NONE)
    task = SummaryTask("1", "推进执法重心下移", "10.31", None, (line,))
    return SummarySnapshot(
        ledger_id=1, title="汇总台账", unit="市司法局", period="2026-11",
        period_label="2026年11月", due=dt.date(2026, 12, 5), generated_on=dt.date(2026, 12, 10),
        expected_units=4, counts=(("已报送", 4),), tasks=(task,), chase=(), figures=figures,
    )  # fmt: skip


FULL = _snapshot(SummaryFigures(COMPLETION, STATUS_COUNTS, MONTHS))
EMPTY = _snapshot(SummaryFigures((), (), ()))


def _title(chart: BarChart) -> str:
    return "".join(run.t for para in chart.title.tx.rich.p for run in para.r or [])


def _cells(sheet: object, ref: str) -> list[object]:
    """The values of a chart reference like '統計'!$D$5:$D$8."""
    match = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", ref)
    assert match, ref
    name, col, first, col2, last = match.groups()
    assert name == STATS_SHEET and col == col2
    return [sheet[f"{col}{row}"].value for row in range(int(first), int(last) + 1)]  # type: ignore[index]


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("xlsx") / "汇总.xlsx"
    write_summary_xlsx(FULL, target)
    return target


def test_xlsx_has_three_native_bar_charts_over_the_stats_tables(xlsx: Path) -> None:
    sheet = openpyxl.load_workbook(xlsx)[STATS_SHEET]
    found = sheet._charts
    assert [type(c) for c in found] == [BarChart] * 3
    assert [_title(c) for c in found] == [COMPLETION_TITLE, STATUS_TITLE, OVERDUE_TITLE]
    assert [c.type for c in found] == ["bar", "col", "col"]
    expected = [
        (list(UNITS), [done / total for _u, done, total in COMPLETION]),
        ([s for s, _n in STATUS_COUNTS], [n for _s, n in STATUS_COUNTS]),
        ([month_label(m) for m, _n in MONTHS], [n for _m, n in MONTHS]),
    ]
    for chart, (categories, values) in zip(found, expected, strict=True):
        (series,) = chart.series
        assert _cells(sheet, series.cat.strRef.f if series.cat.strRef else series.cat.numRef.f) == (
            categories
        )
        assert _cells(sheet, series.val.numRef.f) == pytest.approx(values)
        assert chart.x_axis.delete is False and chart.y_axis.delete is False
    # Each status bar in its status colour, as on screen and in the PDF.
    points = found[1].series[0].dPt
    colours = [p.graphicalProperties.solidFill.srgbClr for p in points]
    assert colours == [STATUS_COLOURS[s].lstrip("#").upper() for s, _n in STATUS_COUNTS]
    rows = [c.anchor._from.row for c in found]
    assert rows == sorted(rows) and len(set(rows)) == 3


def test_xlsx_without_figures_has_no_empty_charts(tmp_path: Path) -> None:
    write_summary_xlsx(EMPTY, tmp_path / "e.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "e.xlsx")[STATS_SHEET]
    assert sheet._charts == []
    assert sum(1 for row in sheet.iter_rows(values_only=True) if row[0] == "（无）") == 3


def _text(pdf: Path) -> str:
    out = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return re.sub(r"\s+", "", out.stdout)


@pytest.mark.slow
def test_libreoffice_renders_the_xlsx_charts(xlsx: Path, tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = _text(tmp_path / "汇总.pdf")
    # Each title once above its table and once on its chart; axis ticks only charts have.
    for title in (COMPLETION_TITLE, STATUS_TITLE, OVERDUE_TITLE):
        assert text.count(title) >= 2, title
    assert "100%" in text and "80%" in text


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pdf") / "汇总.pdf"
    write_summary_pdf(FULL, target)
    return target


def test_pdf_charts_are_vector_text_in_the_embedded_font(pdf: Path) -> None:
    text = _text(pdf)
    for title in (COMPLETION_TITLE, STATUS_TITLE, OVERDUE_TITLE):
        assert text.count(title) >= 2, title  # the heading and the chart's own title
    months = [month_label(m) for m, _n in MONTHS]
    for label in ("完成率（%）", "100%", "逾期项数", "33%（2/6）", *months):
        assert label in text, label
    images = subprocess.run(
        [require_tool("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert images == []  # drawn, not pasted in as pictures


def test_pdf_charts_paint_the_status_colours(pdf: Path, tmp_path: Path) -> None:
    subprocess.run(
        [require_tool("pdftoppm"), "-r", "50", "-png", str(pdf), str(tmp_path / "p")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    seen: set[tuple[int, int, int]] = set()
    for png in tmp_path.glob("p-*.png"):
        with Image.open(png) as image:
            seen.update(c for _n, c in image.convert("RGB").getcolors(1 << 20) or [])
    for status, _n in STATUS_COUNTS:
        hex_colour = STATUS_COLOURS[status].lstrip("#")
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
        assert rgb in seen, status


def test_pdf_without_figures_says_so(tmp_path: Path) -> None:
    write_summary_pdf(EMPTY, tmp_path / "e.pdf")
    text = _text(tmp_path / "e.pdf")
    assert "本期尚无单位报送" in text and "没有逾期未完成的任务" in text


def test_exports_need_no_matplotlib(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from test_charts import FULL\n"
        "from fazhi_desktop.io.pdf.summary_writer import write_summary_pdf\n"
        "from fazhi_desktop.io.xlsx.summary_writer import write_summary_xlsx\n"
        f"write_summary_pdf(FULL, __import__('pathlib').Path({str(tmp_path / 'a.pdf')!r}))\n"
        f"write_summary_xlsx(FULL, __import__('pathlib').Path({str(tmp_path / 'a.xlsx')!r}))\n"
        "print('matplotlib' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=180,
        env={"PYTHONPATH": f"{root.parent}:{root}", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_status_colours_and_month_label() -> None:
    assert set(STATUS_COLOURS) == {s.value for s in Status}
    assert month_label("2026-03") == "2026年3月"
    assert month_label("长期") == "长期"
