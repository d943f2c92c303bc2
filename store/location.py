"""Where the database is: ``--db``, ``$AIWATCH_DB``, else ``aiwatch.db`` in the user's data folder.

A module of its own, without SQLAlchemy, so commands can resolve the URL
before deciding what they need to open it with (`store.db`, `store.driver`).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "aiwatch"


def default_database_path() -> Path:
    """The embedded database file: ``aiwatch.db`` in the user's data directory."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "aiwatch.db"


def default_database_url() -> str:
    """The embedded database's URL (see `default_database_path`)."""
    return f"sqlite:///{default_database_path()}"


def database_url(explicit: str | None = None) -> str:
    """Resolve the database URL: ``--db``, then ``AIWATCH_DB``, then the default."""
    return explicit or os.environ.get("AIWATCH_DB") or default_database_url()
