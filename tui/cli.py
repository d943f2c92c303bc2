"""The ``aiwatch`` command: the dashboard by default, and headless subcommands.

Each module in `tui.commands` adds its subcommand with ``register(subparsers)``
(``subparsers.add_parser("name", help=...)``) and sets ``func`` (``args -> exit
status``) on its parser. Only the module of the subcommand being run is
imported: the others are listed from their source (`command_index`), so
``aiwatch --help`` and ``aiwatch refresh`` never load what other commands use
(the dashboard's Textual, the store's SQLAlchemy, the extractor).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from functools import cache
from importlib import import_module
from pathlib import Path

from aiwatch.tui import commands
from aiwatch.tui.collection import hold_full_collections, resume_full_collections
from aiwatch.tui.logs import setup_logging

_ADD_PARSER = re.compile(
    r"""def register\(.*?\.add_parser\(\s*"(?P<name>[\w-]+)"(?:\s*,\s*help=(?P<help>(?:"(?:[^"\\]|\\.)*"\s*)+))?""",
    re.DOTALL,
)
_PIECE = re.compile(r'"((?:[^"\\]|\\.)*)"')


@cache
def command_index() -> dict[str, tuple[str, str]]:
    """Subcommand name → (its module in `tui.commands`, its one-line help).

    Read from each module's source without importing it: the first
    ``add_parser("name", help="…")`` call in its ``register`` names the
    subcommand (a module whose ``register`` adds none is not a command).
    """
    index: dict[str, tuple[str, str]] = {}
    folder = Path(commands.__path__[0])
    for path in sorted(folder.glob("[!_]*.py")):
        found = _ADD_PARSER.search(path.read_text(encoding="utf-8"))
        if found is not None:
            pieces = _PIECE.findall(found["help"] or "")
            help_text = "".join(p.replace('\\"', '"').replace("\\\\", "\\") for p in pieces)
            index[found["name"]] = (path.stem, help_text)
    return index


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every subcommand listed, ``command``'s own arguments loaded.

    With no ``command``, every subcommand's module is imported (for tools that
    want the whole parser); `main` passes the one it runs.
    """
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
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log what happens to stderr (-vv: in detail); the log file is aiwatch.log in the data dir",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in command_index().items():
        if command is None or name == command:
            import_module(f"{commands.__name__}.{module}").register(subparsers)
        else:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` asks for (the first known name), else ``None``."""
    listing = build_parser("")  # every subcommand a placeholder: nothing imported
    known, _ = listing.parse_known_args(argv)
    return known.command if known.command in command_index() else None


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
    arguments = utf8_arguments(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_in(arguments) or "")
    args = parser.parse_args(arguments)
    setup_logging(verbose=args.verbose, to_stderr=args.command is not None)
    if args.command is None:
        hold_full_collections()  # until the first dashboard is up (`tui.collection`)
        try:
            from aiwatch.tui.commands.dashboard import run_dashboard

            return run_dashboard(args)
        finally:
            resume_full_collections(set_aside=False)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return _reader_went_away()


def run(argv: Sequence[str] | None = None) -> int:
    """The ``aiwatch`` command as its own process (the console script, ``python -m aiwatch``).

    `main`, after telling this interpreter that trio is not there: aiwatch runs on
    asyncio only, but httpcore tries ``import trio`` when it is first imported, and where
    trio is installed (pulled in by some other package of the environment; the test
    extras' selenium does) that import alone took a third of an all-304 refresh's
    start-up. Programs that embed aiwatch call `main` and keep their trio.
    """
    sys.modules.setdefault("trio", None)  # type: ignore[arg-type]  # import trio -> ImportError
    return main(argv)


def _reader_went_away() -> int:
    """``aiwatch feeds list | head``: stop quietly, as Unix tools do, when stdout closes.

    Python's own advice: point stdout at /dev/null so flushing it at exit
    cannot raise again. The status is a shell's for a process killed by SIGPIPE.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141
