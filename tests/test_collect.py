"""收取报送与催报: returns taken from a real IMAP server (a private Dovecot), 催报 over real SMTP.

One Dovecot serves the whole session; each test has a mailbox user of its own.
"""

from __future__ import annotations

import datetime as dt
import email
import imaplib
import io
import json
import os
import sys
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from fazhi_desktop.cli import main
from fazhi_desktop.io.mail import imap
from fazhi_desktop.io.mail import message as mail
from fazhi_desktop.io.mail.incoming import parse_mail
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.orm import CollectedMail, Return
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.services import collect, remind, summary, unit_contacts
from fazhi_desktop.services.ledgers import create_ledger

sys.path.insert(0, str(Path(__file__).parent))
from imap_server import Dovecot, Mailbox, dovecot_binary, free_port
from mail_shapes import OFFICE, forwarded, foxmail, outlook
from summary_returns import make_template, write_return
from test_submit import smtp_server

__all__ = ["smtp_server"]  # the SMTP server fixture of the 报送 tests, with its login

UNITS = ("市司法局", "市委编办", "市财政局", "市教育局")
TODAY = dt.date(2026, 12, 3)
NOV, OCT = "2026-11", "2026-10"
SENT = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    binary = dovecot_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("dovecot is required in CI but not installed")
        pytest.skip("dovecot not installed (apt-get install dovecot-imapd)")
    server = Dovecot(binary)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def inbox(dovecot: Dovecot) -> Mailbox:
    return dovecot.new_mailbox()


class Office:
    """The collecting office: a 汇总 ledger of four units, and the ``fazhi`` command on it."""

    def __init__(self, db_path: Path, dovecot: Dovecot, box: Mailbox) -> None:
        self.db_path = db_path
        db = open_database(db_path)
        with db.session() as s, s.begin():
            template = make_template(s, 4, UNITS)
            self.ledger = summary.create_summary(s, template)
            self.rows = [
                (t.seq, t.title, f"{t.seq}号任务本月进展")
                for t in summary.get_ledger(s, template).tasks
            ]
        db.close()
        self.dovecot, self.box = dovecot, box

    def cli(self, *args: str, today: dt.date = TODAY) -> int:
        return main(["--db", str(self.db_path), "--today", today.isoformat(), *args])

    def configure(
        self, *, security: str = "none", port: int | None = None, host: str = "127.0.0.1"
    ) -> None:
        if port is None:
            port = self.dovecot.tls_port if security == "ssl" else self.dovecot.port
        assert (
            self.cli(
                "config",
                f"imap_host={host}",
                f"imap_port={port}",
                f"imap_security={security}",
                f"imap_user={self.box.user}",
            )
            == 0
        )

    def collect(self, monkeypatch: pytest.MonkeyPatch, *args: str, password: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO((password or self.box.password) + "\n"))
        return self.cli(
            "collect", "--ledger", str(self.ledger), "--password-stdin", *args
        )

    def return_file(self, folder: Path, name: str, unit: str, period: str = NOV) -> bytes:
        path = write_return(
            folder / name, unit=unit, period=period, rows=self.rows, filled_on=SENT
        )
        return path.read_bytes()

    def returns(self) -> list[tuple[str, str, str, dt.date, str]]:
        db = open_database(self.db_path)
        try:
            with db.session() as s:
                return [
                    (r.unit, r.period, r.file_name, r.received_on, r.unit_source)
                    for r in s.query(Return).order_by(Return.id)
                ]
        finally:
            db.close()

    def collected(self) -> int:
        db = open_database(self.db_path)
        try:
            with db.session() as s:
                return s.query(CollectedMail).count()
        finally:
            db.close()

    def status(self, capsys: pytest.CaptureFixture[str], period: str = NOV) -> dict[str, Any]:
        capsys.readouterr()
        args = ("report-status", "--ledger", str(self.ledger), "--period", period, "--json")
        assert self.cli(*args) == 0
        data: dict[str, Any] = json.loads(capsys.readouterr().out)
        return data


@pytest.fixture
def office(db_path: Path, dovecot: Dovecot, inbox: Mailbox) -> Office:
    return Office(db_path, dovecot, inbox)


def _flags(dovecot: Dovecot, box: Mailbox) -> list[bytes]:
    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    try:
        client.authenticate("PLAIN", lambda _c: f"\0{box.user}\0{box.password}".encode())
        client.select("INBOX", readonly=True)
        typ, data = client.fetch("1:*", "(FLAGS)")
        assert typ == "OK"
        return [d for d in data if isinstance(d, bytes)]
    finally:
        client.logout()


# --- mails as the units' programs write them ---------------------------------------------------


