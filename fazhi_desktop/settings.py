"""Program-wide preferences, kept as JSON in the platformdirs config dir.

Per-ledger settings (填报单位, mailbox, reporting day) live in the database with the ledger.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from fazhi_desktop import paths
from fazhi_desktop.io.atomic import write_bytes_atomic
from fazhi_desktop.models.status import DEFAULT_DUE_SOON_DAYS

SETTINGS_FILENAME = "settings.json"


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
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError, OSError):
            # A missing or damaged settings file must never stop the program; defaults apply.
            return cls()
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in raw.items() if k in known}
        settings = cls()
        for key, value in values.items():
            default = getattr(settings, key)
            # bool is an int in Python: a hand-edited "due_soon_days": true must not pass.
            if type(value) is type(default):
                setattr(settings, key, value)
        return settings

    def save(self, path: Path | None = None) -> None:
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2)
        write_bytes_atomic(path, text.encode("utf-8"))


def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_FILENAME
