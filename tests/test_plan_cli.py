"""``fazhi import-plan``, ``link-plan``, ``set-link`` and ``unlink``, run as a clerk would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from plan_samples import WORK_POINTS, attachment_text, reference_text, write_work_points_docx
from test_cli import folder_state, listing, run

from fazhi_desktop.models.db import open_database
from fazhi_desktop.services import ledgers
from fazhi_desktop.vocab.kinds import LedgerKind

D = TODAY.isoformat()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fazhi(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--db", str(db), "--today", D, *argv)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "方案.txt").write_text(attachment_text(), encoding="utf-8")
    (folder / "通知.txt").write_text(reference_text(), encoding="gb18030")
    return folder


def test_import_plan_creates_a_plan_ledger(
    capsys: pytest.CaptureFixture[str], db_path: Path, inputs: Path
) -> None:
    code, out, err = fazhi(capsys, db_path, "import-plan", str(inputs / "方案.txt"))
    assert (code, err) == (0, "")
    assert "濮阳市人民政府2020年法治政府建设冲刺方案" in out and "25 项任务" in out
    assert "未归入任务的段落" in out and "一、指导思想" in out
    (plan,) = listing(capsys, db_path)
    assert plan["title"] == "濮阳市人民政府2020年法治政府建设冲刺方案" and plan["year"] == 2020
    assert len(plan["tasks"]) == 25
    first = plan["tasks"][0]
    assert first["seq"] == "(一)" and first["department"] == "市委编办、市司法局、各有关部门"
    assert len(first["requirements"]) == 4
    assert {t["deadline"] for t in plan["tasks"]} == {"2020-10-31"}
    database = open_database(db_path)
    with database.session() as session:
        assert [s.kind for s in ledgers.list_ledgers(session)] == [LedgerKind.PLAN]
    database.close()


@pytest.mark.sqlite_only  # checks the file itself
def test_import_plan_json_and_dry_run(
    capsys: pytest.CaptureFixture[str], db_path: Path, inputs: Path
) -> None:
    code, out, err = fazhi(
        capsys, db_path, "import-plan", str(inputs / "通知.txt"), "--json", "--dry-run"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["ledger_id"] is None and data["year"] == 2020 and data["source"] == "通知.txt"
    assert len(data["tasks"]) == 25
    assert data["tasks"][24]["task"] == "加强法治政府建设保障机制"
    assert data["tasks"][0]["section"] == "三、工作任务"
    assert data["unplaced"][0] == {
        "line": 1,
        "where": "第 1 行",
        "text": "濮科〔2020〕28号",
        "reason": "方案之前的通知内容，不是任务",
    }
    assert not db_path.exists()  # a dry run does not even create the database


def test_dry_run_text_lists_the_tasks(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    path = write_work_points_docx(tmp_path / "工作要点.docx")
    code, out, _err = fazhi(capsys, db_path, "import-plan", str(path), "--dry-run")
    assert code == 0 and "未保存" in out
    for want in WORK_POINTS:
        assert f"{want.seq}{want.title}" in out.replace(" ", "")
    assert "责任单位：区司法局（配合：区委组织部、区委宣传部）；完成时限：长期坚持" in out


def test_year_and_title_options(
    capsys: pytest.CaptureFixture[str], db_path: Path, inputs: Path
) -> None:
    code, out, err = fazhi(
        capsys,
        db_path,
        "import-plan",
        str(inputs / "方案.txt"),
        "--year",
        "2021",
        "--title",
        "冲刺方案",
        "--json",
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["title"], data["year"], data["ledger_id"]) == ("冲刺方案", 2021, 1)
    code, _out, err = fazhi(
        capsys, db_path, "import-plan", str(inputs / "方案.txt"), "--year", "21"
    )
    assert code == 2 and "年份" in err


def test_link_plan_then_list_shows_requirements(
    capsys: pytest.CaptureFixture[str], db_path: Path, inputs: Path
) -> None:
    code, _out, err = fazhi(capsys, db_path, "import-xlsx", str(FIXTURES / "notice_004_lo.xlsx"))
    assert (code, err) == (0, "")
    code, _out, err = fazhi(capsys, db_path, "import-plan", str(inputs / "方案.txt"))
    assert (code, err) == (0, "")
    before = listing(capsys, db_path, "--ledger", "1")[0]["tasks"]
    assert all(t["requirements"] == [] for t in before)

    code, out, err = fazhi(capsys, db_path, "link-plan", "--dry-run")
    assert code == 0 and "将关联 17 项" in out and "未保存" in out
    assert all(
        t["requirements"] == [] for t in listing(capsys, db_path, "--ledger", "1")[0]["tasks"]
    )

    code, out, err = fazhi(capsys, db_path, "link-plan", "--ledger", "1", "--plan", "2")
    assert (code, err) == (0, "")
    assert "已关联 17 项，0 项未关联" in out
    plan_tasks = {t["seq"]: t for t in listing(capsys, db_path, "--ledger", "2")[0]["tasks"]}
    rows = listing(capsys, db_path, "--ledger", "1")[0]["tasks"]
    by_title = {t["task"].rstrip("。"): t for t in plan_tasks.values()}
    for row in rows:
        assert row["requirements"], row["seq"]
        assert row["requirements"] == by_title[row["task"].rstrip("。")]["requirements"]

    code, out, _err = fazhi(capsys, db_path, "link-plan", "--json", "--threshold", "101")
    assert code == 2
    code, out, err = fazhi(capsys, db_path, "link-plan", "--json", "--threshold", "100")
    assert (code, err) == (0, "")
    links = json.loads(out)["links"]
    assert [x["plan_seq"] for x in links][:3] == ["(六)", "(七)", "(八)"]


def test_set_link_and_unlink(
    capsys: pytest.CaptureFixture[str], db_path: Path, inputs: Path
) -> None:
    fazhi(capsys, db_path, "import-xlsx", str(FIXTURES / "notice_004_lo.xlsx"))
    fazhi(capsys, db_path, "import-plan", str(inputs / "方案.txt"))
    code, out, err = fazhi(capsys, db_path, "set-link", "1", "（二十三）")
    assert (code, err) == (0, "")
    assert "(二十三) 加强理论研究" in out
    (row,) = [t for t in listing(capsys, db_path, "--ledger", "1")[0]["tasks"] if t["seq"] == "1"]
    assert row["requirements"][0].startswith("加强中国特色社会主义法治政府建设理论研究")
    code, out, err = fazhi(capsys, db_path, "unlink", "1")
    assert (code, err) == (0, "") and "已取消" in out
    (row,) = [t for t in listing(capsys, db_path, "--ledger", "1")[0]["tasks"] if t["seq"] == "1"]
    assert row["requirements"] == []
    code, out, _err = fazhi(capsys, db_path, "unlink", "1")
    assert code == 0 and "本来就没有关联" in out
    code, _out, err = fazhi(capsys, db_path, "set-link", "1", "九十九")
    assert code == 2 and "没有序号为“九十九”" in err
    code, _out, err = fazhi(capsys, db_path, "set-link", "--plan", "1", "1", "六")
    assert code == 2 and "不是方案" in err


@pytest.mark.sqlite_only  # checks the file itself
def test_link_plan_without_a_plan(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    before = folder_state(demo_db.parent)
    code, out, err = fazhi(capsys, demo_db, "link-plan")
    assert code == 2 and out == ""
    assert "还没有方案" in err and "import-plan" in err
    assert folder_state(demo_db.parent) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.txt", b"", "空文件"),
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
        (
            "年度报告.txt",
            "关于2020年法治政府建设情况的报告\n一、主要举措\n（一）加强领导。我们做了很多工作。\n".encode(),
            "找到任务",
        ),
        ("表格.xlsx", b"PK\x03\x04" + b"\0" * 64, "Excel"),
        ("图片.png", b"\x89PNG\r\n\x1a\n", "不支持"),
    ],
)
@pytest.mark.sqlite_only  # checks the file itself
def test_bad_input_exits_2_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    demo_db: Path,
    tmp_path: Path,
    name: str,
    data: bytes,
    message: str,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    before = folder_state(demo_db.parent)
    code, out, err = fazhi(capsys, demo_db, "import-plan", str(path))
    assert code == 2 and out == ""
    assert err.startswith("错误：") and message in err
    assert folder_state(demo_db.parent) == before


@pytest.mark.sqlite_only  # checks the file itself
def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, _out, err = fazhi(capsys, db_path, "import-plan", str(db_path.parent / "无.docx"))
    assert code == 2 and "找不到文件" in err
    assert not db_path.exists()


def test_as_a_real_process(db_path: Path, tmp_path: Path) -> None:
    path = write_work_points_docx(tmp_path / "工作要点.docx")
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}  # a Chinese Windows console
    proc = subprocess.run(
        [sys.executable, "-m", "fazhi_desktop.cli", "--db", str(db_path), "import-plan",
         str(path), "--json"],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    data: dict[str, Any] = json.loads(proc.stdout.decode("utf-8"))
    assert [t["task"] for t in data["tasks"]] == [w.title for w in WORK_POINTS]
    assert data["tasks"][1]["partners"] == "各街道办事处"
    assert data["tasks"][1]["deadline"] == "2024-12-31"
