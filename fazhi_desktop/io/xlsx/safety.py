"""Look at a workbook file before any parser touches it.

openpyxl and xlrd give English tracebacks, or inflate whatever a zip promises, on files that are
not what their name says. Here the first bytes and the zip central directory (a few KB, read
without inflating anything) decide what the file is, and a bad file is refused with a Chinese
message within milliseconds and without memory to speak of.
"""

from __future__ import annotations

import enum
import mmap
import struct
import zipfile
from pathlib import Path

from fazhi_desktop.errors import InputFileError
from fazhi_desktop.io.zip_guard import MB, ZipLimits, bomb_problem
from fazhi_desktop.paths import require_regular_file

# Real 台账 workbooks inflate to a few MB; a 10,000-task one to about 15 MB. These limits leave a
# wide margin while keeping openpyxl well under 300 MB: sheets are streamed, but the shared
# strings and styles are each parsed whole (about 9 bytes of memory per byte of XML).
MAX_PART_BYTES = 100 * MB
MAX_TOTAL_BYTES = 250 * MB
MAX_TREE_BYTES = 20 * MB
_LIMITS = ZipLimits(max_part=MAX_PART_BYTES, max_total=MAX_TOTAL_BYTES)
# Parts openpyxl parses whole; worksheets it streams.
_WHOLE_PARTS = ("xl/sharedstrings.xml", "xl/styles.xml", "xl/workbook.xml", "[content_types].xml")

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS_XLSX = "请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再导入。"


class WorkbookKind(enum.Enum):
    XLSX = "xlsx"
    XLS = "xls"


def _fail(path: Path, problem: str, advice: str = "") -> InputFileError:
    return InputFileError(f"无法导入“{path.name}”：{problem}{advice}")


def sniff_workbook(path: Path) -> WorkbookKind:
    """What ``path`` holds; anything that cannot be imported raises :class:`InputFileError`."""
    try:
        require_regular_file(path)
        size = path.stat().st_size
        if path.is_dir():
            raise _fail(path, "这是一个文件夹，不是文件。", "请选择 .xlsx 或 .xls 文件。")
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError as exc:
        raise _fail(path, "文件不存在。", "请检查文件名和位置。") from exc
    except PermissionError as exc:
        raise _fail(path, "没有读取该文件的权限。", "请把文件复制到“文档”文件夹后再试。") from exc
    except OSError as exc:
        problem = f"读取文件出错（{exc.strerror or exc}）。"
        raise _fail(path, problem, "请把文件复制到本机后再试。") from exc
    if size == 0 or not head.strip(b"\x00 \t\r\n"):
        raise _fail(path, "文件是空的（0 字节或全是空白）。", "请确认选择了正确的文件。")
    if head.startswith(_ZIP_MAGIC):
        check_xlsx_zip(path)
        return WorkbookKind.XLSX
    if head.startswith(_CFB_MAGIC):
        return _check_cfb(path)
    raise _fail(path, _describe_other(head), _SAVE_AS_XLSX)


