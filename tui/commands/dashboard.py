"""``aiwatch`` with no subcommand: open the dashboard."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from store.db import StoreError, database_url, describe_db_error, make_engine
from tui.commands.common import fail


def register(_subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Nothing to add: the dashboard is what ``aiwatch`` runs without a subcommand."""


def run_dashboard(args: argparse.Namespace) -> int:
    """Open the database and run the dashboard; a database problem is one line on stderr.

    Returns:
        0 after a normal quit, 2 when the database cannot be used.
    """
    url = database_url(getattr(args, "db", None))
    try:
        engine = make_engine(url)
    except StoreError as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))
    from tui.app import make_app

    try:
        app = make_app(engine=engine, settings=_settings(args))
        app.run()
    finally:
        engine.dispose()
    return int(app.return_code or 0)


def _settings(args: argparse.Namespace) -> object | None:
    """The refresh settings, when the config module is available."""
    return None
