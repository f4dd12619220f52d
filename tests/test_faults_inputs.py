"""Issue 15, hostile inputs: zip bombs in .docx, huge xlsx, malformed package parts, a batch
with one bad workbook. Each is refused with a Chinese message naming the file, nothing else."""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import pytest

from fazhi_desktop.cli import main as cli_main
from fazhi_desktop.errors import InputFileError
from fazhi_desktop.io.plan.source import read_plan_source
from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx
from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import consolidate, summary

sys.path.insert(0, str(Path(__file__).parent))
from hostile_files import docx_bomb, ledger_rows, row, shared_strings, workbook
from summary_returns import make_template, write_return

# --- 7. a .docx zip bomb is refused before python-docx inflates it -----------------------------


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = docx_bomb(tmp_path / "方案.docx", 12 * 1024 * 1024)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputFileError, match="压缩炸弹") as caught:
        read_plan_source(bomb)
    assert "方案.docx" in str(caught.value)


# --- 8. xlsx: shared strings and rows are capped -------------------------------------------------


def test_xlsx_with_more_than_50000_rows_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "huge.xlsx", ledger_rows(50_010))
    with pytest.raises(InputFileError, match="50,000 行") as caught:
        read_ledger_xlsx(path)
    assert "huge.xlsx" in str(caught.value) and "第 50001 行" in str(caught.value)


def test_xlsx_with_40_mb_of_shared_strings_is_refused(tmp_path: Path) -> None:
    # Random text compresses about 2:1: no zip bomb, yet openpyxl would hold it all in memory.
    path = workbook(tmp_path / "strings.xlsx", row(1, "序号", "工作任务"), shared_strings(40_000))
    with pytest.raises(InputFileError, match="异常巨大") as caught:
        read_ledger_xlsx(path)
    assert "sharedStrings.xml" in str(caught.value)


# --- 9. malformed package parts: exit 2 with the file named, no traceback ----------------------


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"])
def test_malformed_part_is_a_clean_refusal(
    tmp_path: Path, db_path: Path, part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_return(
        tmp_path / "good.xlsx",
        unit="市司法局",
        period="2026-11",
        rows=[("1", "任务", "进展")],
        filled_on=dt.date(2026, 11, 25),
    )
    bad = tmp_path / "坏的台账.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, b"<broken attr='1' <<" if info.filename == part else data)
    assert cli_main(["--db", str(db_path), "import-xlsx", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "坏的台账.xlsx" in err
    assert "Traceback" not in err and "XMLSyntaxError:" not in err
    assert not db_path.exists() or open_database(db_path).close() is None


# --- 10. consolidate goes on after one malformed workbook ---------------------------------------


def test_consolidate_imports_the_others_after_a_malformedworkbook(
    db_path: Path, tmp_path: Path
) -> None:
    units = ("市司法局", "市委编办", "市财政局")
    db = open_database(db_path)
    with db.session() as s, s.begin():
        template = make_template(s, 3, units)
        summary_id = summary.create_summary(s, template)
    rows = [(str(i), f"第{i}项", f"{i}号任务本月进展") for i in range(1, 4)]
    files = [
        write_return(tmp_path / f"{u}.xlsx", unit=u, period="2026-11", rows=rows,
                     filled_on=dt.date(2026, 11, 25))
        for u in units
    ]  # fmt: skip
    broken = tmp_path / "市委编办-坏.xlsx"
    with zipfile.ZipFile(files[1]) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, b"<styleSheet><<" if info.filename == "xl/styles.xml" else data)
    batch = [files[0], broken, files[2]]
    result = consolidate.consolidate(db, summary_id, batch, today=dt.date(2026, 12, 10))
    db.close()
    assert [o.file for o in result.failed] == ["市委编办-坏.xlsx"]
    assert "市委编办-坏.xlsx" in result.failed[0].message
    assert [o.file for o in result.imported] == ["市司法局.xlsx", "市财政局.xlsx"]
