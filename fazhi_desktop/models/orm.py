"""The tables: ledgers (台账), their tasks, each task's 任务要求 and monthly progress history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from fazhi_desktop.vocab.kinds import LedgerKind


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Ledger(Base):
    __tablename__ = "ledgers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    short_title: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default=LedgerKind.LEDGER.value)
    unit: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[str] = mapped_column(Text, default="")
    reporter: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    mailbox: Mapped[str] = mapped_column(Text, default="")
    report_day: Mapped[int] = mapped_column(Integer, default=30)
    report_cycle: Mapped[str] = mapped_column(String(16), default="monthly")
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    tasks: Mapped[list[Task]] = relationship(
        back_populates="ledger",
        order_by="Task.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_ledger_position", "ledger_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledgers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    seq: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    department: Mapped[str] = mapped_column(Text, default="")
    partners: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    plan_task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Raised by each edit (services.tasks): a save based on an older version is a conflict.
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    ledger: Mapped[Ledger] = relationship(back_populates="tasks")
    requirements: Mapped[list[Requirement]] = relationship(
        order_by="Requirement.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    progress: Mapped[list[ProgressEntry]] = relationship(
        order_by="(ProgressEntry.period, ProgressEntry.updated_at)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Requirement(Base):
    """One 任务要求 sub-item; the list is ordered by ``position``."""

    __tablename__ = "requirements"
    __table_args__ = (Index("ix_requirements_task", "task_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")


class ProgressEntry(Base):
    """The 进展情况 of one task for one reporting period (YYYY-MM).

    One entry per task and period: re-editing in the same month refines that month's text, and
    a new month starts a new entry, so the history reads month by month.
    """

    __tablename__ = "progress"
    __table_args__ = (UniqueConstraint("task_id", "period", name="uq_progress_task_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Submission(Base):
    """One 报送 of a ledger's xlsx for a period: logged only once the mail left or the draft exists.

    The file's SHA-256 lets the office and the clerk tell later which exact file was sent.
    """

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_ledger", "ledger_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledgers.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    route: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    file_path: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")


class SummaryUnit(Base):
    """A unit a 汇总 ledger expects a return from, in the office's order."""

    __tablename__ = "summary_units"
    __table_args__ = (UniqueConstraint("ledger_id", "name", name="uq_summary_unit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledgers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text)


class Return(Base):
    """One unit's returned xlsx for one period, as imported into a 汇总 ledger.

    Every return is kept: when a unit sends a corrected file, the newest counts and the older
    one stays as history. ``issue`` holds what the office should review (an unknown unit…).
    """

    __tablename__ = "returns"
    __table_args__ = (Index("ix_returns_ledger_period", "ledger_id", "period", "unit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledgers.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(Text)
    unit_source: Mapped[str] = mapped_column(String(16), default="")
    period: Mapped[str] = mapped_column(String(7))
    received_on: Mapped[dt.date] = mapped_column(Date)
    filled_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    issue: Mapped[str] = mapped_column(Text, default="")

    rows: Mapped[list[ReturnRow]] = relationship(
        order_by="ReturnRow.position", cascade="all, delete-orphan", passive_deletes=True
    )


class ReturnRow(Base):
    """A row of a return, matched to a task of the 汇总 ledger (or not: ``task_id`` is NULL)."""

    __tablename__ = "return_rows"
    __table_args__ = (
        Index("ix_return_rows_return", "return_id", "position"),
        Index("ix_return_rows_task", "task_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="SET NULL"), nullable=True
    )
    seq: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    owner: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    match: Mapped[str] = mapped_column(String(16), default="")
    issue: Mapped[str] = mapped_column(Text, default="")


class UnitContact(Base):
    """The mail addresses of a unit on a 汇总 ledger's list (``a; b``), for 催报 and for telling
    whose return a mail carries."""

    __tablename__ = "unit_contacts"
    __table_args__ = (UniqueConstraint("ledger_id", "unit", name="uq_unit_contact"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledgers.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(Text)
    addresses: Mapped[str] = mapped_column(Text, default="")


class CollectedMail(Base):
    """What ``collect`` did with one attachment of one mail (or with a mail without a return,
    ``sha256`` empty): the record that keeps a second collection from importing it again."""

    __tablename__ = "collected_mail"
    __table_args__ = (Index("ix_collected_mail_message", "ledger_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledgers.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    sender: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    mail_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    return_id: Mapped[int | None] = mapped_column(
        ForeignKey("returns.id", ondelete="SET NULL"), nullable=True
    )
    collected_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Reminder(Base):
    """One 催报 mail written to a unit that had not reported for a period."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_ledger_period", "ledger_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_id: Mapped[int] = mapped_column(ForeignKey("ledgers.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    unit: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(Text, default="")
    route: Mapped[str] = mapped_column(String(8))
    file_path: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
