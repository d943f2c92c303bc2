"""Killing ``aiwatch refresh`` itself, not its process group, leaves nothing behind.

What ``kill -9 PID``, ``timeout`` and systemd do: signal the refresh process
alone while its parse workers are busy and some feeds are still downloading.
Afterwards no process it started is left (its fork server and workers die
with it), and on PostgreSQL no session is left in ``pg_stat_activity``, so
``DROP DATABASE`` (without FORCE) succeeds at once. SIGTERM is also a clean
stop: exit status 143, one line saying what was stored, and every stored
feed's batch whole.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed
from tests.conftest import PG_ADMIN_URL
from tests.feed_server import FeedServer, Reply, rss
from tests.processes import (
    aiwatch,
    descendants,
    pg_sessions,
    running,
    wait_until,
)

FAST, HANGING, ENTRIES = 3, 2, 40


def entry(feed: int, n: int) -> str:
    link = f"https://news.example.com/{feed}/{n}"
    return (
        f"<item><title>Meta and Midjourney, part {feed}-{n}</title><link>{link}</link>"
        f"<guid>{link}</guid><description>Meta announced a partnership with Midjourney "
        f"to license its AI video technology (story {n}).</description></item>"
    )


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_the_refresh_alone_leaves_no_process_and_no_session(
    server: FeedServer, scratch_db_url: str, tmp_path: Path, signum: signal.Signals
) -> None:
    db_url = scratch_db_url
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntimeout = 60\nworkers = 2\n")  # a real pool of processes
    for feed in range(FAST):
        server.add(f"/feed{feed}.xml", Reply(rss([entry(feed, n) for n in range(ENTRIES)])))
    for feed in range(FAST, FAST + HANGING):  # still downloading when the signal comes
        server.add(f"/feed{feed}.xml", lambda handler: server.stopping.wait(60))
    engine = make_engine(db_url)
    with session(engine) as db:
        for feed in range(FAST + HANGING):
            add_feed(db, server.url(f"/feed{feed}.xml"))
        db.commit()
    engine.dispose()

    refresh = aiwatch("--db", db_url, "refresh", "--progress", config=config)

    def stored_and_parsing() -> bool:  # a feed stored, and parse workers running
        return len(descendants(refresh.pid)) >= 2 and _stored(engine_url=db_url) >= 1

    wait_until(stored_and_parsing, 60, "a feed stored and the worker processes up")
    started = descendants(refresh.pid)
    refresh.send_signal(signum)
    refresh.wait(timeout=30)  # (its output is read once nothing else holds the pipes)
    wait_until(lambda: not any(running(pid) for pid in started), 10, "every child to exit")
    out, err = refresh.communicate(timeout=10)

    if signum == signal.SIGTERM:
        assert refresh.returncode == 128 + signal.SIGTERM, err
        assert "refresh stopped by SIGTERM" in err and "Traceback" not in err
        assert out == ""
    else:
        assert refresh.returncode == -signal.SIGKILL
    assert _whole_batches(db_url), "a feed's batch was stored in part"
    if db_url.startswith("postgresql"):
        name = make_url(db_url).database or ""
        wait_until(lambda: not pg_sessions(PG_ADMIN_URL, name), 10, "the sessions to end")
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        try:  # what failed while orphans held the database: no FORCE needed
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}"'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))  # for the fixture to drop
        finally:
            admin.dispose()


def _stored(*, engine_url: str) -> int:
    """Feeds with articles stored so far (read with a short-lived connection)."""
    engine = create_engine(engine_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            count = connection.execute(
                text("SELECT count(DISTINCT feed_id) FROM articlesource")
            ).scalar()
    finally:
        engine.dispose()
    return int(count or 0)


def _whole_batches(url: str) -> bool:
    """Every feed has all of its entries stored, or none."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            counts = connection.execute(
                text("SELECT feed_id, count(*) FROM articlesource GROUP BY feed_id")
            ).all()
    finally:
        engine.dispose()
    return all(count == ENTRIES for _, count in counts)
