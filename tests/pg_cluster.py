"""A private PostgreSQL cluster for the tests: initdb + pg_ctl in a temp folder, on 127.0.0.1.

PostgreSQL refuses to run as root, so under root the server runs as the ``postgres`` user (or
``nobody``) through ``runuser``, in a folder that user owns. The server's output goes to files,
never to pipes: a pipe nobody reads fills up and stalls the server.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ADMIN = "fazhi_admin"
ADMIN_PASSWORD = "admin-pw"  # a throwaway cluster on 127.0.0.1 that lives for one test run
TEMPLATE = "fazhi_template"


def server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--"]
    raise RuntimeError("no non-root user to run PostgreSQL as")


class Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.prefix = _run_as()
        self.root = Path(tempfile.mkdtemp(prefix="fazhi-pg-"))
        os.chmod(self.root, 0o755)
        if self.prefix:
            user = pwd.getpwnam(self.prefix[2])
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self._numbers = itertools.count(1)

    def _tool(self, name: str, *args: str) -> None:
        with open(self.root / f"{name}.out", "ab") as out:
            subprocess.run(
                [*self.prefix, str(self.bin / name), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                check=True,
                cwd=self.root,
                timeout=120,
            )

    def init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
        if self.prefix:
            os.chown(pwfile, pwd.getpwnam(self.prefix[2]).pw_uid, -1)
        self._tool(
            "initdb", "-D", str(self.data), "-U", ADMIN, f"--pwfile={pwfile}",
            "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        # fsync off: the data is thrown away after the run; the tests wait on nothing else.
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c full_page_writes=off"
        log = str(self.log)
        self._tool("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._tool("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def kill(self) -> None:
        """kill -9 of the postmaster and every server process under it."""
        pid = self.postmaster_pid()
        children = [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == pid]
        for victim in (pid, *children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{p}").exists() for p in (pid, *children)):
            if time.monotonic() > deadline:
                raise TimeoutError("PostgreSQL processes survived kill -9")
            time.sleep(0.05)

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def url(self, database: str, user: str = ADMIN, password: str = ADMIN_PASSWORD) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def admin_sql(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self, *, template: str | None = TEMPLATE) -> str:
        """A fresh database (a copy of the migrated template) and its URL."""
        name = f"t{next(self._numbers)}"
        using = f" TEMPLATE {template}" if template else ""
        self.admin_sql(f"CREATE DATABASE {name}{using}")
        return self.url(name)

    def make_template(self) -> None:
        from fazhi_desktop.models.db import open_database

        self.admin_sql(f"CREATE DATABASE {TEMPLATE}")
        open_database(self.url(TEMPLATE)).close()

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    return int(stat.rsplit(")", 1)[1].split()[1])


def start_cluster() -> Cluster | None:
    bin_dir = server_bin()
    if bin_dir is None:
        return None
    cluster = Cluster(bin_dir)
    try:
        cluster.init()
        cluster.make_template()
    except BaseException:
        cluster.remove()
        raise
    return cluster


def progress_text(url: str, seq: str, period: str) -> str | None:
    """The 进展情况 of the task with ``seq`` for ``period``, read directly from the server."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT p.text FROM progress p JOIN tasks t ON t.id = p.task_id "
            "WHERE t.seq = %s AND p.period = %s",
            (seq, period),
        ).fetchone()
    return None if row is None else str(row[0])
