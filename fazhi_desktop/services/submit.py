"""报送: export the period's xlsx under the standard name, mail it (draft or SMTP), log it.

The steps are separate so neither the window nor the CLI holds a database transaction open
while a mail server is being waited on, and so a failed send never reaches :func:`record`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop import paths
from fazhi_desktop.errors import UsageError
from fazhi_desktop.file_names import safe_file_name
from fazhi_desktop.io.mail import message as mail
from fazhi_desktop.io.mail import secrets
from fazhi_desktop.models.orm import Ledger, Submission
from fazhi_desktop.models.records import LedgerRecord
from fazhi_desktop.models.reporting import ReportRule
from fazhi_desktop.services import exports
from fazhi_desktop.services.ledgers import get_ledger
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.vocab.dates import date_label

ROUTE_EML = "eml"
ROUTE_SMTP = "smtp"
ROUTE_LABELS = {ROUTE_EML: "邮件草稿", ROUTE_SMTP: "SMTP 直接发送"}
# The mail server as the settings name it; ui and cli hold one without importing io.
Server = mail.Server


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything a submission needs, read from the database in one short transaction."""

    ledger_id: int
    period: str
    period_label: str
    record: LedgerRecord
    file_name: str
    subject: str
    body: str
    to: str


@dataclass(frozen=True, slots=True)
class SubmissionRecord:
    id: int
    ledger_id: int
    period: str
    submitted_at: dt.datetime
    route: str
    recipient: str
    file_name: str
    file_path: str
    sha256: str

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS.get(self.route, self.route)

    @property
    def local_time(self) -> dt.datetime:
        return self.submitted_at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def standard_file_name(unit: str, short_title: str, period_label: str) -> str:
    """``{填报单位}-{台账简称}-{YYYY年M月}进展.xlsx`` with what Windows forbids replaced."""
    return safe_file_name(f"{unit}-{short_title}-{period_label}进展.xlsx")


def subject_line(unit: str, period_label: str) -> str:
    return f"{unit}{period_label}法治政府建设工作台账进展情况"


def body_text(ledger: Ledger, period_label: str, file_name: str, today: dt.date) -> str:
    lines = [
        "您好！",
        "",
        f"附件是{ledger.unit}{period_label}法治政府建设工作台账进展情况（{file_name}），请查收。",
        "",
        ledger.unit,
    ]
    contact = "  ".join(
        part
        for part in (
            f"填报人：{ledger.reporter}" if ledger.reporter else "",
            f"联系电话：{ledger.phone}" if ledger.phone else "",
        )
        if part
    )
    if contact:
        lines.append(contact)
    lines.append(date_label(today))
    return "\n".join(lines) + "\n"


def prepare(
    session: Session,
    ledger_id: int,
    *,
    today: dt.date,
    settings: AppSettings,
    period: str | None = None,
) -> Prepared:
    ledger = get_ledger(session, ledger_id)
    rule = ReportRule(ledger.report_cycle, ledger.report_day)
    period = period or rule.period_for(today)
    if not ledger.unit.strip():
        raise UsageError(
            "还没有设置填报单位，报送文件和邮件标题都要用到它。请在“台账设置”中填写，"
            "或运行 fazhi config unit=单位名称。"
        )
    if not ledger.mailbox.strip():
        raise UsageError(
            "还没有设置报送邮箱。请在“台账设置”中填写通知上的邮箱，"
            "或运行 fazhi config mailbox=6666209@163.com 这样的命令。"
        )
    label = rule.label(period)
    short = ledger.short_title.strip() or ledger.title.strip() or "工作台账"
    name = standard_file_name(ledger.unit.strip(), short, label)
    record = exports.snapshot(session, ledger_id, today=today, settings=settings, period=period)
    return Prepared(
        ledger_id=ledger_id,
        period=period,
        period_label=label,
        record=record,
        file_name=name,
        subject=subject_line(ledger.unit.strip(), label),
        body=body_text(ledger, label, name, today),
        to=ledger.mailbox,
    )


def export_attachment(prepared: Prepared, folder: Path, settings: AppSettings) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return exports.export_xlsx(prepared.record, folder / prepared.file_name, settings)


def draft_of(prepared: Prepared, attachment: Path, settings: AppSettings) -> mail.Draft:
    return mail.Draft(
        to=prepared.to,
        subject=prepared.subject,
        body=prepared.body,
        attachment=attachment,
        sender=settings.smtp_from,
    )


def server_of(settings: AppSettings) -> mail.Server:
    return mail.Server(
        host=settings.smtp_host.strip(),
        port=settings.smtp_port,
        security=settings.smtp_security,
        user=settings.smtp_user.strip(),
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def record(
    session: Session, prepared: Prepared, *, route: str, attachment: Path
) -> SubmissionRecord:
    """Log a submission that happened: call only after the draft exists or the mail was sent."""
    row = Submission(
        ledger_id=prepared.ledger_id,
        period=prepared.period,
        route=route,
        recipient=prepared.to,
        file_name=attachment.name,
        file_path=str(attachment.resolve()),
        sha256=sha256_of(attachment),
    )
    session.add(row)
    session.flush()
    return _to_record(row)


def list_submissions(session: Session, ledger_id: int | None = None) -> list[SubmissionRecord]:
    stmt = select(Submission).order_by(Submission.submitted_at.desc(), Submission.id.desc())
    if ledger_id is not None:
        stmt = stmt.where(Submission.ledger_id == ledger_id)
    return [_to_record(row) for row in session.scalars(stmt)]


def _to_record(row: Submission) -> SubmissionRecord:
    return SubmissionRecord(
        id=row.id,
        ledger_id=row.ledger_id,
        period=row.period,
        submitted_at=row.submitted_at,
        route=row.route,
        recipient=row.recipient,
        file_name=row.file_name,
        file_path=row.file_path,
        sha256=row.sha256,
    )


def default_folder(settings: AppSettings) -> Path:
    """Where 报送 files go unless the user picks a folder: the export folder, or the data dir."""
    if settings.export_dir and Path(settings.export_dir).is_dir():
        return Path(settings.export_dir)
    return paths.data_dir() / "报送"


def deliver(
    prepared: Prepared,
    folder: Path,
    settings: AppSettings,
    *,
    route: str,
    password: str | None = None,
    eml: Path | None = None,
) -> Path:
    """Write the attachment into ``folder`` and mail it: a draft (``eml``, by default beside the
    attachment) or over SMTP. Returns the attachment; :func:`record` it only after this returns.
    """
    attachment = export_attachment(prepared, folder, settings)
    draft = draft_of(prepared, attachment, settings)
    if route == ROUTE_SMTP:
        mail.send(draft, server_of(settings), password)
    else:
        mail.write_eml(draft, eml if eml is not None else eml_beside(attachment))
    return attachment


def eml_beside(attachment: Path) -> Path:
    """The draft written next to its attachment: same name, .eml instead of .xlsx."""
    return attachment.with_suffix(".eml")


# --- the SMTP password: the system keyring only, never a file --------------------------------


def saved_password(server: Server) -> str | None:
    """The password the keyring holds for this server's user; None when none (or no keyring)."""
    if not server.host or not server.user:
        return None
    return secrets.get_password(server.host, server.user)


def save_password(host: str, user: str, password: str) -> bool:
    """Keep the password in the keyring; False when this computer has no usable keyring."""
    return secrets.store_password(host, user, password)


def forget_password(host: str, user: str) -> None:
    secrets.forget_password(host, user)
