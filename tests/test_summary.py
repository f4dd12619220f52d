"""汇总: the summary ledger, importing many returns, who has not reported, review lists."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_tool
from sqlalchemy import update

from fazhi_desktop.cli import main
from fazhi_desktop.errors import UsageError
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.orm import Return, ReturnRow
from fazhi_desktop.models.status import Status
from fazhi_desktop.services import consolidate, summary, summary_overview, summary_views

sys.path.insert(0, str(Path(__file__).parent))
from summary_returns import make_template, write_return

UNITS = ("市司法局", "市委编办", "市财政局", "市教育局")
TODAY = dt.date(2026, 12, 10)
NOV = "2026-11"


@pytest.fixture
def setup(db_path: Path) -> tuple[Database, int, int]:
    db = open_database(db_path)
    with db.session() as s, s.begin():
        template = make_template(s, 6, UNITS)
        summary_id = summary.create_summary(s, template)
    yield db, template, summary_id
    db.close()


def _titles(db: Database, ledger_id: int) -> list[tuple[str, str]]:
    with db.session() as s:
        return [(t.seq, t.title) for t in summary.get_ledger(s, ledger_id).tasks]


def _rows(db: Database, template: int) -> list[tuple[str, str, str]]:
    return [(seq, title, f"{seq}号任务本月进展") for seq, title in _titles(db, template)]


def test_default_units_are_the_plans_units(setup: tuple[Database, int, int]) -> None:
    db, _template, summary_id = setup
    with db.session() as s:
        assert summary.units_of(s, summary_id) == list(UNITS)
        assert summary.get_ledger(s, summary_id).kind == "summary"
        assert len(summary.get_ledger(s, summary_id).tasks) == 6
        with pytest.raises(UsageError, match="本身就是汇总台账"):
            summary.create_summary(s, summary_id)


def test_split_units() -> None:
    assert summary.split_units("市委编办、市司法局、各有关部门") == ["市委编办", "市司法局"]
    assert summary.split_units("市司法局（牵头），市财政局;市人社局") == [
        "市司法局",
        "市财政局",
        "市人社局",
    ]
    assert summary.split_units("各县（区）人民政府") == []


def test_batch_with_every_awkward_case(setup: tuple[Database, int, int], tmp_path: Path) -> None:
    db, template, summary_id = setup
    rows = _rows(db, template)
    due = dt.date(2026, 11, 30)
    files = [
        # On time, from the standard export.
        write_return(tmp_path / "a.xlsx", unit="市司法局", period=NOV, rows=rows,
                     filled_on=dt.date(2026, 11, 25)),
        # Late: received after the 30th.
        write_return(tmp_path / "b.xlsx", unit="市委编办", period=NOV, rows=rows,
                     filled_on=dt.date(2026, 12, 3)),
        # A broken file in the middle of the batch.
        tmp_path / "broken.xlsx",
        # No 填报单位 line: the unit comes from the file name; one extra row.
        write_return(tmp_path / "市财政局-台账-2026年11月进展.xlsx", unit="", period=NOV,
                     rows=[*rows, ("7", "自行增加的宣传工作", "已开展宣传")],
                     filled_on=dt.date(2026, 11, 28)),
        # The same unit again for the same period, corrected, received later.
        write_return(tmp_path / "a2.xlsx", unit="市司法局", period=NOV,
                     rows=[(s, t, p + "（更正）") for s, t, p in rows],
                     filled_on=dt.date(2026, 11, 29)),
    ]  # fmt: skip
    files[2].write_bytes(b"PK\x03\x04 this is not really a workbook")
    result = consolidate.consolidate(db, summary_id, files, today=TODAY)

    assert [o.file for o in result.failed] == ["broken.xlsx"]
    assert "broken.xlsx" in result.failed[0].message
    assert len(result.imported) == 4
    with db.session() as s:
        report = summary_views.period_report(s, summary_id, NOV)
        assert report.due == due
        assert report.names("已报送") == ["市司法局", "市财政局"]
        assert report.names("逾期报送") == ["市委编办"]
        assert report.names("未报送") == ["市教育局"]
        fin = next(u for u in report.units if u.unit == "市财政局")
        assert fin.received_on == dt.date(2026, 11, 28)

        # The newest return of 市司法局 wins; the older one stays in the history.
        assert s.query(Return).filter_by(unit="市司法局").count() == 2
        tasks = summary_views.tasks_across_units(s, summary_id, today=TODAY, period=NOV)
        first = {u.unit: u.progress for u in tasks[0].units}
        assert first["市司法局"] == "1号任务本月进展（更正）"
        assert first["市委编办"] == "1号任务本月进展"
        assert set(first) == {"市司法局", "市委编办", "市财政局"}

        review = summary_views.review_items(s, summary_id)
        kinds = {(i.kind, i.unit) for i in review}
        assert ("未匹配", "市财政局") in kinds
        assert ("重复报送", "市司法局") in kinds
        extra = next(i for i in review if i.kind == "未匹配")
        assert "自行增加的宣传工作" in extra.text and extra.row == 7
        # Never dropped: the extra row is stored with its text.
        fin_return = s.query(Return).filter_by(unit="市财政局").one()
        assert fin_return.unit_source == "file_name"
        assert fin_return.rows[-1].progress == "已开展宣传"
        assert fin_return.rows[-1].task_id is None


def test_rows_match_by_title_when_numbering_differs(
    setup: tuple[Database, int, int], tmp_path: Path
) -> None:
    db, template, summary_id = setup
    rows = _rows(db, template)
    # Renumbered as 一、二… and in reverse order, titles slightly shortened.
    renumbered = [
        ("一二三四五六"[i], title[:-2], progress) for i, (_s, title, progress) in enumerate(rows)
    ][::-1]
    path = write_return(tmp_path / "r.xlsx", unit="市教育局", period=NOV, rows=renumbered,
                        filled_on=dt.date(2026, 11, 20))  # fmt: skip
    result = consolidate.consolidate(db, summary_id, [path], today=TODAY)
    assert result.outcomes[0].matched == 6 and result.outcomes[0].unmatched == 0
    with db.session() as s:
        tasks = summary_views.tasks_across_units(s, summary_id, today=TODAY)
        for task in tasks:
            (unit,) = task.units
            assert unit.progress == f"{task.seq}号任务本月进展"


def test_same_file_twice_is_not_duplicated(
    setup: tuple[Database, int, int], tmp_path: Path
) -> None:
    db, template, summary_id = setup
    path = write_return(tmp_path / "a.xlsx", unit="市司法局", period=NOV,
                        rows=_rows(db, template), filled_on=dt.date(2026, 11, 25))  # fmt: skip
    consolidate.consolidate(db, summary_id, [path], today=TODAY)
    again = consolidate.consolidate(db, summary_id, [path], today=TODAY)
    assert again.outcomes[0].ok and again.outcomes[0].return_id is None
    assert "内容完全相同" in again.outcomes[0].message
    with db.session() as s:
        assert s.query(Return).count() == 1


def test_overdue_by_unit_and_stats(setup: tuple[Database, int, int], tmp_path: Path) -> None:
    db, template, summary_id = setup
    rows = _rows(db, template)
    done_rows = [(s, t, "已完成，形成制度文件") if s == "1" else (s, t, "") for s, t, _p in rows]
    files = [
        write_return(tmp_path / "a.xlsx", unit="市司法局", period=NOV, rows=done_rows,
                     filled_on=dt.date(2026, 11, 25)),
        write_return(tmp_path / "b.xlsx", unit="市委编办", period=NOV, rows=rows,
                     filled_on=dt.date(2026, 11, 25)),
    ]  # fmt: skip
    consolidate.consolidate(db, summary_id, files, today=TODAY)
    with db.session() as s:
        figures = summary_views.stats(s, summary_id, today=TODAY)
        assert figures.completion == (("市司法局", 1, 6), ("市委编办", 0, 6))
        counts = dict(figures.status_counts)
        assert sum(counts.values()) == 12 and counts[Status.DONE.value] == 1
        # Each unit's overdue tasks as the 按单位 tab shows them (services.summary_overview).
        view = summary_overview.gather(s, summary_id, period=NOV, today=TODAY)
        overdue = {u.unit: u.overdue for u in view.overview}
        # Deadlines are the 28th of months 2..12 and 1; by 10 December months 2..11 have passed.
        deadlines = {t.seq: t.deadline for t in summary_views.tasks_across_units(
            s, summary_id, today=TODAY)}  # fmt: skip
        late = {seq for seq, d in deadlines.items() if d is not None and d < TODAY}
        assert {t.seq for t in overdue["市委编办"]} == late
        assert {t.seq for t in overdue["市司法局"]} == late - {"1"}
        assert overdue["市教育局"] == ()
        months = dict(figures.overdue_by_month)
        assert sum(months.values()) == 2 * len(late) - (1 if "1" in late else 0)


def test_cli_round_trip(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(db_path)
    with db.session() as s, s.begin():
        template = make_template(s, 4, UNITS)
    rows = _rows(db, template)
    db.close()
    base = ["--db", str(db_path), "--today", TODAY.isoformat()]
    assert (
        main(
            [*base, "new-summary", "--from", str(template), "--units", "市司法局,市委编办,市财政局"]
        )
        == 0
    )
    summary_id = int(capsys.readouterr().out.splitlines()[0])
    folder = tmp_path / "returns"
    folder.mkdir()
    write_return(
        folder / "a.xlsx", unit="市司法局", period=NOV, rows=rows, filled_on=dt.date(2026, 11, 20)
    )
    write_return(folder / "b.xlsx", unit="市委编办", period=NOV, rows=rows,
                 filled_on=dt.date(2026, 12, 2))  # fmt: skip
    assert main([*base, "consolidate", "--ledger", str(summary_id), str(folder)]) == 0
    capsys.readouterr()
    args = [*base, "report-status", "--ledger", str(summary_id), "--period", NOV, "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reported"] == ["市司法局"]
    assert data["late"] == ["市委编办"]
    assert data["missing"] == ["市财政局"]
    # A broken file: reported, exit 2, the good one still imported.
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    good = write_return(tmp_path / "c.xlsx", unit="市财政局", period=NOV, rows=rows,
                        filled_on=dt.date(2026, 11, 30))  # fmt: skip
    assert main([*base, "consolidate", "--ledger", str(summary_id), str(bad), str(good)]) == 2
    out = capsys.readouterr().out
    assert "✗ bad.xlsx" in out and "✓ c.xlsx" in out
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["missing"] == []
    assert main([*base, "consolidate", "--ledger", str(template), str(good)]) == 2
    assert "不是汇总台账" in capsys.readouterr().err


_EDIT_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub EditProgress(src As String, dst As String, text As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  sheet = doc.Sheets.getByIndex(0)
  sheet.getCellByPosition(3, 3).setString(text)
  Dim props(0) As New com.sun.star.beans.PropertyValue
  props(0).Name = &quot;FilterName&quot;
  props(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  doc.storeToURL(ConvertToURL(dst), props())
  doc.close(True)
End Sub
</script:module>
"""


