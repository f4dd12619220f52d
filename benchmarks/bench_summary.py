"""汇总 at scale: 50 units' returns × 200 tasks consolidated into one 汇总 ledger.

Run ``.venv/bin/python benchmarks/bench_summary.py`` or ``benchmarks/run.py --only summary``.

Figures:

- ``consolidate_50x200_s``: :func:`services.consolidate.consolidate` of 50 returned xlsx (each
  the program's own export of 200 rows, every fifth row renumbered so it is matched by title)
  into a fresh 汇总 ledger: reading, unit/period detection, row matching and saving, each file in
  its own transaction. Target ≤ 1.5 s (issue 17; it was 4.49 s). Median of ``repeats`` (≥ 5)
  runs, each on a new database, and the max.
- ``per_return_ms``: the median divided by 50.
- ``views_ms``: period report + tasks across units + review list + statistics afterwards; target
  ≤ 100 ms (issue 17; it was 1211 ms). Median and max of the same runs.

Profile (cProfile, 50×200, after issue 17's first pass): reading the returns is ~75 % — openpyxl
loads each workbook twice, once for the visible sheet and once for the hidden return data —
matching ~15 % (title similarity for renumbered rows), saving ~7 % since the rows are inserted
in one multi-row INSERT instead of 10,000 ORM objects. The views were 10,000 ReturnRow objects
lazily loaded per return; they are now two plain column queries.

Profile (second pass, cProfile and ``time.process_time`` A/B in the same minute):

- views: ``tasks_across_units`` ran twice (``stats`` calls it), each time fetching 10,000 rows
  through SQLAlchemy (``fetchone`` + type processing ≈ 35 % of the views) and classifying every
  row. Now the rows come from the session's sqlite3 connection, each distinct (deadline, done,
  completion date, has progress) is classified once, and the result is kept for the session
  while the database is unchanged (``total_changes`` + ``PRAGMA data_version``), so ``stats``
  only counts. Building the 10,000 row objects set off a dozen young collections and, often,
  a full one over everything the consolidation left alive (~45 ms, measured with ``gc.collect``
  timed after a consolidation); the collector is paused while they are built (all of them stay
  alive; ``fazhi_desktop.bulk``, also around each workbook read: GC time of a consolidation
  ~0.07 → ~0.02 s, by ``gc.callbacks``). CPU time of the views under load
  (``time.process_time``): 150 → 50 ms.
- consolidate: of what is not openpyxl, ``normalize`` (87,650 calls: the same 400 序号/titles
  in every return), ``SequenceMatcher`` for rows whose title is identical to the template's, and
  deadline/责任 parsing of repeated texts were ~25 %. Keys and parses are now cached per distinct
  text and identical titles skip the matcher; the rows go in through one prepared sqlite3
  ``executemany`` (SQLAlchemy's bulk insert built parameters longer than SQLite stored them);
  header detection no longer normalises the 20,000-character hidden data cell; ``done_in_text``
  skips texts without 完/办结. CPU time under load: 1.85 → 1.40 s. What remains is openpyxl
  (cell parsing ≈ 40 %, ``load_workbook`` with its stylesheet ≈ 15 % — 7 ms per file even for
  200 rows), our per-row reading (~11 %), and the 50 commits (one transaction per file, so a
  broken file leaves the others in: kept).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from summary_returns import make_template, write_return  # noqa: E402

from fazhi_desktop.models.db import open_database  # noqa: E402
from fazhi_desktop.services import consolidate, summary, summary_views  # noqa: E402
from fazhi_desktop.vocab.kinds import ReportState  # noqa: E402

TARGETS = {"consolidate_50x200_s": 1.5, "views_ms": 100.0}
PERIOD = "2026-11"
TODAY = dt.date(2026, 12, 10)


def _build(work: Path, n_units: int, n_tasks: int) -> tuple[Path, int, list[Path]]:
    db_path = work / "bench.sqlite3"
    units = [f"第{i:02d}测试局" for i in range(1, n_units + 1)]
    db = open_database(db_path)
    with db.session() as s, s.begin():
        template = make_template(s, n_tasks, units)
        summary_id = summary.create_summary(s, template, units=units)
        titles = [(t.seq, t.title) for t in summary.get_ledger(s, template).tasks]
    db.close()
    files = []
    for n, unit in enumerate(units):
        rows = [
            (f"（{seq}）" if i % 5 == 0 else seq, title, f"{unit}第{seq}项本月进展：已按要求推进。")
            for i, (seq, title) in enumerate(titles)
        ]
        files.append(
            write_return(work / "returns" / f"{unit}-台账-2026年11月进展.xlsx", unit=unit,
                         period=PERIOD, rows=rows, filled_on=dt.date(2026, 11, 20 + n % 10))
        )  # fmt: skip
    return db_path, summary_id, files


def run(*, quick: bool = False, work_dir: Path | None = None, verbose: bool = True) -> dict:
    n_units, n_tasks = (10, 50) if quick else (50, 200)
    repeats = 1 if quick else 5
    times: list[float] = []
    view_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-summary-", dir=work_dir) as tmp:
        base = Path(tmp)
        (base / "returns").mkdir()
        db_path, summary_id, files = _build(base, n_units, n_tasks)
        pristine = db_path.read_bytes()
        for _ in range(repeats):
            db_path.write_bytes(pristine)
            for sidecar in ("-wal", "-shm"):
                Path(f"{db_path}{sidecar}").unlink(missing_ok=True)
            db = open_database(db_path)
            try:
                start = time.perf_counter()
                result = consolidate.consolidate(db, summary_id, files, today=TODAY)
                elapsed = time.perf_counter() - start
                if len(result.imported) != n_units or any(o.unmatched for o in result.imported):
                    raise RuntimeError(f"consolidation incomplete: {result.outcomes[:3]}")
                times.append(elapsed)
                start = time.perf_counter()
                with db.session() as s:
                    report = summary_views.period_report(s, summary_id, PERIOD)
                    summary_views.tasks_across_units(s, summary_id, today=TODAY)
                    summary_views.review_items(s, summary_id)
                    summary_views.stats(s, summary_id, today=TODAY)
                view_times.append(time.perf_counter() - start)
                if report.names(ReportState.MISSING):
                    raise RuntimeError(
                        f"missing units after consolidation: {report.names(ReportState.MISSING)}"
                    )
            finally:
                db.close()
    median = statistics.median(times)
    if verbose:
        print(f"[summary] {n_units}×{n_tasks}: {median:.2f} s", file=sys.stderr)
    key = "consolidate_50x200_s" if not quick else "consolidate_quick_s"
    return {
        key: median,
        key.replace("_s", "_max_s"): max(times),
        "per_return_ms": median / n_units * 1000,
        "views_ms": statistics.median(view_times) * 1000,
        "views_max_ms": max(view_times) * 1000,
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name:24} {value:10.3f}")
