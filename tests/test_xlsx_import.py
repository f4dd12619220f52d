"""Reading real-world 台账 workbooks: layouts, merged cells, dates, traditional text, bad files.

Fixtures are built by tests/fixtures/make_xlsx_fixtures.py with openpyxl at test time; the
``*_lo.xlsx`` / ``.xls`` / ``password.*`` files next to it were saved by LibreOffice (and
msoffcrypto-tool for the encrypted .xlsx), and one more LibreOffice conversion runs here.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import require_tool

from fazhi_desktop.errors import FazhiError, InputFileError
from fazhi_desktop.io.xlsx.columns import Field, field_of
from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx
from fazhi_desktop.models.records import LedgerDraft

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import make_xlsx_fixtures as fx  # noqa: E402


def _tasks_summary(draft: LedgerDraft) -> list[tuple[object, ...]]:
    return [
        (t.seq, t.title, t.deadline, t.department, t.partners, t.owner, t.progress, t.note,
         tuple(t.requirements))
        for t in draft.tasks
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The 004 notice's 台账, as pasted from Word


def _check_notice_004(draft: LedgerDraft) -> None:
    assert draft.title == fx.TITLE_004
    assert draft.year == 2020
    assert [t.seq for t in draft.tasks] == [str(n) for n in range(1, 18)]
    assert [t.title for t in draft.tasks] == [row[1] for row in fx.TASKS_004]
    assert [t.department for t in draft.tasks] == [row[2] for row in fx.TASKS_004]
    assert [t.owner for t in draft.tasks] == [row[3] for row in fx.TASKS_004]
    assert {t.deadline for t in draft.tasks} == {dt.date(2020, 10, 31)}
    assert {t.deadline_text for t in draft.tasks} == {"10.31"}
    assert all(t.progress == "" and t.note == "" for t in draft.tasks)
    # The 说明 lines are notes, not tasks; the mailbox comes out of them.
    assert draft.notes.splitlines() == [fx.NOTES_004[0].removeprefix("说明:"), *fx.NOTES_004[1:]]
    assert draft.mailbox == fx.MAILBOX_004
    assert draft.unit == ""
    assert draft.warnings == []


@pytest.mark.parametrize("source", ["openpyxl", "libreoffice"])
def test_notice_004_with_repeated_titles_and_headers(tmp_path: Path, source: str) -> None:
    if source == "openpyxl":
        path = fx.build_notice_004(tmp_path / "台账.xlsx")
    else:
        path = FIXTURES / "notice_004_lo.xlsx"
    _check_notice_004(read_ledger_xlsx(path))


def test_unit_argument_overrides_the_file(tmp_path: Path) -> None:
    draft = read_ledger_xlsx(FIXTURES / "merged_lo.xlsx", unit="区司法局办公室")
    assert draft.unit == "区司法局办公室"
    assert draft.source == str(FIXTURES / "merged_lo.xlsx")


@pytest.mark.parametrize("source", ["openpyxl", "libreoffice"])
def test_traditional_characters_and_full_width_digits(tmp_path: Path, source: str) -> None:
    if source == "openpyxl":
        path = fx.build_notice_004(tmp_path / "繁體.xlsx", traditional=True)
    else:
        path = FIXTURES / "notice_004_trad_lo.xlsx"
    draft = read_ledger_xlsx(path)
    assert draft.year == 2020
    assert len(draft.tasks) == 17
    assert {t.deadline for t in draft.tasks} == {dt.date(2020, 10, 31)}
    # Text is kept as the office wrote it; only matching is done on normalised text.
    assert draft.tasks[3].department == "辦公室"
    assert draft.tasks[7].owner == "王羣才 馬紅霞"
    assert draft.mailbox == "6666209@163.com"
    assert draft.notes.startswith("１．各責任單位")
    assert len(draft.notes.splitlines()) == 3


# ---------------------------------------------------------------------------------------------
# Synonym headers in another order, merged cells, dates of every kind


MERGED_EXPECTED = [
    ("1", "完善依法行政制度体系", dt.date(2021, 6, 30), "法制科", "办公室", "张伟",
     "已完成立法计划起草", "联系电话：13800000001", ("1.制定年度立法计划", "2.开展规章清理")),
    ("2", "推进严格规范公正文明执法", dt.date(2021, 9, 30), "法制科", "市场监管局", "王芳",
     "正在推进", "", ("落实行政执法三项制度",)),
    ("3", "加强行政复议应诉工作", dt.date(2021, 9, 30), "复议科", "", "赵敏", "=已办结5件", "",
     ()),
    ("4", "深化普法宣传", None, "复议科", "宣传科", "钱多", "-", "", ()),
    ("5", "完成法治政府建设年度报告", dt.date(2021, 9, 30), "复议科", "", "孙丽", "+1", "", ()),
]  # fmt: skip


@pytest.mark.parametrize("source", ["openpyxl", "libreoffice", "xls"])
def test_merged_cells_synonyms_and_dates(tmp_path: Path, source: str) -> None:
    path = {
        "openpyxl": lambda: fx.build_merged(tmp_path / "merged.xlsx"),
        "libreoffice": lambda: FIXTURES / "merged_lo.xlsx",
        "xls": lambda: FIXTURES / "merged.xls",
    }[source]()
    draft = read_ledger_xlsx(path)
    assert _tasks_summary(draft) == MERGED_EXPECTED
    assert [t.deadline_text for t in draft.tasks] == [
        "2021年6月30日", "2021年9月底前", "2021.9.30", "长期坚持", "9月底"]  # fmt: skip
    assert draft.title == fx.MERGED_TITLE and draft.year == 2021
    assert (draft.unit, draft.reporter, draft.phone) == ("武昌区司法局", "李四", "027-88886666")
    assert draft.period == "2021-05"
    assert draft.mailbox == "wcsfj@163.com"
    assert draft.short_title == "2021年台账"
    assert draft.notes.splitlines()[0] == "1.请于每月25日前报送进展情况至 wcsfj@163.com。"
    unknown = [w for w in draft.warnings if "联系电话" in w]
    assert len(unknown) == 1 and "第I列" in unknown[0] and "备注" in unknown[0]
    assert len(draft.warnings) == 1


def test_header_on_row_5_with_numbers_serials_and_sections(tmp_path: Path) -> None:
    for path in (fx.build_header_row5(tmp_path / "row5.xlsx"), FIXTURES / "header_row5_lo.xlsx"):
        draft = read_ledger_xlsx(path)
        assert draft.title == fx.ROW5_TITLE and draft.year == 2022
        assert draft.unit == "某县人民政府办公室"
        assert draft.period == "2022-07"
        assert [t.seq for t in draft.tasks] == ["1", "2", "3", "4", "5", "6"]
        assert [t.deadline for t in draft.tasks] == [
            dt.date(2022, 10, 31),  # 10.31 typed as a number
            dt.date(2022, 6, 30),  # 6.30 typed, stored 6.3, shown with two decimals
            dt.date(2022, 12, 31),
            dt.date(2022, 9, 30),  # a date pasted as its serial number 44834
            dt.date(2022, 6, 30),
            dt.date(2022, 12, 31),  # 下半年
        ]
        assert draft.tasks[2].progress == "80"
        assert draft.tasks[4].note == "重点督办"
        assert {t.section for t in draft.tasks} == {"一、依法全面履行政府职能"}
        assert draft.warnings == []


def _write(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for cell_range in merges:
        ws.merge_cells(cell_range)
    wb.save(path)
    return path


def test_year_missing_from_title_uses_default_year_or_warns(tmp_path: Path) -> None:
    path = _write(tmp_path / "noyear.xlsx", [
        ["法治政府建设工作台账"],
        ["序号", "主要任务", "完成时间", "责任科室"],
        [1, "任务甲", "10.31", "办公室"],
        [2, "任务乙", "长期坚持", "办公室"],
    ])  # fmt: skip
    without = read_ledger_xlsx(path)
    assert without.year is None
    assert without.tasks[0].deadline is None and without.tasks[0].deadline_text == "10.31"
    assert len(without.warnings) == 1 and "年份" in without.warnings[0]
    with_year = read_ledger_xlsx(path, default_year=2023)
    assert with_year.year == 2023
    assert with_year.tasks[0].deadline == dt.date(2023, 10, 31)
    assert with_year.tasks[1].deadline is None
    assert with_year.warnings == []


def test_unreadable_deadline_is_kept_as_text_and_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "odd.xlsx", [
        ["2021年工作台账"],
        ["序号", "主要任务", "完成时间"],
        [1, "任务甲", "待定"],
        [2, "任务乙", "6月31日"],
    ])  # fmt: skip
    draft = read_ledger_xlsx(path)
    assert [(t.deadline_text, t.deadline) for t in draft.tasks] == [
        ("待定", None), ("6月31日", None)]  # fmt: skip
    assert len(draft.warnings) == 2
    assert "第 3 行" in draft.warnings[0] and "待定" in draft.warnings[0]


def test_two_row_header_and_continuation_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "two.xlsx",
        [
            ["2021年台账"],
            ["序号", "主要任务", "责任单位", None, "完成时限"],
            [None, None, "牵头单位", "配合单位", None],
            [1, "任务甲", "法制科", "办公室", "2021年12月"],
            [None, None, None, None, None],
            [None, None, "", "财务科", None],
        ],
        merges=("C2:D2", "A2:A3", "B2:B3", "E2:E3"),
    )
    draft = read_ledger_xlsx(path)
    assert len(draft.tasks) == 1
    only = draft.tasks[0]
    assert (only.department, only.partners) == ("法制科", "办公室\n财务科")
    assert only.deadline == dt.date(2021, 12, 31)
    assert any("第 6 行" in w and "并入上一项任务" in w for w in draft.warnings)


def test_the_ledger_sheet_is_found_among_others(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "封面"
    cover.append(["关于报送法治政府建设工作台账的说明"])
    for name in ("1月", "2月"):
        ws = wb.create_sheet(name)
        ws.append(["序号", "工作任务", "推进情况"])
        ws.append([1, "任务甲", f"{name}进展"])
    wb.active = 2
    path = tmp_path / "sheets.xlsx"
    wb.save(path)
    draft = read_ledger_xlsx(path)
    assert [t.progress for t in draft.tasks] == ["2月进展"]  # the sheet the file opens on
    assert any("“1月”" in w for w in draft.warnings)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("主要任务", Field.TITLE), ("重点任务", Field.TITLE), ("任务名称", Field.TITLE),
        ("工作任务", Field.TITLE), ("具体措施", Field.REQUIREMENTS),
        ("任务要求", Field.REQUIREMENTS), ("工作措施", Field.REQUIREMENTS),
        ("完成时限", Field.DEADLINE), ("时间节点", Field.DEADLINE),
        ("完成时间\n（时间节点）", Field.DEADLINE), ("推进情况", Field.PROGRESS),
        ("工作进展", Field.PROGRESS), ("落实情况", Field.PROGRESS), ("完成情况", Field.PROGRESS),
        ("责任单位", Field.DEPARTMENT), ("牵头单位", Field.DEPARTMENT),
        ("责任部门", Field.DEPARTMENT),
        ("配合单位", Field.PARTNERS), ("协办单位", Field.PARTNERS), ("联系人", Field.OWNER),
        ("责任人（签字）", Field.OWNER), ("具体责任人", Field.OWNER), ("备  注", Field.NOTE),
        ("序 號", Field.SEQ), ("責任單位", Field.DEPARTMENT), ("進展情況", Field.PROGRESS),
        ("联系电话", None), ("说明：各单位每月30日前填报进展情况", None), ("工作台账", None),
    ],
)  # fmt: skip
def test_header_synonyms(header: str, expected: Field | None) -> None:
    assert field_of(header) is expected


# ---------------------------------------------------------------------------------------------
# Bad input: a clear Chinese message, fast, with little memory


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    tmp.mkdir(parents=True, exist_ok=True)
    empty = tmp / "空文件.xlsx"
    empty.write_bytes(b"")
    text = tmp / "文本.xlsx"
    text.write_text("序号,主要任务,完成时间\n1,完善政府立法程序,10.31\n", encoding="gbk")
    html = tmp / "系统导出.xls"
    html.write_text("<html><body><table><tr><td>序号</td></tr></table></body></html>")
    truncated = tmp / "半截.xlsx"
    truncated.write_bytes(fx.build_merged(tmp / "whole.xlsx").read_bytes()[:3000])
    no_header = _write(tmp / "无表头.xlsx", [["姓名", "年龄"], ["张三", 30]])
    return {
        "empty": (empty, "空的"),
        "text": (text, "文本文件"),
        "html": (html, "网页"),
        "docx": (fx.build_docx_renamed(tmp / "通知.xlsx"), "Word"),
        "truncated": (truncated, "损坏"),
        "password_xlsx": (FIXTURES / "password.xlsx", "密码"),
        "password_xls": (FIXTURES / "password.xls", "密码"),
        "no_header": (no_header, "表头"),
        "missing": (tmp / "不存在.xlsx", "不存在"),
    }


@pytest.mark.parametrize(
    "kind",
    ["empty", "text", "html", "docx", "truncated", "password_xlsx", "password_xls", "no_header",
     "missing"],
)  # fmt: skip
def test_bad_files_are_refused_with_a_clear_message(tmp_path: Path, kind: str) -> None:
    path, words = _bad_files(tmp_path)[kind]
    with pytest.raises(InputFileError) as raised:
        read_ledger_xlsx(path)
    message = str(raised.value)
    assert path.name in message
    assert words in message
    assert isinstance(raised.value, FazhiError)


def test_zip_bomb_is_refused_fast_and_small(tmp_path: Path) -> None:
    bomb = fx.build_zip_bomb(tmp_path / "炸弹.xlsx", inflated_mb=400)
    assert bomb.stat().st_size < 2 * 2**20
    with zipfile.ZipFile(bomb) as archive:  # it really does inflate to 400 MB
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 400 * 2**20
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(InputFileError, match=r"炸弹\.xlsx.*压缩炸弹"):
        read_ledger_xlsx(bomb)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 5 * 2**20


def test_real_xls_with_the_wrong_extension_is_still_read(tmp_path: Path) -> None:
    renamed = tmp_path / "旧台账.xlsx"
    renamed.write_bytes((FIXTURES / "merged.xls").read_bytes())
    assert _tasks_summary(read_ledger_xlsx(renamed)) == MERGED_EXPECTED


# ---------------------------------------------------------------------------------------------
# Files saved by LibreOffice now, from this run's openpyxl builds


@pytest.fixture(scope="session")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_tool("soffice")
    work = tmp_path_factory.mktemp("lo-import")
    built = [
        fx.build_notice_004(work / "notice.xlsx"),
        fx.build_merged(work / "merged.xlsx"),
        fx.build_header_row5(work / "row5.xlsx"),
    ]
    out = fx.soffice_convert(built, work / "out", "xlsx:Calc MS Excel 2007 XML", work / "profile")
    return {p.stem: p for p in out}


@pytest.mark.slow
def test_fresh_libreoffice_copies_read_like_the_originals(
    resaved: dict[str, Path], tmp_path: Path
) -> None:
    _check_notice_004(read_ledger_xlsx(resaved["notice"]))
    assert _tasks_summary(read_ledger_xlsx(resaved["merged"])) == MERGED_EXPECTED
    original = read_ledger_xlsx(fx.build_header_row5(tmp_path / "row5.xlsx"))
    assert _tasks_summary(read_ledger_xlsx(resaved["row5"])) == _tasks_summary(original)


def test_note_line_inside_the_table_and_many_unknown_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "mid.xlsx", [
        ["2021年法治政府建设工作台账"],
        ["序号", "主要任务", "完成时间", "进展情况", "考核分值", "佐证材料", "问题", "整改"],
        [1, "任务甲", "6月底", "完成", 5, "会议纪要", None, None],
        ["注：以下为第二批任务"],
        [2, "任务乙", "9月底", "推进中", 3, None, "进度慢", "加快"],
        [None, "建立健全工作台账制度"],
    ])  # fmt: skip
    draft = read_ledger_xlsx(path)
    assert [t.title for t in draft.tasks] == ["任务甲", "任务乙", "建立健全工作台账制度"]
    assert draft.tasks[0].note == "考核分值：5\n佐证材料：会议纪要"
    assert draft.tasks[1].note == "考核分值：3\n问题：进度慢\n整改：加快"
    assert draft.notes == "注：以下为第二批任务"
    assert sum("不是台账的已知栏目" in w for w in draft.warnings) == 4
