"""Settings by name, for ``fazhi config`` and the settings dialogs: one place that validates.

Two scopes: per-ledger settings live in the database with the ledger (填报单位, mailbox,
reporting rule…); program-wide preferences live in ``settings.json`` (thresholds, fonts, SMTP).
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fazhi_desktop.errors import UsageError
from fazhi_desktop.models.reporting import MONTHLY, QUARTERLY
from fazhi_desktop.services.ledgers import get_ledger
from fazhi_desktop.services.remind_text import check_template
from fazhi_desktop.settings import SMTP_SECURITIES, AppSettings
from fazhi_desktop.textnorm import has_breaks

SECURITY_CHOICES = {"none": "不加密", "ssl": "SSL/TLS", "starttls": "STARTTLS"}
assert tuple(SECURITY_CHOICES) == SMTP_SECURITIES
# A plain addr-spec (RFC 5322 dot-atom@domain): no display names, comments "a(b)@c.cn", quoted
# or routed parts "x:y@z.cn" or encoded-words, which mail servers and Outlook read differently.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS_RE = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+", re.ASCII)
_HOST_RE = re.compile(rf"{_LABEL}(?:\.{_LABEL})*", re.ASCII)
_TRUE = {"1", "true", "yes", "on", "是", "开", "开启"}
_FALSE = {"0", "false", "no", "off", "否", "关", "关闭", ""}


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    label: str
    parse: Callable[[str], Any]
    hint: str = ""


def _text(value: str) -> str:
    """A one-line value: it ends up in file names, mail headers or sheet names."""
    value = value.strip()
    if has_breaks(value):
        raise UsageError("不能包含换行、制表符或其他控制字符，请写成一行。")
    return value


def _host(value: str) -> str:
    """A mail server's name or address alone: a port or scheme typed with it
    (``mail.x.cn:993``, ``imaps://mail.x.cn``) would only fail later as an unknown host."""
    value = _text(value)
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(value.strip("[]")))
    try:  # a Chinese domain name is looked up in its ASCII (IDNA) form
        ascii_name = value.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_name = ""
    if value and not _HOST_RE.fullmatch(ascii_name):
        raise UsageError(
            f"“{value}”不是服务器名。只写名称或 IP 地址，如 mail.example.gov.cn，"
            "不带 imap:// 或端口（端口另填）。"
        )
    return value


def _multiline(value: str) -> str:
    # On a command line a 说明 of several lines is written with \n.
    return value.replace("\\n", "\n").strip()


def _int_between(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise UsageError(
                f"{what}应为 {low} 到 {high} 之间的整数，“{value}”不是整数。"
            ) from None
        if not low <= number <= high:
            raise UsageError(f"{what}应为 {low} 到 {high} 之间的整数，“{value}”超出范围。")
        return number

    return parse


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise UsageError(f"“{value}”不是开关值，请写 true/false（或 是/否）。")


def mailbox(value: str) -> str:
    """One or more addresses (separated by ; , or Chinese punctuation), normalised to ``a; b``."""
    parts = [p.strip() for p in re.split(r"[;,，；\s]+", value) if p.strip()]
    # The same address twice (in any case) would get every mail twice.
    first: dict[str, str] = {}
    for part in parts:
        first.setdefault(part.lower(), part)
    parts = list(first.values())
    for part in parts:
        if not _ADDRESS_RE.fullmatch(part) or "=?" in part or len(part) > 254:
            raise UsageError(f"“{part}”不是有效的邮箱地址，例如 fazhiban@example.com。")
    return "; ".join(parts)


def _single_address(value: str) -> str:
    address = mailbox(value)
    if ";" in address:
        raise UsageError("发件人只能填一个邮箱地址。")
    return address


def _cycle(value: str) -> str:
    lowered = value.strip().lower()
    aliases = {MONTHLY: MONTHLY, QUARTERLY: QUARTERLY, "每月": MONTHLY, "月": MONTHLY}
    aliases |= {"每季度": QUARTERLY, "季度": QUARTERLY, "每季": QUARTERLY}
    if lowered not in aliases:
        raise UsageError(
            f"报送周期“{value}”无法识别，只能是 monthly（每月）或 quarterly（每季度）。"
        )
    return aliases[lowered]


def _security(value: str) -> str:
    lowered = value.strip().lower()
    if lowered not in SECURITY_CHOICES:
        raise UsageError(f"加密方式“{value}”无法识别，只能是 none、ssl 或 starttls。")
    return lowered


def _remind_template(value: str) -> str:
    return check_template(_multiline(value))


def _folder(value: str) -> str:
    value = value.strip()
    if value and not Path(value).is_dir():
        raise UsageError(f"文件夹“{value}”不存在，请先创建它或换一个文件夹。")
    return value


def _font_file(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    path, sep, index = value.rpartition("#")
    file = Path(path if sep and index.isdigit() else value)
    if not file.is_file():
        raise UsageError(
            f"字体文件“{file}”不存在。请填写 .ttf/.ttc 文件的完整路径，或留空自动选择。"
        )
    if file.suffix.lower() not in {".ttf", ".ttc"}:
        raise UsageError(f"“{file.name}”不是 TrueType 字体（.ttf/.ttc），PDF 无法嵌入它。")
    return value


LEDGER_KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key("title", "台账标题", _text),
        Key("short_title", "台账简称（用于文件名）", _text),
        Key("unit", "填报单位", _text),
        Key("reporter", "填报人", _text),
        Key("phone", "联系电话", _text),
        Key("mailbox", "报送邮箱", mailbox, "多个地址用分号隔开"),
        Key(
            "report_day", "每期报送日", _int_between(1, 31, "报送日"), "30 表示每月30日，小月取月末"
        ),
        Key("report_cycle", "报送周期", _cycle, "monthly（每月）或 quarterly（每季度）"),
        Key("notes", "说明", _multiline, "命令行中用 \\n 换行"),
    )
}

