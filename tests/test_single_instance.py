"""One window per database: a second start raises the first, or says the database is open."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from fazhi_desktop.ui import app as app_module
from fazhi_desktop.ui import single_instance
from fazhi_desktop.ui.single_instance import claim, instance_key

ASK = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
app = QCoreApplication(sys.argv)
from fazhi_desktop.ui.single_instance import ask_first_to_raise
print(ask_first_to_raise(Path(sys.argv[1]), timeout=float(sys.argv[2])))
"""


def test_key_is_the_same_for_every_spelling_of_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    absolute = tmp_path / "台账.sqlite3"
    assert instance_key(Path("台账.sqlite3")) == instance_key(absolute)
    assert instance_key(tmp_path / "sub" / ".." / "台账.sqlite3") == instance_key(absolute)
    assert instance_key(tmp_path / "别的.sqlite3") != instance_key(absolute)
    assert instance_key(absolute).startswith("fazhi-desktop-")


def test_only_one_claim_per_database(tmp_path: Path, qapp: object) -> None:
    first = claim(tmp_path / "a.sqlite3")
    assert first is not None
    try:
        assert claim(tmp_path / "a.sqlite3") is None
        other = claim(tmp_path / "b.sqlite3")  # another database may open beside it
        assert other is not None
        other.release()
    finally:
        first.release()
    again = claim(tmp_path / "a.sqlite3")
    assert again is not None
    again.release()


def test_a_claim_left_by_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from fazhi_desktop.ui.single_instance import claim\n"
            "guard = claim(Path(sys.argv[1]))\n"
            "print(guard is not None, flush=True)\n"
            "time.sleep(60)\n",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        assert claim(db) is None
    finally:
        holder.kill()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    guard = claim(db)
    assert guard is not None, "the dead process's lock file must count as stale"
    guard.release()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_second_start_asks_the_first_to_raise_its_window(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    guard = claim(db)
    assert guard is not None
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    guard.raise_requested.connect(lambda: single_instance.bring_to_front(window))
    try:
        assert guard.listen()
        with qtbot.waitSignal(guard.raise_requested, timeout=20000):
            second = subprocess.Popen(
                [sys.executable, "-c", ASK, str(db), "15"], stdout=subprocess.PIPE, text=True
            )
        out, _ = second.communicate(timeout=30)
        assert out.strip() == "True"
        assert not window.isMinimized()
    finally:
        guard.release()


def test_nobody_answering_is_reported_as_false(tmp_path: Path) -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", ASK, str(tmp_path / "a.sqlite3"), "0.5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.strip() == "False"
    assert time.monotonic() - started < 30


def test_unanswered_second_start_says_the_database_is_open(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "台账.sqlite3"
    said: list[str] = []
    monkeypatch.setattr(single_instance, "ask_first_to_raise", lambda path: False)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    assert app_module.already_open(db) == 1
    assert len(said) == 1
    assert f"数据库“{db}”已在另一个法治台账窗口中打开" in said[0]
    assert "切换到那个窗口" in said[0]


@pytest.mark.slow
def test_second_program_start_hands_over_and_exits(tmp_path: Path) -> None:
    """The real thing: two ``fazhi-desktop`` processes on one database."""
    db = tmp_path / "台账.sqlite3"
    # TMPDIR: the lock file and socket the killed first process leaves stay in tmp_path.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    log = Path(env["FAZHI_LOG_DIR"]) / "fazhi-desktop.log"
    first = subprocess.Popen(
        [sys.executable, "-m", "fazhi_desktop", "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # It answers once its window is up: the daily backup is made right after.
        deadline = time.monotonic() + 60
        while not (log.exists() and "每日自动备份" in log.read_text(encoding="utf-8")):
            assert first.poll() is None, "the first window exited"
            assert time.monotonic() < deadline, "the first window never got going"
            time.sleep(0.1)
        second = subprocess.run(
            [sys.executable, "-m", "fazhi_desktop", "--db", str(db)],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert "已在另一个法治台账窗口中打开，已切换到该窗口" in second.stdout
        deadline = time.monotonic() + 10
        while "另一次启动请求显示窗口" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert first.poll() is None  # the first one is still running
    finally:
        first.kill()
        first.wait(timeout=30)
