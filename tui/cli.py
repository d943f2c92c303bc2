"""The ``aiwatch`` command: the dashboard by default, and headless subcommands.

Each module in `tui.commands` adds its subcommands with ``register(subparsers)``
and sets ``func`` (``args -> exit status``) on its parser.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from pkgutil import iter_modules

from tui import commands


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="aiwatch",
        description="Track AI partnerships, products and copyright cases from seeds and feeds.",
    )
    parser.add_argument(
        "--db", metavar="URL", help="database URL (default: $AIWATCH_DB or SQLite in the data dir)"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="config file (default: $AIWATCH_CONFIG or the config dir)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in sorted(iter_modules(commands.__path__), key=lambda m: m.name):
        import_module(f"{commands.__name__}.{module.name}").register(subparsers)
    return parser


def utf8_arguments(argv: Sequence[str]) -> list[str]:
    """Arguments with bytes that were not UTF-8 shown as U+FFFD.

    Python keeps such bytes as lone surrogates (``surrogateescape``), which no
    database driver can encode: a latin-1 company name typed in a UTF-8
    terminal would otherwise end in a traceback.
    """
    return [_utf8(arg) for arg in argv]


def _utf8(arg: str) -> str:
    try:
        data = arg.encode("utf-8", "surrogateescape")  # bytes the OS gave us, as they were
    except UnicodeEncodeError:
        data = arg.encode("utf-8", "surrogatepass")  # any other lone surrogate
    return data.decode("utf-8", "replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aiwatch`` console script."""
    parser = build_parser()
    args = parser.parse_args(utf8_arguments(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        from tui.commands.dashboard import run_dashboard

        return run_dashboard(args)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """``aiwatch feeds list | head``: stop quietly, as Unix tools do, when stdout closes.

    Python's own advice: point stdout at /dev/null so flushing it at exit
    cannot raise again. The status is a shell's for a process killed by SIGPIPE.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


if __name__ == "__main__":
    sys.exit(main())
