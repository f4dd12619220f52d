"""Issue 15, the command line under hostile conditions: no traceback, exit 2, Chinese message.

Read-only folders: as root (which ignores file modes) a tmpfs remounted read-only, so the
folder really is read-only; otherwise chmod 0555.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import fazhi_desktop
from fazhi_desktop import logs
from fazhi_desktop.cli import main as cli_main
from fazhi_desktop.settings import AppSettings, settings_path

REPO = Path(fazhi_desktop.__file__).resolve().parent.parent  # the code under test


def _run(
    *args: str | bytes,
    env: dict[str, str] | None = None,
    user: int | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    def drop() -> None:
        if user is not None:
            os.setgid(user)
            os.setuid(user)

    return subprocess.run(
        [sys.executable, "-m", "fazhi_desktop.cli", *args],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        preexec_fn=drop if user is not None else None,
    )


# --- 5. concurrent `fazhi config` calls do not lose each other's changes ------------------------


def test_concurrent_config_calls_lose_nothing() -> None:
    """Four scripts each set their own SMTP setting 15 times, all at once."""
    templates = {
        "smtp_host": "mail{n}.example.cn",
        "smtp_user": "clerk{n}",
        "smtp_from": "clerk{n}@example.cn",
        "smtp_port": "250{n:02d}",
    }
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from fazhi_desktop.cli import main\n"
                "for n in range(15):\n"
                f"    assert main(['config', '{key}=' + {template!r}.format(n=n)]) == 0\n",
            ],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.DEVNULL,
        )
        for key, template in templates.items()
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * len(procs)
    saved = AppSettings.load()
    assert (saved.smtp_host, saved.smtp_user, saved.smtp_from, saved.smtp_port) == (
        "mail14.example.cn",
        "clerk14",
        "clerk14@example.cn",
        25014,
    )


# --- 13. hostile command lines and environments --------------------------------------------------


def test_huge_ledger_id_is_a_usage_error(demo_db: Path) -> None:
    result = _run("--db", str(demo_db), "list", "--ledger", "99999999999999999999")
    err = result.stderr.decode()
    assert result.returncode == 2 and "99999999999999999999" in err and "Traceback" not in err


def test_non_utf8_file_name_in_argv(tmp_path: Path) -> None:
    result = _run(b"--db", str(tmp_path / "x.sqlite3").encode(), b"import-xlsx", b"\xff\xfe.xlsx")
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert "fe.xlsx" in err and "Traceback" not in err


def test_list_into_a_closed_pipe(demo_db: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "fazhi_desktop.cli", "--db", str(demo_db), "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head -0`: the reader is gone before the first line
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    code = proc.wait(timeout=60)
    # Quietly, as `fazhi list | head -1`: no "错误：无法读写Broken pipe", no Python noise.
    assert err == "" and code in (0, 141), (code, err)


def test_fifo_as_input_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "台账.xlsx"
    os.mkfifo(fifo)
    result = _run("--db", str(tmp_path / "x.sqlite3"), "import-xlsx", str(fifo), timeout=30)
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "管道" in err and "Traceback" not in err


def test_submit_dir_that_is_a_file(demo_db: Path, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "报送"
    not_a_folder.write_text("我是文件")
    eml = tmp_path / "草稿.eml"
    result = _run("--db", str(demo_db), "submit", "--eml", str(eml), "--dir", str(not_a_folder))
    err = result.stderr.decode()
    assert result.returncode == 2 and "同名的文件" in err and "Traceback" not in err, err
    assert not_a_folder.read_text() == "我是文件" and not eml.exists()


@pytest.mark.parametrize("where", ["--db", "restore"])
def test_fifo_as_database_or_backup_is_refused_without_hanging(
    demo_db: Path, tmp_path: Path, where: str
) -> None:
    fifo = tmp_path / "备份.sqlite3"
    os.mkfifo(fifo)
    args = (
        ("--db", str(fifo), "list")
        if where == "--db"
        else ("--db", str(demo_db), "restore", str(fifo))
    )
    result = _run(*args, timeout=30)
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "管道" in err and "Traceback" not in err, err


@pytest.mark.parametrize("content", ["[]", "null", '"x"', "42"])
def test_settings_json_of_the_wrong_shape(
    demo_db: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_path().write_text(content, encoding="utf-8")
    assert cli_main(["--db", str(demo_db), "config", "--list", "--json"]) == 0
    assert '"smtp_port": 0' in capsys.readouterr().out


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Callable[[Path | None], Path]]:
    """Returns a function that fills a folder (optionally with a copy of a file), then makes it
    read-only for everyone, root included."""
    folder = tmp_path / "只读"
    folder.mkdir()
    mounted = False

    def make(content: Path | None) -> Path:
        nonlocal mounted
        if os.geteuid() == 0:
            if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                              capture_output=True).returncode != 0:  # fmt: skip
                pytest.skip("cannot mount a tmpfs to make a folder read-only for root")
            mounted = True
        if content is not None:
            shutil.copy(content, folder / content.name)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            folder.chmod(0o555)
        return folder

    try:
        yield make
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.chmod(0o755)


def test_read_only_database_folder(
    demo_db: Path, read_only_folder: Callable[[Path | None], Path]
) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    folder = read_only_folder(demo_db)
    db = folder / demo_db.name
    before = db.read_bytes()
    listed = _run("--db", str(db), "list")
    assert listed.returncode == 0, listed.stderr.decode()
    assert "Traceback" not in listed.stderr.decode()
    assert "依法行政" in listed.stdout.decode() or listed.stdout.decode().count("\n") >= 1
    changed = _run("--db", str(db), "done", "1")
    err = changed.stderr.decode()
    assert changed.returncode == 2 and "只读" in err and "Traceback" not in err, err
    assert "损坏" not in err
    assert db.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [demo_db.name]


def test_new_database_in_a_folder_without_write_permission(
    read_only_folder: Callable[[Path | None], Path],
) -> None:
    folder = read_only_folder(None)
    result = _run("--db", str(folder / "new.sqlite3"), "list")
    err = result.stderr.decode()
    assert result.returncode == 2 and "写入权限" in err and "Traceback" not in err, err


# --- 14. a handled error's details go to the log file, not to the console ------------------------


def test_handled_error_prints_no_traceback(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "坏表.xlsx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("xl/workbook.xml", "<workbook")
    assert cli_main(["--db", str(db_path), "import-xlsx", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "坏表.xlsx" in err
    assert "Traceback" not in err and "reading" not in err
    assert "Traceback" in logs.log_path().read_text(encoding="utf-8")
