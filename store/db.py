"""Engines and sessions: SQLite (WAL) by default, PostgreSQL by URL.

Nothing here runs at import time; callers build an engine with `make_engine`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import Session, SQLModel, create_engine, text

from store import models  # noqa: F401  (registers the tables on SQLModel.metadata)

APP_NAME = "aiwatch"
BUSY_TIMEOUT_MS = 5_000


class StoreError(Exception):
    """A database problem explained in words a user can act on."""


def default_database_url() -> str:
    """The embedded database: ``aiwatch.db`` in the user's data directory."""
    return f"sqlite:///{Path(user_data_dir(APP_NAME, appauthor=False)) / 'aiwatch.db'}"


def database_url(explicit: str | None = None) -> str:
    """Resolve the database URL: ``--db``, then ``AIWATCH_DB``, then the default."""
    return explicit or os.environ.get("AIWATCH_DB") or default_database_url()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def make_engine(url: str, *, create: bool = True) -> Engine:
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
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    elif backend == "postgresql":
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    else:
        raise StoreError(f"Unsupported database {backend!r}: use sqlite:/// or postgresql://")
    if create:
        init_schema(engine)
    return engine


def init_schema(engine: Engine) -> None:
    """Create missing tables; raise `StoreError` when the database is unusable."""
    try:
        SQLModel.metadata.create_all(engine)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1 FROM article LIMIT 1"))
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
