"""单位模式's server-side rules: roles, row-level security, and the history trigger (全程留痕).

Applied by ``fazhi office init`` on top of the ledger tables (which ``server_db`` migrates), and
safe to run again after an upgrade: every statement replaces or skips what is already there.
The server enforces all of it, whatever program connects:

- Everyone (group role ``fazhi_users``) reads everything. Admins (``fazhi_admins``) change
  everything. A clerk changes only tasks whose 责任科室 contains their 科室 (``office_users``),
  and only their progress, completion and notes (column privileges + row policies).
- ``history`` is written by an AFTER trigger running as the owner (SECURITY DEFINER), one row per
  changed field: who (the login, ``session_user``), when, the table, old and new value. Nobody
  has UPDATE/DELETE on it, not even the owner, and a statement trigger refuses them anyway.
- Each change also NOTIFYs ``fazhi_changes`` with the ledger id, so open windows can refresh.
"""

from __future__ import annotations

USERS_GROUP = "fazhi_users"
ADMINS_GROUP = "fazhi_admins"
NOTIFY_CHANNEL = "fazhi_changes"

# Tables whose changes are on record; return_rows are a return's copy, recorded as the return.
HISTORY_TABLES = (
    "ledgers",
    "tasks",
    "requirements",
    "progress",
    "submissions",
    "summary_units",
    "returns",
)
# What a clerk may change on a task of their own 科室 (the rest is the admins').
CLERK_TASK_COLUMNS = ("done", "done_on", "note", "updated_at", "row_version")

_ROLES = f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{USERS_GROUP}') THEN
        CREATE ROLE {USERS_GROUP} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ADMINS_GROUP}') THEN
        CREATE ROLE {ADMINS_GROUP} NOLOGIN;
    END IF;
