"""Where aiwatch keeps things: the user's data and config folders, and the database URL.

``--db``, ``$AIWATCH_DB``, else ``aiwatch.db`` in the user's data folder. A
module of its own, without SQLAlchemy, so commands can resolve the URL before
deciding what they need to open it with (`store.db`, `store.driver`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "aiwatch"
_XDG = {"data": ("XDG_DATA_HOME", ".local/share"), "config": ("XDG_CONFIG_HOME", ".config")}


def app_dir(kind: str) -> Path:
    """aiwatch's ``data`` or ``config`` folder, as platformdirs names it on this system.

    On Linux and the BSDs that is the XDG base directory (``$XDG_DATA_HOME`` or
    ``~/.local/share``, ``$XDG_CONFIG_HOME`` or ``~/.config``), worked out here:
    platformdirs' import is a tenth of a cron refresh's imports. Elsewhere
    platformdirs decides.
    """
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        variable, default = _XDG[kind]
        base = os.environ.get(variable, "").strip()
        return Path(base if base else Path.home() / default) / APP_NAME
    import platformdirs

    found = platformdirs.user_data_dir if kind == "data" else platformdirs.user_config_dir
    return Path(found(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """The embedded database file: ``aiwatch.db`` in the user's data directory."""
    return app_dir("data") / "aiwatch.db"


def default_database_url() -> str:
    """The embedded database's URL (see `default_database_path`)."""
    return f"sqlite:///{default_database_path()}"


def database_url(explicit: str | None = None) -> str:
    """Resolve the database URL: ``--db``, then ``AIWATCH_DB``, then the default."""
    return explicit or os.environ.get("AIWATCH_DB") or default_database_url()
