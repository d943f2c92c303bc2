"""Helpers shared by subcommands: opening the store and printing safely."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import Engine

from feeds.sanitize import clean_text
from store.db import StoreError, database_url, make_engine


def register(_subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """No subcommands here (this module only holds helpers)."""


def open_engine(args: argparse.Namespace) -> Engine:
    """The engine for ``--db`` / ``AIWATCH_DB`` / the default file."""
    return make_engine(database_url(getattr(args, "db", None)))


def say(text: str, *, err: bool = False) -> None:
    """Print ``text`` with every control character removed."""
    print(clean_text(text), file=sys.stderr if err else sys.stdout)


def fail(exc: StoreError | Exception) -> int:
    """Report an error in one line and return the exit status."""
    say(f"aiwatch: {exc}", err=True)
    return 2
