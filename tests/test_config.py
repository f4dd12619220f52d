"""``fazhi config``: per-ledger settings in the database, program settings in settings.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import TODAY

from fazhi_desktop.cli import main
from fazhi_desktop.models.db import open_database
from fazhi_desktop.models.orm import Ledger
from fazhi_desktop.settings import AppSettings


def _cli(db: Path, *args: str) -> int:
    return main(["--db", str(db), "--today", TODAY.isoformat(), *args])


def _ledger(db_path: Path) -> Ledger:
    db = open_database(db_path)
    try:
        with db.session() as s:
            ledger = s.get(Ledger, 1)
            assert ledger is not None
            s.expunge(ledger)
            return ledger
    finally:
        db.close()


def _settings_file() -> Path:
    return Path(os.environ["FAZHI_CONFIG_DIR"]) / "settings.json"


def test_demo_carries_the_notice_mailbox(demo_db: Path) -> None:
    assert _ledger(demo_db).mailbox == "fazhiban@example.com"


def test_set_ledger_and_program_keys(demo_db: Path) -> None:
    assert (
        _cli(
            demo_db,
            "config",
            "unit=濮阳市司法局",
            "reporter=张三",
            "phone=0393-8888888",
            "mailbox=fzb@py.gov.cn",
            "report_day=25",
            "report_cycle=每季度",
            r"notes=第一行\n第二行",
            "due_soon_days=10",
            "smtp_host=mail.py.gov.cn",
            "smtp_port=465",
            "smtp_security=SSL",
            "smtp_user=kjj",
            "smtp_from=kjj@py.gov.cn",
        )
        == 0
    )
    ledger = _ledger(demo_db)
    assert (ledger.unit, ledger.reporter, ledger.phone) == ("濮阳市司法局", "张三", "0393-8888888")
    assert (ledger.mailbox, ledger.report_day, ledger.report_cycle) == (
        "fzb@py.gov.cn",
        25,
        "quarterly",
    )
    assert ledger.notes == "第一行\n第二行"
    saved = json.loads(_settings_file().read_text(encoding="utf-8"))
    assert saved["due_soon_days"] == 10 and saved["smtp_security"] == "ssl"
    assert saved["smtp_port"] == 465 and saved["smtp_from"] == "kjj@py.gov.cn"
    assert not any("password" in key for key in saved)
    loaded = AppSettings.load()
    assert (loaded.smtp_host, loaded.smtp_user) == ("mail.py.gov.cn", "kjj")


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("colour=red", "没有名为“colour”的设置项"),
        ("report_day=32", "1 到 31"),
        ("report_day=三十", "不是整数"),
        ("report_cycle=weekly", "monthly"),
        ("mailbox=not-an-address", "不是有效的邮箱地址"),
        ("smtp_security=tls1.3", "none、ssl 或 starttls"),
        ("smtp_port=70000", "0 到 65535"),
        ("due_soon_days=-1", "0 到 365"),
        ("export_dir=/no/such/folder", "不存在"),
        ("pdf_font_body=/no/such.ttf", "字体文件"),
        ("unit", "键=值"),
    ],
)
def test_bad_key_or_value_exits_2_and_changes_nothing(
    demo_db: Path, assignment: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _ledger(demo_db)
    # The good assignment before the bad one must not be saved either.
    assert _cli(demo_db, "config", "unit=改过了", "due_soon_days=3", assignment) == 2
    assert message in capsys.readouterr().err
    assert _ledger(demo_db).unit == before.unit
    assert not _settings_file().exists()


def test_list_and_json(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(demo_db, "config", "--list") == 0
    out = capsys.readouterr().out
    assert "mailbox=fazhiban@example.com" in out and "due_soon_days=7" in out
    assert "smtp_security=none" in out
    assert _cli(demo_db, "config", "--list", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ledger_id"] == 1
    assert data["ledger"]["report_day"] == 30 and data["ledger"]["report_cycle"] == "monthly"
    assert data["program"]["smtp_port"] == 0


def test_ledger_keys_need_a_ledger_when_there_are_several(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(demo_db)
    with db.session() as s, s.begin():
        s.add(Ledger(title="第二个台账"))
    db.close()
    assert _cli(demo_db, "config", "unit=甲") == 2
    assert "--ledger" in capsys.readouterr().err
    assert _cli(demo_db, "config", "--ledger", "2", "unit=甲") == 0
    assert _cli(demo_db, "config", "--ledger", "9", "--list") == 2
    # Program keys need no ledger.
    assert _cli(demo_db, "config", "due_soon_days=5") == 0


def test_password_cannot_be_saved_without_a_keyring(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    assert _cli(demo_db, "config", "--set-password") == 2
    assert "smtp_host" in capsys.readouterr().err
    assert _cli(demo_db, "config", "smtp_host=h", "smtp_user=u") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    capsys.readouterr()
    assert _cli(demo_db, "config", "--set-password") == 2
    assert "密钥库" in capsys.readouterr().err
    assert "pw" not in _settings_file().read_text(encoding="utf-8")
