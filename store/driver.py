"""The database driver without SQLAlchemy: what a refresh needs before anything changed.

``aiwatch refresh`` from cron mostly finds every feed unchanged (304). Importing
SQLAlchemy and the SQLModel tables costs more than that whole refresh, so the
feed list, the refresh claims and the health of unchanged feeds go through the
DB-API driver (`sqlite3`, psycopg) with a few statements of plain SQL
(`store.refresh_state`, `store.feed_claims`); the full store is opened only
when a feed brought something to save. The same statements run on a
connection borrowed from an engine (`DriverConnection.borrow`), so the
dashboard and the command share one implementation.

Values are stored exactly as SQLAlchemy stores them: times as UTC
(``YYYY-MM-DD HH:MM:SS.ffffff`` text on SQLite), booleans as 1/0 on SQLite.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

BUSY_TIMEOUT_MS = 5_000
APPLICATION_NAME = "aiwatch"
"""``application_name`` of every PostgreSQL session aiwatch opens (see ``pg_stat_activity``)."""
WRITE_LOCK_KEY = 0x61697701
"""The PostgreSQL advisory lock that serialises aiwatch's storing transactions."""
_NAMED = re.compile(r"(?<![:\w]):(\w+)")
_KEEP = object()  # the owner of a session's connection: the session closes it


def sqlite_time(value: datetime | None) -> str | None:
    """A time as SQLAlchemy's SQLite dialect stores a UTC datetime."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def sqlite_pragmas(cursor: Any, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """WAL, foreign keys and a bounded wait for locks: every SQLite connection aiwatch opens."""
    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")


class DriverConnection:
    """A DB-API connection with the little dialect knowledge plain SQL needs.

    SQL is written with ``:name`` parameters (rewritten to ``%(name)s`` for
    psycopg). Call `close` when done: a borrowed connection goes back to its pool.
    """

    def __init__(self, raw: Any, dialect: str, *, owner: Any = None) -> None:
        self.raw = raw
        self.dialect = dialect
        self._owner = owner  # the pool's proxy of a borrowed connection

    @classmethod
    def within(cls, session: Session) -> DriverConnection:
        """The connection of ``session``'s transaction (the session commits; `close` is a no-op)."""
        connection = session.connection()
        return cls(connection.connection.driver_connection, connection.dialect.name, owner=_KEEP)

    @classmethod
    def borrow(cls, engine: Engine) -> DriverConnection:
        """A connection checked out of ``engine``'s pool (returned by `close`)."""
        proxy = engine.raw_connection()
        return cls(proxy.driver_connection, engine.dialect.name, owner=proxy)

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """Run one statement; returns the cursor."""
        if self.dialect == "postgresql":
            sql = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        cursor = self.raw.cursor()
        cursor.execute(sql, params or {})
        return cursor

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        """Every row of a query."""
        cursor = self.execute(sql, params)
        try:
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        """Run a statement that returns no rows; returns the number of rows it changed."""
        cursor = self.execute(sql, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def time(self, value: datetime | None) -> Any:
        """A time as this database stores it."""
        return sqlite_time(value) if self.dialect == "sqlite" else value

    def read_time(self, value: Any) -> datetime | None:
        """A stored time, UTC-aware."""
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def id_list(self, column: str, name: str) -> str:
        """SQL for ``column`` in the list of ints bound to ``name`` (one parameter)."""
        if self.dialect == "postgresql":
            return f"{column} = ANY(:{name})"
        return f"{column} IN (SELECT value FROM json_each(:{name}))"

    def ids(self, values: Sequence[int]) -> Any:
        """A list of ints bound for `id_list`."""
        return (
            list(values) if self.dialect == "postgresql" else "[" + ",".join(map(str, values)) + "]"
        )

    def begin_write(self) -> None:
        """Start a writing transaction that no other aiwatch writer interleaves with.

        SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock before the
        transaction reads anything, so what it reads is still true when it
        writes. PostgreSQL: a transaction-scoped advisory lock does the same
        for every aiwatch process on the database (released at commit).
        """
        begin_write(self.raw, self.dialect)

    def commit(self) -> None:
        self.raw.commit()

    def rollback(self) -> None:
        self.raw.rollback()

    def close(self) -> None:
        """Close the connection, or give a borrowed one back to its pool."""
        if self._owner is _KEEP:
            return
        if self._owner is not None:
            self._owner.close()
        else:
            self.raw.close()


def begin_write(raw: Any, dialect: str) -> None:
    """`DriverConnection.begin_write` on any DB-API connection of ``dialect``."""
    if dialect == "sqlite":
        if not raw.in_transaction:
            raw.execute("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))


def begin_read(raw: Any, dialect: str) -> None:
    """Make the reads of ``raw``'s next transaction one snapshot of the database.

    A panel counts its rows and then reads a page of them; while a refresh
    commits between the two, the count must not already include rows the page
    cannot see (the panel would then ask for a page that is not there).
    SQLite: ``sqlite3`` begins no transaction for a SELECT, so each statement
    sees the latest commit; an explicit deferred ``BEGIN`` keeps the first
    read's WAL snapshot until the transaction ends. PostgreSQL: READ COMMITTED
    gives each statement its own snapshot; REPEATABLE READ gives the
    transaction one. A no-op when a transaction has already begun.
    """
    if dialect == "sqlite":
        if not raw.in_transaction:
            raw.execute("BEGIN")
    elif dialect == "postgresql":
        from psycopg.pq import TransactionStatus

        if raw.info.transaction_status == TransactionStatus.IDLE:
            with raw.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def open_direct(url: str, *, autocommit: bool = False) -> DriverConnection | None:
    """A driver connection to ``url`` without SQLAlchemy, or ``None`` when the URL needs it.

    Plain ``sqlite:///path`` files that exist and ``postgresql://`` URLs are
    opened directly; anything else (a new file, SQLite URI options, other
    drivers) is left to `store.db.make_engine`, which also explains errors.
    """
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if not path or "?" in path or path.startswith("file:") or path == ":memory:":
            return None
        file = Path(unquote(path)).expanduser()
        if not file.is_file():
            return None
        import sqlite3

        raw = sqlite3.connect(
            file,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            isolation_level=None if autocommit else "DEFERRED",
        )
        cursor = raw.cursor()
        try:
            sqlite_pragmas(cursor, BUSY_TIMEOUT_MS)
        finally:
            cursor.close()
        return DriverConnection(raw, "sqlite")
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            import psycopg

            conninfo = "postgresql://" + url.removeprefix(prefix)
            server = psycopg.connect(conninfo, **pg_connect_args(), autocommit=autocommit)
            return DriverConnection(server, "postgresql")
    return None


def pg_connect_args() -> dict[str, Any]:
    """psycopg connection options aiwatch always uses.

    No server-side prepared statements: psycopg prepares a query after five
    runs, and the generic plan PostgreSQL then keeps was made while the tables
    were small (a sequential scan), so a refresh into a new database slowed
    down as it grew.
    """
    name = f"{APPLICATION_NAME} {os.getpid()}"
    return {"connect_timeout": 10, "prepare_threshold": None, "application_name": name}
