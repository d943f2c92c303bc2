"""Refresh claims: a feed being fetched by one refresh is left alone by every other one.

A cron ``aiwatch refresh`` and a dashboard's ``r`` on the same database split
the feeds between them instead of fetching and storing each twice. A refresh
claims the feeds it is about to fetch; those another refresh holds are
skipped (reported as busy), and the claims end when the refresh does.

- PostgreSQL: session-level advisory locks, one per feed, on a connection the
  refresh holds open. The server drops them the moment that session ends,
  however the process ended (``kill -9`` included); nothing is written and
  nothing expires, so no clock or timeout has to be right.
- SQLite has no locks that outlive a statement, so a claim is a `FeedLease`
  row: owner and expiry, renewed while the refresh runs. A lease of a process
  on this host that is gone is taken over at once; one of another host (a
  shared file) only once it expires.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from aiwatch.store.driver import DriverConnection

CLAIM_LOCK_CLASS = 0x61697702
"""First key of the two-key advisory locks that claim feeds (the second is the feed id)."""
LEASE_SECONDS = 120.0
"""How long a SQLite lease holds without renewal (a refresh renews every `RENEW_SECONDS`)."""
RENEW_SECONDS = 30.0


def _owner() -> str:
    return f"{socket.gethostname()} {os.getpid()} {secrets.token_hex(4)}"


def _gone(owner: str) -> bool:
    """True when ``owner`` names a process on this host that is not running."""
    host, _, rest = owner.partition(" ")
    pid = rest.partition(" ")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # someone else's process: alive
        return False
    return False


class FeedClaims:
    """The feeds one refresh holds, on a connection of its own (see the module docstring).

    Calls are made one at a time (from any thread); `close` releases every
    claim and closes the connection.
    """

    def __init__(self, conn: DriverConnection) -> None:
        self.conn = conn
        self.owner = _owner()
        self.held: set[int] = set()

    def claim(self, feed_ids: Collection[int], *, now: datetime | None = None) -> set[int]:
        """Claim as many of ``feed_ids`` as no other refresh holds; returns those claimed."""
        wanted = sorted(set(feed_ids) - self.held)
        if not wanted:
            return set()
        if self.conn.dialect == "postgresql":
            got = self._lock(wanted)
        else:
            got = self._lease(wanted, now or datetime.now(UTC))
        self.held |= got
        return got

    def _lock(self, wanted: list[int]) -> set[int]:
        rows = self.conn.rows(
            "SELECT id FROM unnest(CAST(:ids AS integer[])) AS t(id) "
            "WHERE pg_try_advisory_lock(CAST(:cls AS integer), id)",
            {"ids": wanted, "cls": CLAIM_LOCK_CLASS},
        )
        self.conn.commit()  # the locks belong to the session, not the transaction
        return {int(row[0]) for row in rows}

    def _lease(self, wanted: list[int], now: datetime) -> set[int]:
        conn = self.conn
        try:
            conn.begin_write()
            conn.run("DELETE FROM feedlease WHERE expires < :now", {"now": conn.time(now)})
            taken = conn.rows(
                f"SELECT feed_id, owner FROM feedlease WHERE {conn.id_list('feed_id', 'ids')}",
                {"ids": conn.ids(wanted)},
            )
            stale = [feed_id for feed_id, owner in taken if _gone(owner)]
            if stale:
                conn.run(
                    f"DELETE FROM feedlease WHERE {conn.id_list('feed_id', 'ids')}",
                    {"ids": conn.ids(stale)},
                )
            busy = {feed_id for feed_id, owner in taken if feed_id not in stale}
            free = [feed_id for feed_id in wanted if feed_id not in busy]
            if free:
                conn.run(
                    "INSERT INTO feedlease (feed_id, owner, expires) "
                    "SELECT f.id, :owner, :expires FROM feed AS f "
                    f"WHERE {conn.id_list('f.id', 'ids')}",
                    {
                        "owner": self.owner,
                        "expires": conn.time(now + timedelta(seconds=LEASE_SECONDS)),
                        "ids": conn.ids(free),
                    },
                )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return set(free)

    def renew(self, *, now: datetime | None = None) -> None:
        """Push this refresh's leases' expiry forward (SQLite; advisory locks need nothing)."""
        if self.conn.dialect == "postgresql" or not self.held:
            return
        expires = (now or datetime.now(UTC)) + timedelta(seconds=LEASE_SECONDS)
        try:
            self.conn.run(
                "UPDATE feedlease SET expires = :expires WHERE owner = :owner",
                {"expires": self.conn.time(expires), "owner": self.owner},
            )
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    def release(self) -> None:
        """Give up every claim."""
        if not self.held:
            return
        try:
            if self.conn.dialect == "postgresql":
                self.conn.rows("SELECT pg_advisory_unlock_all()")
            else:
                self.conn.run("DELETE FROM feedlease WHERE owner = :owner", {"owner": self.owner})
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        self.held.clear()

    def close(self) -> None:
        """Release every claim (best effort) and close the connection."""
        try:
            self.release()
        finally:
            self.conn.close()
