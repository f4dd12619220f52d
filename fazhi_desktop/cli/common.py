"""What every ``fazhi`` subcommand shares: the Chinese argument parser and the run context."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from fazhi_desktop.errors import UsageError
from fazhi_desktop.models.db import Database, open_database
from fazhi_desktop.models.periods import parse_period
from fazhi_desktop.models.server_db import is_server_url, shown_target
from fazhi_desktop.paths import default_db_path
from fazhi_desktop.settings import AppSettings

# argparse's own messages are English; these cover what a user can trigger.
_TRANSLATIONS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (
        r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
        r"参数 \1 的取值 \2 无效，可选：\3",
    ),
    (r"argument (\S+): invalid (\S+) value: (.*)", r"参数 \1 的值 \3 无效"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
)


def translate(message: str) -> str:
    for pattern, replacement in _TRANSLATIONS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


_HEADINGS = {"positional arguments": "位置参数", "options": "选项"}


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help with its English headings ("usage:", "options:") in Chinese."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(_HEADINGS.get(heading or "", heading))

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        # The group titles stay English (ChineseHelpFormatter translates them) so that options
        # from parents= merge into the same group; the -h help text has no hook, so set it here.
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "显示本帮助并退出"
        # Every type=int option is an id or a count stored in SQLite, which holds 64 bits:
        # a larger number must be a usage error, not an OverflowError deep in a query.
        self.register("type", int, sqlite_int)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            2,
            f"{self.prog}: 参数错误：{translate(message)}\n运行 `{self.prog} --help` 查看用法。\n",
        )


_SQLITE_MAX = 2**63 - 1


def sqlite_int(text: str) -> int:
    value = int(text)  # ValueError: argparse says "invalid int value"
    if not -_SQLITE_MAX <= value <= _SQLITE_MAX:
        raise argparse.ArgumentTypeError(f"“{text}”太大了，没有这样的编号") from None
    return value


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}”不是有效日期，应为 YYYY-MM-DD，例如 2026-11-30"
        ) from None


def period_arg(text: str) -> str:
    """``parse_period`` for argparse: a bad period becomes a usage error (exit 2), not a crash."""
    try:
        return parse_period(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"“{text}”必须是正整数")
    return value


@dataclass
class Context:
    """Global options, resolved once; the database opens only when a command needs it."""

    db_path: Path
    today: dt.date
    settings: AppSettings = field(default_factory=AppSettings.load)
    _db: Database | None = None
    # A shared server database (单位模式, ``--db postgresql://…``) instead of the file.
    db_url: str | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.db_url or self.db_path)
        return self._db

    @property
    def db_label(self) -> str:
        """How messages name the database: the file, or the server without its password."""
        return shown_target(self.db_url) if self.db_url else str(self.db_path)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session and one transaction: committed on success, nothing written on error."""
        with self.db.session() as session, session.begin():
            yield session

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def context_from(args: argparse.Namespace) -> Context:
    target = getattr(args, "db", None) or os.environ.get("FAZHI_DB")
    today = getattr(args, "today", None) or dt.date.today()
    if target and is_server_url(target):
        return Context(db_path=Path(), today=today, db_url=target)
    db_path = Path(args.db) if getattr(args, "db", None) else default_db_path()
    return Context(db_path=db_path, today=today)


Handler = Callable[[Context, argparse.Namespace], int]

