"""收取报送, as a hostile mailbox meets it: mails no standard blesses, files that try to leave the
temporary folder or explode, a collection cut off half-way, a mail without a Message-ID."""

from __future__ import annotations

import base64
import email
import json
import os
import subprocess
import sys
import zipfile
from email import policy
from pathlib import Path
from typing import Any

import pytest

from fazhi_desktop.io.mail.incoming import parse_mail
from fazhi_desktop.services import collect, unit_contacts

sys.path.insert(0, str(Path(__file__).parent))
from hostile_files import row, workbook
from mail_shapes import OFFICE, outlook
from test_collect import NOV, SENT, TODAY, Office, dovecot, inbox, office

__all__ = ["dovecot", "inbox", "office"]  # the Dovecot and the office of the 收取报送 tests
REPO = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def _raw(headers: str, parts: list[tuple[str, bytes]]) -> bytes:
    """A multipart mail written by hand: each part is (its header lines, its body)."""
    text = (
        f"From: unit@unit.example.cn\r\nTo: {OFFICE}\r\nDate: Thu, 26 Nov 2026 09:30:00 +0800\r\n"
        f'{headers}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
    ).encode()
    for head, body in parts:
        text += b"--b1\r\n" + head.encode() + b"\r\n\r\n" + body + b"\r\n"
    return text + b"--b1--\r\n"


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _attached(disposition: str, data: bytes) -> tuple[str, bytes]:
    """A base64 part with the Content-Disposition parameters given as written."""
    head = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
    return head + f"Content-Disposition: attachment; {disposition}", _b64(data)


# --- names as mail programs mis-write them ---------------------------------------------------


def test_names_in_charsets_python_does_not_know_or_that_lie() -> None:
    data = _b64(b"PK\x03\x04")
    gbk = base64.b64encode("张三局.xlsx".encode("gbk")).decode()
    x_gbk = _raw(
        f"Subject: =?x-gbk?B?{base64.b64encode('报送'.encode('gbk')).decode()}?=\r\n",
        [(f'Content-Type: application/octet-stream; name="=?x-gbk?B?{gbk}?="\r\n'
          "Content-Transfer-Encoding: base64", data)],
    )  # fmt: skip
    mail = parse_mail(x_gbk)
    assert mail.subject == "报送"
    assert [a.name for a in mail.attachments] == ["张三局.xlsx"]
    # RFC 2231, GBK bytes declared UTF-8 (and a continuation), and a charset nobody knows.
    pct = "".join(f"%{b:02X}" for b in "张三局".encode("gbk"))
    for declared in ("utf-8", "x-gbk", "gb2312"):
        raw = _raw(
            "Subject: t\r\n",
            [_attached(f"filename*0*={declared}''{pct[:9]};\r\n filename*1*={pct[9:]}.xlsx",
                       b"PK\x03\x04")],
        )  # fmt: skip
        assert [a.name for a in parse_mail(raw).attachments] == ["张三局.xlsx"], declared


def test_names_with_paths_stay_in_the_temporary_folder(
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office.configure()
    data = office.return_file(tmp_path, "x.xlsx", "市司法局")
    names = ["../../逃逸.xlsx", "C:\\\\Windows\\\\逃逸2.xlsx", "/etc/逃逸3.xlsx"]
    parts = [_attached(f'filename="{name}"', data + bytes([n])) for n, name in enumerate(names)]
    office.box.deliver(_raw("Subject: paths\r\nMessage-ID: <p@x>\r\n", parts))
    work = tmp_path / "tmp" / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(work))
    monkeypatch.setattr("tempfile.tempdir", None)
    capsys.readouterr()
    office.collect(monkeypatch)
    out = capsys.readouterr().out
    assert out.count("✓") + out.count("✗") == 3, out
    assert not list(tmp_path.rglob("逃逸*")), "an attachment was written outside its folder"
    assert not list(Path("/etc").glob("逃逸*"))


# --- idempotence -------------------------------------------------------------------------------


