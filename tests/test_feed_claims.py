"""Refresh claims on real SQLite and PostgreSQL: leases, advisory locks, what ends them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from aiwatch.store.db import session
from aiwatch.store.driver import DriverConnection
from aiwatch.store.feed_claims import LEASE_SECONDS, FeedClaims
from aiwatch.store.feed_repo import add_feed
from aiwatch.store.models import FeedLease

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def feeds(engine: Engine, count: int) -> list[int]:
    with session(engine) as db:
        ids = [add_feed(db, f"https://example.com/{n}.xml").id for n in range(count)]
        db.commit()
    return [i for i in ids if i is not None]


def claims(engine: Engine) -> FeedClaims:
    return FeedClaims(DriverConnection.borrow(engine))


def test_a_claimed_feed_is_left_to_its_claimant_until_released(engine: Engine) -> None:
    one, two, three = feeds(engine, 3)
    first, second = claims(engine), claims(engine)
    try:
        assert first.claim([one, two], now=NOW) == {one, two}
        assert second.claim([one, two, three], now=NOW) == {three}
        assert first.claim([one], now=NOW) == set()  # already held: nothing new
        first.release()
        assert second.claim([one, two], now=NOW) == {one, two}
    finally:
        first.close()
        second.close()
    third = claims(engine)
    try:  # closing released the rest
        assert third.claim([one, two, three], now=NOW) == {one, two, three}
    finally:
        third.close()


def test_sqlite_leases_of_dead_processes_and_expired_ones_are_taken_over(
    sqlite_engine: Engine,
) -> None:
    dead, expired, alive, foreign = feeds(sqlite_engine, 4)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    host = socket.gethostname()
    with session(sqlite_engine) as db:
        later = NOW + timedelta(seconds=LEASE_SECONDS)
        db.add(FeedLease(feed_id=dead, owner=f"{host} {gone.stdout.strip()} x", expires=later))
        db.add(FeedLease(feed_id=expired, owner="elsewhere 1 x", expires=NOW - timedelta(1)))
        db.add(FeedLease(feed_id=alive, owner=f"{host} {os.getpid()} x", expires=later))
        db.add(FeedLease(feed_id=foreign, owner="elsewhere 1 x", expires=later))
        db.commit()
    mine = claims(sqlite_engine)
    try:
        assert mine.claim([dead, expired, alive, foreign], now=NOW) == {dead, expired}
        with sqlite_engine.connect() as connection:
            owners = dict(connection.execute(text("SELECT feed_id, owner FROM feedlease")).all())
        assert owners[dead] == owners[expired] == mine.owner
        mine.renew(now=NOW + timedelta(seconds=60))
        with sqlite_engine.connect() as connection:
            expiry = connection.execute(
                text("SELECT expires FROM feedlease WHERE feed_id = :id"), {"id": dead}
            ).scalar()
        assert str(expiry).startswith("2025-06-02 12:03:00")  # renewed from 12:01 + 120 s
    finally:
        mine.close()
    with sqlite_engine.connect() as connection:
        left = connection.execute(text("SELECT feed_id FROM feedlease")).scalars().all()
    assert sorted(left) == sorted([alive, foreign])  # only its own leases went


def test_postgresql_claims_end_with_the_session(pg_engine: Engine) -> None:
    one, two = feeds(pg_engine, 2)
    holder = DriverConnection.borrow(pg_engine)
    first = FeedClaims(holder)
    assert first.claim([one, two]) == {one, two}
    holder.raw.close()  # the session ends without releasing (as when its process is killed)
    second = claims(pg_engine)
    try:
        assert second.claim([one, two]) == {one, two}
    finally:
        second.close()
    with pg_engine.connect() as connection:  # nothing written: claims are locks, not rows
        assert connection.execute(text("SELECT count(*) FROM feedlease")).scalar() == 0
