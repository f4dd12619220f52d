"""报送: the standard file name, the .eml draft, SMTP delivery to a real local server, the log."""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import io
import json
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import TODAY

from fazhi_desktop.cli import main
from fazhi_desktop.io.mail import message as mail
from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import submit
from fazhi_desktop.settings import AppSettings

UNIT = "濮阳市科学技术局"
NAME = f"{UNIT}-法治政府建设工作台账-2026年11月进展.xlsx"
SUBJECT = f"{UNIT}2026年11月法治政府建设工作台账进展情况"


def _cli(db: Path, *args: str) -> int:
    return main(["--db", str(db), "--today", TODAY.isoformat(), *args])


def _parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _attachment(message: EmailMessage) -> tuple[str, bytes]:
    parts = list(message.iter_attachments())
    assert len(parts) == 1
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return parts[0].get_filename() or "", payload


def _submissions(db_path: Path) -> list[submit.SubmissionRecord]:
    db = open_database(db_path)
    try:
        with db.session() as s:
            return submit.list_submissions(s)
    finally:
        db.close()


# --- file names -------------------------------------------------------------------------------


def test_standard_names() -> None:
    assert (
        submit.standard_file_name("甲局", "冲刺台账", "2026年11月")
        == "甲局-冲刺台账-2026年11月进展.xlsx"
    )
    assert (
        submit.standard_file_name("A/B局", "台账", "2026年第4季度")
        == "A_B局-台账-2026年第4季度进展.xlsx"
    )
    assert submit.subject_line("甲局", "2026年2月") == "甲局2026年2月法治政府建设工作台账进展情况"


# --- the .eml draft -----------------------------------------------------------------------------


def test_eml_draft_round_trips(demo_db: Path, tmp_path: Path) -> None:
    eml = tmp_path / "out" / "报送草稿.eml"
    assert _cli(demo_db, "submit", "--eml", str(eml)) == 0
    xlsx = tmp_path / "out" / NAME
    assert xlsx.is_file()

    raw = eml.read_bytes()
    assert raw.isascii(), "every header and part is transfer-encoded"
    message = _parse(raw)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "6666209@163.com"
    assert message["Subject"] == SUBJECT
    assert message["Date"] and message["Message-ID"]
    assert "filename*" in raw.decode("ascii"), "RFC 2231 parameter encoding"
    name, payload = _attachment(message)
    assert name == NAME
    assert payload == xlsx.read_bytes()
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert UNIT in text and NAME in text

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(payload), read_only=True)
    try:
        values = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
        assert any("填报单位" in str(v) and UNIT in str(v) for v in values)
    finally:
        wb.close()

    (logged,) = _submissions(demo_db)
    assert logged.route == "eml" and logged.period == "2026-11"
    assert logged.recipient == "6666209@163.com" and logged.file_name == NAME
    assert logged.sha256 == hashlib.sha256(xlsx.read_bytes()).hexdigest()


def test_eml_uses_the_requested_period_and_settings(demo_db: Path, tmp_path: Path) -> None:
    assert _cli(demo_db, "config", "unit=市委/编办", "mailbox=a@x.cn;b@y.cn") == 0
    eml = tmp_path / "d.eml"
    assert _cli(demo_db, "submit", "--period", "2026-02", "--eml", str(eml)) == 0
    message = _parse(eml.read_bytes())
    assert message["Subject"] == "市委/编办2026年2月法治政府建设工作台账进展情况"
    assert message["To"] == "a@x.cn, b@y.cn"
    name, _ = _attachment(message)
    assert name == "市委_编办-法治政府建设工作台账-2026年2月进展.xlsx"
    assert (tmp_path / name).is_file()


def test_submit_without_mailbox_is_refused(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(demo_db, "config", "mailbox=") == 0
    capsys.readouterr()
    out = tmp_path / "out"
    assert _cli(demo_db, "submit", "--eml", str(out / "x.eml")) == 2
    assert "报送邮箱" in capsys.readouterr().err
    assert not out.exists()
    assert _submissions(demo_db) == []


# --- SMTP against a real server on 127.0.0.1 ----------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _authenticator(_server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == b"clerk"
        and data.password == b"s3cret-\xe5\xaf\x86".decode("utf-8").encode("utf-8")
    )
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _configure_smtp(db: Path, port: int, user: str = "clerk") -> None:
    assert (
        _cli(
            db,
            "config",
            "smtp_host=127.0.0.1",
            f"smtp_port={port}",
            "smtp_security=none",
            f"smtp_user={user}",
            "smtp_from=clerk@kjj.gov.cn",
        )
        == 0
    )


