"""The 汇总 charts: PNGs of a sane size, drawn in the bundled Chinese font, no missing glyphs."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import warnings
from pathlib import Path

from fazhi_desktop.io import charts
from fazhi_desktop.models.status import Status

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
UNITS = ["市司法局", "市委编办", "濮阳市城乡建设和环境保护局", "市发展和改革委员会"]


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _completion(n: int) -> list[tuple[str, int, int]]:
    return [(f"{UNITS[i % len(UNITS)]}{i}", i % 7, 6 + i % 3) for i in range(n)]


STATUS_COUNTS = [(s.value, n) for s, n in zip(Status, (3, 10, 6, 5, 1), strict=True)]
MONTHS = [(f"2026-{m:02d}", m) for m in range(1, 13)]


def test_three_charts_are_pngs_of_sane_size() -> None:
    for png in (
        charts.completion_chart(_completion(4)),
        charts.status_chart(STATUS_COUNTS),
        charts.overdue_chart(MONTHS),
    ):
        width, height = _size(png)
        assert width == round(charts.WIDTH_IN * charts.DPI)
        assert 250 <= height <= 1000
        assert 10_000 < len(png) < 500_000


def test_completion_chart_grows_with_the_units() -> None:
    few = _size(charts.completion_chart(_completion(4)))[1]
    many = _size(charts.completion_chart(_completion(40)))[1]
    assert many > 3 * few
    # 40 units still get a readable bar each: at least 30 px of height per unit.
    assert many / 40 >= 30


def test_empty_figures_still_draw_a_chart() -> None:
    for png in (charts.completion_chart([]), charts.status_chart([]), charts.overdue_chart([])):
        width, height = _size(png)
        assert width > 0 and height > 0


def test_pictures_differ_with_the_data() -> None:
    assert charts.status_chart(STATUS_COUNTS) != charts.status_chart(STATUS_COUNTS[:2])


def test_the_bundled_font_draws_the_labels() -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    family = charts.chart_font_family()
    found = Path(font_manager.findfont(font_manager.FontProperties(family=[family])))
    assert found.samefile(charts.chart_font_path())
    # Every character of every label is in the font: no box drawn in place of a glyph.
    covered = FT2Font(str(charts.chart_font_path())).get_charmap()
    labels = [
        charts.COMPLETION_TITLE,
        charts.STATUS_TITLE,
        charts.OVERDUE_TITLE,
        "完成率（%）项数逾期项数本期尚无单位报送没有逾期未完成的任务0123456789−",
        *UNITS,
        *(s.value for s in Status),
        *(charts.month_label(m) for m, _n in MONTHS),
    ]
    missing = {ch for text in labels for ch in text if ord(ch) not in covered}
    assert missing == set()


def _glyph_warnings(draw: object) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert callable(draw)
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_rendering_reports_no_missing_glyph_and_would_notice_one() -> None:
    assert _glyph_warnings(lambda: charts.completion_chart(_completion(5))) == []
    assert _glyph_warnings(lambda: charts.status_chart(STATUS_COUNTS)) == []
    assert _glyph_warnings(lambda: charts.overdue_chart(MONTHS)) == []
    # The check is real: a character outside the font (U+2A6D6, CJK Extension B) is noticed.
    assert _glyph_warnings(lambda: charts.completion_chart([("\U0002a6d6局", 1, 2)]))


def test_minus_sign_and_digits_render_in_the_chart_style() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def draw() -> None:
        with charts.chart_style():
            figure = Figure(figsize=(4, 3))
            ax = figure.add_subplot()
            ax.plot([-3, -1, 0, 2], [-5, 1, -2, 4])
            ax.set_title("负数 −12.5 与数字 0123456789")
            FigureCanvasAgg(figure).print_png(io.BytesIO())

    assert _glyph_warnings(draw) == []


_PROBE = """
import sys
from fazhi_desktop.io import charts
assert "matplotlib" not in sys.modules, "imported at module import"
png = charts.status_chart([("已完成", 2)])
import os
print(os.environ["MPLCONFIGDIR"])
print(len(png))
"""


def _probe(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )


def _base_env() -> dict[str, str]:
    keep = ("PATH", "SYSTEMROOT", "WINDIR", "TEMP", "TMP", "TMPDIR", "LANG")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return env


def test_works_when_the_home_folder_cannot_be_written(tmp_path: Path) -> None:
    """A locked-down profile: no data folder, no ~/.config; the font cache goes to a temp dir.

    Tests run as root on CI, where permissions do not stop writes: a home that is a plain file
    makes every folder under it impossible to create, for root too.
    """
    home = tmp_path / "home-is-a-file"
    home.write_text("not a folder", encoding="utf-8")
    env = _base_env() | {"HOME": str(home), "USERPROFILE": str(home), "APPDATA": str(home),
                         "LOCALAPPDATA": str(home)}  # fmt: skip
    result = _probe(env, tmp_path)
    assert result.returncode == 0, result.stderr
    config, size = result.stdout.split()
    assert Path(config).is_dir() and not Path(config).is_relative_to(home)
    assert int(size) > 1000
    assert "Matplotlib" not in result.stderr  # no "created a temporary cache directory" warning


def test_font_cache_goes_to_the_data_folder_or_the_given_one(tmp_path: Path) -> None:
    env = _base_env() | {"HOME": str(tmp_path / "home"), "FAZHI_DATA_DIR": str(tmp_path / "d")}
    result = _probe(env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.split()[0]) == tmp_path / "d" / "matplotlib"
    assert any((tmp_path / "d" / "matplotlib").iterdir())  # matplotlib's font list is cached
    given = tmp_path / "mine"
    given.mkdir()
    result = _probe(env | {"MPLCONFIGDIR": str(given)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.split()[0]) == given


def test_month_label() -> None:
    assert charts.month_label("2026-03") == "2026年3月"
    assert charts.month_label("长期") == "长期"
