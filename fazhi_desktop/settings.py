"""Program-wide preferences, kept as JSON in the platformdirs config dir.

Per-ledger settings (填报单位, mailbox, reporting day) live in the database with the ledger.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO, Any

from fazhi_desktop import paths
from fazhi_desktop.io.atomic import write_bytes_atomic
from fazhi_desktop.models.status import DEFAULT_DUE_SOON_DAYS

SETTINGS_FILENAME = "settings.json"
SMTP_SECURITIES = ("none", "ssl", "starttls")
# A hand-edited security the program does not know must never become plain text: the mail would
# go out unencrypted although the user asked for something else. STARTTLS refuses cleanly on a
# server without it.
SMTP_FALLBACK_SECURITY = "starttls"
# Inclusive ranges of the numbers a hand edit could put out of reach of the settings dialog.
_RANGES = {"due_soon_days": (0, 365), "smtp_port": (0, 65535), "imap_port": (0, 65535)}

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AppSettings:
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS
    export_dir: str = ""
    # One setting for both exports: the Excel and the PDF have the same columns.
    xlsx_status_column: bool = False
    # On: the PDF is printed to be signed (审核人/填报人/日期).
    pdf_signature_line: bool = True
    # Font files for the PDF ("C:/Windows/Fonts/simhei.ttf", "x.ttc#1"); empty = automatic.
    pdf_font_title: str = ""
    pdf_font_header: str = ""
    pdf_font_body: str = ""
    # The intranet mail server for 报送. The password is never kept here (see io/secrets.py).
    smtp_host: str = ""
    smtp_port: int = 0
    smtp_security: str = "none"
    smtp_user: str = ""
    smtp_from: str = ""
    # The collection mailbox the 汇总 office reads returns from (``fazhi collect``); the
    # password lives in the keyring like the SMTP one.
    imap_host: str = ""
    imap_port: int = 0
    imap_security: str = "ssl"
    imap_user: str = ""
    imap_folder: str = "INBOX"
    # The 催报 mail's text with {单位} {期间} {截止日期} {文件名} {报送邮箱} {汇总单位} {日期};
    # empty: the built-in text (services/remind.py).
    remind_template: str = ""

    def pdf_fonts(self) -> dict[str, str]:
        """The font files chosen for the PDF, by role, for ``io.pdf.fonts.find_fonts``."""
        chosen = {
            "title": self.pdf_font_title,
            "header": self.pdf_font_header,
            "body": self.pdf_font_body,
        }
        return {role: path for role, path in chosen.items() if path}

    @classmethod
    def load(cls, path: Path | None = None) -> AppSettings:
        """The saved settings; anything missing, damaged or out of range gets its default.

        A missing or damaged settings file must never stop the program, and a hand edit must
        never weaken it (an unknown ``smtp_security`` is not plain text).
        """
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (ValueError, OSError) as exc:
            log.warning("设置文件 %s 无法读取（%s），使用默认设置", path, exc)
            return cls()
        if not isinstance(raw, dict):
            log.warning("设置文件 %s 不是 JSON 对象，使用默认设置", path)
            return cls()
        settings = cls()
        for f in fields(cls):
            if f.name in raw:
                settings._take(f.name, raw[f.name])
        return settings

    def _take(self, key: str, value: Any) -> None:
        default = getattr(self, key)
        # bool is an int in Python: a hand-edited "due_soon_days": true must not pass.
        ok = type(value) is type(default)
        if ok and key in _RANGES:
            low, high = _RANGES[key]
            ok = low <= value <= high
        if key in ("smtp_security", "imap_security") and value not in SMTP_SECURITIES:
            log.warning("设置 smtp_security=%r 无法识别，按 %s 处理", value, SMTP_FALLBACK_SECURITY)
            value, ok = SMTP_FALLBACK_SECURITY, True
        if ok:
            setattr(self, key, value)
        else:
            log.warning("设置 %s=%r 无效，使用默认值 %r", key, value, default)

    def save(self, path: Path | None = None) -> None:
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2)
        write_bytes_atomic(path, text.encode("utf-8"))

    @classmethod
    def update(cls, values: Mapping[str, Any], path: Path | None = None) -> AppSettings:
        """Change ``values`` in the saved settings, under a lock; returns the settings saved.

        Read, change and write happen while holding the lock, so two programs (the window and a
        ``fazhi config``, or two scripts) changing different settings never lose each other's.
        """
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path.with_name(path.name + ".lock")):
            settings = cls.load(path)
            for key, value in values.items():
                setattr(settings, key, value)
            settings.save(path)
        return settings


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """An exclusive lock between processes, held on a lock file beside the settings."""
    with lock_path.open("a+b") as handle:
        _lock(handle, True)
        try:
            yield
        finally:
            _lock(handle, False)


def _lock(handle: IO[bytes], take: bool) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        # LK_LOCK retries once a second for ten seconds, then raises OSError.
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK if take else msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX if take else fcntl.LOCK_UN)


def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_FILENAME
