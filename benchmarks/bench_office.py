"""单位模式 benchmark (issue 20): 8 clerks × 200 edits at once on one shared ledger.

Run ``.venv/bin/python benchmarks/bench_office.py`` (or ``benchmarks/run.py --only office``).
It needs PostgreSQL's server programs (Debian package ``postgresql``): a private cluster is
started in the work dir on 127.0.0.1 as in the tests (``tests/pg_cluster.py``; fsync off, as
there — the figures are the program's and the server's work, not the disk's).

Setup (not timed): a database with one ledger of 200 tasks, 25 for each of 8 科室; ``fazhi
office init``; 8 clerk logins, one per 科室, each a member of that 科室 only, so the server's
row policies and the history trigger run on every save as they do in an office.

Timed: 8 processes start together (a barrier file); each, as its own login, saves 200 edits
to its own 科室's tasks in turn. One save = what the window does: a session, reading the
task's row version, ``tasks.set_progress(..., base_version=…)`` (row lock, version check,
write, version bump; on the server the policy check and the history rows), commit. Each
process times every save (``time.perf_counter`` around session to commit).

``save_p50_ms`` / ``save_p95_ms``: the median (over ≥5 runs) of each run's 50th and 95th
percentile of the 1,600 save times; ``save_p95_max_ms``: the worst run's p95.
``lost_edits``: after each run, every task's text must be the last one its clerk saved, and
the history must hold exactly one row per save; the count of missing saves over all runs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

CLERKS = 8
EDITS = 200
TASKS_PER_CLERK = 25
PERIOD = "2026-11"
TARGETS = {"lost_edits": ("<=", 0), "save_p95_ms": ("<=", 250.0)}

# One clerk: wait for the start, then save EDITS edits to its own tasks, timing each.
CLERK = """
import json, sys, time
from pathlib import Path
from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import tasks
url, ids, tag = sys.argv[1], json.loads(sys.argv[2]), sys.argv[5]
edits, start = int(sys.argv[3]), Path(sys.argv[4])
db = open_database(url)
while not start.exists():
    time.sleep(0.002)
times = []
for n in range(edits):
    task = ids[n % len(ids)]
    began = time.perf_counter()
    with db.session() as s, s.begin():
        version = tasks.get_task(s, task).row_version
        tasks.set_progress(s, task, "2026-11", f"{tag}-{n}", base_version=version)
    times.append(time.perf_counter() - began)
db.close()
print(json.dumps(times))
"""


def _setup(cluster: Any, run: int) -> tuple[str, list[tuple[str, list[int]]]]:
    """A database with the shared ledger and 8 clerks; the clerks' URLs and task ids."""
    from fazhi_desktop.models.db import open_database
    from fazhi_desktop.models.records import LedgerDraft, TaskDraft
    from fazhi_desktop.services import ledgers, office

    url = cluster.new_database()
    db = open_database(url)
    drafts = [
        TaskDraft(seq=str(i + 1), title=f"任务{i + 1}", department=f"第{i % CLERKS + 1}科")
        for i in range(CLERKS * TASKS_PER_CLERK)
    ]
    clerks = []
    with db.session() as session, session.begin():
        ledger = ledgers.create_ledger(
            session, LedgerDraft(title="单位台账", year=2026, tasks=drafts), period=PERIOD
        )
        office.init_office(session, name="管理员", department="办公室")
        for c in range(CLERKS):
            login = f"bench{run}_{c}"
            office.add_user(
                session, login, name=f"科员{c}", department=f"第{c + 1}科",
                password=f"pw-{login}", admin=False,
            )  # fmt: skip
    with db.session() as session:
        records = ledgers.load_task_records(session, ledger, today=dt.date(2026, 11, 22))
    db.close()
    name = url.rsplit("/", 1)[1]
    for c in range(CLERKS):
        login = f"bench{run}_{c}"
        ids = [r.id for r in records if r.department == f"第{c + 1}科"]
        clerks.append((cluster.url(name, login, f"pw-{login}"), ids))
    return url, clerks


def _one_run(cluster: Any, run: int, edits: int, scratch: Path) -> tuple[list[float], int]:
    import psycopg

    admin_url, clerks = _setup(cluster, run)
    start = scratch / f"start-{run}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLERK, url, json.dumps(ids), str(edits), str(start), f"c{c}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c, (url, ids) in enumerate(clerks)
    ]
    time.sleep(2.0)  # every clerk connected and waiting
    start.touch()
    times: list[float] = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(err)
        times += json.loads(out)
    lost = 0
    with psycopg.connect(admin_url) as conn:
        for c, (_url, ids) in enumerate(clerks):
            for k, task in enumerate(ids):
                mine = [n for n in range(edits) if n % len(ids) == k]
                if not mine:
                    continue
                last = mine[-1]
                row = conn.execute(
                    "SELECT text FROM progress WHERE task_id = %s AND period = %s", (task, PERIOD)
                ).fetchone()
                lost += row is None or row[0] != f"c{c}-{last}"
        saved = conn.execute(
            "SELECT count(*) FROM history WHERE field = %s", (f"progress:{PERIOD}",)
        ).fetchone()
    lost += CLERKS * edits - int(saved[0] if saved else 0)
    return times, lost


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(
    *, quick: bool = False, work_dir: Path | None = None, verbose: bool = True
) -> dict[str, Any]:
    from pg_cluster import start_cluster

    runs, edits = (1, 20) if quick else (5, EDITS)
    scratch = Path(work_dir or tempfile.mkdtemp(prefix="bench-office-"))
    cluster = start_cluster()
    if cluster is None:
        raise RuntimeError("需要 PostgreSQL（Debian 软件包 postgresql）")
    p50s, p95s, lost = [], [], 0
    try:
        for r in range(runs):
            times, missing = _one_run(cluster, r, edits, scratch)
            p50s.append(_percentile(times, 0.5) * 1000)
            p95s.append(_percentile(times, 0.95) * 1000)
            lost += missing
            if verbose:
                print(f"run {r + 1}: p50 {p50s[-1]:.1f} ms, p95 {p95s[-1]:.1f} ms, lost {missing}")
    finally:
        cluster.remove()
    return {
        "save_p50_ms": round(statistics.median(p50s), 1),
        "save_p95_ms": round(statistics.median(p95s), 1),
        "save_p95_max_ms": round(max(p95s), 1),
        "saves_per_run": CLERKS * edits,
        "lost_edits": lost,
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), ensure_ascii=False, indent=2))
