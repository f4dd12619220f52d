"""收取报送: take the units' returns from the collection mailbox and consolidate them.

Each attachment that is a return goes through ``services.consolidate`` exactly as a file given
to ``fazhi consolidate`` (one transaction each), with the mail's date as the received date and
the sender's unit for a file that names none. What was done with every mail is recorded
(``collected_mail``), so a mail is never taken twice; the mailbox itself is never changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from fazhi_desktop.file_names import safe_file_name
from fazhi_desktop.io.mail import imap, secrets
from fazhi_desktop.io.mail.incoming import Attachment, IncomingMail, parse_mail
from fazhi_desktop.models.db import Database
from fazhi_desktop.models.orm import CollectedMail
from fazhi_desktop.services import backups, consolidate, unit_contacts
from fazhi_desktop.services.summary import require_summary
from fazhi_desktop.settings import AppSettings

IMPORTED, REFUSED, SKIPPED = "imported", "refused", "skipped"
ImapServer = imap.ImapServer
ReceiveError = imap.ReceiveError
Progress = Callable[[int, int, str], None]
# A mail is read whole into memory, and parsing it takes about five times its size: a bigger one
# (a return is well under 1 MB) is listed, not fetched, so a collection stays within a few
# hundred MB on an office PC.
MAX_MAIL_BYTES = 20 * 1024 * 1024
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the result: an attachment taken (✓/✗) or a mail without a return (skipped)."""

    outcome: str
    file: str
    message: str
    subject: str
    sender: str
    unit: str = ""
    period: str = ""

    @property
    def mark(self) -> str:
        return {IMPORTED: "✓", REFUSED: "✗"}.get(self.outcome, "-")


@dataclass(slots=True)
class CollectResult:
    items: list[Item] = field(default_factory=list)
    new_mails: int = 0
    cancelled: bool = False
    # A failure after some mails were taken: those stay recorded; this says what went wrong.
    error: str = ""

    def of(self, outcome: str) -> list[Item]:
        return [i for i in self.items if i.outcome == outcome]

    def summary_line(self) -> str:
        imported, refused = len(self.of(IMPORTED)), len(self.of(REFUSED))
        skipped = len(self.of(SKIPPED))
        if not self.new_mails:
            return "没有新的报送邮件（已收取过的邮件不会重复导入）。"
        return (
            f"新邮件 {self.new_mails} 封：导入 {imported} 个文件，失败 {refused} 个，"
            f"{skipped} 封邮件没有报送文件。"
        )


def server_of(settings: AppSettings) -> imap.ImapServer:
    return imap.ImapServer(
        host=settings.imap_host.strip(),
        port=settings.imap_port,
        security=settings.imap_security,
        user=settings.imap_user.strip(),
        folder=settings.imap_folder.strip() or "INBOX",
    )


def check_server(server: imap.ImapServer) -> None:
    if not server.host or not server.user:
        raise ReceiveError(
            "还没有设置收取报送的邮箱。请运行 fazhi config imap_host=mail.example.gov.cn "
            "imap_user=fazhiban（以及 imap_security、imap_port），再用 "
            "fazhi config --set-imap-password 保存密码。"
        )


def saved_password(server: imap.ImapServer) -> str | None:
    if not server.host or not server.user:
        return None
    return secrets.get_password(server.host, server.user, secrets.IMAP_SERVICE)


def save_password(host: str, user: str, password: str) -> bool:
    return secrets.store_password(host, user, password, secrets.IMAP_SERVICE)


def forget_password(host: str, user: str) -> None:
    secrets.forget_password(host, user, secrets.IMAP_SERVICE)


