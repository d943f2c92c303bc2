"""Engines and sessions: SQLite (WAL) by default, PostgreSQL by URL.

Nothing here runs at import time; callers build an engine with `make_engine`.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import Session, SQLModel, create_engine

from store import models  # noqa: F401  (registers the tables on SQLModel.metadata)

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

APP_NAME = "aiwatch"
HEAD_REVISION = "0003"
"""The newest migration in ``store/migrations/versions`` (a test keeps the two in step):
a database already there is opened without loading Alembic at all."""
BUSY_TIMEOUT_MS = 5_000


class StoreError(Exception):
    """A database problem explained in words a user can act on."""


def default_database_url() -> str:
    """The embedded database: ``aiwatch.db`` in the user's data directory."""
    return f"sqlite:///{Path(user_data_dir(APP_NAME, appauthor=False)) / 'aiwatch.db'}"


def database_url(explicit: str | None = None) -> str:
    """Resolve the database URL: ``--db``, then ``AIWATCH_DB``, then the default."""
    return explicit or os.environ.get("AIWATCH_DB") or default_database_url()


SQLITE_PAGE_SIZE = 16_384
"""Bytes per page of a new SQLite database.

Each feed a refresh stores touches a few hundred scattered index pages
(article identity and content hash, mentions by entity); with 16 KiB pages
it is fewer pages and WAL frames per commit than with the default 4 KiB, and
storing costs about 8% less CPU. An existing database keeps its page size:
it cannot change in WAL mode.
"""


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    """A connect hook: page size (new files), WAL, foreign keys, a bounded wait for locks."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    return on_connect


def make_engine(url: str, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """Create an engine for ``url`` and (by default) make sure the schema exists.

    Raises:
        StoreError: the URL is malformed, the file is not a database, or the
            server cannot be reached.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"Not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser()
            if path.is_dir():
                raise StoreError(f"Database path {path} is a directory, not a file.")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"Cannot create the folder for {path}: {exc.strerror}") from exc
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
    elif backend == "postgresql":
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        # No server-side prepared statements: psycopg prepares a query after five runs, and
        # the generic plan PostgreSQL then keeps was made while the tables were small (a
        # sequential scan), so a refresh into a new database slowed down as it grew.
        connect_args = {"connect_timeout": 10, "prepare_threshold": None}
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    else:
        raise StoreError(f"Unsupported database {backend!r}: use sqlite:/// or postgresql://")
    if create:
        init_schema(engine)
    return engine


@cache
def _migrations() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.attributes["connection"] = connection
    return config


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def init_schema(engine: Engine) -> None:
    """Bring the schema to the current revision; raise `StoreError` when unusable.

    A brand-new database gets every table at once and is stamped with the head
    revision; an older one is migrated with Alembic; one at head is left alone.
    """
    try:
        with engine.begin() as connection:
            current = _revision(connection)
            if current == HEAD_REVISION:
                return
            from alembic import command

            if current is None and not inspect(connection).has_table("article"):
                SQLModel.metadata.create_all(connection)
                command.stamp(_alembic_config(connection), "head")
            else:
                if current is None:  # made by create_all before migrations existed
                    command.stamp(_alembic_config(connection), "0001")
                command.upgrade(_alembic_config(connection), "head")
    except DatabaseError as exc:
        raise StoreError(describe_db_error(exc, engine)) from exc


def describe_db_error(exc: BaseException, engine: Engine | None = None) -> str:
    """One sentence for a database failure, without a traceback."""
    where = (
        engine.url.render_as_string(hide_password=True) if engine is not None else "the database"
    )
    message = (
        str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        if str(exc)
        else type(exc).__name__
    )
    lowered = message.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        return f"{where} is not a usable SQLite database ({message}). Move it aside or pass --db."
    if "readonly" in lowered or "read-only" in lowered:
        return f"{where} is read-only: {message}"
    if "database or disk is full" in lowered or "no space" in lowered:
        return f"Disk full while writing {where}: {message}"
    if "locked" in lowered:
        return (
            f"{where} is locked by another process (waited {BUSY_TIMEOUT_MS // 1000} s): {message}"
        )
    if isinstance(exc, OperationalError):
        return f"Cannot use {where}: {message}"
    return f"Database error on {where}: {message}"


def session(engine: Engine) -> Session:
    """A new session; use one per unit of work (``with session(engine) as s:``)."""
    return Session(engine, expire_on_commit=False)
