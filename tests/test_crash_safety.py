"""kill -9 in the middle of editing loses nothing that was committed, and never the database.

A child process opens the database the way the window does (``open_database``) and writes
progress entries through the services in a tight loop, one transaction each, printing an
entry's number only after its commit returned. The parent kills it with SIGKILL at a random
moment, then checks that the file opens, passes ``PRAGMA integrity_check`` and holds every
printed entry. Twenty rounds on the same file, so kills land in commits, in WAL checkpoints and
between them. (A power cut is not testable here; ``models/db.py`` explains why synchronous=FULL
covers it.)
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fazhi_desktop.models.db import open_database

ROUNDS = 20

WRITER = r"""
import sys
from sqlalchemy import select
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.orm import Task
from fazhi_desktop.services import tasks

db = open_database(sys.argv[1])
with db.session() as session:
    ids = list(session.scalars(select(Task.id).order_by(Task.id)))
number = int(sys.argv[2])
print("ready", flush=True)
while True:
    task_id = ids[number % len(ids)]
    month = number // len(ids)
    period = f"{2000 + month // 12:04d}-{month % 12 + 1:02d}"
    with db.session() as session, session.begin():
        tasks.set_progress(session, task_id, period, f"第{number}次写入")
    sys.stdout.write(f"{number}\n")
    sys.stdout.flush()
    number += 1
"""


def entry_key(number: int, ids: list[int]) -> tuple[int, str]:
    month = number // len(ids)
    return ids[number % len(ids)], f"{2000 + month // 12:04d}-{month % 12 + 1:02d}"


def kill_midway(db: Path, start: int, rng: random.Random) -> list[int]:
    """Run the writer, SIGKILL it at a random moment; returns the numbers it reported committed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None
    try:
        first = proc.stdout.readline()
        assert first == "ready\n", first + proc.stderr.read()  # type: ignore[union-attr]
        committed: list[int] = []
        wanted = rng.randint(0, 80)
        while len(committed) < wanted:
            committed.append(int(proc.stdout.readline()))
        time.sleep(rng.uniform(0, 0.02))  # lands mid-transaction as often as between them
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Lines already in the pipe were printed after their commit returned: they count too.
    # A torn last line (no newline) was never fully reported.
    rest = proc.stdout.read()
    proc.stdout.close()
    proc.stderr.close()  # type: ignore[union-attr]
    committed += [int(line) for line in rest.split("\n")[:-1]]
    return committed


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX kill -9")
def test_kill_9_midway_loses_no_committed_edit(demo_db: Path) -> None:
    seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    conn = sqlite3.connect(demo_db)
    ids = [row[0] for row in conn.execute("SELECT id FROM tasks ORDER BY id")]
    conn.close()
    reported: list[int] = []
    start = 0
    for round_no in range(ROUNDS):
        reported += kill_midway(demo_db, start, rng)
        where = f"(round {round_no + 1}, seed {seed})"
        open_database(demo_db).close()  # the program itself opens it again
        conn = sqlite3.connect(demo_db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
            saved = {
                (task_id, period): text
                for task_id, period, text in conn.execute(
                    "SELECT task_id, period, text FROM progress"
                )
            }
        finally:
            conn.close()
        missing = [n for n in reported if saved.get(entry_key(n, ids)) != f"第{n}次写入"]
        assert missing == [], f"committed entries lost {where}"
        start = max(reported, default=start - 1) + 1
    # The rounds really wrote and really killed mid-stream.
    assert len(reported) > ROUNDS