def collect(
    database: Database,
    ledger_id: int,
    server: imap.ImapServer,
    password: str | None,
    *,
    today: dt.date,
    since: dt.date | None = None,
    period: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CollectResult:
    """Take every new return from the mailbox. Raises :class:`ReceiveError` (nothing recorded)
    when the mailbox cannot be opened; a failure later ends the run with ``error`` set."""
    check_server(server)
    with database.session() as session:
        require_summary(session, ledger_id)
        known = set(
            session.scalars(
                select(CollectedMail.message_id).where(CollectedMail.ledger_id == ledger_id)
            )
        )
    result = CollectResult()
    with imap.Mailbox(server, password) as box:
        uids = list(imap.iter_new(box, since, known))
        backed_up = False
        for number, (uid, size) in enumerate(uids):
            if cancelled is not None and cancelled():
                result.cancelled = True
                break
            too_big = size > MAX_MAIL_BYTES
            try:
                raw = box.fetch(uid, header_only=too_big)
            except ReceiveError as exc:
                result.error = str(exc)
                break
            mail = _parse(raw)
            if progress is not None:
                progress(number, len(uids), mail.subject or mail.message_id)
            if mail.message_id in known:  # fetched by UID, already taken under its Message-ID
                continue
            result.new_mails += 1
            if too_big:
                result.items.append(_too_big(database, ledger_id, mail, size))
                known.add(mail.message_id)
                continue
            returns = [a for a in mail.attachments if _is_return(a)]
            if returns and not backed_up:
                # A batch changes many rows at once: keep the database as it was, to go back to.
                backups.backup_before(database, backups.CONSOLIDATION)
                backed_up = True
            result.items.extend(_take(database, ledger_id, mail, returns, today, period))
            known.add(mail.message_id)
    if progress is not None and not result.cancelled:
        progress(len(uids), len(uids), "")
    return result


def _parse(raw: bytes) -> IncomingMail:
    """The mail as read; one no reader could make sense of is kept as a mail without files
    (listed as skipped, with why), so it does not stop the others."""
    try:
        return parse_mail(raw)
    except Exception:  # a mail program's surprise must not abort the collection
        _log.exception("无法解析邮件")
        key = "<sha256:" + hashlib.sha256(raw).hexdigest() + ">"
        return IncomingMail(key, "", "（无法解析的邮件，详情已写入日志）", None, ())


def _too_big(database: Database, ledger_id: int, mail: IncomingMail, size: int) -> Item:
    why = (
        f"邮件过大（{size / 1024 / 1024:.0f} MB，超过 {MAX_MAIL_BYTES // 1024 // 1024} MB），"
        "未收取。请在邮箱中打开这封邮件，保存其中的报送文件后用“导入报送文件”导入"
    )
    _record(database, ledger_id, mail, [(None, SKIPPED, why, None)])
    return Item(SKIPPED, "", why, mail.subject, mail.sender)


def _is_return(attachment: Attachment) -> bool:
    name = attachment.name.lower()
    return name.endswith(consolidate.RETURN_SUFFIXES) and not name.startswith("~$")


# What became of one attachment: (attachment, outcome, message, the consolidation's outcome).
_Taken = tuple[Attachment | None, str, str, consolidate.FileOutcome | None]


def _take(
    database: Database,
    ledger_id: int,
    mail: IncomingMail,
    returns: list[Attachment],
    today: dt.date,
    period: str | None,
) -> list[Item]:
    """Consolidate the mail's returns, then record the whole mail in one transaction: a run cut
    off inside a mail (Ctrl+C, a crash) leaves it unrecorded, so the next run takes it again
    and finishes it (a return already imported is recognised by its content, not imported
    twice)."""
    if not returns:
        names = "、".join(a.name for a in mail.attachments)
        why = f"邮件中没有报送文件（附件：{names}）" if names else "邮件中没有附件"
        _record(database, ledger_id, mail, [(None, SKIPPED, why, None)])
        return [Item(SKIPPED, "", why, mail.subject, mail.sender)]
    with database.session() as session:
        contacts = unit_contacts.contacts_of(session, ledger_id)
    sender_unit = unit_contacts.unit_of_sender(contacts, mail.sender)
    items: list[Item] = []
    taken: list[_Taken] = []
    seen: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="fazhi-collect-") as folder:
        for index, attachment in enumerate(returns):
            if attachment.sha256 in seen:  # the same file attached twice to one mail
                continue
            seen.add(attachment.sha256)
            # A folder per attachment: two returns of one mail may carry the same name.
            path = Path(folder) / str(index) / safe_file_name(attachment.name)
            path.parent.mkdir()
            path.write_bytes(attachment.data)
            batch = consolidate.consolidate(
                database,
                ledger_id,
                [path],
                today=today,
                period=period,
                received_on=mail.date or today,
                sender_unit=sender_unit,
            )
            (outcome,) = batch.outcomes
            state = IMPORTED if outcome.ok else REFUSED
            taken.append((attachment, state, outcome.message, outcome))
            items.append(
                Item(
                    state,
                    outcome.file,
                    outcome.message,
                    mail.subject,
                    mail.sender,
                    outcome.unit,
                    outcome.period,
                )
            )
    _record(database, ledger_id, mail, taken)
    return items


def _record(database: Database, ledger_id: int, mail: IncomingMail, taken: list[_Taken]) -> None:
    with database.session() as session, session.begin():
        for attachment, outcome, message, file_outcome in taken:
            session.add(
                CollectedMail(
                    ledger_id=ledger_id,
                    message_id=mail.message_id,
                    sha256=attachment.sha256 if attachment else "",
                    file_name=attachment.name if attachment else "",
                    sender=mail.sender,
                    subject=mail.subject,
                    mail_date=mail.date,
                    outcome=outcome,
                    message=message,
                    return_id=file_outcome.return_id if file_outcome else None,
                )
            )
            if file_outcome is not None and file_outcome.ok and file_outcome.unit:
                unit_contacts.remember_sender(session, ledger_id, file_outcome.unit, mail.sender)
