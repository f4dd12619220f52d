"""Issue 15, what leaves the program: the 报送 mail, output paths, file modes, cell limits."""

from __future__ import annotations

import contextlib
import email
import errno
import os
import socket
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from conftest import TODAY
from openpyxl import load_workbook

import fazhi_desktop
from fazhi_desktop.cli import main
from fazhi_desktop.errors import FazhiError, UsageError
from fazhi_desktop.io.atomic import atomic_path
from fazhi_desktop.io.mail import message as mail
from fazhi_desktop.io.xlsx import cells
from fazhi_desktop.io.xlsx.cells import EXCEL_MAX_CELL_CHARS, cell_text
from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import config, submit
from fazhi_desktop.settings import AppSettings, settings_path

UNIT = "濮阳市科学技术局"
NAME = f"{UNIT}-法治政府建设工作台账-2026年11月进展.xlsx"


def _cli(db: Path, *args: str) -> int:
    return main(["--db", str(db), "--today", TODAY.isoformat(), *args])


def _set_ledger(db: Path, **values: str) -> None:
    conn = sqlite3.connect(db)
    for column, value in values.items():
        conn.execute(f"UPDATE ledgers SET {column} = ?", (value,))
    conn.commit()
    conn.close()


@contextlib.contextmanager
def _full_disk(tmp_path: Path, size: str, content: dict[str, bytes]) -> Iterator[Path]:
    """A real tmpfs of ``size`` holding ``content``, then filled to the last byte."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)]
    if os.geteuid() != 0 or subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("needs root and tmpfs to fill a real file system")
    try:
        for name, data in content.items():
            (disk / name).write_bytes(data)
        with (disk / "filler").open("wb", buffering=0) as fh, pytest.raises(OSError):
            while True:
                fh.write(b"\0" * 4096)
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


# --- 15. the attachment header every client understands ----------------------------------------


def test_eml_attachment_is_a_plain_xlsx_with_its_chinese_name(
    demo_db: Path, tmp_path: Path
) -> None:
    eml = tmp_path / "草稿.eml"
    assert _cli(demo_db, "submit", "--eml", str(eml)) == 0
    raw = eml.read_bytes()
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert all(part.defects == [] for part in message.walk())
    (part,) = message.iter_attachments()
    assert part.get_content_type() == mail.XLSX_TYPE
    assert part.get_filename() == NAME
    assert part["Content-Disposition"].defects == ()
    assert part.get_param("name") == NAME  # RFC 2047 words, decoded by older clients
    text = raw.decode("ascii")
    assert f"Content-Type: {mail.XLSX_TYPE};" in text
    assert 'name="=?utf-8?b?' in text and "filename*0*=utf-8''" in text


# --- 6. one recipient refused: recorded as sent to the others, the refused one named ----------


class _Picky:
    def __init__(self) -> None:
        self.delivered: list[list[str]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def picky_server() -> Iterator[tuple[_Picky, int]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    handler = _Picky()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def test_partial_refusal_is_recorded_for_the_accepted_recipients(
    demo_db: Path,
    tmp_path: Path,
    picky_server: tuple[_Picky, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler, port = picky_server
    settings = ["smtp_host=127.0.0.1", f"smtp_port={port}", "smtp_security=none"]
    assert _cli(demo_db, "config", *settings, "smtp_from=clerk@kjj.gov.cn") == 0
    assert _cli(demo_db, "config", "mailbox=6666209@163.com; nobody@refused.cn") == 0
    capsys.readouterr()
    assert _cli(demo_db, "submit", "--smtp", "--dir", str(tmp_path)) == 0
    assert handler.delivered == [["6666209@163.com"]]
    assert "nobody@refused.cn" in capsys.readouterr().err
    db = open_database(demo_db)
    with db.session() as s:
        (logged,) = submit.list_submissions(s)
    db.close()
    assert logged.recipient == "6666209@163.com"


# --- 11. line breaks in 填报单位 / title: refused at input, cleaned at output ---------------


def test_config_refuses_a_unit_with_a_line_break(demo_db: Path) -> None:
    assert _cli(demo_db, "config", "unit=濮阳市\n科学技术局") == 2
    with pytest.raises(UsageError):
        config.parse_changes(["title=年度\r台账"])


@pytest.mark.sqlite_only  # checks the file itself
def test_line_breaks_from_an_old_import_do_not_crash_submit_or_export(
    demo_db: Path, tmp_path: Path
) -> None:
    _set_ledger(
        demo_db, unit="濮阳市\n科学技术局", title="台账\x07标题\n第二行", short_title="台\n账"
    )
    eml = tmp_path / "草稿.eml"
    assert _cli(demo_db, "submit", "--eml", str(eml)) == 0
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Subject"] == "濮阳市 科学技术局2026年11月法治政府建设工作台账进展情况"
    out = tmp_path / "台账.xlsx"
    assert _cli(demo_db, "export-xlsx", "-o", str(out)) == 0
    workbook = load_workbook(out)
    # The visible sheet; the hidden 法治台账数据 sheet carries the return data for the 汇总.
    assert [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"] == ["台 账"]
    assert workbook.properties.title == "台账 标题 第二行"
    assert workbook.properties.creator == "濮阳市 科学技术局"


# --- 17. mailboxes: a plain addr-spec only ------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["x:y@z.cn", "a(b)@c.cn", "=?utf-8?q?x?=@c.cn", '"ab"@c.cn', "a@b_c.cn", "a@-b.cn"]
)
def test_mailbox_accepts_only_a_plain_address(bad: str) -> None:
    with pytest.raises(UsageError):
        config.mailbox(bad)


def test_mailbox_still_accepts_real_addresses() -> None:
    assert config.mailbox("6666209@163.com，fzb.office@pyx.gov.cn") == (
        "6666209@163.com; fzb.office@pyx.gov.cn"
    )


# --- 16. a hand-edited smtp_security never means plain text -------------------------------------


def test_bogus_smtp_security_is_never_plain_text() -> None:
    settings_path().write_text(
        '{"smtp_security": "bogus", "smtp_port": 70000, "due_soon_days": -3}', encoding="utf-8"
    )
    loaded = AppSettings.load()
    assert loaded.smtp_security in {"ssl", "starttls"}
    assert loaded.smtp_port == 0 and loaded.due_soon_days == AppSettings().due_soon_days
    draft = mail.Draft(
        to="a@b.cn", subject="s", body="b", attachment=Path(__file__), sender="c@d.cn"
    )
    with pytest.raises(mail.SendError, match="加密方式"):
        mail.send(draft, mail.Server(host="127.0.0.1", port=9, security="bogus"), None)


# --- 12 and 20. output paths: a folder, a missing folder, a long name, a full disk --------------


def test_output_to_an_existing_folder_missing_folder_or_long_name(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "已有文件夹"
    folder.mkdir()
    assert _cli(demo_db, "export-xlsx", "-o", str(folder)) == 2
    assert "文件夹" in capsys.readouterr().err and list(folder.iterdir()) == []
    assert _cli(demo_db, "export-xlsx", "-o", str(tmp_path / "没有" / "a.xlsx")) == 2
    assert "不存在" in capsys.readouterr().err
    long_name = tmp_path / ("很长的单位名称" * 13 + ".xlsx")
    assert len(long_name.name.encode()) > 255
    assert _cli(demo_db, "export-xlsx", "-o", str(long_name)) == 2
    err = capsys.readouterr().err
    assert "太长" in err and "Traceback" not in err


def test_full_disk_keeps_the_old_file_and_says_so(demo_db: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "台账.xlsx"
    target.write_bytes(b"old content")
    with pytest.raises(FazhiError, match="磁盘已满") as caught, atomic_path(target) as tmp:
        tmp.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert "损坏" not in str(caught.value)
    assert target.read_bytes() == b"old content"
    assert [p.name for p in target.parent.iterdir()] == ["台账.xlsx"]


def test_full_disk_on_a_real_tiny_file_system(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with _full_disk(tmp_path, "64k", {"台账.xlsx": b"old content"}) as disk:
        old = disk / "台账.xlsx"
        assert _cli(demo_db, "export-xlsx", "-o", str(old)) == 2
        err = capsys.readouterr().err
        assert "磁盘已满" in err and "损坏" not in err and "Traceback" not in err
        assert old.read_bytes() == b"old content"
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "台账.xlsx"]


# --- 18. exported files get the mode a normal save gives ----------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_export_mode_follows_the_umask(
    demo_db: Path, tmp_path: Path, umask: int, mode: int
) -> None:
    old = os.umask(umask)
    try:
        out = tmp_path / "台账.xlsx"
        assert _cli(demo_db, "export-xlsx", "-o", str(out)) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == mode


# --- 19. cells are cut by UTF-16 length, with a warning -----------------------------------------


def test_cell_text_counts_utf16_units() -> None:
    with pytest.warns(cells.CellCutWarning):
        cut = cell_text("进展😀" * 12_000)
    assert len(cut.encode("utf-16-le")) // 2 <= EXCEL_MAX_CELL_CHARS
    assert cut.endswith("…") and "\ud83d" not in cut
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cell_text("😀" * 16_383) == "😀" * 16_383  # 32,766 units: fits


@pytest.mark.sqlite_only  # checks the file itself
def test_export_of_an_emoji_heavy_cell_warns_and_fits(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE tasks SET title = ? WHERE id = 1", ("😀" * 20_000,))
    conn.commit()
    conn.close()
    out = tmp_path / "台账.xlsx"
    assert _cli(demo_db, "export-xlsx", "-o", str(out)) == 0
    assert "截断" in capsys.readouterr().err
    workbook = load_workbook(out, read_only=True)
    longest = max(
        len(str(v).encode("utf-16-le")) // 2
        for row in workbook.active.iter_rows(values_only=True)
        for v in row
        if v
    )
    workbook.close()
    assert longest <= EXCEL_MAX_CELL_CHARS


@pytest.mark.sqlite_only  # checks the file itself
def test_database_on_a_full_disk_says_disk_full_not_damaged(demo_db: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with _full_disk(tmp_path, "2m", {demo_db.name: demo_db.read_bytes()}) as disk:
        db = disk / demo_db.name
        before = db.read_bytes()
        result = subprocess.run(
            [sys.executable, "-m", "fazhi_desktop.cli", "--db", str(db), "done", "1"],
            capture_output=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(Path(fazhi_desktop.__file__).parent.parent)},
        )
        err = result.stderr.decode()
        assert result.returncode == 2, err
        assert "磁盘已满" in err and "损坏" not in err and "Traceback" not in err
        assert db.read_bytes() == before
