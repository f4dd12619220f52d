"""How many tasks of the real-document corpus the importers get right.

Run ``PYTHONPATH=. .venv/bin/python benchmarks/bench_import.py [--json] [-v]`` (``-v`` lists
every wrong field), or ``benchmarks/run.py --only import`` for the corpus figures alone.
The corpus is ``tests/fixtures/real/`` (files built by ``make_real_fixtures.py``, answer key
in ``manifest.json``, one public source address per fixture).

Each file goes through the importer a clerk would use today: ``.txt``/``.docx`` through
``fazhi import-plan`` (:func:`fazhi_desktop.services.plans.read_plan`), ``.xlsx``/``.xls``
through ``fazhi import-xlsx`` (:func:`fazhi_desktop.services.imports.read_xlsx`). When the
manifest gives a ``year`` (the file names none), it is passed as the clerk would answer the
question: ``--year`` for plans, the default year for workbooks. A file the importer refuses (a
:class:`~fazhi_desktop.errors.FazhiError`) counts all its tasks wrong.

Scoring, per expected task:

- *matched*: expected tasks are paired one-to-one with found tasks, exact title matches first,
  then the most similar remaining title (difflib ratio ≥ 0.6), then the found task at the
  same position (so a wrong title does not hide right units and dates). An unpaired task is
  wrong in every field.
- *title right*: both titles equal after normalising: NFKC (full-width ASCII, brackets and
  digits become half-width), every whitespace removed, and trailing punctuation
  (。．.；;，,：:) stripped. Nothing else is forgiven: a leftover number, unit phrase or
  deadline phrase makes the title wrong.
- *units right*: the set of 责任单位 and the set of 配合单位 both equal the key's. Unit
  strings are NFKC-normalised and split on 、，,；;/ and whitespace outside brackets (so
  各县（市、区）政府 stays one name). Only names are compared; their order is not.
- *deadline right*: the ISO date equals the key's (``None`` = no date, for 长期/持续).

Found tasks beyond the expected ones are reported as ``extra``. Exit status is always 0 for
now; thresholds come with the parser work (issue 14).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fazhi_desktop.errors import FazhiError  # noqa: E402
from fazhi_desktop.models.records import TaskDraft  # noqa: E402
from fazhi_desktop.services import imports, plans  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "real"
MANIFEST = CORPUS / "manifest.json"
_TRAILING = "。．.；;，,：:"
_UNIT_SEP = re.compile(r"[、，,；;/／\s]")
MATCH_RATIO = 0.6


def norm_title(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return text.rstrip(_TRAILING)


def split_units(text: str) -> list[str]:
    """Unit names in ``text``: split on 、，,；;/ and spaces outside brackets."""
    text = unicodedata.normalize("NFKC", text)
    names, depth, current = [], 0, ""
    for ch in text:
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        if depth == 0 and _UNIT_SEP.fullmatch(ch):
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    return [n for n in names if n]


def unit_set(units: str | list[str]) -> frozenset[str]:
    parts = units if isinstance(units, list) else [units]
    return frozenset(name for part in parts for name in split_units(part))


@dataclass
class FileScore:
    file: str
    kind: str
    expected: int
    found: int = 0
    matched: int = 0
    title: int = 0
    units: int = 0
    deadline: int = 0
    refused: str | None = None
    misses: list[str] = field(default_factory=list)


def import_file(path: Path, year: int | None) -> list[TaskDraft]:
    """The tasks the current importers read from ``path`` (raises FazhiError when refused)."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        today = dt.date(year, 6, 30) if year else dt.date.today()
        # The clerk's answer to "which year?" (import --year); today's year is never assumed.
        return list(imports.read_xlsx(path, today=today, year=year).tasks)
    return list(plans.read_plan(path, year=year).draft.tasks)


