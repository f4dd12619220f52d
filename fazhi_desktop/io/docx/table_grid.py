"""Word tables as sheets of rows, so a 台账 kept in Word reads like one kept in Excel.

Many offices keep the 工作台账 itself as a Word table. Each table becomes one
:class:`SheetGrid` whose merged cells are reported the way Excel reports them: the text in the
first cell, the covered cells empty, the range in ``merges`` — so the 台账 reader's handling of
merged 主要任务 cells applies unchanged. The paragraphs just above a table (its title, the
填报单位 line) come first, as rows of one cell, as they would stand above an Excel table.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from fazhi_desktop.io.xlsx.grid import Merge, Row, SheetGrid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PREAMBLE_LINES = 6  # paragraphs above a table kept as its title block


def _text(element: Any) -> str:
    parts: list[str] = []
    for paragraph in element.iter(W + "p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == W + "t":
                pieces.append(node.text or "")
            elif node.tag in (W + "br", W + "cr"):
                pieces.append("\n")
            elif node.tag == W + "tab":
                pieces.append("\t")
        text = "".join(pieces).strip()
        if text:
            parts.append(text)
    return "\n".join(parts)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(W + tag) if element is not None else None
    return None if child is None else child.get(W + "val", "continue" if tag == "vMerge" else None)


def table_rows(tbl: Any) -> tuple[list[Row], list[Merge]]:
    """A ``w:tbl`` element's rows (1-based merges, as in a sheet) with merged cells undone."""
    rows: list[Row] = []
    merges: list[Merge] = []
    open_vertical: dict[int, int] = {}  # column → index into merges of the merge growing there
    for r, tr in enumerate(tbl.iterchildren(W + "tr"), start=1):
        row: Row = []
        tr_pr = tr.find(W + "trPr")
        before = _val(tr_pr, "gridBefore") if tr_pr is not None else None
        row.extend([None] * int(before or 0))
        for tc in tr.iterchildren(W + "tc"):
            tc_pr = tc.find(W + "tcPr")
            span = int(_val(tc_pr, "gridSpan") or 1)
            vmerge = _val(tc_pr, "vMerge") if tc_pr is not None else None
            column = len(row) + 1
            if vmerge == "continue" and column in open_vertical:
                first_row, c0, _last, c1 = merges[open_vertical[column]]
                merges[open_vertical[column]] = (first_row, c0, r, c1)
                row.extend([None] * span)
                continue
            open_vertical.pop(column, None)
            text = _text(tc)
            row.append(text or None)
            row.extend([None] * (span - 1))
            if vmerge == "restart" or span > 1:
                merges.append((r, column, r, column + span - 1))
                if vmerge == "restart":
                    open_vertical[column] = len(merges) - 1
        rows.append(row)
    return rows, merges


def _fixed(merges: list[Merge]) -> Callable[[], list[Merge]]:
    return lambda: merges


def docx_sheets(path: Path) -> Generator[SheetGrid]:
    """Each table of the .docx at ``path`` as a sheet, with the lines above it."""
    import docx

    document = docx.Document(str(path))
    above: list[str] = []
    count = 0
    for element in document.element.body.iterchildren():
        if element.tag == W + "p":
            text = _text(element)
            if text:
                above = [*above, text][-_PREAMBLE_LINES:]
            continue
        if element.tag != W + "tbl":
            continue
        count += 1
        rows, merges = table_rows(element)
        head: list[Row] = [[line] for line in above]
        shift = len(head)
        moved = [(r0 + shift, c0, r1 + shift, c1) for r0, c0, r1, c1 in merges]
        yield SheetGrid(f"表{count}", iter(head + rows), _fixed(moved))
        above = []
