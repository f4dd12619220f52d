"""汇总台账 export: xlsx read back with openpyxl (and LibreOffice), PDF with poppler's tools."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from conftest import require_tool

from fazhi_desktop.cli import main
from fazhi_desktop.errors import UsageError
from fazhi_desktop.io.xlsx.summary_writer import CHASE_SHEET, STATS_SHEET, SUMMARY_SHEET
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.orm import Return
from fazhi_desktop.models.summary_records import SummarySnapshot
from fazhi_desktop.services import consolidate, summary, summary_export, summary_views
from fazhi_desktop.services.ledgers import get_ledger
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.vocab.kinds import ReportState

sys.path.insert(0, str(Path(__file__).parent))
from summary_returns import make_template, write_return

UNITS = ("市司法局", "市委编办", "市财政局", "市教育局")
TODAY = dt.date(2026, 12, 10)
NOV, OCT = "2026-11", "2026-10"
FORMULA = '=HYPERLINK("http://example.com","点击")+1'


def _progress(unit: str, seq: str) -> str:
    return f"{unit}关于第{seq}项：已召开专题会议，印发工作方案。"


@pytest.fixture
def filled(db_path: Path, tmp_path: Path) -> Iterator[tuple[Database, int]]:
    """A 汇总 ledger for four units: one on time, one late, one only last month, one never."""
    db = open_database(db_path)
    with db.session() as s, s.begin():
        template = make_template(s, 6, UNITS)
        summary_id = summary.create_summary(s, template)
        titles = [(t.seq, t.title) for t in get_ledger(s, template).tasks]

    def rows(unit: str) -> list[tuple[str, str, str]]:
        out = [(seq, title, _progress(unit, seq)) for seq, title in titles]
        if unit == "市司法局":
            out[0] = (out[0][0], out[0][1], "已完成，形成制度文件")
            out[1] = (out[1][0], out[1][1], FORMULA)
        return out

    files = [
        write_return(tmp_path / "a.xlsx", unit="市司法局", period=NOV, rows=rows("市司法局"),
                     filled_on=dt.date(2026, 11, 25)),
        write_return(tmp_path / "b.xlsx", unit="市委编办", period=NOV, rows=rows("市委编办"),
                     filled_on=dt.date(2026, 12, 3)),
        write_return(tmp_path / "c.xlsx", unit="市财政局", period=OCT, rows=rows("市财政局"),
                     filled_on=dt.date(2026, 10, 20)),
    ]  # fmt: skip
    result = consolidate.consolidate(db, summary_id, files, today=TODAY)
    assert len(result.imported) == 3
    yield db, summary_id
    db.close()


def _snapshot(db: Database, summary_id: int, period: str | None = NOV) -> SummarySnapshot:
    with db.session() as s:
        return summary_export.snapshot(s, summary_id, today=TODAY, period=period)


def _expected(db: Database, summary_id: int) -> dict[str, dict[str, tuple[str, str]]]:
    """Task title → unit → (progress, status), straight from the views the export draws on."""
    with db.session() as s:
        tasks = summary_views.tasks_across_units(s, summary_id, today=TODAY, period=NOV)
    return {t.title: {u.unit: (u.progress, u.status.value) for u in t.units} for t in tasks}


def _summary_sheet(path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """Read the 汇总台账 sheet back: each task row, then the unit rows under it."""
    sheet = openpyxl.load_workbook(path)[SUMMARY_SHEET]
    assert [sheet.cell(3, c).value for c in (1, 2, 4)] == ["序号", "主要任务", "完成时间"]
    assert [sheet.cell(4, c).value for c in (2, 3, 4)] == ["报送单位", "进展情况", "状态"]
    out: dict[str, dict[str, tuple[str, str]]] = {}
    current: dict[str, tuple[str, str]] | None = None
    for row in sheet.iter_rows(min_row=5):
        seq, unit, progress, status = (c.value for c in row[:4])
        if seq is not None and unit is None:
            break  # the 说明 lines under the table, merged across it
        if seq is not None:  # a task row: 主要任务 is merged over B:C
            current = out.setdefault(str(unit), {})
        elif current is not None and unit and unit != "—":
            for cell in row[1:4]:
                assert cell.data_type == "s", f"{cell.coordinate} is not a text cell"
            current[str(unit).split("\n")[0]] = (str(progress), str(status))
    return out


def test_xlsx_has_each_units_progress_under_its_task(
    filled: tuple[Database, int], tmp_path: Path
) -> None:
    db, summary_id = filled
    target = tmp_path / "汇总.xlsx"
    summary_export.export_summary(_snapshot(db, summary_id), target, AppSettings())
    assert openpyxl.load_workbook(target).sheetnames == [SUMMARY_SHEET, CHASE_SHEET, STATS_SHEET]
    read = _summary_sheet(target)
    expected = _expected(db, summary_id)
    assert read == expected
    assert len(read) == 6 and all(set(units) == set(UNITS[:3]) for units in read.values())
    first, second = list(read)[:2]
    assert read[first]["市司法局"] == ("已完成，形成制度文件", "已完成")
    # A progress that looks like a formula stays the text the unit typed.
    assert read[second]["市司法局"][0] == FORMULA
    assert read[first]["市委编办"][0] == _progress("市委编办", "1")


def test_xlsx_unit_rows_say_when_the_progress_is_from_an_earlier_period(
    filled: tuple[Database, int], tmp_path: Path
) -> None:
    db, summary_id = filled
    target = tmp_path / "汇总.xlsx"
    summary_export.export_summary(_snapshot(db, summary_id), target, AppSettings())
    sheet = openpyxl.load_workbook(target)[SUMMARY_SHEET]
    units = [str(row[1].value) for row in sheet.iter_rows(min_row=5) if row[1].value]
    assert "市财政局\n（2026年10月）" in units
    assert "市司法局" in units and not any(u.startswith("市司法局\n") for u in units)


def test_xlsx_chase_sheet_lists_exactly_the_missing_and_late_units(
    filled: tuple[Database, int], tmp_path: Path
) -> None:
    db, summary_id = filled
    target = tmp_path / "汇总.xlsx"
    summary_export.export_summary(_snapshot(db, summary_id), target, AppSettings())
    sheet = openpyxl.load_workbook(target)[CHASE_SHEET]
    assert [c.value for c in sheet[3]] == ["序号", "单位", "报送情况", "收到日期", "报送文件"]
    lines = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=4) if row[1].value]
    with db.session() as s:
        report = summary_views.period_report(s, summary_id, NOV)
    missing = [unit for _n, unit, state, *_ in lines if state == ReportState.MISSING]
    late = [(unit, received.date()) for _n, unit, state, received, _f in lines
            if state == ReportState.LATE]  # fmt: skip
    assert missing == report.names(ReportState.MISSING) == ["市财政局", "市教育局"]
    assert late == [("市委编办", dt.date(2026, 12, 3))]
    assert len(lines) == 3  # nobody who reported on time
    assert "2026年11月30日" in str(sheet["A2"].value)


def test_xlsx_stats_sheet_has_the_figures_and_the_charts(
    filled: tuple[Database, int], tmp_path: Path
) -> None:
    db, summary_id = filled
    target = tmp_path / "汇总.xlsx"
    summary_export.export_summary(_snapshot(db, summary_id), target, AppSettings())
    sheet = openpyxl.load_workbook(target)[STATS_SHEET]
    with db.session() as s:
        figures = summary_views.stats(s, summary_id, today=TODAY, period=NOV)
    rows = [[c.value for c in row[:4]] for row in sheet.iter_rows()]

    def table(header: str) -> list[list[object]]:
        start = next(i for i, r in enumerate(rows) if r[0] == header) + 1
        out = []
        for row in rows[start:]:
            if row[0] is None:
                break
            out.append(row)
        return out

    completion = table("单位")
    assert [(u, d, t) for u, d, t, _r in completion] == list(figures.completion)
    for _unit, done, total, rate in completion:
        assert rate == pytest.approx(done / total)
    assert [tuple(r[:2]) for r in table("状态")] == list(figures.status_counts)
    months = [(f"{int(m[:4])}年{int(m[5:])}月", n) for m, n in figures.overdue_by_month]
    assert [tuple(r[:2]) for r in table("完成时限月份")] == months
    assert sum(n for _s, n in figures.status_counts) == 3 * 6
    charts = sheet._charts  # native charts over these tables; details in test_charts.py
    assert len(charts) == 3
    anchors = [chart.anchor._from.row for chart in charts]
    assert anchors == sorted(anchors) and len(set(anchors)) == 3


@pytest.mark.slow
def test_libreoffice_opens_the_xlsx(filled: tuple[Database, int], tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    db, summary_id = filled
    target = tmp_path / "汇总.xlsx"
    summary_export.export_summary(_snapshot(db, summary_id), target, AppSettings())
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path / "lo"), str(target)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = _pdftotext(tmp_path / "lo" / "汇总.pdf")
    flat = re.sub(r"\s+", "", text)
    for unit in UNITS:
        assert unit in flat
    assert re.sub(r"\s+", "", FORMULA) in flat


def _pdftotext(path: Path) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run(
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_has_tasks_units_chase_list_and_embedded_fonts(
    filled: tuple[Database, int], tmp_path: Path
) -> None:
    db, summary_id = filled
    snap = _snapshot(db, summary_id)
    target = tmp_path / "汇总.pdf"
    pages = summary_export.export_summary(snap, target, AppSettings())
    text = _pdftotext(target)
    assert isinstance(pages, int) and text.count("\f") == pages
    page_texts = [re.sub(r"\s+", "", page) for page in text.split("\f")]
    flat = "".join(page_texts)
    for task in snap.tasks:
        assert re.sub(r"\s+", "", task.title) in flat
    for title, units in _expected(db, summary_id).items():
        assert re.sub(r"\s+", "", title) in flat
        for progress, _status in units.values():
            assert re.sub(r"\s+", "", progress) in flat
    assert re.sub(r"\s+", "", FORMULA) in flat  # printed as typed, not evaluated
    (chase,) = [p for p in page_texts if "未报送、逾期报送单位" in p]
    for unit in ("市财政局", "市教育局", "市委编办"):
        assert unit in chase
    assert "市司法局" not in chase
    assert "2026年12月3日" in chase  # when the late return came in
    stats = [p for p in page_texts if "汇总统计" in p]
    assert stats and "各单位任务完成率" in "".join(stats)
    assert f"第1页共{pages}页" in page_texts[0]

    fonts = subprocess.run(
        [require_tool("pdffonts"), str(target)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    rows = [line.split() for line in fonts[2:] if line.strip()]
    assert rows
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], f"font not embedded: {row}"
    for title in ("各单位任务完成率", "任务状态分布", "逾期未完成任务"):
        assert flat.count(title) >= 2, title  # a heading and a chart title (test_charts.py)


def test_default_period_follows_the_summary_ledgers_rule(filled: tuple[Database, int]) -> None:
    db, summary_id = filled
    assert _snapshot(db, summary_id, period=None).period == "2026-12"
    with db.session() as s, s.begin():
        get_ledger(s, summary_id).report_cycle = "quarterly"
    with db.session() as s:
        snap = summary_export.snapshot(s, summary_id, today=dt.date(2026, 11, 5))
    assert snap.period == "2026-12" and snap.period_label == "2026年第4季度"
    with db.session() as s:
        snap = summary_export.snapshot(s, summary_id, today=dt.date(2026, 2, 5))
    assert snap.period == "2026-03"
    assert snap.missing_units == list(UNITS)  # nobody has reported for the first quarter


def test_cli_export_summary(
    filled: tuple[Database, int], db_path: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _db, summary_id = filled
    base = ["--db", str(db_path), "--today", "2026-11-28"]
    out = tmp_path / "cli.xlsx"
    assert main([*base, "export-summary", "--ledger", str(summary_id), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2026年11月" in printed and "市教育局" in printed
    info = openpyxl.load_workbook(out)[SUMMARY_SHEET]["A2"].value
    assert "报送期间：2026年11月" in info
    pdf = tmp_path / "cli.pdf"
    args = [*base, "export-summary", "--ledger", str(summary_id), "-o", str(pdf), "--period", OCT]
    assert main(args) == 0
    assert "共" in capsys.readouterr().out and pdf.read_bytes().startswith(b"%PDF")
    assert "2026年10月未报送" in re.sub(r"\s+", "", _pdftotext(pdf))
    bad = tmp_path / "cli.docx"
    assert main([*base, "export-summary", "--ledger", str(summary_id), "-o", str(bad)]) == 2
    assert ".xlsx 或 .pdf" in capsys.readouterr().err and not bad.exists()
    assert main([*base, "export-summary", "--ledger", "1", "-o", str(out)]) == 2
    assert "不是汇总台账" in capsys.readouterr().err


def test_bad_suffix_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="只能导出为"):
        summary_export.check_target(tmp_path / "汇总.csv")
    assert summary_export.check_target(tmp_path / "汇总.PDF") == ".pdf"


def test_empty_summary_exports(db_path: Path, tmp_path: Path) -> None:
    """Before any return arrives: every unit is 未报送, every task says nobody reported."""
    db = open_database(db_path)
    with db.session() as s, s.begin():
        summary_id = summary.create_summary(s, make_template(s, 3, UNITS))
    snap = _snapshot(db, summary_id)
    db.close()
    summary_export.export_summary(snap, tmp_path / "e.xlsx", AppSettings())
    summary_export.export_summary(snap, tmp_path / "e.pdf", AppSettings())
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    chase = [row[1].value for row in book[CHASE_SHEET].iter_rows(min_row=4) if row[1].value]
    assert chase == list(UNITS)
    progress = [row[2].value for row in book[SUMMARY_SHEET].iter_rows(min_row=5)]
    assert progress.count("暂无单位报送该项进展") == 3
    flat = re.sub(r"\s+", "", _pdftotext(tmp_path / "e.pdf"))
    assert flat.count("暂无单位报送该项进展") == 3 and "（无）" in flat


@pytest.mark.sqlite_only  # checks the file itself
def test_cli_consolidate_backs_up_the_database_first(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fazhi_desktop.services import backups

    db = open_database(db_path)
    with db.session() as s, s.begin():
        template = make_template(s, 3, UNITS)
        summary_id = summary.create_summary(s, template)
        titles = [(t.seq, t.title, "进展") for t in get_ledger(s, template).tasks]
    db.close()
    path = write_return(tmp_path / "a.xlsx", unit="市司法局", period=NOV, rows=titles,
                        filled_on=dt.date(2026, 11, 20))  # fmt: skip
    base = ["--db", str(db_path), "--today", TODAY.isoformat()]
    assert main([*base, "consolidate", "--ledger", str(summary_id), str(path)]) == 0
    made = [b for b in backups.list_backups(db_path) if b.reason == backups.CONSOLIDATION]
    assert len(made) == 1
    # The copy is the database as it was: the summary ledger, but no return yet.
    copy = open_database(made[0].path)
    try:
        with copy.session() as s:
            assert summary.units_of(s, summary_id) == list(UNITS)
            assert s.query(Return).count() == 0
    finally:
        copy.close()
    assert "✓ a.xlsx" in capsys.readouterr().out
