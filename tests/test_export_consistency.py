"""The Excel and the PDF of one ledger show the same columns, dates and header (issue 16, 13).

Both files come from the CLI with the user's settings and are read back by independent tools:
openpyxl for the workbook, poppler's pdftotext for the PDF.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, require_tool
from openpyxl import load_workbook

from fazhi_desktop.cli import main as cli_main
from fazhi_desktop.settings import AppSettings


def _exports(demo_db: Path, tmp_path: Path) -> tuple[list[str], str, str]:
    """(the workbook's cell texts, the PDF's text with the spaces squeezed out, as read)."""
    base = ["--db", str(demo_db), "--today", TODAY.isoformat()]
    xlsx, pdf = tmp_path / "台账.xlsx", tmp_path / "台账.pdf"
    assert cli_main([*base, "export-xlsx", "-o", str(xlsx)]) == 0
    assert cli_main([*base, "export-pdf", "-o", str(pdf)]) == 0
    sheet = load_workbook(xlsx).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    texts = [
        c.value.strftime("%Y年%-m月%-d日") if hasattr(c.value, "strftime") else str(c.value)
        for c in cells
    ]
    out = subprocess.run(
        [require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return texts, re.sub(r"\s+", "", out), out


@pytest.mark.parametrize("status", [False, True])
def test_pdf_and_excel_have_one_column_set_dates_and_header(
    demo_db: Path, tmp_path: Path, status: bool
) -> None:
    AppSettings(xlsx_status_column=status).save()
    texts, pdf, raw = _exports(demo_db, tmp_path)
    # 状态: in both or in neither, by the one setting.
    assert ("状态" in texts) is status
    assert ("状态" in pdf) is status
    # The header line names the same things in both.
    info = next(t for t in texts if t.startswith("填报单位"))
    for label in ("填报单位：", "填报人：", "联系电话：", "填报时间："):
        assert label in info and label in pdf
    # Every date the workbook shows, the PDF shows alike (not “11.10” against “2026年11月10日”).
    dates = {t for t in texts if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", t)}
    assert dates
    for day in dates:
        assert day in pdf
        assert day in raw, f"{day} is broken over two lines in the PDF"


def test_signature_line_is_on_by_default(demo_db: Path, tmp_path: Path) -> None:
    assert AppSettings().pdf_signature_line
    _texts, pdf, _raw = _exports(demo_db, tmp_path)
    assert "审核人：" in pdf and "日期：" in pdf
