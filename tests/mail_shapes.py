"""Mails carrying returns, written the way the units' mail programs write them.

Outlook: UTF-8 subject as RFC 2047, attachment name per RFC 2231 (``filename*=utf-8''…``).
Foxmail: GBK subject and a GBK RFC 2047 encoded-word inside the quoted ``name=``/``filename=``.
Forwarded: the unit's mail attached whole (``message/rfc822``) to a forwarding mail.
The program's own ``submit`` message is built by ``io.mail.message.build_message`` itself.
"""

from __future__ import annotations

import base64
import datetime as dt
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OFFICE = "fazhiban@fzb.example.gov.cn"


def _date(day: dt.date) -> str:
    return format_datetime(dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=dt.UTC))


def outlook(
    sender: str, subject: str, files: list[tuple[str, bytes]], day: dt.date
) -> bytes:
    message = EmailMessage()
    message["From"] = f"{Header('办公室', 'utf-8').encode()} <{sender}>"
    message["To"] = OFFICE
    message["Subject"] = subject  # non-ASCII: the policy writes RFC 2047 UTF-8 words
    message["Date"] = _date(day)
    message["Message-ID"] = make_msgid(domain="outlook.example.cn")
    message.set_content("请查收附件。\n", charset="utf-8")
    for name, data in files:
        maintype, subtype = (XLSX if name.endswith(".xlsx") else DOCX).split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    raw = message.as_bytes(policy=SMTP)
    if any(not name.isascii() for name, _data in files):
        assert b"*=utf-8''" in raw, "Outlook writes the name per RFC 2231 (continued)"
    return raw


def foxmail(sender: str, subject: str, name: str, data: bytes, day: dt.date) -> bytes:
    """Built by hand: Python's email package would never write a name this way."""
    gbk_subject = Header(subject, "gbk").encode()
    gbk_name = Header(name, "gbk").encode()
    body = base64.encodebytes("请查收。".encode("gbk")).decode()
    attached = base64.encodebytes(data).decode()
    text = (
        f"From: \"=?GBK?B?{base64.b64encode('张三'.encode('gbk')).decode()}?=\" <{sender}>\r\n"
        f"To: {OFFICE}\r\n"
        f"Subject: {gbk_subject}\r\n"
        f"Date: {_date(day)}\r\n"
        f"Message-ID: <{dt.datetime.now().timestamp()}.fox@foxmail.example.cn>\r\n"
        "X-Mailer: Foxmail 7.2.25.375[cn]\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="----=_NextPart_fox"\r\n'
        "\r\n"
        "------=_NextPart_fox\r\n"
        'Content-Type: text/plain; charset="GBK"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        f"{body}\r\n"
        "------=_NextPart_fox\r\n"
        f'Content-Type: application/octet-stream;\r\n\tname="{gbk_name}"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        f'Content-Disposition: attachment;\r\n\tfilename="{gbk_name}"\r\n\r\n'
        f"{attached}\r\n"
        "------=_NextPart_fox--\r\n"
    )
    return text.encode("ascii")


def forwarded(forwarder: str, inner: bytes, day: dt.date) -> bytes:
    from email import message_from_bytes

    message = EmailMessage()
    message["From"] = forwarder
    message["To"] = OFFICE
    message["Subject"] = "转发：报送材料"
    message["Date"] = _date(day)
    message["Message-ID"] = make_msgid(domain="fwd.example.cn")
    message.set_content("转发一下，请查收。\n", charset="utf-8")
    message.add_attachment(message_from_bytes(inner))
    raw = message.as_bytes(policy=SMTP)
    assert b"message/rfc822" in raw
    return raw
