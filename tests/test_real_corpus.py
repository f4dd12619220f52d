"""The real-document corpus (tests/fixtures/real) is complete and the import scorer runs on it.

No share-right thresholds yet (issue 14: the parser work adds them); this guards the corpus and
the answer key so the figures of ``benchmarks/bench_import.py`` mean something.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "real"
ENTRIES = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["fixtures"]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_corpus_has_thirty_documents_in_every_format() -> None:
    assert len(ENTRIES) >= 30
    sources = {e["source"] for e in ENTRIES}
    assert len(sources) >= 28  # one public document each (a 台账 may come in .docx/.xlsx/.xls)
    suffixes = {Path(e["file"]).suffix for e in ENTRIES}
    assert suffixes == {".txt", ".docx", ".xlsx", ".xls"}
    assert {e["kind"] for e in ENTRIES} == {"plan", "ledger"}
    assert {p.name for p in CORPUS.iterdir() if p.suffix in suffixes} == {
        e["file"] for e in ENTRIES
    }


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_answer_key_is_well_formed(entry: dict) -> None:  # type: ignore[type-arg]
    assert entry["source"].startswith(("http://", "https://"))
    assert entry["structure"].strip()
    assert (CORPUS / entry["file"]).stat().st_size > 0
    assert entry["tasks"], "a fixture without expected tasks scores nothing"
    titles = [t["title"] for t in entry["tasks"]]
    assert len(set(titles)) == len(titles)
    for task in entry["tasks"]:
        assert task["title"].strip() == task["title"] and task["title"]
        assert not task["title"].endswith(("。", "；")), task["title"]
        for unit in [*task["lead"], *task["partners"]]:
            assert unit and not any(
                word in unit for word in ("牵头", "牽頭", "配合", "负责", "負責")
            )
        assert not set(task["lead"]) & set(task["partners"])
        if task["deadline"] is not None:
            dt.date.fromisoformat(task["deadline"])


def test_text_fixtures_decode_as_named() -> None:
    for entry in ENTRIES:
        name = entry["file"]
        if name.endswith(".txt"):
            data = (CORPUS / name).read_bytes()
            data.decode("gbk" if ".gbk." in name else "utf-8-sig")
            assert (".bom." in name) == data.startswith(b"\xef\xbb\xbf")


def test_clerk_year_only_where_the_file_names_none() -> None:
    for entry in ENTRIES:
        if entry["year"] is not None:
            text = (CORPUS / entry["file"]).read_text(encoding="utf-8-sig")
            assert f"{entry['year']}年" not in text, entry["file"]


def test_committed_files_are_what_the_generator_makes(tmp_path: Path) -> None:
    maker = _load(CORPUS / "make_real_fixtures.py", "make_real_fixtures_under_test")
    made = maker.fixtures()
    assert [fx.key() for fx in made] == ENTRIES
    for fx in made:
        if not fx.name.endswith(".xls"):  # .xls needs LibreOffice; its bytes carry a timestamp
            fx.write(tmp_path / fx.name)
            assert (tmp_path / fx.name).read_bytes() == (CORPUS / fx.name).read_bytes(), fx.name


def test_scorer_runs_and_counts_refusals_as_wrong() -> None:
    bench = _load(ROOT / "benchmarks" / "bench_import.py", "bench_import_under_test")
    result = bench.score_corpus()
    assert result["file_count"] == len(ENTRIES)
    assert result["tasks_expected"] == sum(len(e["tasks"]) for e in ENTRIES)
    for f in result["files"]:
        if f["refused"]:
            assert f["found"] == f["title"] == f["units"] == f["deadline"] == 0
    for key in ("title_pct", "units_pct", "deadline_pct"):
        assert 0 <= result[key] <= 100


def test_title_rule_forgives_width_space_and_end_punctuation_only() -> None:
    bench = _load(ROOT / "benchmarks" / "bench_import.py", "bench_import_rule")
    assert bench.norm_title("推进（一）项 工作。") == bench.norm_title("推进(一)项工作")
    assert bench.norm_title("1.推进工作") != bench.norm_title("推进工作")
    assert bench.unit_set("县司法局、县政府办") == bench.unit_set(["县政府办", "县司法局"])
    assert bench.unit_set("各县（市、区）政府，市直各部门") == {"各县(市、区)政府", "市直各部门"}
