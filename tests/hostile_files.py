"""Hostile files built in memory: .docx zip bombs, minimal workbooks with huge sheets or shared
strings. Shared by tests/test_faults_inputs.py and benchmarks/bench_hostile.py."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

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


def zip_parts(path: Path, parts: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def docx_bomb(path: Path, size: int) -> Path:
    """A .docx whose document.xml inflates to ``size`` bytes of empty paragraphs."""
    paragraphs = b"<w:p/>" * (size // 6)
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
        + paragraphs
        + b"<w:p><w:r><w:t>1. last</w:t></w:r></w:p></w:body></w:document>"
    )
    return zip_parts(
        path,
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": RELS.format(target="word/document.xml"),
            "word/document.xml": document,
        },
    )


def workbook(path: Path, sheet_rows: bytes, shared: bytes | None = None) -> Path:
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
    return zip_parts(path, parts)


def row(number: int, *texts: str) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{t}</t></is></c>'
        for i, t in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def shared_strings(count: int, length: int = 1000) -> bytes:
    """``count`` random strings of ``length`` hex digits: compresses only about 2:1."""
    items = b"".join(
        b"<si><t>" + os.urandom(length // 2).hex().encode() + b"</t></si>" for _ in range(count)
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + items
        + b"</sst>"
    )


def ledger_rows(count: int) -> bytes:
    """A header row and ``count`` task rows (inline strings)."""
    header = row(1, "序号", "工作任务", "责任单位", "完成时限", "进展情况")
    body = b"".join(
        row(n, str(n - 1), f"任务{n}", "甲局", "12月底前", "") for n in range(2, count + 2)
    )
    return header + body