def check_xlsx_zip(path: Path) -> None:
    """Refuse a zip that is not an Excel workbook or that would inflate beyond the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _fail(path, "文件已损坏或不完整（可能没有下载完）。", "请重新获取该文件。") from exc
    names = {info.filename.lstrip("/") for info in infos}
    if "word/document.xml" in names:
        raise _fail(
            path,
            "这是 Word 文档（.docx），只是扩展名被改成了 .xlsx。",
            "请在 Word 中把台账表格复制到 Excel，保存为 .xlsx 后再导入。",
        )
    if "ppt/presentation.xml" in names:
        raise _fail(path, "这是 PowerPoint 演示文稿，不是 Excel 工作簿。", _SAVE_AS_XLSX)
    if "xl/workbook.bin" in names:
        raise _fail(path, "这是 Excel 二进制工作簿（.xlsb），本程序不能直接读取。", _SAVE_AS_XLSX)
    if "content.xml" in names and "mimetype" in names:
        raise _fail(path, "这是 OpenDocument 表格（.ods），本程序不能直接读取。", _SAVE_AS_XLSX)
    if "xl/workbook.xml" not in names:
        raise _fail(path, "这是一个压缩包，里面没有 Excel 工作簿。", "请确认选择了正确的文件。")
    if any(info.flag_bits & 0x1 for info in infos):
        raise _fail(path, "文件内部被加密。", "请在 Excel 中取消密码后另存为 .xlsx 再导入。")
    whole = [i for i in infos if i.filename.lstrip("/").lower() in _WHOLE_PARTS]
    problem = bomb_problem(infos, _LIMITS) or bomb_problem(
        whole, ZipLimits(max_part=MAX_TREE_BYTES, max_total=MAX_TOTAL_BYTES)
    )
    if problem:
        raise _fail(
            path,
            problem,
            "如确为正常台账，请在 Excel 中删除多余的空行空列后另存为 .xlsx 再导入。",
        )


def _cfb_has_stream(mm: mmap.mmap, name: str) -> bool:
    """True if the compound file has a directory entry called ``name``.

    Directory entries are 128-byte records starting at 128-aligned file offsets, with the name
    in UTF-16LE followed by its byte length (terminator included) at offset 64. Checking both
    keeps cell text that happens to spell the name from matching.
    """
    pattern = name.encode("utf-16-le") + b"\x00\x00"
    start = mm.find(pattern, 512)
    while start != -1:
        if start % 128 == 0 and start + 66 <= len(mm):
            (length,) = struct.unpack_from("<H", mm, start + 64)
            if length == len(pattern):
                return True
        start = mm.find(pattern, start + 1)
    return False


def _check_cfb(path: Path) -> WorkbookKind:
    try:
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm,
        ):
            encrypted = _cfb_has_stream(mm, "EncryptionInfo") or _cfb_has_stream(
                mm, "EncryptedPackage"
            )
            workbook = _cfb_has_stream(mm, "Workbook") or _cfb_has_stream(mm, "Book")
            word = _cfb_has_stream(mm, "WordDocument")
    except (OSError, ValueError) as exc:
        raise _fail(path, "文件已损坏或无法读取。", "请重新获取该文件。") from exc
    if encrypted:
        raise _fail(
            path,
            "工作簿设置了打开密码，程序无法读取加密的内容。",
            "请在 Excel 或 WPS 中输入密码打开，取消文档加密（把密码清空）并保存，然后再导入。",
        )
    if word:
        raise _fail(
            path,
            "这是 Word 97-2003 文档（.doc），不是 Excel 工作簿。",
            "请在 Word 中把台账表格复制到 Excel，保存为 .xlsx 后再导入。",
        )
    if workbook:
        return WorkbookKind.XLS
    raise _fail(path, "这是一个 Office 旧格式文件，但不是 Excel 工作簿。", _SAVE_AS_XLSX)


def _describe_other(head: bytes) -> str:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"%pdf"):
        return "这是 PDF 文件，不是 Excel 工作簿。"
    if lowered.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in lowered:
            return "这是 Excel 2003 XML 表格，不是 .xlsx 工作簿。"
        if b"<html" in lowered or b"<table" in lowered or b"<!doctype" in lowered:
            return "这是网页（HTML）格式的表格（常见于从业务系统导出的“Excel”），不是真正的工作簿。"
        return "这是 XML 或网页文本，不是 Excel 工作簿。"
    if lowered.startswith(b"{\\rtf"):
        return "这是 RTF 文档，不是 Excel 工作簿。"
    if _looks_like_text(head):
        return "这是一个文本文件（例如 .txt 或 .csv），只是扩展名被改成了表格。"
    return "文件格式无法识别，不是 Excel 工作簿。"


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # The 4 KB cut may split a character; judge on what decodes.
            try:
                text = head[:-4].decode(encoding)
            except UnicodeDecodeError:
                continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        if text and printable / len(text) > 0.95:
            return True
    return False
