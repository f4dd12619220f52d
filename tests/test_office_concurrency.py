"""单位模式 under load and failure: two processes saving at once, and a server killed mid-save."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pg_cluster import progress_text

from fazhi_desktop.errors import ConnectionLostError
from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import demo, office, tasks

ROOT = Path(__file__).resolve().parent.parent
TODAY_PERIOD = "2026-11"

# One clerk's process: save new text to one task again and again, each save based on the
# version it just read, until the time is up; print how many saves were committed.
WORKER = """
import sys, time
from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import tasks
url, seq, tag, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
db = open_database(url)
end = time.monotonic() + seconds
saved = 0
while time.monotonic() < end:
    with db.session() as s, s.begin():
        task = tasks.find_task_by_seq(s, 1, seq)
        version = tasks.get_task(s, task).row_version
        tasks.set_progress(s, task, "2026-11", f"{tag}-{saved + 1}", base_version=version)
    saved += 1
db.close()
print(saved)
"""


def _demo(url: str) -> None:
    import datetime as dt

    db = open_database(url)
    with db.session() as session, session.begin():
        demo.create_demo(session, dt.date(2026, 11, 22))
    db.close()


def _progress(url: str, seq: str) -> str | None:
    return progress_text(url, seq, TODAY_PERIOD)


def test_two_processes_editing_different_tasks_for_20_s_lose_nothing(pg_cluster: Any) -> None:
    url = pg_cluster.new_database()
    _demo(url)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, seq, tag, "20"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seq, tag in (("1", "甲"), ("4", "乙"))
    ]
    counts = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        counts.append(int(out))
    assert min(counts) > 20  # both really saved, many times, at the same time
    assert _progress(url, "1") == f"甲-{counts[0]}"
    assert _progress(url, "4") == f"乙-{counts[1]}"
    with psycopg.connect(url) as conn:
        version = conn.execute("SELECT row_version FROM tasks WHERE seq = '1'").fetchone()
    assert version is not None and version[0] == 1 + counts[0]  # every save counted once


def test_a_server_killed_mid_save_loses_nothing_typed_and_the_program_reconnects(
    own_cluster: Any,
) -> None:
    url = own_cluster.new_database()
    _demo(url)
    db = open_database(url)
    try:
        with db.session() as session:
            task = tasks.find_task_by_seq(session, 1, "1")
        typed = "服务器断开前刚写好的进展"
        # Killed between the statements and the commit: the save is lost, the text is not.
        with (
            pytest.raises(ConnectionLostError) as caught,
            office.keeping(typed),
            db.session() as session,
            session.begin(),
        ):
            tasks.set_progress(session, task, TODAY_PERIOD, typed)
            own_cluster.kill()
        assert "与数据库的连接已断开" in str(caught.value)
        assert caught.value.unsaved == typed
        # While the server is down, the next save says the same and keeps the text too.
        with pytest.raises(ConnectionLostError) as again, db.session() as session:
            tasks.set_progress(session, task, TODAY_PERIOD, typed)
        assert again.value.unsaved == typed
        own_cluster.start()
        with db.session() as session, session.begin():  # the same program, reconnected
            tasks.set_progress(session, task, TODAY_PERIOD, typed)
    finally:
        db.close()
    assert _progress(url, "1") == typed
