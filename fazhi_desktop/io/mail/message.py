"""The 报送 mail: a ready-to-send ``.eml`` draft, or the same message sent over SMTP.

Python's ``email`` package does the encoding: RFC 2047 for Chinese headers and RFC 2231 for
the attachment's Chinese file name, which Outlook, Foxmail and webmail all decode.
"""

from __future__ import annotations

import base64
import mimetypes
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid
from pathlib import Path

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.io.atomic import write_bytes_atomic
from fazhi_desktop.textnorm import one_line

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_PORTS = {"none": 25, "ssl": 465, "starttls": 587}
# Headers set with set_raw (the attachment's Content-Type) go out exactly as built: the policy's
# refolding turns the long xlsx subtype into an encoded-word that no client understands.
_POLICY = SMTP_POLICY.clone(refold_source="none")
TIMEOUT_SECONDS = 30


class SendError(FazhiError):
    """The mail could not be sent; the message says why in plain Chinese."""


@dataclass(frozen=True, slots=True)
class Draft:
    to: str
    subject: str
    body: str
    # None: a mail without attachment (a 催报).
    attachment: Path | None
    sender: str = ""


def build_message(draft: Draft, *, unsent: bool) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    # A line break in a header would be header injection (Python refuses to send it): the unit
    # and title reach the subject from settings and imported cells, so they are cleaned here.
    if draft.sender:
        message["From"] = one_line(draft.sender)
    message["To"] = ", ".join(one_line(a) for a in draft.to.split(";") if a.strip())
    message["Subject"] = one_line(draft.subject)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="fazhi.local")
    if unsent:
        # Outlook (and Foxmail) open a message carrying this header as a new, editable draft
        # with a Send button, instead of as a received mail.
        message["X-Unsent"] = "1"
    message.set_content(draft.body, charset="utf-8")
    if draft.attachment is None:
        return message
    ctype = mimetypes.guess_type(draft.attachment.name)[0] or XLSX_TYPE
    maintype, subtype = ctype.split("/", 1)
    name = one_line(draft.attachment.name)
    message.add_attachment(
        draft.attachment.read_bytes(), maintype=maintype, subtype=subtype, filename=name
    )
    for part in message.iter_attachments():
        # Content-Disposition carries the name per RFC 2231 (filename*=utf-8''…). Older Outlook
        # and Foxmail take it from Content-Type's name=, as RFC 2047 encoded-words.
        del part["Content-Type"]
        part.set_raw("Content-Type", f'{ctype};\n name="{_encoded_words(name)}"')
    return message


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 encoded-words, one per folded line (each line under 78 bytes)."""
    if text.isascii():
        return text.replace("\\", "_").replace('"', "_")
    words = Header(text, "utf-8", maxlinelen=70).encode(linesep="\n").split("\n")
    return "\n ".join(word.strip() for word in words)


def write_eml(draft: Draft, target: Path) -> Path:
    write_bytes_atomic(target, build_message(draft, unsent=True).as_bytes())
    return target


@dataclass(frozen=True, slots=True)
class Server:
    host: str
    port: int = 0
    security: str = "none"
    user: str = ""

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS.get(self.security, 25)

    def describe(self) -> str:
        return f"{self.host}:{self.effective_port}"


def send(
    draft: Draft, server: Server, password: str | None, *, unrecorded: str = "未记录报送"
) -> list[str]:
    """Send over SMTP; returns the recipients the server refused while accepting the others.

    Raises :class:`SendError` with a Chinese explanation when nothing was delivered, ending in
    ``unrecorded`` (what the program did not record because of it).
    """
    if not server.host:
        raise SendError(
            "还没有设置 SMTP 服务器。请在“工具 → 程序设置”中填写，或改用“生成邮件草稿”。"
        )
    if not draft.sender:
        raise SendError("还没有设置发件人邮箱（smtp_from）。请在程序设置中填写。")
    message = build_message(draft, unsent=False)
    where = server.describe()
    try:
        client = _connect(server)
        try:
            if server.user:
                _login(client, server.user, password or "")
            refused = client.send_message(message)
        finally:
            _quit(client)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"邮件服务器 {where} 拒绝了用户名或密码（{_server_says(exc)}）。"
            "请核对 SMTP 用户名和密码后重试；"
            f"{unrecorded}。"
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(
            f"邮件服务器 {where} 不支持所选的登录或加密方式。请在程序设置中更换加密方式"
            f"（none/ssl/starttls）后重试；{unrecorded}。"
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(
            f"邮件服务器拒绝了收件人“{draft.to}”。请核对报送邮箱；{unrecorded}。"
        ) from exc
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(
            f"邮件服务器拒绝了发件人“{draft.sender}”（{_server_says(exc)}）。"
            f"请核对发件人邮箱是否与登录用户一致；{unrecorded}。"
        ) from exc
    except smtplib.SMTPException as exc:
        raise SendError(f"发送失败：邮件服务器 {where} 返回错误（{exc}）。{unrecorded}。") from exc
    except ssl.SSLError as exc:
        raise SendError(
            f"与邮件服务器 {where} 建立加密连接失败（{exc.reason or exc}）。"
            f"请检查加密方式和端口是否匹配（SSL 常用 465，STARTTLS 常用 587）；{unrecorded}。"
        ) from exc
    except TimeoutError as exc:
        raise SendError(
            f"连接邮件服务器 {where} 超时。请检查网络或服务器地址；{unrecorded}。"
        ) from exc
    except socket.gaierror as exc:
        raise SendError(
            f"找不到邮件服务器“{server.host}”（名称无法解析）。请检查 smtp_host：只写服务器名，"
            f"如 mail.example.gov.cn，不带端口（端口写在 smtp_port）；{unrecorded}。"
        ) from exc
    except ConnectionRefusedError as exc:
        raise SendError(
            f"无法连接邮件服务器 {where}：连接被拒绝。请检查服务器地址和端口，"
            f"或联系网络管理员；{unrecorded}。"
        ) from exc
    except OSError as exc:
        raise SendError(
            f"无法连接邮件服务器 {where}（{exc.strerror or exc}）。请检查服务器地址和网络；"
            f"{unrecorded}。"
        ) from exc
    # Some recipients accepted: the mail went out, so it must be recorded, naming who got it.
    return sorted(refused)


def _connect(server: Server) -> smtplib.SMTP:
    port = server.effective_port
    if server.security not in DEFAULT_PORTS:
        # Never fall back to plain text for a setting this program does not know.
        raise SendError(
            f"SMTP 加密方式“{server.security}”无法识别。请在程序设置中选择 none、ssl 或 starttls；"
            "未发送，未记录报送。"
        )
    if server.security == "ssl":
        return smtplib.SMTP_SSL(
            server.host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    client = smtplib.SMTP(server.host, port, timeout=TIMEOUT_SECONDS)
    if server.security == "starttls":
        client.starttls(context=ssl.create_default_context())
    return client


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    if (user + password).isascii():
        client.login(user, password)
        return
    # smtplib encodes credentials as ASCII; AUTH PLAIN is defined over UTF-8 (RFC 4616), so a
    # password with Chinese characters goes out that way instead of crashing.
    client.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, response = client.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, response)


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _server_says(exc: smtplib.SMTPResponseException) -> str:
    detail = exc.smtp_error
    text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
    return f"{exc.smtp_code} {text}".strip()
