"""Reading the collection mailbox over IMAP (Python's ``imaplib``), without changing it.

The folder is opened read-only (EXAMINE) and bodies are fetched with ``BODY.PEEK``: nothing is
deleted, moved or marked, whatever the program does with the mail. TLS is always verified
against the system's certificates (``SSL_CERT_FILE`` names another CA file, as for SMTP).
"""

from __future__ import annotations

import base64
import datetime as dt
import imaplib
import re
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from fazhi_desktop.errors import FazhiError

DEFAULT_PORTS = {"none": 143, "ssl": 993, "starttls": 143}
TIMEOUT_SECONDS = 30
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NOTHING = "未收取任何邮件，也没有记录任何内容"
# A failure after some mails were taken: those stay recorded, the rest wait for the next run.
_PARTLY = "此前已收取的报送已记录，其余邮件请稍后再次收取"
T = TypeVar("T")


class ReceiveError(FazhiError):
    """The mailbox could not be read; the message says why in plain Chinese."""


@dataclass(frozen=True, slots=True)
class ImapServer:
    host: str
    port: int = 0
    security: str = "ssl"
    user: str = ""
    folder: str = "INBOX"

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS.get(self.security, 993)

    def describe(self) -> str:
        return f"{self.host}:{self.effective_port}"


def encode_folder(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3): ``收件箱`` → ``&ZS5O9n7x-``."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode("ascii").rstrip("=").replace("/", ","))
            out.append("-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def uid_set(uids: list[bytes]) -> str:
    """``1,2,3,7,9,10`` → ``1:3,7,9:10``: a mailbox of thousands of mails in one short command
    (servers limit a command line's length)."""
    numbers = sorted({int(u) for u in uids})
    parts: list[str] = []
    start = prev = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == prev + 1:
            prev = number
            continue
        parts.append(str(start) if start == prev else f"{start}:{prev}")
        if number is not None:
            start = prev = number
    return ",".join(parts)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    """One logged-in, read-only session on the folder; use as a context manager."""

    def __init__(self, server: ImapServer, password: str | None) -> None:
        self.server = server
        self._client = _guarded(server, lambda: _open(server, password or ""), _NOTHING)

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            self._client.logout()
        except (imaplib.IMAP4.error, OSError):
            self._client.shutdown()

    def message_ids(self, since: dt.date | None) -> dict[bytes, tuple[str, int]]:
        """The UIDs of the folder's mails (received on or after ``since``) with their Message-ID
        header as written (``""`` when a mail has none) and their size in bytes."""

        def run() -> dict[bytes, tuple[str, int]]:
            criteria = (
                f"SINCE {since.day}-{_MONTHS[since.month - 1]}-{since.year}" if since else "ALL"
            )
            typ, data = self._client.uid("SEARCH", criteria)
            _ok(typ, data)
            uids = data[0].split() if data and data[0] else []
            if not uids:
                return {}
            typ, data = self._client.uid(
                "FETCH", uid_set(uids), "(RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
            )
            _ok(typ, data)
            found: dict[bytes, tuple[str, int]] = {}
            for item in data:
                if isinstance(item, tuple):
                    uid = re.search(rb"UID (\d+)", item[0])
                    size = re.search(rb"RFC822\.SIZE (\d+)", item[0])
                    if uid:
                        found[uid.group(1)] = (
                            _message_id(item[1]),
                            int(size.group(1)) if size else 0,
                        )
            return {uid: found.get(uid, ("", 0)) for uid in uids}

        return _guarded(self.server, run, _PARTLY)

    def fetch(self, uid: bytes, *, header_only: bool = False) -> bytes:
        """The whole mail (or only its header), as the server holds it, without marking it
        read."""
        section = "(BODY.PEEK[HEADER])" if header_only else "(BODY.PEEK[])"

        def run() -> bytes:
            typ, data = self._client.uid("FETCH", uid.decode(), section)
            _ok(typ, data)
            for item in data:
                if isinstance(item, tuple):
                    return bytes(item[1])
            raise imaplib.IMAP4.error(f"no body for UID {uid!r}")

        return _guarded(self.server, run, _PARTLY)


def iter_new(
    mailbox: Mailbox, since: dt.date | None, known: set[str]
) -> Iterator[tuple[bytes, int]]:
    """The UIDs and sizes of mails whose Message-ID is not in ``known`` (mails without one:
    all)."""
    for uid, (message_id, size) in mailbox.message_ids(since).items():
        if not message_id or message_id not in known:
            yield uid, size


def _message_id(header: bytes) -> str:
    text = header.decode("ascii", "replace")
    found = re.search(r"<[^<>\s]+>", text)
    return found.group(0) if found else ""


def _ok(typ: str, data: object) -> None:
    if typ != "OK":
        raise imaplib.IMAP4.error(f"{typ} {data!r}")


def _open(server: ImapServer, password: str) -> imaplib.IMAP4:
    if server.security not in DEFAULT_PORTS:
        # Never fall back to plain text for a setting this program does not know.
        raise ReceiveError(
            f"IMAP 加密方式“{server.security}”无法识别。请用 fazhi config imap_security=ssl "
            f"（或 none、starttls）设置；{_NOTHING}。"
        )
    port = server.effective_port
    client: imaplib.IMAP4
    if server.security == "ssl":
        client = imaplib.IMAP4_SSL(
            server.host, port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT_SECONDS
        )
    else:
        client = imaplib.IMAP4(server.host, port, timeout=TIMEOUT_SECONDS)
        if server.security == "starttls":
            client.starttls(ssl_context=ssl.create_default_context())
    try:
        try:
            _login(client, server.user, password)
        except imaplib.IMAP4.error as exc:
            raise ReceiveError(
                f"邮件服务器 {server.describe()} 拒绝了用户名或密码（{exc}）。请核对 imap_user "
                f"和密码（fazhi config --set-imap-password）后重试；{_NOTHING}。"
            ) from exc
        typ, data = client.select(_quoted(_folder_on(client, server.folder)), readonly=True)
        if typ != "OK":
            raise ReceiveError(
                f"邮箱中没有名为“{server.folder}”的文件夹（服务器答复：{_text(data)}）。"
                f"请用 fazhi config imap_folder=INBOX 改为正确的文件夹；{_NOTHING}。"
            )
    except BaseException:
        client.shutdown()
        raise
    return client


def _folder_on(client: imaplib.IMAP4, folder: str) -> str:
    """``报送/2026年`` as this server writes it: levels joined by its own separator (``/`` on
    Exchange and Coremail, ``.`` on many Dovecot), each in modified UTF-7."""
    separator = "/"
    if "/" in folder:
        typ, data = client.list('""', '""')
        line = data[0] if typ == "OK" and data else None
        found = re.search(rb'\) "(.)"', line) if isinstance(line, bytes) else None
        if found:
            separator = found.group(1).decode("ascii")
    return separator.join(encode_folder(part) for part in folder.split("/"))


def _login(client: imaplib.IMAP4, user: str, password: str) -> None:
    if (user + password).isascii():
        client.login(user, password)
        return
    # imaplib sends LOGIN's arguments as ASCII; AUTHENTICATE PLAIN carries UTF-8 (RFC 4616).
    client.authenticate("PLAIN", lambda _challenge: f"\0{user}\0{password}".encode())


def _text(data: object) -> str:
    if isinstance(data, list) and data and isinstance(data[0], bytes):
        return data[0].decode("utf-8", "replace")
    return str(data)


def _guarded(server: ImapServer, work: Callable[[], T], after: str) -> T:
    """Run ``work``, turning every network or protocol failure into a :class:`ReceiveError`."""
    where = server.describe()
    try:
        return work()
    except ReceiveError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise ReceiveError(
            f"邮件服务器 {where} 的证书无法验证（{exc.verify_message or exc.reason}）。"
            "若单位内网邮件服务器使用自签证书，请向网络管理员要证书文件，并用环境变量 "
            f"SSL_CERT_FILE 指向它；{after}。"
        ) from exc
    except ssl.SSLError as exc:
        raise ReceiveError(
            f"与邮件服务器 {where} 建立加密连接失败（{exc.reason or exc}）。请检查 IMAP "
            f"加密方式和端口是否匹配（SSL 常用 993，STARTTLS/不加密常用 143）；{after}。"
        ) from exc
    except imaplib.IMAP4.error as exc:
        raise ReceiveError(f"邮件服务器 {where} 返回错误（{exc}）。{after}。") from exc
    except TimeoutError as exc:
        raise ReceiveError(
            f"连接邮件服务器 {where} 超时。请检查网络或服务器地址；{after}。"
        ) from exc
    except socket.gaierror as exc:
        raise ReceiveError(
            f"找不到邮件服务器“{server.host}”（名称无法解析）。请检查 imap_host：只写服务器名，"
            f"如 mail.example.gov.cn，不带端口和 imap://（端口写在 imap_port）；{after}。"
        ) from exc
    except ConnectionRefusedError as exc:
        raise ReceiveError(
            f"无法连接邮件服务器 {where}：连接被拒绝。请检查 imap_host 和 imap_port，"
            f"或联系网络管理员；{after}。"
        ) from exc
    except OSError as exc:
        raise ReceiveError(
            f"无法连接邮件服务器 {where}（{exc.strerror or exc}）。请检查服务器地址和网络；"
            f"{after}。"
        ) from exc