END $$;
GRANT {USERS_GROUP} TO {ADMINS_GROUP};
GRANT {USERS_GROUP} TO CURRENT_USER WITH ADMIN OPTION;
GRANT {ADMINS_GROUP} TO CURRENT_USER WITH ADMIN OPTION;
"""

_TABLES = """
CREATE TABLE IF NOT EXISTS office_users (
    login TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS history (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    who TEXT NOT NULL DEFAULT session_user,
    table_name TEXT NOT NULL,
    row_id INTEGER,
    ledger_id INTEGER,
    task_id INTEGER,
    action TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX IF NOT EXISTS ix_history_ledger_task ON history (ledger_id, task_id, id);
"""

_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION fazhi_is_admin() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT pg_has_role(session_user, '{ADMINS_GROUP}', 'MEMBER') $$;

CREATE OR REPLACE FUNCTION fazhi_my_department() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT coalesce((SELECT department FROM office_users WHERE login = session_user), '') $$;

CREATE OR REPLACE FUNCTION fazhi_may_edit(dept text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT fazhi_is_admin()
        OR (fazhi_my_department() <> '' AND strpos(dept, fazhi_my_department()) > 0)
$$;

CREATE OR REPLACE FUNCTION fazhi_may_edit_task(tid integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT fazhi_is_admin()
        OR coalesce((SELECT fazhi_may_edit(department) FROM tasks WHERE id = tid), false)
$$;

CREATE OR REPLACE FUNCTION fazhi_record_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    o jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    n jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    r jsonb := coalesce(n, o);
    t_id integer;
    l_id integer;
    k text;
BEGIN
    IF TG_TABLE_NAME = 'tasks' THEN
        t_id := (r->>'id')::integer;
    ELSIF r ? 'task_id' THEN
        t_id := (r->>'task_id')::integer;
    END IF;
    IF TG_TABLE_NAME = 'ledgers' THEN
        l_id := (r->>'id')::integer;
    ELSIF r ? 'ledger_id' THEN
        l_id := (r->>'ledger_id')::integer;
    ELSIF t_id IS NOT NULL THEN
        SELECT ledger_id INTO l_id FROM tasks WHERE id = t_id;
    END IF;
    FOR k IN SELECT jsonb_object_keys(r) LOOP
        CONTINUE WHEN k IN ('id', 'task_id', 'ledger_id', 'updated_at', 'row_version',
                            'created_at', 'imported_at');
        CONTINUE WHEN TG_TABLE_NAME = 'progress' AND k = 'period';
        CONTINUE WHEN (o->k) IS NOT DISTINCT FROM (n->k);
        CONTINUE WHEN TG_OP <> 'UPDATE' AND (coalesce(r->>k, '') = '' OR k = 'position');
        INSERT INTO history (table_name, row_id, ledger_id, task_id, action, field,
                             old_value, new_value)
        VALUES (TG_TABLE_NAME, (r->>'id')::integer, l_id, t_id, lower(TG_OP),
                CASE WHEN TG_TABLE_NAME = 'progress' THEN 'progress:' || (r->>'period')
                     ELSE TG_TABLE_NAME || '.' || k END,
                o->>k, n->>k);
    END LOOP;
    PERFORM pg_notify('{NOTIFY_CHANNEL}', coalesce(l_id::text, ''));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION fazhi_history_is_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '全程留痕的记录不能修改或删除' USING ERRCODE = '42501';
END $$;
DROP TRIGGER IF EXISTS history_kept ON history;
CREATE TRIGGER history_kept BEFORE UPDATE OR DELETE OR TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION fazhi_history_is_kept();
"""

_GRANTS = f"""
GRANT USAGE ON SCHEMA public TO {USERS_GROUP};
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {USERS_GROUP};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {USERS_GROUP};
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ADMINS_GROUP};
REVOKE ALL ON history FROM PUBLIC, {USERS_GROUP}, {ADMINS_GROUP};
REVOKE UPDATE, DELETE, TRUNCATE ON history FROM CURRENT_USER;
GRANT SELECT ON history TO {USERS_GROUP};
REVOKE INSERT, UPDATE, DELETE ON fazhi_schema_version FROM {ADMINS_GROUP};
GRANT UPDATE ({", ".join(CLERK_TASK_COLUMNS)}) ON tasks TO {USERS_GROUP};
GRANT INSERT, UPDATE, DELETE ON progress TO {USERS_GROUP};
"""


def _policies() -> str:
    parts = []
    for table in ("tasks", "progress"):
        parts.append(
            f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS fazhi_read ON {table};
CREATE POLICY fazhi_read ON {table} FOR SELECT USING (true);
DROP POLICY IF EXISTS fazhi_admin ON {table};
CREATE POLICY fazhi_admin ON {table} FOR ALL TO {ADMINS_GROUP} USING (true) WITH CHECK (true);
"""
        )
    parts.append(
        f"""
DROP POLICY IF EXISTS fazhi_clerk ON tasks;
CREATE POLICY fazhi_clerk ON tasks FOR UPDATE TO {USERS_GROUP}
    USING (true) WITH CHECK (fazhi_may_edit(department));
DROP POLICY IF EXISTS fazhi_clerk_insert ON progress;
CREATE POLICY fazhi_clerk_insert ON progress FOR INSERT TO {USERS_GROUP}
    WITH CHECK (fazhi_may_edit_task(task_id));
DROP POLICY IF EXISTS fazhi_clerk_update ON progress;
CREATE POLICY fazhi_clerk_update ON progress FOR UPDATE TO {USERS_GROUP}
    USING (true) WITH CHECK (fazhi_may_edit_task(task_id));
DROP POLICY IF EXISTS fazhi_clerk_delete ON progress;
CREATE POLICY fazhi_clerk_delete ON progress FOR DELETE TO {USERS_GROUP}
    USING (fazhi_may_edit_task(task_id));
"""
    )
    return "".join(parts)


def _triggers() -> str:
    return "".join(
        f"""
DROP TRIGGER IF EXISTS fazhi_history ON {table};
CREATE TRIGGER fazhi_history AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION fazhi_record_history();
"""
        for table in HISTORY_TABLES
    )


def office_sql() -> str:
    """Everything ``fazhi office init`` runs, in one transaction."""
    return _ROLES + _TABLES + _FUNCTIONS + _GRANTS + _policies() + _triggers()
