"""Issue 15, hostile inputs: zip bombs in .docx, huge xlsx, malformed package parts, a batch
with one bad workbook. Each is refused with a Chinese message naming the file, nothing else."""

from __future__ import annotations

import datetime as dt
import os
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
from summary_returns import make_template, write_return

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OOX = "application/vnd.openxmlformats-officedocument"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OOX}.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{OOX}.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/word/document.xml" '
    f'ContentType="{OOX}.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="{{target}}"/>'
    "</Relationships>"
)


def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _docx_bomb(path: Path, size: int) -> Path:
    """A .docx whose document.xml inflates to ``size`` bytes of empty paragraphs."""
    paragraphs = b"<w:p/>" * (size // 6)
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
        + paragraphs
        + b"<w:p><w:r><w:t>1. last</w:t></w:r></w:p></w:body></w:document>"
    )
    return _zip(
        path,
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": RELS.format(target="word/document.xml"),
            "word/document.xml": document,
        },
    )


def _workbook(path: Path, sheet_rows: bytes, shared: bytes | None = None) -> Path:
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    wb_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    )
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + sheet_rows + b"</sheetData></worksheet>"
    )
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS.format(target="xl/workbook.xml"),
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": wb_rels,
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return _zip(path, parts)


def _row(number: int, *texts: str) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{t}</t></is></c>'
        for i, t in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


# --- 7. a .docx zip bomb is refused before python-docx inflates it -----------------------------


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = _docx_bomb(tmp_path / "方案.docx", 12 * 1024 * 1024)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputFileError, match="压缩炸弹") as caught:
        read_plan_source(bomb)
    assert "方案.docx" in str(caught.value)


# --- 8. xlsx: shared strings and rows are capped -------------------------------------------------


def test_xlsx_with_more_than_50000_rows_is_refused(tmp_path: Path) -> None:
    header = _row(1, "序号", "工作任务", "责任单位", "完成时限", "进展情况")
    body = b"".join(
        _row(n, str(n - 1), f"任务{n}", "甲局", "12月底前", "") for n in range(2, 50_012)
    )
    path = _workbook(tmp_path / "huge.xlsx", header + body)
    with pytest.raises(InputFileError, match="50,000 行") as caught:
        read_ledger_xlsx(path)
    assert "huge.xlsx" in str(caught.value) and "第 50001 行" in str(caught.value)


def test_xlsx_with_40_mb_of_shared_strings_is_refused(tmp_path: Path) -> None:
    # Random text compresses about 2:1: no zip bomb, yet openpyxl would hold it all in memory.
    items = b"".join(
        b"<si><t>" + os.urandom(500).hex().encode() + b"</t></si>" for _ in range(40_000)
    )
    shared = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + items
        + b"</sst>"
    )
    path = _workbook(tmp_path / "strings.xlsx", _row(1, "序号", "工作任务"), shared)
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


def test_consolidate_imports_the_others_after_a_malformed_workbook(
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
