"""Helpers shared by subcommands: opening the store and printing safely.

Imported by every command, so it loads the store and the knowledge base only
when asked to open them (``aiwatch refresh`` often needs neither).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from aiwatch.feeds.parse.sanitize import clean_text
from aiwatch.tui.config import database_for, load_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from aiwatch.feeds.knowledge.base import KnowledgeBase


def __getattr__(name: str) -> tuple[type[Exception], type[Exception], type[Exception]]:
    """``USER_ERRORS``: errors whose message is meant for the user (one line, no traceback).

    Built on first use, so a command that never catches them (``refresh``,
    whose imports cron pays for) does not load the knowledge base's module.
    """
    if name == "USER_ERRORS":
        from aiwatch.feeds.knowledge.base import KnowledgeBaseError
        from aiwatch.store.errors import StoreError
        from aiwatch.tui.config import ConfigError

        return (StoreError, ConfigError, KnowledgeBaseError)
    raise AttributeError(name)


def register(_subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """No subcommands here (this module only holds helpers)."""


def open_engine(args: argparse.Namespace) -> Engine:
    """The engine for ``--db``, else ``$AIWATCH_DB``, else the config's ``database``, else the default."""
    from aiwatch.store.db import make_engine

    settings = load_settings(getattr(args, "config", None))
    return make_engine(database_for(getattr(args, "db", None), settings))


def open_knowledge_base(args: argparse.Namespace) -> KnowledgeBase:
    """The bundled knowledge base plus the config's ``knowledge.extra_files``.

    Raises:
        KnowledgeBaseError: one line naming the file that is missing or broken.
    """
    from aiwatch.tui.knowledge import knowledge_for

    return knowledge_for(load_settings(getattr(args, "config", None)))


def say(text: str, *, err: bool = False) -> None:
    """Print ``text`` with every control character removed."""
    print(clean_text(text), file=sys.stderr if err else sys.stdout)


def fail(exc: Exception) -> int:
    """Report an error in one line and return the exit status."""
    say(f"aiwatch: {exc}", err=True)
    return 2
