"""Where a refresh reads and writes: plain SQL for feed state, the full store for articles.

A `RefreshStore` opens the least it can. The feed list, the claims and the
health of unchanged feeds go through the driver (`store.driver`); the
SQLAlchemy engine (`store.db.make_engine`, the tables, the extractor's
results) is opened only when a feed brings something to save — never, in a
refresh where every feed answered 304. Built on an engine (the dashboard), it
borrows that engine's connections instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from aiwatch.store.driver import DriverConnection, open_direct
from aiwatch.store.errors import StoreError
from aiwatch.store.feed_claims import FeedClaims
from aiwatch.store.refresh_state import RefreshPlan, plan_refresh, schema_at_head, write_unchanged

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from aiwatch.feeds.refresh import FeedOutcome


class RefreshStore:
    """A database as one refresh uses it; `close` when the refresh is over.

    Methods are blocking: call them from a worker thread, one at a time.
    """

    def __init__(self, *, engine: Engine | None = None, url: str | None = None) -> None:
        if engine is None and url is None:
            raise ValueError("a RefreshStore needs an engine or a URL")
        self.url = url
        self._engine = engine
        self._own_engine = engine is None
        self._driver: DriverConnection | None = None
        self._claims: FeedClaims | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_url(cls, url: str) -> RefreshStore:
        """Open nothing yet: ``url`` is connected to when first needed."""
        return cls(url=url)

    def engine(self) -> Engine:
        """The full store (opened, and migrated if need be, on first use)."""
        with self._lock:
            if self._engine is None:
                from aiwatch.store.db import make_engine

                assert self.url is not None
                self._engine = make_engine(self.url)
            return self._engine

    def _connect(self, *, autocommit: bool = False) -> DriverConnection:
        """A driver connection: direct when the database is ready for it, else via the engine."""
        if self._engine is None and self.url is not None:
            direct = open_direct(self.url, autocommit=autocommit)
            if direct is not None:
                if schema_at_head(direct):
                    return direct
                direct.close()  # an older schema: the engine migrates it first
        return DriverConnection.borrow(self.engine())  # (each use commits: no autocommit needed)

    def driver(self) -> DriverConnection:
        """The connection feed state is read and written on."""
        if self._driver is None:
            self._driver = self._connect()
        return self._driver

    def plan(self, feed_ids: Sequence[int] | None, *, force: bool = False) -> RefreshPlan:
        """Which feeds to fetch (see `store.refresh_state.plan_refresh`).

        Raises `StoreError` when the database cannot be read.
        """
        with self._explained():
            driver = self.driver()
            try:
                return plan_refresh(driver, feed_ids=feed_ids, force=force)
            finally:
                driver.rollback()  # no transaction left open between statements

    def claim(self, feed_ids: Sequence[int]) -> set[int]:
        """Claim the feeds no other refresh is fetching (on a connection of their own).

        Raises `StoreError` when the claims cannot be written (a read-only
        database, a lock held past the timeout): nothing could be stored either.
        """
        with self._explained():
            if self._claims is None:
                self._claims = FeedClaims(self._connect(autocommit=True))
            return self._claims.claim(feed_ids)

    @contextmanager
    def _explained(self) -> Iterator[None]:
        """Driver and SQLAlchemy errors become a `StoreError` in one sentence."""
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:
            if not _is_database_error(exc):
                raise
            raise StoreError(self.describe_error(exc)) from exc

    def describe_error(self, exc: BaseException) -> str:
        """One sentence for a failure of this store, naming it (`store.db.describe_db_error`)."""
        from aiwatch.store.db import describe_db_error

        return describe_db_error(exc, self._engine, url=self.url)

    def renew_claims(self) -> None:
        """Keep this refresh's claims alive (SQLite leases)."""
        if self._claims is not None:
            self._claims.renew()

    def record_unchanged(
        self, outcomes: Sequence[FeedOutcome], *, now: datetime | None = None
    ) -> int:
        """Store the health of unchanged feeds in one transaction (`write_unchanged`)."""
        driver = self.driver()
        try:
            done = write_unchanged(driver, outcomes, now=now)
            driver.commit()
        except BaseException:
            driver.rollback()
            raise
        return done

    def finish(self) -> None:
        """Release the claims and the driver connections (the engine stays open)."""
        try:
            if self._claims is not None:
                claims, self._claims = self._claims, None
                claims.close()
        finally:
            if self._driver is not None:
                driver, self._driver = self._driver, None
                driver.close()

    def close(self) -> None:
        """`finish`, then dispose of the engine if this store opened it."""
        try:
            self.finish()
        finally:
            if self._own_engine and self._engine is not None:
                self._engine.dispose()
                self._engine = None


def _is_database_error(exc: BaseException) -> bool:
    """An error raised by the database (through the driver or SQLAlchemy), not a bug."""
    module = type(exc).__module__ or ""
    return module.split(".")[0] in ("sqlite3", "psycopg", "sqlalchemy")
