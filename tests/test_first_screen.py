"""The first screen read with sqlite3 alone (issue 17): the same rows the real load gives,
nothing at all when the file is unusual, and no SQLAlchemy imported on the way."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import TODAY
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from fazhi_desktop.errors import FazhiError
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.records import LedgerDraft, TaskDraft
from fazhi_desktop.services import ledgers
from fazhi_desktop.services.first_screen import FIRST_ROWS, peek
from fazhi_desktop.settings import AppSettings
from fazhi_desktop.ui.main_window import MainWindow


def test_peek_gives_what_the_real_load_gives(demo_db: Path) -> None:
    db = open_database(demo_db)
    try:
        with db.session() as session:
            summaries = ledgers.list_ledgers(session)
            expected = ledgers.load_task_records(
                session, summaries[0].id, today=TODAY, due_soon_days=7
            )
    finally:
        db.close()
    screen = peek(demo_db, wanted=None, today=TODAY, due_soon_days=7)
    assert screen is not None
    assert screen.ledgers == summaries and screen.ledger_id == summaries[0].id
    # The first screen leaves 任务要求 to the detail pane, as the table's own load does.
    assert screen.tasks == [replace(t, requirements=()) for t in expected]
    assert len({t.status for t in screen.tasks}) > 2  # a mixed ledger, not all alike
    assert peek(demo_db, wanted=str(summaries[0].id), today=TODAY, due_soon_days=7) == screen
    assert peek(demo_db, wanted="9999", today=TODAY, due_soon_days=7) == screen  # gone: first


def test_peek_reads_only_the_first_rows(database: Database, db_path: Path) -> None:
    with database.session() as session, session.begin():
        draft = LedgerDraft(title="大台账")
        draft.tasks.extend(TaskDraft(seq=str(i), title=f"任务{i}") for i in range(FIRST_ROWS + 50))
        ledger_id = ledgers.create_ledger(session, draft, period="2026-11")
    with database.session() as session:
        expected = ledgers.load_task_records(session, ledger_id, today=TODAY, due_soon_days=7)
    screen = peek(db_path, wanted=ledger_id, today=TODAY, due_soon_days=7)
    assert screen is not None and screen.ledgers[0].task_count == FIRST_ROWS + 50
    assert screen.tasks == [replace(t, requirements=()) for t in expected[:FIRST_ROWS]]


def test_peek_stays_out_of_the_way_of_unusual_files(demo_db: Path, tmp_path: Path) -> None:
    assert peek(tmp_path / "none.sqlite3", wanted=None, today=TODAY, due_soon_days=7) is None
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert peek(junk, wanted=None, today=TODAY, due_soon_days=7) is None
    with sqlite3.connect(demo_db) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    assert peek(demo_db, wanted=None, today=TODAY, due_soon_days=7) is None
    assert not (tmp_path / "none.sqlite3").exists()


def test_the_first_screen_needs_no_sqlalchemy(demo_db: Path) -> None:
    code = (
        "import sys, datetime\n"
        "from pathlib import Path\n"
        "import fazhi_desktop.ui.app\n"
        "from fazhi_desktop.services.first_screen import peek\n"
        "screen = peek(Path(sys.argv[1]), wanted=None, today=datetime.date(2026, 11, 22),"
        " due_soon_days=7)\n"
        "assert screen is not None and screen.tasks\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(demo_db)],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert out.stdout.strip() == "[]"


def test_window_shows_the_first_screen_then_the_real_load(
    qtbot: QtBot, demo_db: Path, tmp_path: Path
) -> None:
    ui_state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = MainWindow(None, today=TODAY, settings=AppSettings(), ui_state=ui_state)
    qtbot.addWidget(win)
    screen = peek(demo_db, wanted=win.wanted_ledger(), today=TODAY, due_soon_days=7)
    assert screen is not None
    win.show_first_screen(screen)
    win.show()
    qtbot.waitExposed(win)
    assert win.proxy.rowCount() == len(screen.tasks) == 17
    with pytest.raises(FazhiError, match="稍候"):  # nothing to save to yet
        win.run(lambda s: None)
    db = open_database(demo_db)
    try:
        win.attach_database(db)
        assert [t.id for t in win.model.tasks()] == [t.id for t in screen.tasks]
        assert win.current_task() is not None  # the real load selects and fills the pane
        assert "任务要求" in win.detail.toPlainText()
    finally:
        win.close()
        db.close()


def test_the_first_frame_needs_no_action_areas() -> None:
    """The areas behind the menus (and the background runner) load after the first paint."""
    code = (
        "import sys\n"
        "import fazhi_desktop.ui.app\n"
        "print(sorted(m for m in sys.modules if m.startswith('fazhi_desktop.ui.actions.')"
        " and m.rsplit('.', 1)[1] not in ('registry', 'window_api')"
        " or m == 'fazhi_desktop.ui.background'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"


def test_menus_get_their_actions_once_the_window_has_painted(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ui_state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = MainWindow(None, today=TODAY, settings=AppSettings(), ui_state=ui_state, menus_later=True)
    qtbot.addWidget(win)
    titles = [a.text() for a in win.menuBar().actions()]
    assert titles == list(win.menus) and not win.file_menu.actions()
    with qtbot.waitSignal(win.first_painted, timeout=10000):
        win.show()
    names = {a.objectName() for a in win.actions()}
    assert "importXlsxAction" in names and win.file_menu.actions()
    assert win.undo_action in win.menus[list(win.menus)[1]].actions()
