"""The 报送 mail: a ready-to-send ``.eml`` draft, or the same message sent over SMTP.

Python's ``email`` package does the encoding: RFC 2047 for Chinese headers and RFC 2231 for
the attachment's Chinese file name, which Outlook, Foxmail and webmail all decode.
"""

from __future__ import annotations

import base64
import mimetypes
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid
from pathlib import Path

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.io.atomic import write_bytes_atomic

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_PORTS = {"none": 25, "ssl": 465, "starttls": 587}
TIMEOUT_SECONDS = 30


class SendError(FazhiError):
    """The mail could not be sent; the message says why in plain Chinese."""


@dataclass(frozen=True, slots=True)
class Draft:
    to: str
    subject: str
    body: str
    attachment: Path
    sender: str = ""


def build_message(draft: Draft, *, unsent: bool) -> EmailMessage:
    message = EmailMessage(policy=SMTP_POLICY)
    if draft.sender:
        message["From"] = draft.sender
    message["To"] = ", ".join(a.strip() for a in draft.to.split(";") if a.strip())
    message["Subject"] = draft.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="fazhi.local")
    if unsent:
        # Outlook (and Foxmail) open a message carrying this header as a new, editable draft
        # with a Send button, instead of as a received mail.
        message["X-Unsent"] = "1"
    message.set_content(draft.body, charset="utf-8")
    ctype = mimetypes.guess_type(draft.attachment.name)[0] or XLSX_TYPE
    maintype, subtype = ctype.split("/", 1)
    message.add_attachment(
        draft.attachment.read_bytes(),
        maintype=maintype,
        subtype=subtype,
        filename=draft.attachment.name,
    )
    # Older Outlook versions take the name from Content-Type rather than Content-Disposition.
    for part in message.iter_attachments():
        part.set_param("name", draft.attachment.name, header="Content-Type")
    return message


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


def send(draft: Draft, server: Server, password: str | None) -> None:
    """Send over SMTP; raises :class:`SendError` with a Chinese explanation on any failure."""
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
            "请核对 SMTP 用户名和密码后重试；未记录报送。"
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(
            f"邮件服务器 {where} 不支持所选的登录或加密方式。请在程序设置中更换加密方式"
            "（none/ssl/starttls）后重试；未记录报送。"
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(
            f"邮件服务器拒绝了收件人“{draft.to}”。请核对报送邮箱；未记录报送。"
        ) from exc
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(
            f"邮件服务器拒绝了发件人“{draft.sender}”（{_server_says(exc)}）。"
            "请核对发件人邮箱是否与登录用户一致；未记录报送。"
        ) from exc
    except smtplib.SMTPException as exc:
        raise SendError(f"发送失败：邮件服务器 {where} 返回错误（{exc}）。未记录报送。") from exc
    except ssl.SSLError as exc:
        raise SendError(
            f"与邮件服务器 {where} 建立加密连接失败（{exc.reason or exc}）。"
            "请检查加密方式和端口是否匹配（SSL 常用 465，STARTTLS 常用 587）；未记录报送。"
        ) from exc
    except TimeoutError as exc:
        raise SendError(
            f"连接邮件服务器 {where} 超时。请检查网络或服务器地址；未记录报送。"
        ) from exc
    except ConnectionRefusedError as exc:
        raise SendError(
            f"无法连接邮件服务器 {where}：连接被拒绝。请检查服务器地址和端口，"
            "或联系网络管理员；未记录报送。"
        ) from exc
    except OSError as exc:
        raise SendError(
            f"无法连接邮件服务器 {where}（{exc.strerror or exc}）。请检查服务器地址和网络；"
            "未记录报送。"
        ) from exc
    if refused:
        raise SendError(f"邮件服务器拒绝了部分收件人：{'、'.join(refused)}。未记录报送。")


def _connect(server: Server) -> smtplib.SMTP:
    port = server.effective_port
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