def test_collect_takes_every_shape_of_mail_once(
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office.configure()
    # 市委编办's file names no unit (blank 填报单位, a generic file name): its address does.
    assert office.cli(
        "summary-units", "--ledger", str(office.ledger), "--mail", "市委编办=bb@bb.example.cn"
    ) == 0
    sfj = office.return_file(tmp_path, "sfj.xlsx", "市司法局")
    bb = office.return_file(tmp_path, "bb.xlsx", "")
    czj = office.return_file(tmp_path, "czj.xlsx", "市财政局")
    jyj_nov = office.return_file(tmp_path, "j11.xlsx", "市教育局")
    jyj_oct = office.return_file(tmp_path, "j10.xlsx", "市教育局", OCT)
    sfj_name = "市司法局-法治政府建设工作台账-2026年11月进展.xlsx"
    box = office.box
    box.deliver(outlook("sfj@sfj.example.cn", "市司法局11月台账报送", [(sfj_name, sfj)], SENT))
    box.deliver(foxmail("BB@bb.example.cn", "编办报送（GBK 标题）", "进展情况表.xlsx", bb, SENT))
    inner = outlook("czj@czj.example.cn", "财政局报送", [("市财政局-台账.xlsx", czj)], SENT)
    box.deliver(forwarded("someone@fwd.example.cn", inner, dt.date(2026, 11, 27)))
    two = [("市教育局-2026年11月进展.xlsx", jyj_nov), ("市教育局-2026年10月进展.xlsx", jyj_oct)]
    box.deliver(outlook("jyj@jyj.example.cn", "教育局两个月的台账", two, SENT))
    docx = [("市教育局-工作总结.docx", b"PK\x03\x04 not a return")]
    box.deliver(outlook("jyj@jyj.example.cn", "工作总结（不是台账）", docx, SENT))
    capsys.readouterr()

    assert office.collect(monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.count("✓ ") == 5, out
    assert f"✓ {sfj_name}：市司法局 2026-11" in out
    assert "✓ 进展情况表.xlsx：市委编办（单位取自发件人邮箱） 2026-11" in out
    assert "- 跳过“工作总结（不是台账）”（jyj@jyj.example.cn）" in out
    assert "市教育局-工作总结.docx" in out
    got = office.returns()
    assert sorted((u, p, n) for u, p, n, _d, _s in got) == sorted(
        [
            ("市司法局", NOV, sfj_name),
            ("市委编办", NOV, "进展情况表.xlsx"),
            ("市财政局", NOV, "市财政局-台账.xlsx"),
            ("市教育局", NOV, "市教育局-2026年11月进展.xlsx"),
            ("市教育局", OCT, "市教育局-2026年10月进展.xlsx"),
        ]
    )
    received = {n: d for _u, _p, n, d, _s in got}
    assert received[sfj_name] == SENT and received["市财政局-台账.xlsx"] == dt.date(2026, 11, 27)
    assert office.status(capsys)["missing"] == []
    # The senders are remembered for their units; 市委编办 keeps the address it had.
    db = open_database(office.db_path)
    with db.session() as s:
        contacts = unit_contacts.contacts_of(s, office.ledger)
    db.close()
    assert contacts["市司法局"] == "sfj@sfj.example.cn"
    assert contacts["市委编办"] == "bb@bb.example.cn"
    assert contacts["市教育局"] == "jyj@jyj.example.cn"

    # Nothing twice; the mailbox is as it was (no mail read, moved or deleted).
    before = office.collected()
    assert office.collect(monkeypatch) == 0
    assert "没有新的报送邮件" in capsys.readouterr().out
    assert len(office.returns()) == 5 and office.collected() == before
    flags = _flags(office.dovecot, box)
    assert len(flags) == 5 and not any(b"\\Seen" in f for f in flags), flags


def test_collect_json_and_a_refused_file(
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office.configure()
    good = office.return_file(tmp_path, "a.xlsx", "市财政局")
    files = [("市财政局-进展.xlsx", good), ("坏文件.xlsx", b"not a workbook")]
    office.box.deliver(outlook("czj@czj.example.cn", "财政局报送", files, SENT))
    capsys.readouterr()
    assert office.collect(monkeypatch, "--json") == 2
    data = json.loads(capsys.readouterr().out)
    outcomes = {i["file"]: i["outcome"] for i in data["items"]}
    assert outcomes == {"市财政局-进展.xlsx": "imported", "坏文件.xlsx": "refused"}
    assert data["new_mails"] == 1 and data["error"] is None


def test_a_mail_no_reader_understands_does_not_stop_the_others(
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office.configure()
    real = collect.parse_mail

    def fragile(raw: bytes) -> Any:
        if b"MARKED-BROKEN" in raw:
            raise LookupError("unknown encoding: x-some-mailer")
        return real(raw)

    monkeypatch.setattr(collect, "parse_mail", fragile)
    office.box.deliver(b"Subject: MARKED-BROKEN\r\nMessage-ID: <b@x>\r\n\r\nbody\r\n")
    _one_mail(office, tmp_path)
    capsys.readouterr()
    assert office.collect(monkeypatch) == 0
    out = capsys.readouterr().out
    assert "✓ a.xlsx" in out and "- 跳过“（无法解析的邮件，详情已写入日志）”" in out
    assert office.collect(monkeypatch) == 0  # neither is taken again
    assert "没有新的报送邮件" in capsys.readouterr().out


def test_uid_sets_and_folder_names() -> None:
    assert imap.uid_set([b"9", b"1", b"2", b"3", b"7", b"10"]) == "1:3,7,9:10"
    # RFC 3501's own examples of modified UTF-7.
    assert imap.encode_folder("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
    assert imap.encode_folder("A&B") == "A&-B"


def test_a_chinese_folder_of_many_mails(
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = "报送/2026年"
    assert office.cli("config", f"imap_folder={folder}") == 0
    office.configure()
    encoded = imap.encode_folder(folder).replace("/", ".")  # Maildir++ writes / as .
    for n in range(40):
        office.box.deliver(outlook(f"n{n}@x.cn", f"通知{n}", [], SENT), encoded)
    data = office.return_file(tmp_path, "a.xlsx", "市司法局")
    office.box.deliver(outlook("sfj@sfj.cn", "报送", [("a.xlsx", data)], SENT), encoded)
    office.box.deliver(outlook("sfj@sfj.cn", "收件箱里的", [("b.xlsx", data)], SENT))
    capsys.readouterr()
    assert office.collect(monkeypatch) == 0
    out = capsys.readouterr().out
    assert "✓ a.xlsx" in out and "b.xlsx" not in out and "新邮件 41 封" in out
    assert office.cli("config", "imap_folder=没有这个文件夹") == 0
    assert office.collect(monkeypatch) == 2
    assert "没有名为“没有这个文件夹”的文件夹" in capsys.readouterr().err


def test_program_own_submit_mail_and_since(
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office.configure()
    path = tmp_path / "市司法局-法治政府建设工作台账-2026年11月进展.xlsx"
    path.write_bytes(office.return_file(tmp_path, "x.xlsx", "市司法局"))
    draft = mail.Draft(OFFICE, "市司法局2026年11月法治政府建设工作台账进展情况", "附件", path,
                       "sfj@sfj.example.cn")  # fmt: skip
    office.box.deliver(mail.build_message(draft, unsent=False).as_bytes())
    parsed = parse_mail(mail.build_message(draft, unsent=False).as_bytes())
    assert [a.name for a in parsed.attachments] == [path.name]
    capsys.readouterr()
    # Mails before --since are not looked at (Dovecot dates them by arrival: today).
    assert office.collect(monkeypatch, "--since", "2099-01-01") == 0
    assert "没有新的报送邮件" in capsys.readouterr().out
    assert office.collect(monkeypatch) == 0
    assert f"✓ {path.name}：市司法局 2026-11" in capsys.readouterr().out


# --- failures: exit 2, a Chinese message, nothing recorded ---------------------------------------


def _one_mail(office: Office, tmp_path: Path) -> None:
    data = office.return_file(tmp_path, "a.xlsx", "市司法局")
    office.box.deliver(outlook("sfj@sfj.example.cn", "报送", [("a.xlsx", data)], SENT))


def _nothing_recorded(office: Office) -> None:
    assert office.returns() == [] and office.collected() == 0


@pytest.fixture
def lone_dovecot(dovecot: Dovecot) -> Iterator[Dovecot]:
    """A Dovecot of its own: after a wrong password Dovecot delays the next login from the same
    address by seconds (its anvil penalty), which would slow the session's other tests."""
    binary = dovecot_binary()
    assert binary is not None
    server = Dovecot(binary)
    try:
        yield server
    finally:
        server.stop()


def test_wrong_password(
    db_path: Path, lone_dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    office = Office(db_path, lone_dovecot, lone_dovecot.new_mailbox())
    office.configure()
    _one_mail(office, tmp_path)
    capsys.readouterr()
    assert office.collect(monkeypatch, password="wrong") == 2
    err = capsys.readouterr().err
    assert "拒绝了用户名或密码" in err and "没有记录任何内容" in err and "Traceback" not in err
    _nothing_recorded(office)


def test_unreachable_server(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    office.configure(port=free_port())
    capsys.readouterr()
    assert office.collect(monkeypatch) == 2
    err = capsys.readouterr().err
    assert "连接被拒绝" in err and "127.0.0.1" in err
    _nothing_recorded(office)


def test_tls_verified_against_the_ca_given_and_refused_otherwise(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _one_mail(office, tmp_path)
    office.configure(security="ssl")
    monkeypatch.setenv("SSL_CERT_FILE", str(office.dovecot.certs.other_ca))
    capsys.readouterr()
    assert office.collect(monkeypatch) == 2
    err = capsys.readouterr().err
    assert "证书无法验证" in err and "SSL_CERT_FILE" in err
    _nothing_recorded(office)
    # TLS on a plain port: a handshake failure, said plainly.
    office.configure(security="ssl", port=office.dovecot.port)
    assert office.collect(monkeypatch) == 2
    assert "加密" in capsys.readouterr().err
    _nothing_recorded(office)
    monkeypatch.setenv("SSL_CERT_FILE", str(office.dovecot.certs.ca))
    office.configure(security="starttls")
    assert office.collect(monkeypatch) == 0
    office.configure(security="ssl")
    assert office.collect(monkeypatch) == 0
    assert len(office.returns()) == 1


def test_settings_and_unit_mail_errors(
    office: Office, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert office.cli("collect", "--ledger", str(office.ledger)) == 2
    assert "还没有设置收取报送的邮箱" in capsys.readouterr().err
    assert office.cli("config", "--set-imap-password") == 2
    assert "请先设置 imap_host 和 imap_user" in capsys.readouterr().err
    office.configure()
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert office.cli("config", "--set-imap-password") == 2  # the tests' keyring is "none"
    assert "没有可用的系统密钥库" in capsys.readouterr().err
    assert "pw" not in (Path(os.environ["FAZHI_CONFIG_DIR"]) / "settings.json").read_text("utf-8")
    assert office.cli("config", "imap_security=tls9") == 2
    assert office.cli("config", "remind_template={单位}{未知}") == 2
    assert "{未知}" in capsys.readouterr().err
    ledger = str(office.ledger)
    assert office.cli("summary-units", "--ledger", ledger, "--mail", "某某局=a@b.cn") == 2
    assert "不在应报单位名单中" in capsys.readouterr().err
    assert office.cli("summary-units", "--ledger", ledger, "--mail", "市司法局=not-mail") == 2
    assert "不是有效的邮箱地址" in capsys.readouterr().err
    args = ("summary-units", "--ledger", ledger, "--mail", "市司法局=a@sfj.cn;b@sfj.cn")
    assert office.cli(*args) == 0
    assert "市司法局\ta@sfj.cn; b@sfj.cn" in capsys.readouterr().out


# --- 催报 ----------------------------------------------------------------------------------------


class Delivery:
    """An SMTP server that delivers mail for the office into its Maildir and keeps the rest."""

    def __init__(self, box: Mailbox) -> None:
        self.box = box
        self.others: list[tuple[str, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for rcpt in envelope.rcpt_tos:
            if rcpt.lower() == OFFICE:
                self.box.deliver(envelope.content)
            else:
                self.others.append((rcpt, envelope.content))
        return "250 OK"


@pytest.fixture
def delivery(inbox: Mailbox) -> Iterator[tuple[Delivery, int]]:
    handler = Delivery(inbox)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _unit_ledger(path: Path, unit: str, office: Office) -> Path:
    draft = LedgerDraft(
        title="2026年法治政府建设工作台账",
        short_title="法治政府建设工作台账",
        year=2026,
        unit=unit,
        mailbox=OFFICE,
        tasks=[TaskDraft(seq=s, title=t, progress=f"{unit}{p}") for s, t, p in office.rows],
    )
    db = open_database(path)
    with db.session() as s, s.begin():
        create_ledger(s, draft, period=NOV)
    db.close()
    return path


def _letters(delivery: Delivery) -> list[tuple[str, str, str]]:
    out = []
    for rcpt, raw in delivery.others:
        message = email.message_from_bytes(raw, policy=policy.default)
        body = message.get_body(("plain",))
        assert body is not None
        out.append((rcpt, str(message["Subject"]), body.get_content()))
    return out


def test_the_monthly_loop(
    office: Office,
    tmp_path: Path,
    delivery: tuple[Delivery, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Three units submit over SMTP into the office's mailbox; collect takes the three returns;
    the fourth unit is missing and is the only one 催报 writes; a second collect takes nothing."""
    handler, port = delivery
    for n, unit in enumerate(UNITS[:3]):
        unit_db = _unit_ledger(tmp_path / f"unit{n}.sqlite3", unit, office)
        smtp = ("smtp_host=127.0.0.1", f"smtp_port={port}", "smtp_security=none", "smtp_user=")
        assert office.cli("config", *smtp, f"smtp_from=u{n}@unit{n}.example.cn") == 0
        args = ("submit", "--smtp", "--period", NOV, "--dir", str(tmp_path / f"out{n}"))
        assert main(["--db", str(unit_db), "--today", "2026-11-25", *args]) == 0
    assert handler.others == []
    office.configure()
    ledger = str(office.ledger)
    contact = "市教育局=jyj@jyj.example.cn"
    assert office.cli("summary-units", "--ledger", ledger, "--mail", contact) == 0
    capsys.readouterr()

    assert office.collect(monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.count("✓ ") == 3 and "导入 3 个文件，失败 0 个" in out, out
    status = office.status(capsys)
    assert sorted(status["reported"] + status["late"]) == sorted(UNITS[:3])
    assert status["missing"] == ["市教育局"]

    assert office.cli("remind", "--ledger", ledger, "--period", NOV, "--smtp") == 0
    ((rcpt, subject, body),) = _letters(handler)
    assert rcpt == "jyj@jyj.example.cn" and "市教育局" in subject
    assert "市教育局-2026年法治政府建设工作方案-2026年11月进展.xlsx" in body
    assert "2026年11月30日" in body and "2026年11月" in body
    db = open_database(office.db_path)
    with db.session() as s:
        (sent,) = remind.reminders_of(s, office.ledger, NOV)
    db.close()
    assert (sent.unit, sent.recipient, sent.route) == ("市教育局", "jyj@jyj.example.cn", "smtp")
    assert office.status(capsys)["units"][3]["reminded"] == [f"{sent.local_time:%Y-%m-%d %H:%M}"]
    assert office.cli("report-status", "--ledger", ledger, "--period", NOV) == 0
    assert "未报送  市教育局  已催报 1 次" in capsys.readouterr().out

    capsys.readouterr()
    assert office.collect(monkeypatch) == 0
    assert "没有新的报送邮件" in capsys.readouterr().out
    assert len(office.returns()) == 3


def test_remind_dry_run_eml_and_units_without_address(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = str(office.ledger)
    assert office.cli("summary-units", "--ledger", ledger, "--mail", "市司法局=sfj@sfj.cn",
                      "--mail", "市委编办=bb@bb.cn") == 0  # fmt: skip
    template = "{单位}同志：请于{截止日期}前报送{期间}台账，文件名“{文件名}”。"
    assert office.cli("config", f"remind_template={template}") == 0
    capsys.readouterr()
    base = ("remind", "--ledger", ledger, "--period", NOV)
    assert office.cli(*base, "--smtp", "--dry-run") == 2  # two units have no address
    captured = capsys.readouterr()
    assert "将催报 市司法局 → sfj@sfj.cn" in captured.out and "市委编办" in captured.out
    assert "市财政局：没有联系邮箱" in captured.err
    folder = tmp_path / "催报"
    assert office.cli(*base, "--eml", str(folder)) == 2
    drafts = sorted(p.name for p in folder.iterdir())
    assert drafts == ["催报-市司法局.eml", "催报-市委编办.eml"]
    message = email.message_from_bytes((folder / drafts[0]).read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1" and message["To"] == "sfj@sfj.cn"
    body = message.get_body(("plain",))
    assert body is not None and body.get_content().startswith("市司法局同志：请于2026年11月30日前")
    db = open_database(office.db_path)
    with db.session() as s:
        assert [r.unit for r in remind.reminders_of(s, office.ledger)] == ["市司法局", "市委编办"]
    db.close()


def test_remind_wrong_smtp_password_records_nothing(
    office: Office,
    smtp_server: tuple[Any, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp_server
    ledger = str(office.ledger)
    assert office.cli("summary-units", "--ledger", ledger, "--mail", "市司法局=sfj@sfj.cn") == 0
    smtp = ("smtp_host=127.0.0.1", f"smtp_port={port}", "smtp_user=clerk", "smtp_from=c@fzb.cn")
    assert office.cli("config", *smtp) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    capsys.readouterr()
    base = ("remind", "--ledger", ledger, "--period", NOV, "--smtp", "--password-stdin")
    assert office.cli(*base) == 2
    assert "未记录催报" in capsys.readouterr().err
    assert inbox.messages == []
    db = open_database(office.db_path)
    with db.session() as s:
        assert remind.reminders_of(s, office.ledger) == []
    db.close()
