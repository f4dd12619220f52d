"""xlsx export and import of a large ledger, against plain openpyxl doing the same work.

Run ``.venv/bin/python benchmarks/bench_xlsx.py [N]`` (default 10,000 tasks) or through
``benchmarks/run.py --only xlsx``.

Figures:

- ``export_s``: :func:`export_xlsx` of an N-task ledger (status column on).
- ``plain_write_s``: openpyxl writing the same cells with the same fonts, borders, alignment,
  fills and date format, the ordinary way (``ws.cell(...)`` and assigning ``font``/``border``/
  ``alignment`` per cell) and saving; no row heights, no text checks. ``export_ratio`` is
  export / plain write, both best of ``repeat`` interleaved runs in this process.
- ``import_s``: :func:`read_ledger_xlsx` of the exported file. ``plain_read_s``: openpyxl
  ``load_workbook(read_only=True)`` of the same file, iterating every row's values.
  ``import_ratio`` is their ratio.
- ``export_peak_mb`` / ``import_peak_mb``: peak RSS of a fresh interpreter doing only that
  (``VmHWM``, so the interpreter and its imports are included).

Profile of the import (cProfile, 10,000 tasks, issue 17): openpyxl's cell parsing is the same
work as the plain read's and cannot be avoided; the plain read also scans the sheet once more
for its missing ``<dimension>`` (~18 %), which the importer skips (``grid.no_dimension_scan``).
The importer's own work was 1.7× plain openpyxl: splitting 责任科室 (``split_responsibility``,
~28 % of the profile) and parsing deadlines (``parse_deadline``/``is_undated``, ~16 %) for every
row, although a ledger repeats a few hundred distinct texts. Each distinct text is now parsed
once (``functools.lru_cache``; results are immutable), which brought ``import_ratio`` to about
1.0–1.15× under load. What remains of ours is the per-row reading in ``ledger_rows`` (~15 %).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fazhi_desktop.io.xlsx.ledger_reader import read_ledger_xlsx  # noqa: E402
from fazhi_desktop.io.xlsx.ledger_writer import export_xlsx  # noqa: E402
from fazhi_desktop.models.records import LedgerRecord, TaskRecord  # noqa: E402
from fazhi_desktop.models.status import COLOUR_FILL, Colour, Status  # noqa: E402

TARGETS = {
    "export_ratio": ("<=", 1.3),
    "import_ratio": ("<=", 1.5),
    "export_peak_mb": ("<", 300),
    "import_peak_mb": ("<", 300),
}

_TITLES = (
    "完善政府立法程序",
    "提高政府立法公众参与度",
    "加强规范性文件监督管理，严格执行规范性文件制定程序",
    "健全依法决策机制，严格执行重大行政决策程序",
    "推进行政决策科学化、民主化、法治化，严格决策失误责任追究",
    "加强行政执法人员教育培训和考核",
    "加强行政权力运行制约和监督，强化政府内部层级监督",
)
_PROGRESS = (
    "已召开专题会议研究部署，制定工作方案并印发各科室，正在按计划推进。",
    "完成制度修订两项，组织全体执法人员培训一次，参训86人，考试合格率100%。",
    "已完成",
    "",
    "按照市司法局统一部署，对现有行政执法权责进行全面梳理，重新制定并公布权责清单、岗责体系"
    "及行政执法流程图，依法确认并公告本级行政执法主体；持续推行“三项制度”，确保行政执法合法有效。",
)
_DEPARTMENTS = ("政法科", "办公室", "办公室、机关总支", "机关总支、政法科", "发财科")
_OWNERS = ("艾延坤", "王群才", "王群才 马红霞", "马红霞", "李世想")
_STATES = (
    (Status.NOT_STARTED, Colour.NONE), (Status.IN_PROGRESS, Colour.DUE_SOON),
    (Status.DONE, Colour.DONE), (Status.OVERDUE, Colour.OVERDUE),
    (Status.DONE_LATE, Colour.DONE_LATE),
)  # fmt: skip


def make_ledger(n_tasks: int, seed: int = 7) -> LedgerRecord:
    rng = random.Random(seed)
    tasks = []
    for i in range(n_tasks):
        status, colour = rng.choice(_STATES)
        dated = rng.random() < 0.8
        deadline = dt.date(2020, rng.randint(1, 12), rng.randint(1, 28)) if dated else None
        tasks.append(
            TaskRecord(
                id=i + 1, position=i, seq=str(i + 1), title=rng.choice(_TITLES),
                deadline_text=f"{deadline.month}.{deadline.day}" if deadline else "长期坚持",
                deadline=deadline, progress=rng.choice(_PROGRESS), progress_period="2020-09",
                department=rng.choice(_DEPARTMENTS), partners="", owner=rng.choice(_OWNERS),
                note="" if rng.random() < 0.9 else "重点督办", done=status is Status.DONE,
                done_on=None, status=status, colour=colour,
            )
        )  # fmt: skip
    return LedgerRecord(
        id=1, title="落实《濮阳市人民政府2020年法治政府建设冲刺方案》工作台账", year=2020,
        unit="濮阳市科学技术局", issuer="", reporter="张三", phone="0393-6666209",
        mailbox="6666209@163.com", notes="1.各责任单位每月30日前填报进展情况。",
        generated_on=dt.date(2020, 9, 28), tasks=tuple(tasks),
    )  # fmt: skip


def plain_write(ledger: LedgerRecord, target: Path) -> None:
    """The same cells and styles, written the ordinary openpyxl way."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="宋体", size=11)
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    top_centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    fills = {
        c: PatternFill("solid", start_color="FF" + h[1:], end_color="FF" + h[1:])
        for c, h in COLOUR_FILL.items()
        if h
    }
    wb = Workbook()
    ws = wb.active
    ws["A1"] = ledger.title
    ws["A1"].font = Font(name="黑体", size=18)
    ws.merge_cells("A1:H1")
    ws["A2"] = f"填报单位：{ledger.unit}"
    ws.merge_cells("A2:H2")
    for col, name in enumerate(("序号", "主要任务", "完成时间", "进展情况", "责任科室", "责任人",
                                "备注", "状态"), start=1):  # fmt: skip
        cell = ws.cell(row=3, column=col, value=name)
        cell.font, cell.border, cell.alignment = Font(name="宋体", bold=True), box, top_centre
    for row, task in enumerate(ledger.tasks, start=4):
        values = (int(task.seq), task.title, task.deadline or task.deadline_text, task.progress,
                  task.department, task.owner, task.note, task.status.value)  # fmt: skip
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font, cell.border = body, box
            cell.alignment = top_left if col in (2, 4, 7) else top_centre
            if col == 3 and task.deadline is not None:
                cell.number_format = 'yyyy"年"m"月"d"日"'
            if col == 8 and task.colour in fills:
                cell.fill = fills[task.colour]
    wb.save(target)


