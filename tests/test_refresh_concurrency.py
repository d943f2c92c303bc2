"""Two ``aiwatch refresh`` processes on one database at once, on SQLite and PostgreSQL.

Two real processes (the command, with the real extractor) refresh feeds from a
loopback server at the same moment:

- on *different* feeds that carry the *same* stories, so both store the same
  articles, companies and partnerships at once: no feed may fail and the
  database must hold exactly what one refresh after the other stores;
- on the *same* feeds while the first is still fetching: the second leaves
  them to the first (claims), so each feed is fetched once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed
from aiwatch.tui.config import load_settings
from aiwatch.tui.jobs import run_refresh
from tests.conftest import PG_ADMIN_URL
from tests.feed_server import FeedServer, Reply, rss
from tests.processes import aiwatch, scratch_pg_database, wait_until

PAIRS = 2  # feed i and feed PAIRS + i serve the same stories
STORIES = 60
COMPANIES = ("Meta", "Midjourney", "OpenAI", "Microsoft", "Google", "Anthropic", "Nvidia", "Adobe")
PRODUCTS = ("Sora", "Veo 3", "Llama", "Claude", "Firefly")


def story(pair: int, n: int) -> str:
    """An AI-news item: a deal between two companies and a product, shared by a pair of feeds."""
    a = COMPANIES[(pair + n) % len(COMPANIES)]
    b = COMPANIES[(pair + 3 * n + 1) % len(COMPANIES)]
    if a == b:
        b = COMPANIES[(COMPANIES.index(a) + 1) % len(COMPANIES)]
    product = PRODUCTS[n % len(PRODUCTS)]
    link = f"https://news.example.com/{pair}/{n}"
    body = (
        f"{a} announced a partnership with {b} to build AI video tools. "
        f"The companies said {product} would be part of the deal."
    )
    return (
        f"<item><title>{a} and {b} team up ({pair}-{n})</title><link>{link}</link>"
        f"<guid>{link}</guid><pubDate>Mon, 02 Jun 2025 {n % 24:02d}:{pair:02d}:00 GMT</pubDate>"
        f"<description>{body}</description></item>"
    )


@pytest.fixture(params=["sqlite", "pg"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "pg":
        request.getfixturevalue("pg_database_url")  # skips (or fails under CI) without a server
    return str(request.param)


@pytest.fixture
def databases(backend: str, tmp_path: Path) -> Iterator[Iterator[str]]:
    """New databases of this test's own, on the backend under test."""

    def new() -> Iterator[str]:
        for n in range(10):
            if backend == "sqlite":
                yield f"sqlite:///{tmp_path / f'db{n}.sqlite'}"
            else:
                yield stack.enter_context(scratch_pg_database(PG_ADMIN_URL))

    with contextlib.ExitStack() as stack:
        yield new()


@pytest.fixture
def db_url(databases: Iterator[str]) -> str:
    return next(databases)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text("[refresh]\ntimeout = 20\nworkers = 0\n")  # extraction in a thread
    return path


def subscribe(url: str, server: FeedServer, count: int) -> Engine:
    engine = make_engine(url)
    with session(engine) as db:
        for feed in range(count):
            add_feed(db, server.url(f"/feed{feed}.xml"))
        db.commit()
    return engine


