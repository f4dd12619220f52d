"""A received mail, as ``collect`` needs it: who sent it, when, and the files attached.

Clients write attachment names differently: RFC 2231 (``filename*=utf-8''…``, Outlook and
this program's ``submit``), RFC 2047 encoded-words inside the quotes (``name="=?GBK?B?…?="``,
Foxmail and older Outlook), or raw GBK bytes. A return forwarded as a whole mail sits inside a
``message/rfc822`` part; the walk goes into it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import hashlib
import re
from dataclasses import dataclass
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from fazhi_desktop.textnorm import one_line


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class IncomingMail:
    message_id: str
    sender: str  # the From address, lower case ("" when none can be read)
    subject: str
    date: dt.date | None
    attachments: tuple[Attachment, ...]


def parse_mail(raw: bytes) -> IncomingMail:
    # compat32 keeps headers as written (8-bit bytes as surrogates), so a name no standard
    # covers can still be decoded below instead of becoming replacement characters.
    message = email.message_from_bytes(raw)
    message_id = _message_id(message)
    if not message_id:
        # Without a Message-ID the mail's own bytes identify it: the same mail, the same key.
        message_id = "<sha256:" + hashlib.sha256(raw).hexdigest() + ">"
    return IncomingMail(
        message_id=message_id,
        sender=_sender(message),
        subject=_header_text(message, "Subject"),
        date=_date(message),
        attachments=tuple(_attachments(message)),
    )


def decode_text(value: str) -> str:
    """A header value as text: RFC 2047 encoded-words decoded, raw UTF-8 or GBK bytes read."""
    if any("\udc80" <= c <= "\udcff" for c in value):
        data = value.encode("ascii", "surrogateescape")
        for codec in ("utf-8", "gb18030"):  # UTF-8 is strict, so it goes first
            try:
                value = data.decode(codec)
                break
            except UnicodeDecodeError:
                continue
        else:
            value = data.decode("utf-8", "replace")
    if "=?" in value:
        try:
            words = decode_header(value)
        except ValueError:  # a malformed encoded-word: keep the text as written
            words = [(value, None)]
        value = "".join(
            w if isinstance(w, str) else text_of(w, charset or "ascii") for w, charset in words
        )
    return one_line(value).strip()


# Names Chinese mail programs declare for what Python calls gb18030 (a superset of them all):
# a "gb2312" name often holds GBK-only characters, and "x-gbk" is no codec Python knows.
_GB = {"gb2312", "gbk", "x-gbk", "cp936", "x-cp936", "gb_2312-80", "euc-cn", "x-euc-cn"}


def text_of(data: bytes, charset: str) -> str:
    """Bytes in the charset a mail declared, or, when that is unknown or wrong (GBK bytes
    declared UTF-8), in UTF-8 or GB18030 — never a name of replacement characters."""
    declared = charset.strip().lower()
    declared = "gb18030" if declared in _GB else declared
    for codec in (declared, "utf-8", "gb18030"):
        try:
            codecs.lookup(codec)
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _raw_header(message: Message, name: str) -> str:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _header_text(message: Message, name: str) -> str:
    return decode_text(_raw_header(message, name))


def _message_id(message: Message) -> str:
    found = re.search(r"<[^<>\s]+>", _raw_header(message, "Message-ID"))
    return found.group(0) if found else ""


def _sender(message: Message) -> str:
    for _name, address in getaddresses([_header_text(message, "From")]):
        if "@" in address:
            return address.strip().lower()
    return ""


def _date(message: Message) -> dt.date | None:
    raw = _raw_header(message, "Date")
    if not raw:
        return None
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    # The day the office received it, on the office's clock.
    return when.astimezone().date() if when.tzinfo else when.date()


def _attachments(message: Message) -> list[Attachment]:
    found: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = file_name(part)
        if not name:
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            found.append(Attachment(name, data))
    return found


def file_name(part: Message) -> str:
    """The part's file name, decoded however the client wrote it; ``""`` for body text."""
    name = _rfc2231_name(part) or part.get_filename() or ""
    if "\ufffd" in name:
        # Raw 8-bit bytes in the header: read the name from the header as written.
        for header in ("Content-Disposition", "Content-Type"):
            raw = decode_text(_raw_header(part, header))
            holder = Message()
            holder["Content-Type"] = raw.replace("\n", " ")
            param = "filename" if header == "Content-Disposition" else "name"
            found = holder.get_param(param)
            if isinstance(found, str) and found:
                name = found
                break
    name = decode_text(name)
    return name.replace("/", "_").replace("\\", "_")


def _rfc2231_name(part: Message) -> str:
    """A ``filename*=charset''…`` name read with :func:`text_of` (the standard library replaces
    what the declared charset cannot read, or keeps Latin-1 for a charset it does not know)."""
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        value = part.get_param(param, header=header)
        if isinstance(value, tuple):
            charset, _language, text = value
            return text_of(text.encode("latin-1", "replace"), charset or "utf-8")
        if value:  # a plain name here wins over the other header's
            return ""
    return ""
