"""Every file of the real corpus gives the same tasks through ``fazhi import`` and through the
window (the 导入方案 dialog for plans, the 台账 import preview for ledgers) — issue 14."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, finish
from pytestqt.qtbot import QtBot
from test_cli import run
from test_real_corpus import CORPUS, ENTRIES

from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.services import file_import, imports
from fazhi_desktop.ui.import_preview import ImportPreviewDialog
from fazhi_desktop.ui.plan_dialog import PlanImportDialog

Row = tuple[str, str, str, str, str | None]


def _rows(tasks: list[TaskDraft]) -> list[Row]:
    return [
        (t.seq, t.title, t.department, t.partners, t.deadline.isoformat() if t.deadline else None)
        for t in tasks
    ]


def _cli_rows(data: dict[str, Any]) -> list[Row]:
    return [
        (t["seq"], t["task"], t["department"], t["partners"], t["deadline"]) for t in data["tasks"]
    ]


def _window_rows(path: Path, year: int | None, qtbot: QtBot) -> list[Row]:
    if file_import.kind_of(path) == file_import.LEDGER or path.suffix in (".xlsx", ".xls"):
        # What the window's 导入台账 reads (a 任务分解表.xlsx too: the plan dialog takes text).
        draft = imports.read_ledger(path, today=TODAY)
        preview = ImportPreviewDialog(draft, path.name)
        qtbot.addWidget(preview)
        return _rows(draft.tasks)
    saved: list[LedgerDraft] = []
    dialog = PlanImportDialog(None, save=lambda d: saved.append(d) or 1)
    qtbot.addWidget(dialog)
    finish(dialog.load_file(path))
    if year is not None:
        dialog.year_box.setValue(year)
        dialog.reparse()
    return _rows(dialog.draft().tasks)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_cli_and_window_agree(
    entry: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Path, qtbot: QtBot
) -> None:
    path = CORPUS / entry["file"]
    plan_year = entry.get("year") if entry["kind"] == "plan" else None
    argv = ["--db", str(tmp_path / "db.sqlite3"), "--today", TODAY.isoformat(), "import"]
    argv += [str(path), "--json", "--dry-run"]
    if plan_year is not None:
        argv += ["--year", str(plan_year)]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["kind"] == entry["kind"]
    assert _cli_rows(data) == _window_rows(path, plan_year, qtbot)
