"""Versioned schema migrations, tracked in SQLite's ``PRAGMA user_version``.

A server (单位模式) runs the same steps and keeps the number in a table: models/server_db.

Each step is frozen SQL: it must create exactly what that release's program wrote, even after
the ORM classes move on. ``tests/test_migrations.py`` checks that the last step matches the ORM.
"""

from __future__ import annotations

SCHEMA_V1 = """
CREATE TABLE ledgers (
    id INTEGER NOT NULL PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    short_title TEXT NOT NULL DEFAULT '',
    year INTEGER,
    kind VARCHAR(16) NOT NULL DEFAULT 'ledger',
    unit TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    reporter TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    mailbox TEXT NOT NULL DEFAULT '',
    report_day INTEGER NOT NULL DEFAULT 30,
    report_cycle VARCHAR(16) NOT NULL DEFAULT 'monthly',
    notes TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE TABLE tasks (
    id INTEGER NOT NULL PRIMARY KEY,
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    seq TEXT NOT NULL DEFAULT '',
    section TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    deadline_text TEXT NOT NULL DEFAULT '',
    deadline DATE,
    department TEXT NOT NULL DEFAULT '',
    partners TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    done BOOLEAN NOT NULL DEFAULT 0,
    done_on DATE,
    plan_task_id INTEGER REFERENCES tasks (id) ON DELETE SET NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX ix_tasks_ledger_position ON tasks (ledger_id, position);
CREATE TABLE requirements (
    id INTEGER NOT NULL PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_requirements_task ON requirements (task_id, position);
CREATE TABLE progress (
    id INTEGER NOT NULL PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    period VARCHAR(7) NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL,
    CONSTRAINT uq_progress_task_period UNIQUE (task_id, period)
);
"""

# Version 2: the 报送 log (issue 5).
SCHEMA_V2 = """
CREATE TABLE submissions (
    id INTEGER NOT NULL PRIMARY KEY,
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    period VARCHAR(7) NOT NULL,
    submitted_at DATETIME NOT NULL,
    route VARCHAR(8) NOT NULL,
    recipient TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    file_path TEXT NOT NULL DEFAULT '',
    sha256 VARCHAR(64) NOT NULL DEFAULT ''
);
CREATE INDEX ix_submissions_ledger ON submissions (ledger_id, submitted_at);
"""

# Version 3: 汇总 ledgers: the units expected to report, their returns and the returned rows.
SCHEMA_V3 = """
CREATE TABLE summary_units (
    id INTEGER NOT NULL PRIMARY KEY,
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    CONSTRAINT uq_summary_unit UNIQUE (ledger_id, name)
);
CREATE TABLE returns (
    id INTEGER NOT NULL PRIMARY KEY,
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    unit_source VARCHAR(16) NOT NULL DEFAULT '',
    period VARCHAR(7) NOT NULL,
    received_on DATE NOT NULL,
    filled_on DATE,
    file_name TEXT NOT NULL DEFAULT '',
    sha256 VARCHAR(64) NOT NULL DEFAULT '',
    imported_at DATETIME NOT NULL,
    issue TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_returns_ledger_period ON returns (ledger_id, period, unit);
CREATE TABLE return_rows (
    id INTEGER NOT NULL PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    task_id INTEGER REFERENCES tasks (id) ON DELETE SET NULL,
    seq TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    progress TEXT NOT NULL DEFAULT '',
    done BOOLEAN NOT NULL DEFAULT 0,
    done_on DATE,
    owner TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    match VARCHAR(16) NOT NULL DEFAULT '',
    issue TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_return_rows_return ON return_rows (return_id, position);
CREATE INDEX ix_return_rows_task ON return_rows (task_id);
"""

# Version 4: collecting returns from the mailbox, the units' mail addresses, 催报 (issue 19).
SCHEMA_V4 = """
CREATE TABLE unit_contacts (
    id INTEGER NOT NULL PRIMARY KEY,
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    addresses TEXT NOT NULL DEFAULT '',
    CONSTRAINT uq_unit_contact UNIQUE (ledger_id, unit)
);
CREATE TABLE collected_mail (
    id INTEGER NOT NULL PRIMARY KEY,
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    sha256 VARCHAR(64) NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    sender TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    mail_date DATE,
    outcome VARCHAR(16) NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    return_id INTEGER REFERENCES returns (id) ON DELETE SET NULL,
    collected_at DATETIME NOT NULL
);
CREATE INDEX ix_collected_mail_message ON collected_mail (ledger_id, message_id);
CREATE TABLE reminders (
    id INTEGER NOT NULL PRIMARY KEY,
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    period VARCHAR(7) NOT NULL,
    unit TEXT NOT NULL,
    recipient TEXT NOT NULL DEFAULT '',
    route VARCHAR(8) NOT NULL,
    file_path TEXT NOT NULL DEFAULT '',
    sent_at DATETIME NOT NULL
);
CREATE INDEX ix_reminders_ledger_period ON reminders (ledger_id, period);
"""

# Version 5: a task's row version (issue 20), raised by every edit of the task or its progress,
# so a save made against an older version is refused instead of overwriting (单位模式).
SCHEMA_V5 = """
ALTER TABLE tasks ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
"""

# MIGRATIONS[i] brings a database from version i to version i + 1.
MIGRATIONS: tuple[str, ...] = (SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5)
SCHEMA_VERSION = len(MIGRATIONS)
