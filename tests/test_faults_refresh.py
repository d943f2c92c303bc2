"""Faults during ``aiwatch refresh``: a crashing extractor, failing fetches, an unusable database.

Every case runs the real command (`tui.cli.main`) against feeds on loopback and
checks what a user of cron would see (one clear line per problem, no traceback,
the exit status) and what is stored (every batch whole or not at all).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

import aiwatch.feeds.extract
import aiwatch.store.db
import aiwatch.store.driver
from aiwatch.feeds.records import ArticleRecord, Extraction
from aiwatch.store.db import make_engine, session
from aiwatch.store.models import Article, ArticleTopic, Feed
from aiwatch.tui.cli import main
from tests.feed_server import FeedServer, Reply, item, rss

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
DEAL = "Meta announced a partnership with Midjourney to license its AI video technology."


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text("[refresh]\ntimeout = 2\nworkers = 0\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(path))
    return path


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(config: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``aiwatch --db URL …`` in-process: (exit status, stdout, stderr), never a traceback."""

    def run(db: str, *argv: str) -> tuple[int, str, str]:
        status = main(["--db", db, *argv])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert not CONTROL.search(out + err), "control characters reached the terminal"
        return status, out, err

    return run


def count(engine: Engine, table: Any = Article) -> int:
    with session(engine) as db:
        return int(db.exec(select(func.count()).select_from(table)).one())


def story(n: int, title: str | None = None) -> str:
    return item(n, title=title or f"Meta and Midjourney story {n}", body=DEAL)


# Extraction ------------------------------------------------------------------------------


def test_extractor_raising_on_one_article_marks_it_and_reextract_retries_it(
    server: FeedServer, tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = aiwatch.feeds.extract.extract_article

    def fragile(record: ArticleRecord, kb: object) -> Extraction:
        if "boom" in record.title:
            raise RuntimeError("the extractor fell over")
        return real(record, kb)  # type: ignore[arg-type]

    monkeypatch.setattr(aiwatch.feeds.extract, "extract_article", fragile)  # refresh and reextract
    db = f"sqlite:///{tmp_path / 'extract.db'}"
    url = server.add(
        "/feed", Reply(rss([story(1), story(2, "boom: Meta and Midjourney"), story(3)]))
    )
    assert cli(db, "feeds", "add", url)[0] == 0
    status, out, _ = cli(db, "refresh")
    assert status == 0 and "1 ok" in out and "3 new articles" in out
    engine = make_engine(db)
    with session(engine) as stored:
        rows = {a.title: a for a in stored.exec(select(Article))}
        assert rows["boom: Meta and Midjourney"].extraction_error == (
            "extraction failed: RuntimeError: the extractor fell over"
        )
        assert rows["Meta and Midjourney story 1"].extraction_error == ""
        tagged = set(stored.exec(select(ArticleTopic.article_id)).all())
    assert rows["Meta and Midjourney story 1"].id in tagged  # the rest were extracted
    assert rows["Meta and Midjourney story 3"].id in tagged
    assert rows["boom: Meta and Midjourney"].id not in tagged

    status, out, _ = cli(db, "reextract")  # still failing: marked again, the others are kept
    assert status == 0 and "Re-extracted 3 article(s): 1 failed" in out
    monkeypatch.setattr(aiwatch.feeds.extract, "extract_article", real)  # fixed: retried, cleared
    status, out, _ = cli(db, "reextract")
    assert status == 0 and "Re-extracted 3 article(s): 0 failed" in out
    with session(engine) as stored:
        boom = stored.exec(select(Article).where(col(Article.title).startswith("boom"))).one()
        assert boom.extraction_error == ""
        assert boom.id in set(stored.exec(select(ArticleTopic.article_id)).all())
    engine.dispose()


# Fetch failures leave what is stored alone -----------------------------------------------


def deflate_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 15)
    return b"".join(packer.compress(b"\0" * 2**20) for _ in range(64)) + packer.flush()


def test_failed_fetches_keep_the_stored_articles(
    server: FeedServer, tmp_path: Path, cli: Run
) -> None:
    db = f"sqlite:///{tmp_path / 'kept.db'}"
    paths = ["/html", "/empty", "/nocontent", "/tls", "/bomb"]
    for n, path in enumerate(paths):
        server.add(path, Reply(rss([story(n * 10 + 1), story(n * 10 + 2)])))
        assert cli(db, "feeds", "add", server.url(path))[0] == 0
    engine = make_engine(db)
    assert cli(db, "refresh")[0] == 0
    assert count(engine) == 10
    with session(engine) as stored:
        before = {(a.title, a.content_hash) for a in stored.exec(select(Article))}
        tls = stored.exec(select(Feed).where(col(Feed.url).endswith("/tls"))).one()
        tls.url = tls.url.replace("http://", "https://")  # now TLS to a plain-HTTP server
        stored.add(tls)
        stored.commit()
    server.add("/html", Reply(b"<!DOCTYPE html><html>Login</html>", content_type="text/html"))
    server.add("/empty", Reply(b""))
    server.add("/nocontent", Reply(status=204))
    bomb = deflate_bomb()
    server.add("/bomb", Reply(bomb, headers={"Content-Encoding": "deflate"}))
    (tmp_path / "config.toml").write_text(
        "[refresh]\ntimeout = 2\nworkers = 0\nmax_bytes = 1048576\n"
    )
    status, out, err = cli(db, "refresh")
    assert status == 1 and "5 feeds: 0 ok, 0 unchanged, 5 failed" in out
    for reason in (
        "not a feed: text/html page",
        "empty response",
        "no content (HTTP 204)",
        "TLS error",
        "response larger than 1 MiB",
    ):
        assert reason in err
    assert len([line for line in err.splitlines() if line.startswith("failed: ")]) == 5
    with session(engine) as stored:
        assert {(a.title, a.content_hash) for a in stored.exec(select(Article))} == before
        assert {f.status for f in stored.exec(select(Feed))} == {"error"}
    engine.dispose()


