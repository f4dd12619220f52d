"""Issue 14's acceptance on the real-document corpus: ≥ 95 % of tasks right in each field, and
no file refused that a person reads as a plan or a 台账 (scored by benchmarks/bench_import.py)."""

from __future__ import annotations

from test_real_corpus import ROOT, _load


def test_corpus_tasks_are_right() -> None:
    bench = _load(ROOT / "benchmarks" / "bench_import.py", "bench_import_scored")
    result = bench.score_corpus()
    assert result["refused_files"] == []
    for field in ("title_pct", "units_pct", "deadline_pct"):
        assert result[field] >= 95.0, (field, result[field])
