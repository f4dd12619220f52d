"""Transitional: the 汇总 window's charts as PNG bytes, until the window paints them with Qt.

The xlsx (:mod:`fazhi_desktop.io.xlsx.charts`) and the PDF (:mod:`fazhi_desktop.io.pdf.charts`)
no longer use this module; matplotlib is no longer a dependency nor in the bundle (the spec
excludes it). Only ``ui/summary_window.py`` still calls it, from a development environment
that has matplotlib; delete this module when the window draws the charts itself. Titles and
colours come from :mod:`fazhi_desktop.models.charts`.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_desktop.models.charts import (
    BAR,
    COMPLETION_TITLE,
    NO_OVERDUE,
    NO_RETURNS,
    OVERDUE_BAR,
    OVERDUE_TITLE,
    STATUS_COLOURS,
    STATUS_TITLE,
    month_label,
)
from fazhi_desktop.paths import data_dir, resource_path

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CHART_FONT_FILE = "wqy-microhei.ttc"
DPI = 120
WIDTH_IN = 8.0

# rcParams are global: one chart at a time, whichever thread asks.
_LOCK = threading.Lock()
_FONT: dict[str, str] = {}


def _config_dir() -> None:
    """Give matplotlib a writable folder for its font cache before it is imported.

    It would use ~/.config/matplotlib (or ~/.matplotlib); a locked-down office PC may not let
    it write there, and matplotlib then warns and rebuilds the cache on every start.
    """
    if os.environ.get("MPLCONFIGDIR"):
        return
    with suppress(OSError):  # no data folder (read-only profile): a temporary one will do
        folder = data_dir() / "matplotlib"
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            os.environ["MPLCONFIGDIR"] = str(folder)
            return
    os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="fazhi-matplotlib-")


def chart_font_path() -> Path:
    return resource_path("fonts", CHART_FONT_FILE)


def chart_font_family() -> str:
    """Register the bundled font with matplotlib (once) and return its family name."""
    family = _FONT.get("family")
    if family is not None:
        return family
    _config_dir()
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = chart_font_path()
    first = FT2Font(str(path))
    names = {first.family_name}
    names.update(FT2Font(str(path), face_index=i).family_name for i in range(1, first.num_faces))
    manager = font_manager.fontManager
    # An installed copy of the same family (another version) must not win the lookup: the
    # bundled file is the one whose coverage the program relies on.
    manager.ttflist = [entry for entry in manager.ttflist if entry.name not in names]
    manager.addfont(str(path))
    _FONT["family"] = first.family_name
    _FONT["minus"] = "yes" if 0x2212 in first.get_charmap() else ""
    return first.family_name


@contextmanager
def chart_style() -> Iterator[None]:
    family = chart_font_family()
    import matplotlib

    rc = {
        "font.family": [family],
        "font.size": 10,
        # A real minus sign where the font has one; else the hyphen, never an empty box.
        "axes.unicode_minus": bool(_FONT["minus"]),
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with _LOCK, matplotlib.rc_context(rc):  # type: ignore[arg-type]
        yield


def _integer_ticks(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 2.5 tasks


def _figure(height_in: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    out = io.BytesIO()
    canvas.print_png(out, metadata={"Software": "法治台账 fazhi-desktop"})
    return out.getvalue()


def _empty(ax: Axes, text: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, color="#666666",
            transform=ax.transAxes)  # fmt: skip


def completion_chart(rows: Sequence[tuple[str, int, int]], *, part: str = "") -> bytes:
    """Horizontal bars: each unit's share of its reported tasks that are done.

    ``rows`` are (unit, done, tasks reported on), in the order the units are listed; ``part``
    (“1/3”) marks one of several images a long list is printed in.
    """
    with chart_style():
        figure = _figure(max(2.6, 1.3 + 0.34 * len(rows)))
        ax = figure.add_subplot()
        ax.set_title(f"{COMPLETION_TITLE}（{part}）" if part else COMPLETION_TITLE, fontsize=13)
        if not rows:
            _empty(ax, NO_RETURNS)
            return _png(figure)
        names = [unit for unit, _done, _total in rows]
        rates = [100.0 * done / total if total else 0.0 for _unit, done, total in rows]
        positions = list(range(len(rows)))
        ax.barh(positions, rates, color=BAR, height=0.6)
        ax.set_yticks(positions, names)
        ax.invert_yaxis()  # first unit on top, as in the list
        ax.set_xlim(0, 118)  # room for the labels beside full bars
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel("完成率（%）")
        for position, rate, (_unit, done, total) in zip(positions, rates, rows, strict=True):
            ax.text(rate + 1.5, position, f"{rate:.0f}%（{done}/{total}）", va="center",
                    fontsize=9)  # fmt: skip
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        return _png(figure)


def status_chart(counts: Sequence[tuple[str, int]]) -> bytes:
    """Vertical bars: how many (unit, task) pairs are in each status."""
    with chart_style():
        figure = _figure(3.6)
        ax = figure.add_subplot()
        ax.set_title(STATUS_TITLE, fontsize=13)
        if not counts:
            _empty(ax, NO_RETURNS)
            return _png(figure)
        labels = [label for label, _n in counts]
        values = [n for _label, n in counts]
        colours = [STATUS_COLOURS.get(label, BAR) for label in labels]
        bars = ax.bar(labels, values, color=colours, width=0.6)
        ax.bar_label(bars, labels=[str(v) for v in values], padding=2, fontsize=9)
        ax.set_ylabel("项数")
        ax.set_ylim(0, max(values) * 1.18 + 1)
        _integer_ticks(ax)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        return _png(figure)


def overdue_chart(months: Sequence[tuple[str, int]]) -> bytes:
    """Vertical bars: 逾期未完成 (unit, task) pairs by the month their deadline fell in."""
    with chart_style():
        figure = _figure(3.6)
        ax = figure.add_subplot()
        ax.set_title(OVERDUE_TITLE, fontsize=13)
        if not months:
            _empty(ax, NO_OVERDUE)
            return _png(figure)
        labels = [month_label(m) for m, _n in months]
        values = [n for _m, n in months]
        positions = list(range(len(labels)))
        bars = ax.bar(positions, values, color=OVERDUE_BAR, width=0.6)
        ax.bar_label(bars, labels=[str(v) for v in values], padding=2, fontsize=9)
        if len(labels) > 6:  # a year of months does not fit side by side
            ax.set_xticks(positions, labels, rotation=40, ha="right", rotation_mode="anchor")
        else:
            ax.set_xticks(positions, labels)
        ax.set_ylabel("逾期项数")
        ax.set_ylim(0, max(values) * 1.18 + 1)
        _integer_ticks(ax)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        return _png(figure)
