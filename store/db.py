"""Engines and sessions: SQLite (WAL) by default, PostgreSQL by URL.

Nothing here runs at import time; callers build an engine with `make_engine`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import Session, SQLModel, create_engine

from aiwatch.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from aiwatch.store.driver import (
    BUSY_TIMEOUT_MS,
    WRITE_LOCK_KEY,
    begin_read,
    pg_connect_args,
    sqlite_pragmas,
)
from aiwatch.store.errors import StoreError
from aiwatch.store.location import (  # noqa: F401 - re-exported: where callers look for them
    APP_NAME,
    database_url,
    default_database_path,
    default_database_url,
)
from aiwatch.store.revision import HEAD_REVISION
from aiwatch.store.search_index import create_search_index, drop_search_index

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


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
            sqlite_pragmas(cursor, busy_timeout_ms)
        finally:
            cursor.close()

    return on_connect


def _check_sqlite_path(path: Path) -> None:
    """Refuse a path that cannot be a database file; create only the default data folder.

    A typo in ``--db`` must not look like lost data: an explicit path whose
    folder is missing is an error instead of a new, empty database.
    """
    if path.is_dir():
        raise StoreError(f"Database path {path} is a directory, not a file.")
    if path.parent.is_dir():
        return
    if path != default_database_path():
        raise StoreError(
            f"No folder {path.parent} for the database {path.name}: "
            "create it first, or check the --db URL for a typo."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Cannot create the folder for {path}: {exc.strerror}") from exc


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
            _check_sqlite_path(Path(database).expanduser())
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
    elif backend == "postgresql":
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        engine = create_engine(url, pool_pre_ping=True, connect_args=pg_connect_args())
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
    revision; an older one is migrated with Alembic (a SQLite file is copied to
    `backup_path` first); one at head is left alone; one written by a newer
    aiwatch is refused untouched. Creating and migrating hold the write lock
    (`lock_for_writing`), so two processes opening a database at once take
    turns and the second finds the work done.
    """
    try:
        with engine.connect() as probe:
            current = _revision(probe)
            probe.rollback()
        if current == HEAD_REVISION:
            return
        _refuse_unknown(current, engine)
        if current is not None:
            _back_up_sqlite(engine, current)
        with engine.connect() as connection:
            _migrate(connection, engine)
    except DatabaseError as exc:
        raise StoreError(describe_db_error(exc, engine)) from exc


def _migrate(connection: Connection, engine: Engine) -> None:
    """Create or upgrade the schema in one transaction, holding the write lock.

    On SQLite, Alembic rebuilds a changed table (copy, drop, rename), which
    foreign keys would refuse while other tables point at it: they are off
    for the migration, every reference is checked before it commits, and
    they are on again afterwards.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()
    try:
        with connection.begin():
            _lock(connection)
            current = _revision(connection)
            if current == HEAD_REVISION:
                return
            _refuse_unknown(current, engine)
            from alembic import command

            if current is None and not inspect(connection).has_table("article"):
                SQLModel.metadata.create_all(connection)
                create_search_index(connection)
                command.stamp(_alembic_config(connection), "head")
            else:
                if current is None:  # made by create_all before migrations existed
                    command.stamp(_alembic_config(connection), "0001")
                command.upgrade(_alembic_config(connection), "head")
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreError(f"Upgrading would break references: {broken[:3]}")
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()


def drop_schema(engine: Engine) -> None:
    """Drop everything aiwatch made in the database (its tables, the search index with its
    trigger, the revision): what a benchmark or a test that builds its own schema starts from."""
    with engine.begin() as connection:
        drop_search_index(connection)
        SQLModel.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def _refuse_unknown(revision: str | None, engine: Engine) -> None:
    """A revision this aiwatch has no migration for was written by a newer one."""
    if revision is None:
        return
    from alembic.util.exc import CommandError

    try:
        known = _migrations().get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(
            f"{where} was written by a newer aiwatch (schema revision {revision}; this one "
            f"knows revisions up to {HEAD_REVISION}). Upgrade aiwatch to open it; "
            "nothing was changed."
        )


def backup_path(database: Path, revision: str) -> Path:
    """Where a SQLite file at ``revision`` is copied before it is upgraded."""
    return database.with_name(f"{database.name}.schema-{revision}.bak")


def _back_up_sqlite(engine: Engine, revision: str) -> None:
    """Copy a SQLite file (consistently, with SQLite's backup API) before migrating it."""
    database = engine.url.database or ""
    if engine.dialect.name != "sqlite" or not database or database.startswith(("file:", ":")):
        return
    import sqlite3

    source = Path(database).expanduser()
    copy = sqlite3.connect(backup_path(source, revision))
    try:
        with engine.connect() as connection:
            raw: Any = connection.connection.driver_connection
            raw.backup(copy)
    finally:
        copy.close()


def _lock(connection: Connection) -> None:
    """The write lock of `lock_for_writing`, on a connection."""
    if connection.dialect.name == "sqlite":
        raw: Any = connection.connection.driver_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))


def describe_db_error(
    exc: BaseException, engine: Engine | None = None, *, url: str | None = None
) -> str:
    """One sentence for a database failure, without a traceback (naming ``engine`` or ``url``)."""
    where = "the database"
    if engine is not None:
        where = engine.url.render_as_string(hide_password=True)
    elif url is not None and url.startswith("sqlite:"):
        where = url  # no password to hide, and as the user typed it
    elif url is not None:
        try:
            where = make_url(url).render_as_string(hide_password=True)
        except ArgumentError:
            where = "the database"
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


def lock_for_writing(db: Session) -> None:
    """Make the session's transaction a writing one no other aiwatch writer interleaves with.

    Call before the transaction reads what it will write: two refreshes (or a
    refresh and a seed load) storing the same story then take turns, and the
    second sees what the first committed instead of inserting it again. See
    `store.driver.DriverConnection.begin_write` (the same, for plain SQL); a
    no-op when already locked. Through SQLAlchemy, so a failure (locked past
    the timeout, read-only) is its usual error.
    """
    _lock(db.connection())


def read_snapshot(db: Session) -> None:
    """Make what ``db`` reads until its transaction ends one snapshot (`store.driver.begin_read`).

    Call before the first read; a no-op once the transaction has read or written.
    """
    connection = db.connection()
    begin_read(connection.connection.driver_connection, connection.dialect.name)
