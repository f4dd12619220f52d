"""The one row-packing rule of the PDF exports, checked on the laid-out pages of both reports.

A long row splits across pages only so that each part keeps at least ``MIN_SPLIT_LINES`` lines:
a row's last line must never stand alone at the top of the next page, in the 台账 or the 汇总.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from test_pdf_export import SENTENCES, make_ledger, make_task

from fazhi_desktop.io.pdf.fonts import find_fonts
from fazhi_desktop.io.pdf.layout import Faces, paginate
from fazhi_desktop.io.pdf.ledger_writer import load_faces
from fazhi_desktop.io.pdf.rows import MIN_SPLIT_LINES
from fazhi_desktop.io.pdf.summary_writer import summary_pages
from fazhi_desktop.models.status import Colour, Status
from fazhi_desktop.models.summary_records import (
    SummaryFigures,
    SummarySnapshot,
    SummaryTask,
    UnitLine,
)

TEXT = "".join(SENTENCES) * 12
# Half a line of the progress column at a time, so every split point on the page comes up.
LENGTHS = range(800, 2200, 26)


@pytest.fixture(scope="module")
def faces() -> Faces:
    return load_faces(find_fonts())


def _snapshot(progress: str) -> SummarySnapshot:
    short = UnitLine("市委编办", "已召开专题会议。", Status.IN_PROGRESS, Colour.NONE)
    long = UnitLine("市司法局", progress, Status.IN_PROGRESS, Colour.NONE)
    task = SummaryTask("1", "推进执法重心下移", "10.31", None, (short, long))
    return SummarySnapshot(
        ledger_id=1, title="汇总台账", unit="市司法局", period="2026-11",
        period_label="2026年11月", due=dt.date(2026, 12, 5), generated_on=dt.date(2026, 12, 10),
        expected_units=2, counts=(("已报送", 2),), tasks=(task,), chase=(),
        figures=SummaryFigures((), (), ()),
    )  # fmt: skip


def _parts(slices: list[tuple[int, int, int, int]]) -> dict[int, list[tuple[int, int, int]]]:
    """Row id → its (page, start, end) slices."""
    parts: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for row, page, start, end in slices:
        parts[row].append((page, start, end))
    return parts


def _assert_no_lone_lines(parts: dict[int, list[tuple[int, int, int]]]) -> int:
    split = 0
    for pieces in parts.values():
        if len(pieces) < 2:
            continue
        split += 1
        pages = [page for page, _s, _e in pieces]
        assert pages == sorted(set(pages)), "a row's parts must be on consecutive pages"
        for _page, start, end in pieces:
            assert end - start >= MIN_SPLIT_LINES, f"part of {end - start} line(s): {pieces}"
    return split


def test_summary_pdf_never_leaves_a_rows_last_lines_alone(faces: Faces) -> None:
    split = 0
    for length in LENGTHS:
        pages = summary_pages(_snapshot(TEXT[:length]), faces)
        slices = [
            (id(row), number, start, end)
            for number, page in enumerate(pages)
            for row, start, end in page.slices
        ]
        split += _assert_no_lone_lines(_parts(slices))
    assert split > 10, "the sweep must split the long row many times"


def test_ledger_pdf_never_leaves_a_rows_last_lines_alone(faces: Faces) -> None:
    split = 0
    for length in LENGTHS:
        ledger = make_ledger([make_task(1), make_task(2, progress=TEXT[:length])], notes="")
        pages = paginate(ledger, faces, signature_line=False)
        slices = [
            (id(piece.row), number, piece.start, piece.end)
            for number, page in enumerate(pages)
            for piece in page.slices
        ]
        split += _assert_no_lone_lines(_parts(slices))
    assert split > 10, "the sweep must split the long row many times"