def test_mail_without_message_id_and_one_return_in_two_mails(
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office.configure()
    data = office.return_file(tmp_path, "x.xlsx", "市司法局")
    part = _attached('filename="a.xlsx"', data)
    office.box.deliver(_raw("Subject: no id\r\n", [part]))
    office.box.deliver(outlook("sfj@sfj.cn", "again", [("b.xlsx", data)], SENT))
    assert office.collect(monkeypatch) == 0
    assert office.collect(monkeypatch) == 0
    assert "没有新的报送邮件" in capsys.readouterr().out
    assert [r[2] for r in office.returns()] == ["a.xlsx"]


def test_a_collection_cut_off_inside_a_mail_is_completed_by_the_next(
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl+C (or a dropped line) after the first of a mail's two returns: the next run takes
    the second, and the first is not imported twice."""
    office.configure()
    nov = office.return_file(tmp_path, "n.xlsx", "市司法局")
    oct_ = office.return_file(tmp_path, "o.xlsx", "市司法局", "2026-10")
    files = [("司法局11月.xlsx", nov), ("司法局10月.xlsx", oct_)]
    office.box.deliver(outlook("sfj@sfj.cn", "两个月", files, SENT))
    real = collect.consolidate.consolidate
    calls: list[int] = []

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(collect.consolidate, "consolidate", interrupted)
    capsys.readouterr()
    assert office.collect(monkeypatch) == 130
    err = capsys.readouterr().err
    assert "已中断" in err and "Traceback" not in err
    monkeypatch.setattr(collect.consolidate, "consolidate", real)
    assert office.collect(monkeypatch) == 0
    assert sorted((r[1], r[2]) for r in office.returns()) == [
        ("2026-10", "司法局10月.xlsx"),
        (NOV, "司法局11月.xlsx"),
    ]
    assert office.collect(monkeypatch) == 0
    assert len(office.returns()) == 2


# --- files that explode -----------------------------------------------------------------------


def _xlsx_bomb(path: Path, inflated: int) -> bytes:
    """A workbook whose sheet inflates to ``inflated`` bytes of blanks (about 1000:1)."""
    plain = workbook(path.with_suffix(".plain"), row(1, "序号", "工作任务"))
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(head)
                for _ in range(inflated // MB):
                    sheet.write(b" " * MB)
                sheet.write(b"</sheetData>" + tail)
    return path.read_bytes()


# The command's own peak: VmHWM starts afresh at exec (ru_maxrss would carry the forking
# pytest's size over).
_MEASURED = (
    "import re, sys\n"
    "from fazhi_desktop.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read()\n"
    "peak = int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) / 1024\n"
    "print(f'PEAK-MB {peak:.0f}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def test_a_zip_bomb_and_a_huge_attachment_in_bounded_memory(office: Office, tmp_path: Path) -> None:
    office.configure()
    bomb = _xlsx_bomb(tmp_path / "bomb.xlsx", 2048 * MB)
    assert len(bomb) < 4 * MB
    office.box.deliver(outlook("a@a.cn", "炸弹", [("市司法局-炸弹.xlsx", bomb)], SENT))
    part = _attached('filename="big.xlsx"', os.urandom(50 * MB))
    office.box.deliver(_raw("Subject: =?utf-8?B?5aSn6ZmE5Lu2?=\r\nMessage-ID: <big@x>\r\n", [part]))
    del part
    cmd = [sys.executable, "-c", _MEASURED, "--db", str(office.db_path), "--today",
           TODAY.isoformat(), "collect", "--ledger", str(office.ledger), "--password-stdin",
           "--json"]  # fmt: skip
    done = subprocess.run(
        cmd, input=(office.box.password + "\n").encode(), capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300,
    )  # fmt: skip
    err = done.stderr.decode()
    peak = float(err.split("PEAK-MB ")[1])
    out = json.loads(done.stdout)
    assert done.returncode == 2 and err.startswith("PEAK-MB"), err
    assert peak < 300, f"collect peaked at {peak:.0f} MB"
    items = {i["subject"]: i for i in out["items"]}
    assert items["炸弹"]["outcome"] == "refused" and "压缩炸弹" in items["炸弹"]["message"]
    assert items["大附件"]["outcome"] == "skipped" and "邮件过大" in items["大附件"]["message"]
    assert office.returns() == []


# --- 催报 and unit addresses, as a clerk mistypes them ------------------------------------------


@pytest.mark.parametrize(
    "template", ["{单位:>999999999}", "{单位.upper}", "{单位!r}", "{单位[0]}", "{0}", "{}"]
)
def test_a_template_field_that_is_not_a_plain_name_is_refused(
    office: Office, template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's format would pad to a gigabyte, or print a method's repr, into the mail."""
    capsys.readouterr()
    assert office.cli("config", f"remind_template=请{template}报送") == 2
    err = capsys.readouterr().err
    assert f"“{template}”无法识别" in err and "remind_template" in err, err
    assert office.cli("config", "remind_template={单位}：请报送，{{注意}}") == 0


def test_remind_eml_into_a_file_and_addresses_given_twice(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = str(office.ledger)
    args = ("summary-units", "--ledger", ledger, "--mail", "市司法局=a@sfj.cn;A@SFJ.cn, a@sfj.cn")
    assert office.cli(*args) == 0
    assert "市司法局\ta@sfj.cn\n" in capsys.readouterr().out  # one mail, not three
    a_file = tmp_path / "催报.txt"
    a_file.write_text("x", "utf-8")
    base = ("remind", "--ledger", ledger, "--period", NOV)
    assert office.cli(*base, "--eml", str(a_file)) == 2
    err = capsys.readouterr().err
    assert "是一个文件，不是文件夹" in err and "File exists" not in err, err
    assert office.cli(*base, "--smtp", "--dry-run") == 2
    assert "将催报 市司法局 → a@sfj.cn\n" in capsys.readouterr().out


def test_an_address_two_units_share_names_neither() -> None:
    """A clerk who reports for two units: the file (or its name) must say which."""
    contacts = {"市司法局": "ban@x.cn", "市委编办": "bb@x.cn; BAN@x.cn"}
    assert unit_contacts.unit_of_sender(contacts, "ban@x.cn") == ""
    assert unit_contacts.unit_of_sender(contacts, "BB@x.cn") == "市委编办"


def test_the_reminder_names_an_address_not_the_mailbox_login(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """imap_user is often a login name (fazhiban): units cannot send their returns to it."""
    ledger = str(office.ledger)
    assert office.cli("summary-units", "--ledger", ledger, "--mail", "市司法局=a@sfj.cn") == 0
    assert office.cli("config", "imap_user=office1", "smtp_from=fzb@fzb.example.cn") == 0
    folder = tmp_path / "drafts"
    # exit 2: the other three units have no address
    assert office.cli("remind", "--ledger", ledger, "--period", NOV, "--eml", str(folder)) == 2
    message = email.message_from_bytes(
        (folder / "催报-市司法局.eml").read_bytes(), policy=policy.default
    )
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "发送至 fzb@fzb.example.cn" in text and "office1" not in text, text


@pytest.mark.parametrize(
    "setting", ["imap_host=mail.x.cn:993", "imap_host=imaps://mail.x.cn", "smtp_host=a b.cn"]
)
def test_a_host_with_a_port_or_scheme_is_refused(
    office: Office, setting: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert office.cli("config", setting) == 2
    key, _sep, value = setting.partition("=")
    err = capsys.readouterr().err
    assert f"设置项 {key}" in err and f"“{value}”不是服务器名" in err, err


def test_a_host_that_does_not_resolve_names_the_setting(
    office: Office, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    host = "no-such-host.invalid"
    office.configure(host=host)
    capsys.readouterr()
    assert office.collect(monkeypatch) == 2
    err = capsys.readouterr().err
    assert f"找不到邮件服务器“{host}”" in err and "imap_host" in err, err
    assert "Name or service" not in err and office.collected() == 0


def test_remind_over_smtp_to_a_host_that_does_not_resolve(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = str(office.ledger)
    assert office.cli("summary-units", "--ledger", ledger, "--mail", "市司法局=a@sfj.cn") == 0
    smtp = ("smtp_host=smtp.example.invalid", "smtp_user=", "smtp_from=c@fzb.cn")
    assert office.cli("config", *smtp) == 0
    capsys.readouterr()
    assert office.cli("remind", "--ledger", ledger, "--period", NOV, "--smtp") == 2
    err = capsys.readouterr().err
    assert "找不到邮件服务器“smtp.example.invalid”" in err and "smtp_host" in err, err