def _pair(expected: list[dict[str, Any]], found: list[TaskDraft]) -> dict[int, int]:
    """Expected index → found index, one-to-one: equal titles, then similar, then same place."""
    pairs: dict[int, int] = {}
    free = set(range(len(found)))
    keys = [norm_title(t.title) for t in found]
    for i, task in enumerate(expected):
        want = norm_title(task["title"])
        for j in sorted(free):
            if keys[j] == want:
                pairs[i] = j
                free.discard(j)
                break
    for i, task in enumerate(expected):
        if i in pairs or not free:
            continue
        want = norm_title(task["title"])
        j = max(free, key=lambda k: difflib.SequenceMatcher(None, want, keys[k]).ratio())
        if difflib.SequenceMatcher(None, want, keys[j]).ratio() >= MATCH_RATIO:
            pairs[i] = j
            free.discard(j)
    for i in range(len(expected)):  # same place in the list: units and dates still count
        if i not in pairs and i in free:
            pairs[i] = i
            free.discard(i)
    return pairs


def score_file(entry: dict[str, Any]) -> FileScore:
    expected = entry["tasks"]
    score = FileScore(entry["file"], entry["kind"], len(expected))
    try:
        found = import_file(CORPUS / entry["file"], entry.get("year"))
    except FazhiError as exc:
        score.refused = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return score
    score.found = len(found)
    pairs = _pair(expected, found)
    for i, want in enumerate(expected):
        if i not in pairs:
            score.misses.append(f"未找到：{want['title']}")
            continue
        got = found[pairs[i]]
        score.matched += 1
        if norm_title(got.title) == norm_title(want["title"]):
            score.title += 1
        else:
            score.misses.append(f"标题：{got.title!r} ≠ {want['title']!r}")
        if unit_set(got.department) == unit_set(want["lead"]) and unit_set(
            got.partners
        ) == unit_set(want["partners"]):
            score.units += 1
        else:
            score.misses.append(
                f"单位：{got.department!r}/{got.partners!r} ≠ {want['lead']}/{want['partners']}"
            )
        got_date = got.deadline.isoformat() if got.deadline else None
        if got_date == want["deadline"]:
            score.deadline += 1
        else:
            score.misses.append(f"时限：{got_date} ≠ {want['deadline']}（{want['title']}）")
    return score


def score_corpus(manifest: Path = MANIFEST) -> dict[str, Any]:
    """Every file's score and the corpus shares (percent of expected tasks)."""
    entries = json.loads(manifest.read_text(encoding="utf-8"))["fixtures"]
    files = [score_file(e) for e in entries]
    total = sum(f.expected for f in files) or 1

    def share(attr: str) -> float:
        return round(100 * sum(getattr(f, attr) for f in files) / total, 1)

    return {
        "files": [asdict(f) for f in files],
        "tasks_expected": sum(f.expected for f in files),
        "tasks_found": sum(f.found for f in files),
        "matched_pct": share("matched"),
        "title_pct": share("title"),
        "units_pct": share("units"),
        "deadline_pct": share("deadline"),
        "refused_files": [f.file for f in files if f.refused],
        "file_count": len(files),
    }


def run() -> dict[str, float]:
    """The corpus figures for ``benchmarks/run.py`` (no targets yet)."""
    result = score_corpus()
    return {
        "tasks_expected_n": result["tasks_expected"],
        "tasks_found_n": result["tasks_found"],
        "title_right_pct": result["title_pct"],
        "units_right_pct": result["units_pct"],
        "deadline_right_pct": result["deadline_pct"],
        "refused_files_n": len(result["refused_files"]),
    }


def _print(result: dict[str, Any], verbose: bool) -> None:
    print(f"{'文件':44} 预期 找到 标题 单位 时限")
    for f in result["files"]:
        note = f"  拒绝：{f['refused'][:50]}" if f["refused"] else ""
        print(
            f"{f['file']:44} {f['expected']:4} {f['found']:4} {f['title']:4} {f['units']:4} "
            f"{f['deadline']:4}{note}"
        )
        if verbose:
            for miss in f["misses"]:
                print(f"    {miss}")
    print(
        f"\n共 {result['file_count']} 个文件，预期任务 {result['tasks_expected']}，"
        f"找到 {result['tasks_found']}；配对 {result['matched_pct']}%，"
        f"标题正确 {result['title_pct']}%，单位正确 {result['units_pct']}%，"
        f"时限正确 {result['deadline_pct']}%；拒绝 {len(result['refused_files'])} 个文件"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong field")
    args = parser.parse_args(argv)
    result = score_corpus()
    if args.json:
        sys.stdout.buffer.write(json.dumps(result, ensure_ascii=False, indent=1).encode() + b"\n")
    else:
        _print(result, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
