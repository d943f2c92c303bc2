"""``kill -9`` at random moments of a 1,500-entry ``aiwatch refresh``, twelve times in a row.

Five loopback feeds serve 300 new entries each every round (new ETag, new body),
so every round has 1,500 articles to store, feed by feed. Each round runs
``aiwatch refresh`` (`tui.cli.main`) in a process forked from a warmed-up
interpreter, so the rounds take seconds; it is killed with SIGKILL (its whole
process group, parse workers included) after a seeded number of feeds were
reported stored plus a seeded delay. After every kill: ``PRAGMA integrity_check``
is ok, every feed's round is stored whole or not at all, and a feed's saved
validators (ETag, body hash) belong to the last round whose entries are stored.
A fresh ``python -m aiwatch refresh`` after the last kill completes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed
from aiwatch.store.models import Article, ArticleSource, Feed
from tests.feed_server import FeedServer, Reply, rss

ROOT = Path(__file__).resolve().parents[1]
FEEDS = 5
ENTRIES = 300  # per feed: 1,500 in all
ROUNDS = 8  # each round starts a refresh with its own fork server for the parse workers
SEED = 5


def body(feed: int, generation: int) -> bytes:
    """Feed ``feed`` as served in round ``generation``: new entries that name their round."""
    items = [
        f"<item><title>Story {feed}-{n} round {generation}</title>"
        f"<link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 02 Jun 2025 {n % 24:02d}:00:00 GMT</pubDate>"
        f"<description>Round {generation} of story {n} in feed {feed}.</description></item>"
        for n in range(ENTRIES)
        for link in [f"https://example.com/{feed}/{generation}/{n}"]
    ]
    return rss(items, title=f"Feed {feed}")


def etag(feed: int, generation: int) -> str:
    return f'"f{feed}-g{generation}"'


def serve(server: FeedServer, generation: int) -> dict[str, int]:
    """Serve round ``generation`` of every feed; returns body hash → generation for this round."""
    hashes = {}
    for feed in range(FEEDS):
        data = body(feed, generation)
        server.add(f"/feed{feed}.xml", Reply(data, headers={"ETag": etag(feed, generation)}))
        hashes[hashlib.sha256(data).hexdigest()] = generation
    return hashes


ZYGOTE = """
import contextlib, io, os, sys
from aiwatch.feeds.work import KnowledgeExtractor
from aiwatch.tui.cli import main
with contextlib.redirect_stdout(io.StringIO()):  # import every command, read the migrations
    main(["--db", "sqlite://", "feeds", "list"])
KnowledgeExtractor().load()  # the bundled knowledge base, as every refresh loads it first
for request in sys.stdin:
    db_url, config, log = request.rstrip("\\n").split("\\t")
    pid = os.fork()
    if pid == 0:
        os.setsid()
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.environ["AIWATCH_CONFIG"] = config
        status = main(["--db", db_url, "refresh", "--progress"])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    print(pid, flush=True)
    print(os.waitpid(pid, 0)[1], flush=True)
"""


class Zygote:
    """A warmed-up interpreter that forks one ``aiwatch refresh`` (`tui.cli.main`) per request.

    Each refresh runs in a new session (process group) whose leader is the
    forked child, so ``killpg`` takes its parse workers down with it.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def start(self, db_url: str, config: Path, log: Path) -> Refresh:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{db_url}\t{config}\t{log}\n")
        self.process.stdin.flush()
        return Refresh(int(self.process.stdout.readline()), log, self.process.stdout)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Refresh:
    """One forked refresh: how many feeds it reported stored, and SIGKILL for its group."""

    def __init__(self, pid: int, log: Path, replies: IO[str]) -> None:
        self.pid = pid
        self.log = log
        self.replies = replies

    def stored(self) -> int:
        """Feeds reported stored so far (a ``3/5 http://…`` line after each one)."""
        text = self.log.read_text() if self.log.exists() else ""
        return sum("/" in line.split(" ", 1)[0] for line in text.splitlines())

    def wait_for(self, feeds: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.stored() < feeds and time.monotonic() < deadline:
            time.sleep(0.005)

    def kill(self) -> bool:
        """SIGKILL the whole group; True if the refresh was still running (the kill landed)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        status = int(self.replies.readline())
        return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def check_consistent(engine: Engine, hashes: dict[str, int]) -> dict[int, int | None]:
    """Integrity ok; per feed, every round stored whole or not at all, validators of the last.

    Returns feed number → the latest round stored for it (``None``: nothing stored).
    """
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    latest: dict[int, int | None] = {}
    with session(engine) as db:
        feeds = db.exec(select(Feed).order_by(col(Feed.id))).all()
        for number, feed in enumerate(feeds):
            titles = db.exec(
                select(Article.title)
                .join(ArticleSource, col(ArticleSource.article_id) == col(Article.id))
                .where(ArticleSource.feed_id == feed.id)
            ).all()
            rounds = Counter(int(title.rsplit(" ", 1)[1]) for title in titles)
            partial = {r: n for r, n in rounds.items() if n != ENTRIES}
            assert not partial, f"feed {number}: partial batches {partial}"
            stored = max(rounds, default=None)
            latest[number] = stored
            if stored is None:
                assert (feed.etag, feed.body_hash) == (None, None), "validators without entries"
            else:  # the validators describe exactly the last round whose entries are stored
                assert feed.etag == etag(number, stored), "validators ahead of their entries"
                assert hashes.get(feed.body_hash or "") == stored
    return latest


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    forker = Zygote()
    yield forker
    forker.close()


def test_kill_9_during_refresh_never_leaves_a_partial_batch(
    server: FeedServer, zygote: Zygote, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'killed.db'}"
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntimeout = 10\n")  # default workers: a forked process pool
    engine = make_engine(db_url)
    with session(engine) as db:
        for feed in range(FEEDS):
            add_feed(db, server.url(f"/feed{feed}.xml"))
        db.commit()
    engine.dispose()
    rng = random.Random(SEED)
    hashes: dict[str, int] = {}
    landed = partial = 0
    for generation in range(ROUNDS):
        hashes |= serve(server, generation)
        refresh = zygote.start(db_url, config, tmp_path / f"round{generation}.log")
        after = rng.randint(0, FEEDS - 1)  # feeds reported stored before the kill …
        if after == 0:
            time.sleep(rng.uniform(0.05, 0.6))  # … or somewhere in start-up, fetch and parse
        else:
            refresh.wait_for(after)
            time.sleep(rng.uniform(0.0, 0.05))  # … plus a moment into the next feed's batch
        landed += refresh.kill()
        engine = make_engine(db_url)
        try:
            latest = check_consistent(engine, hashes)
        finally:
            engine.dispose()
        stored_now = [r == generation for r in latest.values()]
        partial += any(stored_now) and not all(stored_now)  # the kill split this round
    assert landed >= ROUNDS * 3 // 4, f"only {landed} kills landed before the refresh ended"
    assert partial >= ROUNDS // 4, "the kills never split a refresh between feeds"
    hashes |= serve(server, ROUNDS)
    env = dict(os.environ, AIWATCH_CONFIG=str(config), PYTHONPATH=str(ROOT))
    finished = subprocess.run(
        [sys.executable, "-m", "aiwatch", "--db", db_url, "refresh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith(f"{FEEDS} feeds: {FEEDS} ok, 0 unchanged, 0 failed")
    engine = make_engine(db_url)
    try:
        assert check_consistent(engine, hashes) == dict.fromkeys(range(FEEDS), ROUNDS)
    finally:
        engine.dispose()
