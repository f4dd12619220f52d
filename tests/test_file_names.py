"""One file-name rule for every name the program proposes (报送 attachment, 汇总 export)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fazhi_desktop.file_names import (
    ELLIPSIS,
    MAX_NAME_BYTES,
    safe_file_name,
    shorten,
    split_suffix,
    with_suffix,
)
from fazhi_desktop.models.summary_records import SummaryFigures, SummarySnapshot
from fazhi_desktop.services import submit, summary_export

LONG_UNIT = "濮阳市人民政府办公室法治政府建设工作领导小组" * 4
LONG_TITLE = "落实《濮阳市人民政府2026年法治政府建设实施方案》工作台账" * 5


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("甲局-台账-2026年11月进展.xlsx", "甲局-台账-2026年11月进展.xlsx"),
        ('市委/市政府:"法治"办?-台账*<1>|.xlsx', "市委_市政府__法治_办_-台账__1__.xlsx"),
        ("台账. ", "台账"),
        ("CON.xlsx", "_CON.xlsx"),
        ("com1 .pdf", "_com1 .pdf"),
        ("NUL", "_NUL"),
        ("CONSOLE.xlsx", "CONSOLE.xlsx"),
        ("tab\there", "tab_here"),
        ("...", "_"),
    ],
)
def test_safe_file_name(raw: str, safe: str) -> None:
    assert safe_file_name(raw) == safe


def _bytes(name: str) -> int:
    return len(name.encode("utf-8"))


def test_long_name_loses_the_middle_never_the_suffix(tmp_path: Path) -> None:
    raw = f"{LONG_UNIT}-台账-2026年11月进展.xlsx"
    assert _bytes(raw) > MAX_NAME_BYTES
    name = safe_file_name(raw)
    assert MAX_NAME_BYTES - 3 <= _bytes(name) <= MAX_NAME_BYTES
    head, _, tail = name.partition(ELLIPSIS)
    assert raw.startswith(head) and len(head) > 20
    assert tail.endswith("2026年11月进展.xlsx") and raw.endswith(tail)
    # The file system takes it (ext4 counts bytes, like the limit).
    (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_shorten_keeps_short_names_and_cuts_whole_characters() -> None:
    assert shorten("台账.xlsx") == "台账.xlsx"
    cut = shorten("甲" * 100 + ".pdf", limit=20)
    assert cut == "甲甲" + ELLIPSIS + "甲甲.pdf" and _bytes(cut) <= 20
    assert shorten("a" * 300, limit=10) == "aaaa" + ELLIPSIS + "aaa"
    with pytest.raises(ValueError):
        shorten("甲" * 10 + ".xlsx", limit=6)


def test_a_dot_in_the_title_is_not_a_suffix() -> None:
    assert split_suffix("2026.11进展") == ("2026.11进展", "")
    assert split_suffix("2026.11进展.xlsx") == ("2026.11进展", ".xlsx")
    assert split_suffix(".xlsx") == (".xlsx", "")
    assert with_suffix(Path("out/2026.11进展"), ".xlsx") == Path("out/2026.11进展.xlsx")
    assert with_suffix(Path("out/台账.XLSX"), ".xlsx") == Path("out/台账.XLSX")
    assert with_suffix(Path("台账.pdf"), ".xlsx") == Path("台账.pdf.xlsx")


def test_submission_name_fits_and_keeps_the_period() -> None:
    name = submit.standard_file_name(LONG_UNIT, "冲刺台账", "2026年11月")
    assert _bytes(name) <= MAX_NAME_BYTES
    assert name.startswith(LONG_UNIT[:20]) and name.endswith("2026年11月进展.xlsx")


def test_summary_export_name_is_safe_and_fits() -> None:
    snap = SummarySnapshot(
        ledger_id=1, title=f"{LONG_TITLE}/市直（汇总）", unit="市司法局", period="2026-11",
        period_label="2026年11月", due=dt.date(2026, 12, 5), generated_on=dt.date(2026, 12, 10),
        expected_units=0, counts=(), tasks=(), chase=(), figures=SummaryFigures((), (), ()),
    )  # fmt: skip
    name = summary_export.file_name(snap, ".pdf")
    assert _bytes(name) <= MAX_NAME_BYTES and "/" not in name
    assert name.endswith("-2026年11月汇总.pdf") and name.startswith(LONG_TITLE[:20])
