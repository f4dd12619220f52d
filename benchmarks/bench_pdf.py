"""PDF export benchmark: 1,000 and 10,000 realistic tasks, against LibreOffice printing the xlsx.

Run ``python -m benchmarks.bench_pdf`` (or ``python benchmarks/bench_pdf.py``) from the repo root.
Each export runs in a fresh subprocess so its peak RSS (``ru_maxrss``) is its own.

Figures (seconds, MB): ``pdf_1k_s``, ``pdf_10k_s``, ``ratio_10k_1k``, ``lo_10k_s`` (soffice
--convert-to pdf of the same ledger as xlsx, startup included), ``pdf_over_lo``,
``peak_rss_10k_mb``, and page counts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fazhi_desktop.models.records import LedgerRecord, TaskRecord  # noqa: E402
from fazhi_desktop.models.status import Colour, Status  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "004_1c8642c6e06c7a5e.txt"
_FALLBACK_SENTENCES = [
    "推进执法重心下移，把机构改革、政府职能转变调整出来的人员编制重点用于充实基层执法力量。",
    "完善市县两级政府行政执法管理，加强统一领导和协调，提升基层行政执法能力和水平。",
    "健全依法决策机制，严格执行重大行政决策程序，2020年10月31日前完成。",
    "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度（“三项制度”）。",
    "电子版发送至邮箱6666209@163.com，联系电话0393-6666209；共计15项，完成率86.7%。",
]
_DEPARTMENTS = ["政法科", "办公室", "办公室、机关总支", "机关总支、政法科", "发财科", "科技管理科"]
_OWNERS = ["艾延坤", "王群才", "王群才 马红霞", "马红霞", "李世想"]
_STATUSES = [
    (Status.NOT_STARTED, Colour.NONE),
    (Status.IN_PROGRESS, Colour.NONE),
    (Status.IN_PROGRESS, Colour.DUE_SOON),
    (Status.DONE, Colour.DONE),
    (Status.OVERDUE, Colour.OVERDUE),
    (Status.DONE_LATE, Colour.DONE_LATE),
]


def plan_sentences() -> tuple[list[str], list[str]]:
    """(task titles, requirement sentences) from the real plan text, or built-in stand-ins."""
    if not REFERENCE.is_file():
        return [s[:24] for s in _FALLBACK_SENTENCES], _FALLBACK_SENTENCES
    text = REFERENCE.read_text(encoding="utf-8")
    titles = re.findall(r"^[（(][一二三四五六七八九十]+[）)](.+)$", text, flags=re.M)
    reqs: list[str] = []
    for block in re.findall(r"^任务要求[:：](.+)$", text, flags=re.M):
        reqs.extend(s.strip() for s in re.split(r"\d+\.", block) if len(s.strip()) > 8)
    return titles or _FALLBACK_SENTENCES, reqs or _FALLBACK_SENTENCES


def make_ledger(count: int, *, seed: int = 2020, progress_sentences: int = 3) -> LedgerRecord:
    """A ledger of ``count`` tasks with plan-length titles and multi-sentence progress."""
    rng = random.Random(seed)
    titles, reqs = plan_sentences()
    tasks = []
    for i in range(count):
        status, colour = rng.choice(_STATUSES)
        deadline = dt.date(2020, rng.randint(7, 12), rng.randint(1, 28))
        progress = "".join(rng.choice(reqs) for _ in range(rng.randint(1, progress_sentences * 2)))
        title = rng.choice(titles)
        if rng.random() < 0.3:
            title += rng.choice(reqs)
        tasks.append(
            TaskRecord(
                id=i + 1, position=i + 1, seq=str(i + 1), title=title,
                deadline_text=rng.choice(["10.31", "", "长期坚持", "2020年12月底前"]),
                deadline=deadline, progress=progress, progress_period="2020-06",
                department=rng.choice(_DEPARTMENTS), partners="", owner=rng.choice(_OWNERS),
                note=rng.choice(["", "", "=SUM(A1)", "已报送市司法局"]), done=status
                in (Status.DONE, Status.DONE_LATE), done_on=None, status=status, colour=colour,
            )
        )
    return LedgerRecord(
        id=1,
        title="落实《濮阳市人民政府2020年法治政府建设冲刺方案》工作台账",
        year=2020, unit="濮阳市科学技术局", issuer="", reporter="张三", phone="0393-6666209",
        mailbox="6666209@163.com",
        notes="说明：1.各责任单位每月30日前填报进展情况。\n2.主要任务所包含具体内容请参照附件。",
        period="2020-06", generated_on=dt.date(2020, 6, 24), tasks=tuple(tasks),
    )


def _child(count: int, out: str) -> None:
    import resource

    from fazhi_desktop.io.pdf.ledger_writer import export_pdf

    ledger = make_ledger(count)
    start = time.perf_counter()
    pages = export_pdf(ledger, Path(out), signature_line=True)
    elapsed = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "pages": pages, "rss_mb": rss_kb / 1024}))


def _run_child(count: int, out: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(count), str(out)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _write_xlsx(count: int, path: Path) -> None:
    """The project's own xlsx export when it exists, else a plain openpyxl sheet."""
    ledger = make_ledger(count)
    try:
        from fazhi_desktop.io.xlsx import ledger_writer as xlsx_export
    except ImportError:
        _write_plain_xlsx(ledger, path)
    else:
        xlsx_export.export_xlsx(ledger, path)


def _write_plain_xlsx(ledger: LedgerRecord, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.append([ledger.title])
    ws.append(["序号", "主要任务", "完成时间", "进展情况", "责任科室", "责任人", "备注", "状态"])
    wrap = Alignment(wrap_text=True, vertical="center")
    for t in ledger.tasks:
        ws.append([t.seq, t.title, t.deadline_text, t.progress, t.department, t.owner,
                   t.note, t.status.value])
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = wrap
    for col, width in zip("ABCDEFGH", (6, 30, 10, 50, 14, 10, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wb.save(path)


def libreoffice_seconds(xlsx: Path, outdir: Path) -> float | None:
    """Wall time of ``soffice --convert-to pdf`` with a private profile; None without soffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    profile = outdir / "lo-profile"
    start = time.perf_counter()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
        check=True, capture_output=True, timeout=3600,
    )
    elapsed = time.perf_counter() - start
    if not (outdir / (xlsx.stem + ".pdf")).is_file():
        raise RuntimeError("LibreOffice produced no PDF")
    return elapsed


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        folder = Path(tmp)
        _run_child(50, folder / "warmup.pdf")  # font files into the page cache
        small = _run_child(1_000, folder / "t1k.pdf")
        large = _run_child(10_000, folder / "t10k.pdf")
        figures = {
            "pdf_1k_s": small["seconds"],
            "pdf_1k_pages": small["pages"],
            "pdf_10k_s": large["seconds"],
            "pdf_10k_pages": large["pages"],
            "ratio_10k_1k": large["seconds"] / small["seconds"],
            "peak_rss_1k_mb": small["rss_mb"],
            "peak_rss_10k_mb": large["rss_mb"],
        }
        if os.environ.get("BENCH_SKIP_LO") != "1":
            xlsx = folder / "t10k.xlsx"
            _write_xlsx(10_000, xlsx)
            lo = libreoffice_seconds(xlsx, folder)
            if lo is not None:
                figures["lo_10k_s"] = lo
                figures["pdf_over_lo"] = large["seconds"] / lo
        return figures


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]), sys.argv[3])
    else:
        for key, value in run().items():
            print(f"{key:>18}: {value:.3f}")
