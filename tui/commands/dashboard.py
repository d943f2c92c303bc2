"""``aiwatch`` with no subcommand: open the dashboard."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from aiwatch.feeds.knowledge.base import KnowledgeBaseError
from aiwatch.store.db import StoreError, describe_db_error, make_engine
from aiwatch.tui.commands.common import fail
from aiwatch.tui.config import ConfigError, database_for, load_settings
from aiwatch.tui.knowledge import check_knowledge_files
from aiwatch.tui.read_process import ReadProcess


def register(_subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Nothing to add: the dashboard is what ``aiwatch`` runs without a subcommand."""


def run_dashboard(args: argparse.Namespace) -> int:
    """Read the config, open the database and run the dashboard.

    A bad config, a knowledge-base file that is missing or not TOML, or an unusable
    database is one line on stderr, never a traceback.

    Returns:
        0 after a normal quit, 2 when the config, the knowledge base or the database
        cannot be used (also when the app found the knowledge base broken).
    """
    try:
        settings = load_settings(getattr(args, "config", None))
        check_knowledge_files(settings)  # the whole base loads in the app, which says so too
        engine = make_engine(database_for(getattr(args, "db", None), settings))
    except (ConfigError, StoreError, KnowledgeBaseError) as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))
    reader = ReadProcess.start(engine, settings.username)  # on another core, from here on
    from aiwatch.tui.app import make_app

    try:
        app = make_app(engine=engine, settings=settings, reader=reader)
        app.run()
    finally:
        if reader is not None:
            reader.close()
        engine.dispose()
    return int(app.return_code or 0)
