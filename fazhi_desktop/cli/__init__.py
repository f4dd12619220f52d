"""The ``fazhi`` command: the same services as the window, for scripts and power users."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from fazhi_desktop import __version__, logs
from fazhi_desktop.cli import (
    annual_report_cmds,
    backup_cmds,
    collect_cmds,
    config_cmds,
    core_cmds,
    file_cmds,
    import_cmds,
    office_cmds,
    plan_cmds,
    submit_cmds,
    summary_cmds,
)
from fazhi_desktop.cli.common import ChineseArgumentParser, context_from, parse_date
from fazhi_desktop.errors import FazhiError, os_error_text
from fazhi_desktop.models.server_db import describe_server_error, is_server_error
from fazhi_desktop.models.sqlite_file import describe_error

# Each module adds its subcommands; keep this list in the order `fazhi --help` shows them.
COMMAND_MODULES = (
    core_cmds,
    file_cmds,
    import_cmds,
    plan_cmds,
    submit_cmds,
    summary_cmds,
    collect_cmds,
    config_cmds,
    backup_cmds,
    annual_report_cmds,
    office_cmds,
)


_BROKEN_PIPE = 141
_INTERRUPTED = 130  # 128 + SIGINT, as the shell reports a program stopped by Ctrl+C


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="数据库文件（默认在用户数据目录），或单位数据库 postgresql://用户名@服务器:5432/fazhi",
    )
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", type=parse_date, default=default, help="把某天当作今天"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="fazhi", description="法治台账命令行：导入、导出、填报、汇总。"
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"fazhi-desktop {__version__}",
        help="显示版本号并退出",
    )
    _global_options(parser, suppress=False)
    # The same options after the subcommand, so `fazhi list --db X` works too.
    parent = ChineseArgumentParser(add_help=False)
    _global_options(parent, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for module in COMMAND_MODULES:
        module.register(sub, parent)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A file name that is not UTF-8 (argv bytes kept as surrogates) prints as \xff
            # instead of failing the whole command.
            reconfigure(encoding="utf-8", errors="backslashreplace")
    quiet = _log_to_file()
    try:
        code = _main(argv)
        # Flushed here, not at exit: a reader gone by then would make Python print its own
        # "Exception ignored … BrokenPipeError" after the command has finished.
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # `fazhi list | head -1`: the reader went away. Nothing more to say, and nothing to
        # flush: end quietly, with the code a program killed by SIGPIPE reports (128 + 13).
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return _BROKEN_PIPE
    except KeyboardInterrupt:
        # Ctrl+C: each step of a command is its own transaction; the one cut off is not saved.
        print(
            "\n已中断。已完成的部分已保存，中断时正在进行的一步没有保存；可重新运行该命令。",
            file=sys.stderr,
        )
        return _INTERRUPTED
    finally:
        logging.getLogger().removeHandler(quiet)
        logs.shutdown_logging()


def _log_to_file() -> logging.Handler:
    """Details (tracebacks of handled errors) go to the log file, never to the console.

    Without a handler, Python prints warnings and their tracebacks to stderr; the user should
    see only the Chinese message. The root gets a null handler for other libraries' records.
    """
    with contextlib.suppress(OSError):
        logs.setup_logging()
    quiet = logging.NullHandler()
    logging.getLogger().addHandler(quiet)
    return quiet


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except FazhiError as exc:
        # A type= converter that raises our own error instead of ArgumentTypeError: still a
        # usage error (exit 2), never a traceback.
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    ctx = context_from(args)
    try:
        return int(args.handler(ctx, args))
    except FazhiError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # stdout's reader went away: not a file the user named (see main)
    except OSError as exc:
        # A file-system failure no command foresaw: still a message, never a traceback.
        logging.getLogger(__name__).warning("命令失败", exc_info=True)
        where = f"“{exc.filename}”：" if exc.filename else ""
        print(f"错误：无法读写{where}{os_error_text(exc)}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        if is_server_error(exc):
            print(f"错误：{describe_server_error(exc, ctx.db_label)}", file=sys.stderr)
            return 2
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.Error):
            # Read-only, disk full, locked or damaged: each needs something else from the user.
            print(f"错误：{describe_error(orig, ctx.db_path)}", file=sys.stderr)
            return 2
        print(
            f"错误：数据库“{ctx.db_path}”操作失败（{exc.__class__.__name__}）。"
            "若程序窗口正在保存，请稍后重试；若反复出现，请从备份恢复。",
            file=sys.stderr,
        )
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
