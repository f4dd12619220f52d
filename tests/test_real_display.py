"""The program under a real X display (Xvfb 1366×768 with openbox), as a user starts it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require_tool
from xdisplay import window_geometry, x_display

SCRIPTS = Path(__file__).resolve().parent / "scripts"


@pytest.fixture(scope="module")
def display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    for tool in ("Xvfb", "openbox", "xdotool", "xwininfo", "xprop"):
        require_tool(tool)
    with x_display(tmp_path_factory.mktemp("x")) as env:
        yield env


def test_print_preview_opens_and_shows_the_pages(display: dict[str, str], tmp_path: Path) -> None:
    """文件 → 打印预览 killed the program (a QPrinter freed under the preview dialog)."""
    png = tmp_path / "preview.png"
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "print_preview.py"), str(tmp_path / "db.sqlite3"), str(png)],
        env=display,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "closed" in proc.stdout
    from PIL import Image

    with Image.open(png) as image:
        assert image.width >= 800
        # The page is drawn: many distinct colours (text, fills), not an empty grey canvas.
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50


def _start(env: dict[str, str], db: Path) -> subprocess.Popen[bytes]:
    # The program's output goes to a file the child holds; the test keeps no pipe to drain.
    with (db.parent / "program.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "fazhi_desktop", "--db", str(db), "--today", "2026-11-22"],
            env={**os.environ, **{k: env[k] for k in ("DISPLAY", "QT_QPA_PLATFORM")}},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def _quit(env: dict[str, str], proc: subprocess.Popen[bytes]) -> None:
    """Ctrl+Q, as a user quits, so the window saves its geometry."""
    subprocess.run(
        ["xdotool", "search", "--name", "法治台账", "windowactivate", "--sync"],
        env=env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    subprocess.run(
        ["xdotool", "key", "ctrl+q"], env=env, capture_output=True, timeout=30, check=False
    )
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


@pytest.mark.slow
def test_first_window_fills_an_office_screen(display: dict[str, str], tmp_path: Path) -> None:
    """A fresh start opened 879×268 (3½ rows); now about 90 % of a 1366×768 screen."""
    proc = _start(display, tmp_path / "db.sqlite3")
    try:
        x, y, width, height = window_geometry(display, "法治台账")
        assert width >= 1200 and height >= 650, (width, height)
        assert x >= 0 and y >= 0 and x + width <= 1366 and y + height <= 768
    finally:
        _quit(display, proc)
    assert proc.returncode == 0


@pytest.mark.slow
def test_the_title_bar_names_the_open_ledger(display: dict[str, str], tmp_path: Path) -> None:
    """The window manager's title shows which ledger is open (a 汇总 is never mistaken for it)."""
    import time

    proc = _start(display, tmp_path / "db.sqlite3")
    try:
        window_geometry(display, "法治台账")
        deadline, name = time.monotonic() + 30, ""
        while "工作台账（演示）" not in name and time.monotonic() < deadline:
            time.sleep(0.2)
            name = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "法治台账", "getwindowname"],
                env=display, capture_output=True, text=True, timeout=30, check=False,
            ).stdout  # fmt: skip
        assert "工作台账（演示）" in name and name.strip().endswith("— 法治台账"), name
    finally:
        _quit(display, proc)
    assert proc.returncode == 0


@pytest.mark.slow
def test_a_geometry_saved_on_a_big_monitor_fits_the_small_one(
    tmp_path_factory: pytest.TempPathFactory, display: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "db.sqlite3"
    with x_display(tmp_path_factory.mktemp("big"), (1920, 1200)) as big:
        proc = _start(big, db)
        try:
            window_geometry(big, "法治台账")
            subprocess.run(
                [
                    "xdotool",
                    "search",
                    "--name",
                    "法治台账",
                    "windowsize",
                    "1880",
                    "1150",
                    "windowmove",
                    "20",
                    "20",
                ],
                env=big,
                capture_output=True,
                timeout=30,
                check=True,
            )
            assert window_geometry(big, "法治台账")[3] > 1000
        finally:
            _quit(big, proc)
    proc = _start(display, db)
    try:
        x, y, width, height = window_geometry(display, "法治台账")
        assert x >= 0 and y >= 0 and x + width <= 1366 and y + height <= 768, (x, y, width, height)
    finally:
        _quit(display, proc)


def test_no_dialog_is_taller_than_the_screen(display: dict[str, str], tmp_path: Path) -> None:
    """汇总情况 asked for 1240×780 on a 768-pixel screen; every window now fits when shown."""
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QDialog\n"
        "from fazhi_desktop.ui.window_geometry import install_screen_fit\n"
        "app = QApplication(sys.argv)\n"
        "fit = install_screen_fit(app)\n"
        "dialog = QDialog()\n"
        "dialog.setWindowTitle('tall')\n"
        "dialog.resize(1240, 900)\n"
        "dialog.show()\n"
        "for _ in range(20):\n"
        "    app.processEvents()\n"
        "frame = dialog.frameGeometry()\n"
        "area = dialog.screen().availableGeometry()\n"
        "print(frame.x(), frame.y(), frame.width(), frame.height(), area.height())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env=display,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    _x, y, _width, height, available = map(int, proc.stdout.split())
    assert y >= 0 and y + height <= available, proc.stdout


def test_the_collect_result_rows_are_as_tall_as_their_text(display: dict[str, str]) -> None:
    """收取结果 sized its rows before the last column stretched: each of eight short rows took
    three lines' height and the list showed three of them."""
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from fazhi_desktop.services.collect import CollectResult, Item\n"
        "from fazhi_desktop.ui.summary.mail_collect import CollectResultDialog\n"
        "app = QApplication(sys.argv)\n"
        "subject = '市司法局2026年11月法治政府建设工作台账进展情况报送'\n"
        "items = [Item('imported', f'市司法局-进展{n}.xlsx', '市司法局 2026-11：对应 4 项任务。',\n"
        "              subject, 'u@sfj.example.cn') for n in range(8)]\n"
        "dialog = CollectResultDialog(CollectResult(items=items, new_mails=8))\n"
        "dialog.show()\n"
        "for _ in range(50):\n"
        "    app.processEvents()\n"
        "table = dialog.table\n"
        "print(*[table.rowHeight(r) - table.sizeHintForRow(r) for r in range(8)])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], env=display, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert set(proc.stdout.split()) == {"0"}, proc.stdout


def test_the_program_leaves_at_once_and_loses_no_output(tmp_path: Path) -> None:
    """``launch`` ends the process without Qt's teardown: output and log must be complete."""
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "fazhi_desktop",
            "--db",
            str(tmp_path / "db.sqlite3"),
            "--today",
            "2026-11-22",
            "--screenshot",
            str(shot),
        ],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "截图已保存" in proc.stdout
    assert shot.stat().st_size > 10_000
    log = Path(os.environ["FAZHI_LOG_DIR"]) / "fazhi-desktop.log"
    assert "启动" in log.read_text(encoding="utf-8")