def plain_read(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            count += len(row)
    wb.close()
    return count


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _peak_mb(mode: str, n_tasks: int, path: Path) -> float:
    """Peak RSS of a fresh interpreter that only exports (or imports)."""
    out = subprocess.run(
        [sys.executable, __file__, "--peak", mode, str(n_tasks), str(path)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return float(json.loads(out.stdout.strip().splitlines()[-1])["peak_mb"])


def run(
    n_tasks: int = 10_000, *, quick: bool = False, work_dir: Path | None = None, repeat: int = 3
) -> dict[str, float]:
    if quick:
        n_tasks = min(n_tasks, 1_000)
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp_name:
        tmp = Path(tmp_name)
        ledger = make_ledger(n_tasks)
        ours, plain = tmp / "export.xlsx", tmp / "plain.xlsx"
        export_times, plain_times, import_times, read_times = [], [], [], []
        for _ in range(repeat):  # interleaved, so machine load hits both sides alike
            export_times.append(_best(lambda: export_xlsx(ledger, ours, status_column=True), 1))
            plain_times.append(_best(lambda: plain_write(ledger, plain), 1))
        for _ in range(repeat):
            import_times.append(_best(lambda: read_ledger_xlsx(ours), 1))
            read_times.append(_best(lambda: plain_read(ours), 1))
        draft = read_ledger_xlsx(ours)
        if len(draft.tasks) != n_tasks:
            raise AssertionError(f"imported {len(draft.tasks)} tasks of {n_tasks}")
        export_s, plain_s = min(export_times), min(plain_times)
        import_s, read_s = min(import_times), min(read_times)
        return {
            "n_tasks": n_tasks,
            "export_s": round(export_s, 3),
            "plain_write_s": round(plain_s, 3),
            "export_ratio": round(export_s / plain_s, 3),
            "import_s": round(import_s, 3),
            "plain_read_s": round(read_s, 3),
            "import_ratio": round(import_s / read_s, 3),
            "export_peak_mb": round(_peak_mb("export", n_tasks, tmp / "peak.xlsx"), 1),
            "import_peak_mb": round(_peak_mb("import", n_tasks, ours), 1),
            "file_mb": round(ours.stat().st_size / 2**20, 2),
        }


def _peak_child(mode: str, n_tasks: int, path: Path) -> None:
    if mode == "export":
        export_xlsx(make_ledger(n_tasks), path, status_column=True)
    else:
        read_ledger_xlsx(path)
    print(json.dumps({"peak_mb": _own_peak_mb()}))


def _own_peak_mb() -> float:
    # VmHWM belongs to this process image; ru_maxrss survives exec on Linux and so would
    # report the parent's size at fork when that is larger.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--peak":
        _peak_child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
    else:
        count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
        for key, value in run(count).items():
            print(f"{key:16} {value}")