PROGRAM_KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key("due_soon_days", "临期提醒天数", _int_between(0, 365, "临期天数")),
        Key("export_dir", "默认导出文件夹", _folder),
        Key("xlsx_status_column", "Excel 增加“状态”列", _flag),
        Key("pdf_signature_line", "PDF 底部签字栏", _flag),
        Key("pdf_font_title", "PDF 标题字体文件", _font_file),
        Key("pdf_font_header", "PDF 表头字体文件", _font_file),
        Key("pdf_font_body", "PDF 正文字体文件", _font_file),
        Key("smtp_host", "SMTP 服务器", _host),
        Key("smtp_port", "SMTP 端口", _int_between(0, 65535, "端口"), "0 表示按加密方式取默认值"),
        Key("smtp_security", "SMTP 加密方式", _security, "none、ssl 或 starttls"),
        Key("smtp_user", "SMTP 用户名", _text),
        Key("smtp_from", "发件人邮箱", lambda v: _single_address(v) if v.strip() else ""),
        Key("imap_host", "收件 IMAP 服务器", _host),
        Key("imap_port", "IMAP 端口", _int_between(0, 65535, "端口"), "0 表示 143/993"),
        Key("imap_security", "IMAP 加密方式", _security, "none、ssl 或 starttls"),
        Key("imap_user", "IMAP 用户名", _text),
        Key("imap_folder", "收取的邮件文件夹", lambda v: _text(v) or "INBOX", "默认 INBOX"),
        Key("remind_template", "催报邮件正文模板", _remind_template, "命令行中用 \\n 换行"),
    )
}

assert set(PROGRAM_KEYS) <= {f.name for f in fields(AppSettings)}


def parse_assignment(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"“{text}”不是“键=值”的形式，例如 mailbox=fazhiban@example.com。")
    return key.strip(), value


def unknown_key_message(key: str) -> str:
    return (
        f"没有名为“{key}”的设置项。台账设置：{'、'.join(LEDGER_KEYS)}；"
        f"程序设置：{'、'.join(PROGRAM_KEYS)}。用 fazhi config --list 查看当前值。"
    )


@dataclass(frozen=True, slots=True)
class Changes:
    ledger: dict[str, Any]
    program: dict[str, Any]


def parse_changes(assignments: Sequence[str]) -> Changes:
    """Validate every ``KEY=VALUE`` before anything is saved: one bad value changes nothing."""
    ledger: dict[str, Any] = {}
    program: dict[str, Any] = {}
    for text in assignments:
        key, raw = parse_assignment(text)
        if key in LEDGER_KEYS:
            ledger[key] = _parse(LEDGER_KEYS[key], raw)
        elif key in PROGRAM_KEYS:
            program[key] = _parse(PROGRAM_KEYS[key], raw)
        else:
            raise UsageError(unknown_key_message(key))
    return Changes(ledger, program)


def _parse(key: Key, raw: str) -> Any:
    try:
        return key.parse(raw)
    except UsageError as exc:
        raise UsageError(f"设置项 {key.name}（{key.label}）：{exc}") from None


def ledger_values(session: Session, ledger_id: int) -> dict[str, Any]:
    ledger = get_ledger(session, ledger_id)
    return {name: getattr(ledger, name) for name in LEDGER_KEYS}


def apply_ledger(session: Session, ledger_id: int, values: dict[str, Any]) -> None:
    ledger = get_ledger(session, ledger_id)
    for name, value in values.items():
        if name not in LEDGER_KEYS:
            raise UsageError(unknown_key_message(name))
        setattr(ledger, name, value)


def program_values(settings: AppSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in PROGRAM_KEYS}


def apply_program(settings: AppSettings, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name not in PROGRAM_KEYS:
            raise UsageError(unknown_key_message(name))
        setattr(settings, name, value)


def save_program(values: dict[str, Any]) -> AppSettings:
    """Save program settings into settings.json without losing another program's changes."""
    for name in values:
        if name not in PROGRAM_KEYS:
            raise UsageError(unknown_key_message(name))
    return AppSettings.update(values)


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.replace("\n", "\\n")
    return str(value)