def finish(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    summary: dict[str, Any] = json.loads(out)
    return summary


def dump(engine: Engine) -> dict[str, object]:
    """Everything stored, by natural keys (no ids), so two databases can be compared."""
    queries = {
        "articles": "SELECT identity, title, content_hash FROM article",
        "sources": "SELECT a.identity, s.source, s.entry_key FROM articlesource s "
        "JOIN article a ON a.id = s.article_id",
        "companies": "SELECT name, verified FROM company",
        "partnerships": "SELECT key, status, first_seen, last_seen FROM partnership",
        "products": "SELECT p.key, p.status, c.name FROM product p "
        "LEFT JOIN company c ON c.id = p.company_id",
        "parties": "SELECT p.key, c.name FROM partnershipparty pp "
        "JOIN partnership p ON p.id = pp.partnership_id JOIN company c ON c.id = pp.company_id",
        "mentions": "SELECT a.identity, m.entity_type, "
        "coalesce(c.name, pr.key, pa.key, cc.key), m.evidence_key FROM mention m "
        "JOIN article a ON a.id = m.article_id "
        "LEFT JOIN company c ON m.entity_type = 'company' AND c.id = m.entity_id "
        "LEFT JOIN product pr ON m.entity_type = 'product' AND pr.id = m.entity_id "
        "LEFT JOIN partnership pa ON m.entity_type = 'partnership' AND pa.id = m.entity_id "
        "LEFT JOIN copyrightcase cc ON m.entity_type = 'case' AND cc.id = m.entity_id",
        "timeline": "SELECT a.identity, s.entity_type, s.status FROM statuschange s "
        "JOIN article a ON a.id = s.article_id",
        "topics": "SELECT a.identity, t.topic FROM articletopic t "
        "JOIN article a ON a.id = t.article_id",
    }
    with engine.connect() as connection:
        return {
            name: sorted(tuple(str(v) for v in row) for row in connection.execute(text(sql)))
            for name, sql in queries.items()
        }


def serve_pairs(server: FeedServer, *, together: bool) -> None:
    """Serve every pair; ``together``: no feed answers until every feed was asked for,
    so two refreshes get the same stories at the same moment and store them at once."""
    everyone = threading.Barrier(2 * PAIRS, timeout=60)
    for pair in range(PAIRS):
        body = rss([story(pair, n) for n in range(STORIES)], title=f"Pair {pair}")
        reply = Reply(body, headers={"ETag": f'"p{pair}"'})

        def route(handler: Any, reply: Reply = reply) -> None:
            everyone.wait()
            handler.reply(reply)

        for feed in (pair, PAIRS + pair):
            server.add(f"/feed{feed}.xml", route if together else reply)


def feed_args(first: int, last: int) -> list[str]:
    return [arg for feed_id in range(first, last + 1) for arg in ("--feed", str(feed_id))]


def test_two_refreshes_storing_the_same_stories_at_once(
    server: FeedServer, databases: Iterator[str], config: Path
) -> None:
    db_url = next(databases)
    serve_pairs(server, together=True)
    engine = subscribe(db_url, server, 2 * PAIRS)
    try:
        first = aiwatch("--db", db_url, "refresh", "--json", *feed_args(1, PAIRS), config=config)
        second = aiwatch(
            "--db", db_url, "refresh", "--json", *feed_args(PAIRS + 1, 2 * PAIRS), config=config
        )
        results = [finish(first), finish(second)]
        for summary in results:
            assert summary["feeds_failed"] == 0, [f["error"] for f in summary["feeds"]]
            assert summary["feeds_ok"] == PAIRS
        assert sum(s["new_articles"] for s in results) == PAIRS * STORIES  # each story once
        together = dump(engine)
    finally:
        engine.dispose()

    reference_url = next(databases)  # the same refreshes, one after the other, in-process
    serve_pairs(server, together=False)
    reference = subscribe(reference_url, server, 2 * PAIRS)
    try:
        settings = load_settings(config)
        for feed_ids in (range(1, PAIRS + 1), range(PAIRS + 1, 2 * PAIRS + 1)):
            asyncio.run(run_refresh(reference, settings, feed_ids=list(feed_ids)))
        assert dump(reference) == together
    finally:
        reference.dispose()
    assert len(together["sources"]) == 2 * PAIRS * STORIES  # every feed's link to every story
    assert together["partnerships"], "the stories' deals were extracted"


def test_a_second_refresh_leaves_feeds_being_fetched_to_the_first(
    server: FeedServer, db_url: str, config: Path
) -> None:
    feeds = 4
    second_done = threading.Event()
    for feed in range(feeds):
        body = rss([story(feed, n) for n in range(3)], title=f"Slow {feed}")
        reply = Reply(body, headers={"ETag": f'"s{feed}"'})

        def slow(handler: Any, reply: Reply = reply) -> None:  # answers once the second is done
            second_done.wait(60)
            handler.reply(reply)

        server.add(f"/feed{feed}.xml", slow)
    engine = subscribe(db_url, server, feeds)
    try:
        first = aiwatch("--db", db_url, "refresh", "--json", config=config)
        wait_until(lambda: len(server.requests()) == feeds, 30, "the first refresh's requests")
        second = finish(aiwatch("--db", db_url, "refresh", "--json", config=config))
        second_done.set()
        assert second["feeds_total"] == 0 and second["feeds_skipped"] == feeds
        assert {f["reason"] for f in second["skipped"]} == {"busy"}
        done = finish(first)
        assert done["feeds_ok"] == feeds and done["new_articles"] == 3 * feeds
        assert len(server.requests()) == feeds  # the second fetched nothing
        for feed in range(feeds):  # no waiting any more
            server.add(f"/feed{feed}.xml", Reply(rss([]), headers={"ETag": f'"s{feed}"'}))
        third = asyncio.run(run_refresh(engine, load_settings(config)))
        assert third.unchanged == feeds  # the first let its claims go
        with engine.connect() as connection:
            leases = connection.execute(text("SELECT count(*) FROM feedlease")).scalar()
        assert leases == 0
    finally:
        engine.dispose()
