"""The program under a real X display (Xvfb 1366×768 with openbox), as a user starts it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require_tool
from xdisplay import x_display

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
