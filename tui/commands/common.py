"""Helpers shared by subcommands: opening the store and printing safely."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import Engine

from feeds.kb import KnowledgeBase, KnowledgeBaseError
from feeds.sanitize import clean_text
from store.db import StoreError, make_engine
from tui.config import ConfigError, database_for, load_settings
from tui.knowledge import knowledge_for

USER_ERRORS = (StoreError, ConfigError, KnowledgeBaseError)
"""Errors whose message is meant for the user: printed as one line, never a traceback."""


def register(_subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """No subcommands here (this module only holds helpers)."""


def open_engine(args: argparse.Namespace) -> Engine:
    """The engine for ``--db``, else ``$AIWATCH_DB``, else the config's ``database``, else the default."""
    settings = load_settings(getattr(args, "config", None))
    return make_engine(database_for(getattr(args, "db", None), settings))


def open_knowledge_base(args: argparse.Namespace) -> KnowledgeBase:
    """The bundled knowledge base plus the config's ``knowledge.extra_files``.

    Raises:
        KnowledgeBaseError: one line naming the file that is missing or broken.
    """
    return knowledge_for(load_settings(getattr(args, "config", None)))


def say(text: str, *, err: bool = False) -> None:
    """Print ``text`` with every control character removed."""
    print(clean_text(text), file=sys.stderr if err else sys.stdout)


def fail(exc: Exception) -> int:
    """Report an error in one line and return the exit status."""
    say(f"aiwatch: {exc}", err=True)
    return 2
