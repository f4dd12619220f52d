"""The 台账 xlsx export: layout, print setup, formula safety, atomic writes, round trip.

Files are read back by openpyxl and, where installed, by LibreOffice (converted to PDF, CSV and
xlsx in one soffice call per format for the whole session).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from conftest import require_tool

from fazhi_desktop.errors import FileLockedError
from fazhi_desktop.io import atomic
from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx
from fazhi_desktop.io.xlsx.ledger_writer import DATE_FORMAT, HEADERS, export_xlsx
from fazhi_desktop.models.records import LedgerRecord, TaskRecord
from fazhi_desktop.models.status import COLOUR_FILL, Colour, Status

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_xlsx_fixtures import soffice_convert

FORMULA_LIKE = ("=已完成80%", "+1", "-", "@abc", "=SUM(A1)", "#N/A", "-1+2")
LONG_PROGRESS = (
    "按照市司法局统一部署，对现有行政执法权责进行全面梳理，重新制定并公布权责清单、岗责体系及"
    "行政执法流程图，依法确认并公告本级行政执法主体；持续推行行政执法公示制度、执法全过程记录"
    "制度、重大执法决定法制审核制度，确保行政执法行为合法有效。"
) * 2


def task(n: int, **changes: object) -> TaskRecord:
    base = TaskRecord(
        id=n, position=n, seq=str(n), title=f"第{n}项任务：完善政府立法程序", deadline_text="10.31",
        deadline=dt.date(2020, 10, 31), progress="已召开专题会议", progress_period="2020-09",
        department="政法科", partners="", owner="艾延坤", note="", done=False, done_on=None,
        status=Status.IN_PROGRESS, colour=Colour.NONE,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def ledger(*tasks: TaskRecord, **changes: object) -> LedgerRecord:
    base = LedgerRecord(
        id=1, title="落实《濮阳市人民政府2020年法治政府建设冲刺方案》工作台账", year=2020,
        unit="濮阳市科学技术局", issuer="", reporter="张三", phone="0393-6666209",
        mailbox="6666209@163.com", notes="1.各责任单位每月30日前填报进展情况。\n\n2.请按时报送。",
        short_title="冲刺台账", generated_on=dt.date(2020, 9, 28), tasks=tasks,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def varied_tasks() -> tuple[TaskRecord, ...]:
    return (
        task(1),
        task(2, deadline=None, deadline_text="长期坚持", progress=LONG_PROGRESS),
        task(3, partners="发财科、办公室", owner="王群才 马红霞", note="重点督办",
             deadline=dt.date(2021, 6, 30), deadline_text="2021年6月底前",
             progress="第一阶段完成。\n第二阶段推进中。", status=Status.DONE, colour=Colour.DONE,
             done=True),
        task(4, progress="", department="", owner="", status=Status.OVERDUE,
             colour=Colour.OVERDUE),
        task(5, seq="（五）", title="加强规范性文件监督管理", status=Status.DONE_LATE,
             colour=Colour.DONE_LATE, done=True),
        task(6, colour=Colour.DUE_SOON, deadline=dt.date(2020, 9, 30), deadline_text="9月底"),
    )  # fmt: skip


def formula_tasks() -> tuple[TaskRecord, ...]:
    return tuple(
        task(i, progress=text, note=text, owner=text)
        for i, text in enumerate(FORMULA_LIKE, start=1)
    )


# ---------------------------------------------------------------------------------------------
# Layout, read back by openpyxl


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    target = tmp_path / "台账.xlsx"
    export_xlsx(ledger(*varied_tasks()), target)
    return target


def test_title_info_line_and_header(exported: Path) -> None:
    ws = openpyxl.load_workbook(exported).active
    assert ws.title == "冲刺台账"
    assert ws["A1"].value == "落实《濮阳市人民政府2020年法治政府建设冲刺方案》工作台账"
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.size >= 16
    info = ws["A2"].value
    for part in ("填报单位：濮阳市科学技术局", "填报人：张三", "联系电话：0393-6666209",
                 "填报时间：2020年9月28日"):  # fmt: skip
        assert part in info
    assert info.index("填报单位") < info.index("填报人") < info.index("填报时间")
    header = [c.value for c in ws[3]]
    assert tuple(header) == HEADERS == ("序号", "主要任务", "完成时间", "进展情况", "责任科室",
                                        "责任人", "备注")  # fmt: skip
    for cell in ws[3]:
        assert cell.font.b
        assert cell.alignment.horizontal == "center"
        assert cell.border.left.style == cell.border.bottom.style == "thin"


def test_data_cells_dates_and_styles(exported: Path) -> None:
    ws = openpyxl.load_workbook(exported).active
    rows = list(ws.iter_rows(min_row=4, max_row=9))
    assert [r[0].value for r in rows[:4]] == [1, 2, 3, 4]  # numbers, not text
    assert rows[4][0].value == "（五）"
    first = rows[0]
    assert first[2].value == dt.datetime(2020, 10, 31)
    assert first[2].number_format == DATE_FORMAT
    assert rows[1][2].value == "长期坚持" and rows[1][2].data_type == "s"
    assert rows[2][6].value == "重点督办\n配合单位：发财科、办公室"
    for row in rows:
        for cell in row:
            assert cell.border.top.style == "thin"
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top"


def test_row_heights_show_the_wrapped_text(exported: Path) -> None:
    ws = openpyxl.load_workbook(exported).active
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFG"}
    # A4 landscape is 297 mm; inside 1.5 in of margins about 10.2 in = 980 px at 96 dpi.
    total_px = sum(w * 7 + 5 for w in widths.values())
    assert 900 <= total_px <= 1000
    # 11 pt CJK characters are 14.7 px wide, so the 进展情况 column holds at most this many:
    per_line = math.floor((widths["D"] * 7 + 5) / (11 * 96 / 72))
    needed_lines = math.ceil(len(LONG_PROGRESS) / per_line)
    long_row = ws.row_dimensions[5].height
    assert long_row >= needed_lines * 11 * 1.2
    assert long_row <= 409
    assert ws.row_dimensions[4].height < 40  # one short line stays a short row
    assert ws.row_dimensions[6].height >= 2 * 11 * 1.2  # two paragraphs in 进展情况


def test_print_setup_and_frozen_header(exported: Path) -> None:
    ws = openpyxl.load_workbook(exported).active
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.page_margins.left > ws.page_margins.right  # binding margin
    assert ws.freeze_panes == "A4"


def test_notes_lines_under_the_table(exported: Path) -> None:
    ws = openpyxl.load_workbook(exported).active
    last_task_row = 3 + len(varied_tasks())
    below = [ws.cell(row=r, column=1).value for r in range(last_task_row + 1, ws.max_row + 1)]
    assert below == [
        "说明：1.各责任单位每月30日前填报进展情况。",
        "2.请按时报送。",
        "电子版发送至邮箱：6666209@163.com。",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"A{last_task_row + 1}:G{last_task_row + 1}" in merged


def test_status_column_is_filled_with_the_window_colours(tmp_path: Path) -> None:
    target = tmp_path / "status.xlsx"
    export_xlsx(ledger(*varied_tasks()), target, status_column=True)
    ws = openpyxl.load_workbook(target).active
    assert [c.value for c in ws[3]] == [*HEADERS, "状态"]
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    for row, record in zip(ws.iter_rows(min_row=4, max_row=9), varied_tasks(), strict=True):
        cell = row[7]
        assert cell.value == record.status.value
        expected = COLOUR_FILL[record.colour]
        if expected is None:
            assert cell.fill.fill_type is None
        else:
            assert cell.fill.fill_type == "solid"
            assert cell.fill.fgColor.rgb[-6:] == expected.lstrip("#").upper()


def test_typed_text_never_becomes_a_formula(tmp_path: Path) -> None:
    target = tmp_path / "formula.xlsx"
    export_xlsx(ledger(*formula_tasks()), target)
    with zipfile.ZipFile(target) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = openpyxl.load_workbook(target).active
    for row, text in zip(ws.iter_rows(min_row=4), FORMULA_LIKE, strict=False):
        for cell in (row[3], row[5], row[6]):
            assert cell.value == text
            assert cell.data_type == "s"


def test_control_characters_from_word_are_dropped(tmp_path: Path) -> None:
    target = tmp_path / "ctrl.xlsx"
    export_xlsx(ledger(task(1, progress="第一段\x0b第二段\x07完成\r\n下一行")), target)
    ws = openpyxl.load_workbook(target).active
    assert ws["D4"].value == "第一段第二段完成\n下一行"


def test_empty_ledger_and_blank_fields_still_make_a_form(tmp_path: Path) -> None:
    target = tmp_path / "empty.xlsx"
    export_xlsx(ledger(unit="", reporter="", phone="", notes="", mailbox=""), target)
    ws = openpyxl.load_workbook(target).active
    assert ws["A2"].value.startswith("填报单位：\u3000")
    assert ws["A4"].value == "说明：各责任单位每月30日前填报进展情况。"


def test_locked_target_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old contents")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "being used by another process")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(FileLockedError, match=r"台账\.xlsx"):
        export_xlsx(ledger(task(1)), target)
    assert target.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


# ---------------------------------------------------------------------------------------------
# Round trip


def test_round_trip_gives_back_tasks_people_and_dates(tmp_path: Path) -> None:
    target = tmp_path / "trip.xlsx"
    original = ledger(*varied_tasks())
    export_xlsx(original, target, status_column=True)
    draft = read_ledger_xlsx(target)
    assert_same_ledger(original, draft)


def assert_same_ledger(original: LedgerRecord, draft: object) -> None:
    from fazhi_desktop.models.records import LedgerDraft

    assert isinstance(draft, LedgerDraft)
    assert draft.title == original.title
    assert draft.year == original.year
    assert (draft.unit, draft.reporter, draft.phone) == (
        original.unit, original.reporter, original.phone)  # fmt: skip
    assert draft.mailbox == original.mailbox
    assert draft.notes.splitlines()[: len(original.notes_lines())] == original.notes_lines()
    assert draft.short_title == original.short_title
    assert draft.period == "2020-09"  # from 填报时间
    assert len(draft.tasks) == len(original.tasks)
    for got, want in zip(draft.tasks, original.tasks, strict=True):
        assert got.seq == want.seq
        assert got.title == want.title
        assert got.deadline == want.deadline
        if want.deadline is None:
            assert got.deadline_text == want.deadline_text
        assert got.progress == want.progress
        assert got.department == want.department
        assert got.partners == want.partners
        assert got.owner == want.owner
        assert got.note == want.note
    assert not [w for w in draft.warnings if "行" in w]


# ---------------------------------------------------------------------------------------------
# LibreOffice: opens without complaint, prints, keeps text as text


@pytest.fixture(scope="session")
def lo_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    require_tool("soffice")
    work = tmp_path_factory.mktemp("lo-export")
    sources = {
        "varied": work / "varied.xlsx",
        "formula": work / "formula.xlsx",
        "long": work / "long.xlsx",
    }
    export_xlsx(ledger(*varied_tasks()), sources["varied"], status_column=True)
    export_xlsx(ledger(*formula_tasks()), sources["formula"])
    many = tuple(task(i, progress=LONG_PROGRESS if i % 3 == 0 else "推进中") for i in range(1, 81))
    export_xlsx(ledger(*many), sources["long"])
    files = list(sources.values())
    profile = work / "profile"
    pdfs = soffice_convert(files, work / "pdf", "pdf", profile)
    csvs = soffice_convert(files, work / "csv", "csv:Text - txt - csv (StarCalc):44,34,76", profile)
    xlsxs = soffice_convert(files, work / "xlsx", "xlsx:Calc MS Excel 2007 XML", profile)
    return {
        name: {"source": src, "pdf": pdf, "csv": csv_, "xlsx": xlsx}
        for (name, src), pdf, csv_, xlsx in zip(sources.items(), pdfs, csvs, xlsxs, strict=True)
    }


def _pdftext(pdf: Path, *args: str) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run(
        [tool, "-layout", *args, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.slow
def test_libreoffice_prints_the_sheet(lo_outputs: dict[str, dict[str, Path]]) -> None:
    text = _pdftext(lo_outputs["varied"]["pdf"])
    assert "落实《濮阳市人民政府2020年法治政府建设冲刺方案》工作台账" in text
    assert "2020年10月31日" in text and "长期坚持" in text
    assert "第1页共1页" in text.replace(" ", "")
    info = subprocess.run(
        [require_tool("pdfinfo"), str(lo_outputs["varied"]["pdf"])],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape


@pytest.mark.slow
def test_libreoffice_repeats_the_header_on_every_page(
    lo_outputs: dict[str, dict[str, Path]],
) -> None:
    pdf = lo_outputs["long"]["pdf"]
    info = subprocess.run(
        [require_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    pages = int(info.split("Pages:")[1].split()[0])
    assert pages >= 3
    for page in range(1, pages + 1):
        text = _pdftext(pdf, "-f", str(page), "-l", str(page))
        assert "主要任务" in text and "进展情况" in text
        assert f"第{page}页共{pages}页" in text.replace(" ", "")
    # Every long progress text is printed to its end: the row heights were big enough.
    whole = _pdftext(pdf).replace(" ", "").replace("\n", "")
    assert whole.count("确保行政执法行为合法有效。") == 2 * len(range(3, 81, 3))


@pytest.mark.slow
def test_libreoffice_keeps_formula_like_text(lo_outputs: dict[str, dict[str, Path]]) -> None:
    with lo_outputs["formula"]["csv"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows.index(list(HEADERS))
    data = rows[header + 1 : header + 1 + len(FORMULA_LIKE)]
    assert [r[3] for r in data] == list(FORMULA_LIKE)
    assert [r[5] for r in data] == list(FORMULA_LIKE)
    assert "Err:" not in lo_outputs["formula"]["csv"].read_text(encoding="utf-8")
    text = _pdftext(lo_outputs["formula"]["pdf"])
    for value in ("=已完成80%", "=SUM(A1)", "@abc", "#N/A"):
        assert value in text


@pytest.mark.slow
def test_round_trip_through_libreoffice(lo_outputs: dict[str, dict[str, Path]]) -> None:
    resaved = lo_outputs["varied"]["xlsx"]
    assert resaved.read_bytes() != lo_outputs["varied"]["source"].read_bytes()
    assert_same_ledger(ledger(*varied_tasks()), read_ledger_xlsx(resaved))


def test_xlsx_benchmark_runs_on_a_small_ledger(tmp_path: Path) -> None:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_xlsx.py"
    spec = importlib.util.spec_from_file_location("bench_xlsx_under_test", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.run(40, work_dir=tmp_path, repeat=1)
    assert figures["n_tasks"] == 40
    for key in ("export_ratio", "import_ratio", "export_peak_mb", "import_peak_mb"):
        assert math.isfinite(figures[key]) and figures[key] > 0