# An unusable database --------------------------------------------------------------------


def subscribed_with_one_batch(server: FeedServer, path: Path, cli: Run) -> tuple[str, str]:
    """A database holding one stored feed; the feed then serves 50 new, long entries (1 MB)."""
    db = f"sqlite:///{path}"
    url = server.add("/feed", Reply(rss([story(1), story(2)]), headers={"ETag": '"v1"'}))
    assert cli(db, "feeds", "add", url)[0] == 0
    assert cli(db, "refresh")[0] == 0
    bigger = [item(n, body=f"{DEAL} {'Filler text. ' * 1500}") for n in range(100, 150)]
    server.add("/feed", Reply(rss(bigger), headers={"ETag": '"v2"'}))
    return db, url


def assert_untouched(path: Path) -> None:
    """Still the first batch with its validators; the database is intact."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert count(engine) == 2
        with session(engine) as db:
            feed = db.exec(select(Feed)).one()
        assert feed.etag == '"v1"'
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()


def assert_refused_before_fetching(
    server: FeedServer, status: int, out: str, err: str, reason: str
) -> None:
    """A database the refresh cannot even claim feeds in: one line, exit 2, nothing fetched."""
    assert status == 2 and out == ""
    assert err.startswith("aiwatch: ") and reason in err
    assert len(err.strip().splitlines()) == 1
    assert len(server.requests("/feed")) == 1  # the first batch's, before this refresh


def assert_one_clear_failure(status: int, out: str, err: str, url: str, reason: str) -> None:
    assert status == 1, "nothing could be refreshed: the exit status says so"
    assert out.startswith("1 feed: 0 ok, 0 unchanged, 1 failed · 0 new articles")
    failures = [line for line in err.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 1 and failures[0].startswith(f"failed: {url}: could not save: ")
    assert reason in failures[0]


def with_engine_hook(
    monkeypatch: pytest.MonkeyPatch, hook: Callable[[Any], None], **options: Any
) -> None:
    """Make ``aiwatch refresh`` open its database with ``hook`` run on every connection."""

    def make(url: str, **kwargs: Any) -> Engine:
        engine = make_engine(url, **kwargs, **options)
        event.listen(engine, "connect", lambda connection, _record: hook(connection))
        engine.dispose()  # connections made from now on run the hook
        return engine

    monkeypatch.setattr(aiwatch.store.db, "make_engine", make)


def test_read_only_database(server: FeedServer, tmp_path: Path, cli: Run) -> None:
    path = tmp_path / "ro.db"
    subscribed_with_one_batch(server, path, cli)
    status, out, err = cli(f"sqlite:///file:{path}?mode=ro&uri=true", "refresh")
    assert_refused_before_fetching(server, status, out, err, "is read-only")
    assert_untouched(path)


def test_lock_held_past_the_timeout(
    server: FeedServer, tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.db"
    db, _ = subscribed_with_one_batch(server, path, cli)
    monkeypatch.setattr(aiwatch.store.driver, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE feed SET title = 'held'")
    try:
        status, out, err = cli(db, "refresh")
    finally:
        holder.rollback()
        holder.close()
    assert_refused_before_fetching(server, status, out, err, "is locked by another process")
    assert_untouched(path)
    status, out, _ = cli(db, "refresh")  # the lock is gone: the next refresh stores the batch
    assert status == 0 and "50 new articles" in out


def test_disk_full_via_max_page_count(
    server: FeedServer, tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "full.db"
    db, url = subscribed_with_one_batch(server, path, cli)
    with sqlite3.connect(path) as probe:
        pages = probe.execute("PRAGMA page_count").fetchone()[0]
    with_engine_hook(monkeypatch, lambda c: c.execute(f"PRAGMA max_page_count = {pages + 8}"))
    status, out, err = cli(db, "refresh")
    assert_one_clear_failure(status, out, err, url, "Disk full while writing")
    assert_untouched(path)


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (needs root and a kernel that lets this container mount)."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command: the max_page_count test covers a full disk")
    mount = tmp_path / "tiny"
    mount.mkdir()
    tried = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if tried.returncode != 0:
        reason = tried.stderr.strip() or f"exit {tried.returncode}"
        pytest.skip(f"cannot mount a tmpfs here ({reason}); max_page_count covers a full disk")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_on_a_tiny_tmpfs(server: FeedServer, tiny_tmpfs: Path, cli: Run) -> None:
    path = tiny_tmpfs / "full.db"
    db, url = subscribed_with_one_batch(server, path, cli)
    free = os.statvfs(tiny_tmpfs).f_bavail * os.statvfs(tiny_tmpfs).f_frsize
    (tiny_tmpfs / "ballast").write_bytes(b"\0" * (free - 256 * 1024))  # the batch needs ~1 MB
    status, out, err = cli(db, "refresh")
    assert_one_clear_failure(status, out, err, url, "Disk full while writing")
    (tiny_tmpfs / "ballast").unlink()
    assert_untouched(path)


def test_database_error_while_reading_the_feeds_is_one_line(tmp_path: Path, cli: Run) -> None:
    """A schema damaged by hand (or a server gone mid-refresh) fails the read: one line, exit 2."""
    path = tmp_path / "damaged.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE feed")
    engine.dispose()
    status, out, err = cli(f"sqlite:///{path}", "refresh")
    assert status == 2 and out == ""
    assert err.startswith("aiwatch: ") and "no such table: feed" in err
    assert len(err.strip().splitlines()) == 1
