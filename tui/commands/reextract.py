"""``aiwatch reextract``: re-run extraction over every stored article (or the failed ones)."""

from __future__ import annotations

import argparse

from aiwatch.tui.commands.common import USER_ERRORS, fail, open_engine, open_knowledge_base, say
from aiwatch.tui.reextraction import reextract_articles


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``reextract [--failed]``."""
    parser = subparsers.add_parser(
        "reextract",
        help="re-run extraction on every article (after the knowledge base or rules change)",
    )
    parser.add_argument(
        "--failed",
        action="store_true",
        help="only the articles whose extraction failed last time",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Re-extract in one transaction; articles whose extraction fails are marked, not skipped."""
    try:
        kb = open_knowledge_base(args)
        report = reextract_articles(open_engine(args), kb, only_failed=args.failed)
    except USER_ERRORS as exc:
        return fail(exc)
    for error in report.errors:
        say(f"failed: {error}", err=True)
    if report.failed > len(report.errors):
        say(f"… and {report.failed - len(report.errors)} more", err=True)
    say(report.describe())
    return 1 if report.failed and report.failed == report.articles else 0
