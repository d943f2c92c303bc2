"""``aiwatch seeds load DIR``: import seed articles."""

from __future__ import annotations

import argparse
from pathlib import Path

from aiwatch.feeds.sources.seeds import bundled_seed_dir
from aiwatch.tui.commands.common import USER_ERRORS, fail, open_engine, open_knowledge_base, say
from aiwatch.tui.seeding import load_seeds


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``seeds load``."""
    seeds = subparsers.add_parser("seeds", help="import seed articles")
    actions = seeds.add_subparsers(dest="seeds_command", metavar="ACTION", required=True)
    load = actions.add_parser("load", help="load *.txt/*.md seed files from a folder")
    load.add_argument("folder", nargs="?", type=Path, help="folder (default: the bundled seeds)")
    load.set_defaults(func=run_load)


def run_load(args: argparse.Namespace) -> int:
    """Load a seed folder and print what happened; non-zero when a file failed."""
    try:
        report = load_seeds(
            open_engine(args), args.folder or bundled_seed_dir(), open_knowledge_base(args)
        )
    except USER_ERRORS as exc:
        return fail(exc)
    for error in report.errors:
        say(f"warning: {error}", err=True)
    say(report.describe())
    return 1 if report.errors and not report.files else 0
