"""Keep the benchmark scripts from rotting: run the core bench tiny, and the runner on a stub.

The figures themselves are not checked against targets here (50 tasks say nothing about
10,000); ``benchmarks/run.py`` does that.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


def _load_runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_runner_under_test", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_core_bench_runs_end_to_end_on_a_small_ledger(tmp_path: Path) -> None:
    # A subprocess: the bench makes its own QApplication, fonts and child processes.
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_core.py"), "--small", "50", "--large", "60",
         "--repeats", "1", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = json.loads(proc.stdout)
    assert figures["n_small"] == 50
    assert figures["n_large"] == 60
    sys.path.insert(0, str(BENCH))
    try:
        import bench_core
    finally:
        sys.path.remove(str(BENCH))
    # Every figure a target is set for is measured, and every timing is a real duration.
    assert set(bench_core.TARGETS) <= set(figures)
    for name, value in figures.items():
        if name.endswith(("_s", "_ms")):
            assert math.isfinite(value) and value > 0, (name, value)
    assert figures["cold_start_ratio"] == pytest.approx(
        figures["cold_start_s"] / figures["cold_start_bare_s"]
    )


def test_runner_calls_a_bench_and_judges_its_targets(tmp_path: Path) -> None:
    runner = _load_runner()
    stub = tmp_path / "bench_stub.py"
    stub.write_text(
        "TARGETS = {'fast_ms': ('<', 10), 'slow_s': 1.0}\n"
        "def run(work_dir, quick=False):\n"
        "    assert work_dir.is_dir()\n"
        "    return {'fast_ms': 4.0, 'slow_s': 2.5, 'pages': 3,\n"
        "            'ratio': {'value': 1.2, 'target': ['<=', 1.5]}, 'note': 'text'}\n",
        encoding="utf-8",
    )
    entry = runner.run_one("stub", stub, quick=True)
    assert "error" not in entry
    assert entry["figures"] == {"fast_ms": 4.0, "slow_s": 2.5, "pages": 3.0, "ratio": 1.2}
    assert entry["met"] == {"fast_ms": True, "slow_s": False, "ratio": True}

    out = tmp_path / "results.json"
    runner.save(out, {"stub": entry})
    runner.save(out, {"other": {"figures": {}, "targets": {}, "met": {}}})
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert set(saved["benchmarks"]) == {"stub", "other"}  # one bench's run keeps the others


def test_runner_reports_a_broken_bench_instead_of_stopping(tmp_path: Path) -> None:
    runner = _load_runner()
    stub = tmp_path / "bench_broken.py"
    stub.write_text("def run():\n    raise RuntimeError('boom')\n", encoding="utf-8")
    entry = runner.run_one("broken", stub, quick=False)
    assert entry["error"] == "RuntimeError: boom"


def test_summary_bench_runs_quick(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import bench_summary
    finally:
        sys.path.remove(str(BENCH))
    figures = bench_summary.run(quick=True, work_dir=tmp_path, verbose=False)
    assert figures["consolidate_quick_s"] > 0
    assert figures["per_return_ms"] > 0


def test_office_bench_runs_quick(tmp_path: Path) -> None:
    # 8 clerk processes against a private PostgreSQL: nothing lost, every save timed.
    from pg_cluster import server_bin

    if server_bin() is None:
        pytest.skip("PostgreSQL not installed")
    sys.path.insert(0, str(BENCH))
    try:
        import bench_office
    finally:
        sys.path.remove(str(BENCH))
    figures = bench_office.run(quick=True, work_dir=tmp_path, verbose=False)
    assert figures["lost_edits"] == 0 and figures["saves_per_run"] == 160
    assert 0 < figures["save_p50_ms"] <= figures["save_p95_ms"]