@pytest.mark.slow
def test_a_return_edited_in_libreoffice(setup: tuple[Database, int, int], tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    db, template, summary_id = setup
    source = write_return(tmp_path / "src.xlsx", unit="市教育局", period=NOV,
                          rows=_rows(db, template), filled_on=dt.date(2026, 11, 26))  # fmt: skip
    profile = tmp_path / "lo-profile"
    # A first run creates the profile and its Standard Basic library; then add the macro.
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "csv", "--outdir", str(tmp_path / "warm"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    basic = profile / "user" / "basic" / "Standard"
    (basic / "Module1.xba").write_text(_EDIT_MACRO, encoding="utf-8")
    edited = tmp_path / "市教育局-台账-2026年11月进展.xlsx"
    text = "在 LibreOffice 中改写的进展"
    macro = f'macro:///Standard.Module1.EditProgress("{source}","{edited}","{text}")'
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", macro],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert edited.exists()
    shutil.copystat(source, edited)
    result = consolidate.consolidate(db, summary_id, [edited], today=TODAY)
    assert result.outcomes[0].ok, result.outcomes[0].message
    with db.session() as s:
        tasks = summary_views.tasks_across_units(s, summary_id, today=TODAY)
        assert tasks[0].units[0].unit == "市教育局"
        assert tasks[0].units[0].progress == "在 LibreOffice 中改写的进展"
        assert tasks[1].units[0].progress == "2号任务本月进展"


def test_views_read_again_after_a_change(setup: tuple[Database, int, int], tmp_path: Path) -> None:
    """The views share the rows they read within a session; a write must not leave them stale."""
    db, template, summary_id = setup
    rows = _rows(db, template)
    path = write_return(tmp_path / "a.xlsx", unit="市司法局", period=NOV, rows=rows,
                        filled_on=dt.date(2026, 11, 25))  # fmt: skip
    consolidate.consolidate(db, summary_id, [path], today=TODAY)
    with db.session() as s:
        assert summary_views.stats(s, summary_id, today=TODAY).completion == (("市司法局", 0, 6),)
        s.execute(update(ReturnRow).where(ReturnRow.position == 0).values(done=True))
        # This session's own write (not committed yet) …
        assert summary_views.stats(s, summary_id, today=TODAY).completion == (("市司法局", 1, 6),)
        s.commit()
        summary_views.tasks_across_units(s, summary_id, today=TODAY)
        # … and another connection's commit.
        with db.session() as other, other.begin():
            other.execute(update(ReturnRow).values(done=True))
        assert summary_views.stats(s, summary_id, today=TODAY).completion == (("市司法局", 6, 6),)
