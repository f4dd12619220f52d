"""催报: one polite mail to each unit that has not reported for a period, and the record of it.

The text comes from a template the office may edit (program setting ``remind_template``); the
built-in one names the period, the due date and the standard file name to use. As with 报送,
a reminder is recorded only once its draft exists or the mail server took it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.errors import UsageError
from fazhi_desktop.file_names import safe_file_name
from fazhi_desktop.io.mail import message as mail
from fazhi_desktop.models.db import Database
from fazhi_desktop.models.orm import Reminder
from fazhi_desktop.services.config import mailbox
from fazhi_desktop.services.remind_text import DEFAULT_TEMPLATE, check_template
from fazhi_desktop.services.submit import (
    ROUTE_EML,
    ROUTE_LABELS,
    ROUTE_SMTP,
    server_of,
    standard_file_name,
)
from fazhi_desktop.services.summary import require_summary
from fazhi_desktop.services.summary_views import period_report
from fazhi_desktop.services.unit_contacts import contacts_of
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.vocab.dates import date_label
from fazhi_desktop.vocab.kinds import ReportState

__all__ = ["ROUTE_EML", "ROUTE_SMTP", "SendError"]
SendError = mail.SendError


@dataclass(frozen=True, slots=True)
class Letter:
    unit: str
    to: str  # "" when the unit has no address: it cannot be written
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    ledger_id: int
    period: str
    period_label: str
    due: dt.date
    letters: tuple[Letter, ...]

    @property
    def writable(self) -> tuple[Letter, ...]:
        return tuple(letter for letter in self.letters if letter.to)

    @property
    def without_address(self) -> list[str]:
        return [letter.unit for letter in self.letters if not letter.to]


@dataclass(frozen=True, slots=True)
class ReminderRecord:
    period: str
    unit: str
    recipient: str
    route: str
    file_path: str
    sent_at: dt.datetime

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS.get(self.route, self.route)

    @property
    def local_time(self) -> dt.datetime:
        return self.sent_at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def plan(
    session: Session, ledger_id: int, period: str, *, settings: AppSettings, today: dt.date
) -> ReminderPlan:
    """Who has not reported for ``period`` and what each would be written."""
    ledger = require_summary(session, ledger_id)
    report = period_report(session, ledger_id, period)
    contacts = contacts_of(session, ledger_id)
    short = (
        ledger.short_title.strip() or ledger.title.strip().removesuffix("（汇总）") or "工作台账"
    )
    office = (ledger.issuer or ledger.unit).strip()
    reply_to = _reply_address(ledger.mailbox, settings)
    template = settings.remind_template.strip() or DEFAULT_TEMPLATE
    letters = []
    for state in report.expected:
        if state.state != ReportState.MISSING:
            continue
        values = {
            "单位": state.unit,
            "期间": report.label,
            "截止日期": date_label(report.due),
            "文件名": standard_file_name(state.unit, short, report.label),
            "报送邮箱": reply_to,
            "汇总单位": office,
            "日期": date_label(today),
        }
        letters.append(
            Letter(
                unit=state.unit,
                to=contacts.get(state.unit, ""),
                subject=f"催报：请报送{state.unit}{report.label}法治政府建设工作台账进展情况",
                body=check_template(template).format_map(values),
            )
        )
    return ReminderPlan(ledger_id, period, report.label, report.due, tuple(letters))


def _reply_address(ledger_mailbox: str, settings: AppSettings) -> str:
    """Where units are asked to send: the ledger's 报送邮箱, else the collection mailbox's login
    when it is an address (often it is only a name such as ``fazhiban``), else the sender."""
    for candidate in (ledger_mailbox, settings.imap_user, settings.smtp_from):
        try:
            address = mailbox(candidate)
        except UsageError:
            continue
        if address:
            return address
    return "我们的报送邮箱"


def draft_of(letter: Letter, settings: AppSettings) -> mail.Draft:
    return mail.Draft(
        to=letter.to,
        subject=letter.subject,
        body=letter.body,
        attachment=None,
        sender=settings.smtp_from,
    )


def write_eml(letter: Letter, folder: Path, settings: AppSettings) -> Path:
    target = folder / safe_file_name(f"催报-{letter.unit}.eml")
    return mail.write_eml(draft_of(letter, settings), target)


def send(letter: Letter, server: mail.Server, password: str | None, settings: AppSettings) -> None:
    mail.send(draft_of(letter, settings), server, password, unrecorded="未记录催报")


def deliver(
    database: Database,
    reminder_plan: ReminderPlan,
    settings: AppSettings,
    *,
    route: str,
    folder: Path | None = None,
    password: str | None = None,
    done: Callable[[Letter, str], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Letter]:
    """Write (``eml`` into ``folder``) or send (``smtp``) each letter that has an address, and
    record each once it went out; ``done(letter, path)`` after each. A failure raises
    (``SendError``, ``OSError``): the letters before it stay recorded, the rest are not."""
    server = server_of(settings)
    sent: list[Letter] = []
    for letter in reminder_plan.writable:
        if cancelled is not None and cancelled():
            break
        path = ""
        if route == ROUTE_EML:
            assert folder is not None
            path = str(write_eml(letter, folder, settings))
        else:
            send(letter, server, password, settings)
        with database.session() as session, session.begin():
            record(session, reminder_plan, letter, route=route, path=path)
        sent.append(letter)
        if done is not None:
            done(letter, path)
    return sent


def record(
    session: Session, reminder_plan: ReminderPlan, letter: Letter, *, route: str, path: str = ""
) -> None:
    session.add(
        Reminder(
            ledger_id=reminder_plan.ledger_id,
            period=reminder_plan.period,
            unit=letter.unit,
            recipient=letter.to,
            route=route,
            file_path=path,
        )
    )
    session.flush()


def reminders_of(
    session: Session, ledger_id: int, period: str | None = None
) -> list[ReminderRecord]:
    stmt = select(Reminder).where(Reminder.ledger_id == ledger_id)
    if period is not None:
        stmt = stmt.where(Reminder.period == period)
    rows = session.scalars(stmt.order_by(Reminder.sent_at, Reminder.id))
    return [
        ReminderRecord(r.period, r.unit, r.recipient, r.route, r.file_path, r.sent_at) for r in rows
    ]