def test_smtp_delivers_the_attachment(
    demo_db: Path, tmp_path: Path, smtp_server: tuple[_Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_server
    _configure_smtp(demo_db, port)
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-密\n"))
    assert _cli(demo_db, "submit", "--smtp", "--password-stdin", "--dir", str(tmp_path)) == 0

    ((sender, rcpts, content),) = inbox.messages
    assert sender == "clerk@kjj.gov.cn" and rcpts == ["6666209@163.com"]
    message = _parse(content)
    assert message["Subject"] == SUBJECT
    assert message["X-Unsent"] is None, "a sent mail is not a draft"
    name, payload = _attachment(message)
    assert name == NAME
    assert payload == (tmp_path / NAME).read_bytes()
    (logged,) = _submissions(demo_db)
    assert logged.route == "smtp" and logged.sha256 == hashlib.sha256(payload).hexdigest()


def test_smtp_wrong_password_records_nothing(
    demo_db: Path,
    tmp_path: Path,
    smtp_server: tuple[_Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp_server
    _configure_smtp(demo_db, port)
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    capsys.readouterr()
    assert _cli(demo_db, "submit", "--smtp", "--password-stdin", "--dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "用户名或密码" in err and "未记录报送" in err
    assert inbox.messages == []
    assert _submissions(demo_db) == []


def test_smtp_refused_connection_records_nothing(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _configure_smtp(demo_db, _free_port(), user="")
    capsys.readouterr()
    assert _cli(demo_db, "submit", "--smtp", "--dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "连接被拒绝" in err and "127.0.0.1" in err
    assert _submissions(demo_db) == []


def test_smtp_not_configured(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(demo_db, "submit", "--smtp") == 2
    assert "SMTP 服务器" in capsys.readouterr().err
    assert _submissions(demo_db) == []


def test_smtp_password_from_an_in_memory_keyring(
    demo_db: Path, tmp_path: Path, smtp_server: tuple[_Inbox, int]
) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    inbox, port = smtp_server
    _configure_smtp(demo_db, port)
    previous = keyring.get_keyring()
    memory = Memory()
    keyring.set_keyring(memory)
    try:
        from fazhi_desktop.io.mail import secrets

        assert secrets.store_password("127.0.0.1", "clerk", "s3cret-密")
        assert _cli(demo_db, "submit", "--smtp", "--dir", str(tmp_path)) == 0
    finally:
        keyring.set_keyring(previous)
    assert len(inbox.messages) == 1
    settings_file = Path(__import__("os").environ["FAZHI_CONFIG_DIR"]) / "settings.json"
    assert "s3cret" not in settings_file.read_text(encoding="utf-8")


def test_no_keyring_means_no_stored_password() -> None:
    from fazhi_desktop.io.mail import secrets

    assert secrets.store_password("h", "u", "p") is False
    assert secrets.get_password("h", "u") is None


def test_submissions_json(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(demo_db, "submit", "--eml", str(tmp_path / "a.eml")) == 0
    capsys.readouterr()
    assert _cli(demo_db, "submissions", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["period"] == "2026-11" and row["route"] == "eml"
    assert dt.datetime.fromisoformat(row["submitted_at"].rstrip("Z"))
    assert row["file_name"] == NAME and len(row["sha256"]) == 64


def test_send_reports_a_server_error_plainly(tmp_path: Path) -> None:
    attachment = tmp_path / "a.xlsx"
    attachment.write_bytes(b"x")
    draft = mail.Draft("a@b.cn", "s", "b", attachment, sender="")
    with pytest.raises(mail.SendError, match="发件人"):
        mail.send(draft, mail.Server("127.0.0.1", 1), None)
    assert AppSettings().smtp_security == "none"
