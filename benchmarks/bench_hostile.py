"""Hostile inputs: zip bombs and huge files, each read by a fresh interpreter.

Run ``.venv/bin/python benchmarks/bench_hostile.py [--quick]`` or ``benchmarks/run.py --only
hostile``. Every case builds its file here, then a
child process reads it through the program's own reader and reports the outcome (refused with
its Chinese message, or read) and the seconds the read took; its peak memory is the child's
``VmHWM`` (so the interpreter and its imports are included; Linux only). Targets from issue 15:
peak ≤ 300 MB and ≤ 30 s for every case.

Cases:

- ``docx_bomb``: a 335 KB .docx whose document.xml inflates to 100 MB (took 3.1 GB, 122 s).
- ``xlsx_shared_strings``: 40 MB of random shared strings, compressing only 2:1 (took 350 MB).
- ``xlsx_830k_rows``: a 13 MB file, a sheet of 830,000 one-cell rows (went past 5 GB).
- ``xlsx_830k_wide_rows``: 830,000 rows of five text cells (a 238 MB sheet).
- ``xlsx_bomb``: a sheet declaring 500 MB of zeros.
- ``xlsx_50k_rows``: 50,000 rows, the most a 台账 may have: read, not refused.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_files import docx_bomb, ledger_rows, row, shared_strings, workbook  # noqa: E402

_CHILD = """
import json, sys, time
from pathlib import Path
from fazhi_desktop.errors import InputFileError
reader, path = sys.argv[1], Path(sys.argv[2])
if reader == "plan":
    from fazhi_desktop.io.plan.source import read_plan_source as read
else:
    from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx as read
start = time.perf_counter()
try:
    result = read(path)
    outcome = f"read ({len(getattr(result, 'tasks', result))} items)"
except InputFileError as exc:
    outcome = "refused: " + str(exc)[:90]
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so it would report the
# parent's peak (which built the files) instead of the reader's.
status = Path("/proc/self/status").read_text()
peak_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": peak_mb}))
"""


def _zeros_bomb(path: Path, size: int) -> Path:
    """A workbook with one more part: ``size`` bytes of zeros (compresses about 1000:1)."""
    workbook(path, row(1, "序号"))
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as part,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(size // len(chunk)):
            part.write(chunk)
    return path


def _one_cell_rows(count: int) -> bytes:
    header = row(1, "序号", "工作任务", "责任单位", "完成时限", "进展情况")
    return header + b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(2, count + 2)
    )


def _cases(folder: Path, quick: bool) -> dict[str, tuple[str, Callable[[], Path]]]:
    rows = 60_000 if quick else 830_000  # both past the cap: quick only waits less before it
    return {
        "docx_bomb": ("plan", lambda: docx_bomb(folder / "方案.docx", 100 * 1024 * 1024)),
        "xlsx_shared_strings": (
            "xlsx",
            lambda: workbook(
                folder / "strings.xlsx", row(1, "序号", "工作任务"), shared_strings(40_000)
            ),
        ),
        "xlsx_830k_rows": ("xlsx", lambda: workbook(folder / "rows.xlsx", _one_cell_rows(rows))),
        "xlsx_830k_wide_rows": (
            "xlsx",
            lambda: workbook(folder / "wide.xlsx", ledger_rows(830_000)),
        ),
        "xlsx_bomb": ("xlsx", lambda: _zeros_bomb(folder / "bomb.xlsx", 500 * 1024 * 1024)),
        "xlsx_50k_rows": (
            "xlsx",
            lambda: workbook(folder / "cap.xlsx", ledger_rows(5_000 if quick else 49_990)),
        ),
    }


def _measure(reader: str, path: Path) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, reader, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    if child.returncode != 0:
        raise RuntimeError(f"{path.name}: {child.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def run(quick: bool = False, work_dir: Path | None = None) -> dict[str, Any]:
    """Figures per case: ``<case>_peak_mb``, ``<case>_s`` and ``<case>_refused`` (1 or 0)."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        for name, (reader, build) in _cases(Path(tmp), quick).items():
            path = build()
            size_kb = path.stat().st_size // 1024
            figures = _measure(reader, path)
            path.unlink()
            print(
                f"{name:22} {size_kb:>8} KB  peak {figures['peak_mb']:7.1f} MB  "
                f"{figures['seconds']:6.2f} s  {figures['outcome']}",
                flush=True,
            )
            results[f"{name}_peak_mb"] = {"value": figures["peak_mb"], "target": ("<=", 300)}
            results[f"{name}_s"] = {"value": figures["seconds"], "target": ("<=", 30)}
            results[f"{name}_refused"] = int(figures["outcome"].startswith("refused"))
    return results


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
