"""The refresh pipeline (no database) and `tui.jobs.run_refresh` against loopback servers."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

import aiwatch.feeds.refresh as refresh_module
import aiwatch.tui.jobs as jobs_module
from aiwatch.feeds.fetch.fetcher import FetchOptions
from aiwatch.feeds.records import ArticleRecord, Extraction
from aiwatch.feeds.refresh import FeedOutcome, FeedRequest, RefreshOptions, refresh_feeds
from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed, list_feed_health
from aiwatch.store.models import Article
from aiwatch.tui.config import RefreshSettings, Settings
from aiwatch.tui.jobs import RefreshProgress, run_refresh
from tests.feed_server import FeedServer, Reply, item, rss

FAST = RefreshOptions(fetch=FetchOptions(timeout=1.0), workers=0)


def tagging_extractor(record: ArticleRecord) -> Extraction:
    """Module-level, so a process pool can pickle it; raises on purpose for 'boom' titles."""
    if "boom" in record.title:
        raise ValueError("extractor exploded")
    return Extraction(topics=("tagged",))


def collect(requests: list[FeedRequest], **kwargs: object) -> list[FeedOutcome]:
    async def go() -> list[FeedOutcome]:
        return [o async for o in refresh_feeds(requests, **kwargs)]  # type: ignore[arg-type]

    return asyncio.run(go())


def test_outcomes_arrive_as_each_feed_completes(server: FeedServer) -> None:
    gate = threading.Event()

    def slow(handler: object) -> None:
        gate.wait(5)
        handler.reply(Reply(rss([item(1)])))  # type: ignore[attr-defined]

    server.add("/slow", slow)
    server.add("/fast", Reply(rss([item(2), item(3)])))

    async def go() -> list[str]:
        order = []
        requests = [FeedRequest(server.url("/slow")), FeedRequest(server.url("/fast"))]
        async for outcome in refresh_feeds(requests, options=FAST):
            order.append(outcome.request.url)
            gate.set()  # the slow feed answers only after the fast one was yielded
        return order

    assert asyncio.run(go()) == [server.url("/fast"), server.url("/slow")]


def test_a_stalled_feed_fails_and_the_others_finish(server: FeedServer) -> None:
    server.add("/stall", lambda h: server.stopping.wait(10))
    ok_urls = [server.add(f"/ok{i}", Reply(rss([item(i)]))) for i in range(5)]
    outcomes = collect([FeedRequest(u) for u in [server.url("/stall"), *ok_urls]], options=FAST)
    by_url = {o.request.url: o for o in outcomes}
    assert by_url[server.url("/stall")].status == "error"
    assert by_url[server.url("/stall")].error == "timed out after 1 s"
    assert all(by_url[u].status == "ok" and len(by_url[u].entries) == 1 for u in ok_urls)


def test_statuses_and_errors(server: FeedServer) -> None:
    good = server.add("/good", Reply(rss([item(1), item(2, title="boom goes the model")])))
    broken = server.add("/broken", Reply(b"<rss><channel><title>x</title></channel"))
    gone = server.add("/gone", Reply(status=410))
    html = server.add("/html", Reply(b"<html><body>x</body></html>", content_type="text/html"))
    outcomes = collect(
        [FeedRequest(u) for u in (good, broken, gone, html)],
        options=FAST,
        extractor=tagging_extractor,
    )
    status = {o.request.url: (o.status, o.error) for o in outcomes}
    assert status[good] == ("ok", "")
    assert status[broken][0] == "error" and "not a valid RSS or Atom feed" in status[broken][1]
    assert status[gone][0] == "gone"
    assert status[html] == ("error", "not a feed: text/html page")
    [ok] = [o for o in outcomes if o.request.url == good]
    assert ok.fetch.body == b""  # bodies are not carried around
    first, second = ok.entries
    assert first.extraction == Extraction(topics=("tagged",)) and first.extraction_error == ""
    assert second.extraction is None
    assert second.extraction_error == "extraction failed: ValueError: extractor exploded"


def test_process_pool_gives_the_same_records_as_a_thread(server: FeedServer) -> None:
    urls = [
        server.add(f"/f{i}", Reply(rss([item(i * 10 + j) for j in range(20)]))) for i in range(4)
    ]
    requests = [FeedRequest(u) for u in urls]
    threaded = collect(requests, options=FAST, extractor=tagging_extractor)
    pooled = collect(
        requests,
        options=RefreshOptions(fetch=FetchOptions(timeout=5), workers=2),
        extractor=tagging_extractor,
    )

    def key(outcomes: list[FeedOutcome]) -> dict[str, object]:
        return {o.request.url: (o.parsed, o.entries) for o in outcomes}

    assert key(threaded) == key(pooled)


def test_no_worker_pool_when_nothing_needs_parsing(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[int] = []
    real = refresh_module.make_executor
    monkeypatch.setattr(refresh_module, "make_executor", lambda n: created.append(n) or real(n))
    url = server.add("/feed", Reply(rss([item(1)]), headers={"ETag": '"e"'}))
    [outcome] = collect([FeedRequest(url, etag='"e"')], options=FAST)
    assert outcome.status == "unchanged" and created == []
    collect([FeedRequest(url)], options=FAST)
    assert created == [0]


def test_long_lived_objects_are_set_aside_only_while_a_pool_runs(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_at_fork: list[int] = []
    real = refresh_module.make_executor
    monkeypatch.setattr(
        refresh_module,
        "make_executor",
        lambda n: frozen_at_fork.append(gc.get_freeze_count()) or real(n),
    )
    collect([FeedRequest(server.add("/feed", Reply(rss([item(1)]))))], options=FAST)
    assert frozen_at_fork[0] > 1000  # modules and the like, not collected in the pool's life
    assert gc.get_freeze_count() == 0  # a long-running dashboard collects them again


def test_a_pool_leaves_what_a_dashboard_set_aside_aside(server: FeedServer) -> None:
    gc.freeze()  # (as the dashboard does once it is up)
    frozen = gc.get_freeze_count()
    collect([FeedRequest(server.add("/feed", Reply(rss([item(1)]))))], options=FAST)
    assert gc.get_freeze_count() > frozen // 2  # (an unfreeze would have undone the app's: 0)


def test_stopping_early_cancels_the_rest(server: FeedServer) -> None:
    server.add("/hang", lambda h: server.stopping.wait(10))
    fast = server.add("/fast", Reply(rss([item(1)])))

    async def go() -> str:
        async for outcome in refresh_feeds(
            [FeedRequest(server.url("/hang")), FeedRequest(fast)],
            options=RefreshOptions(fetch=FetchOptions(timeout=30), workers=0),
        ):
            return outcome.request.url
        return ""

    assert asyncio.run(asyncio.wait_for(go(), 5)) == fast


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'refresh.db'}")
    yield engine
    engine.dispose()


def test_run_refresh_commits_each_feed_and_reports_progress(
    server: FeedServer, engine: Engine
) -> None:
    urls = [
        server.add(
            f"/f{i}", Reply(rss([item(i * 100 + j) for j in range(3)]), headers={"ETag": f'"e{i}"'})
        )
        for i in range(3)
    ]
    urls.append(server.add("/broken", Reply(status=500)))
    with session(engine) as db:
        for url in urls:
            add_feed(db, url)
        db.commit()
    settings = Settings(refresh=RefreshSettings(timeout=2, workers=0))
    seen: list[RefreshProgress] = []
    summary = asyncio.run(
        run_refresh(engine, settings, on_progress=seen.append, extractor=tagging_extractor)
    )
    assert (summary.total, summary.ok, summary.unchanged, summary.failed) == (4, 3, 0, 1)
    assert summary.new_articles == 9 and not summary.nothing_refreshed
    assert [p.done for p in seen] == [1, 2, 3, 4] and seen[-1].errors == 1
    assert seen[-1].new_articles == 9
    assert "4 feeds: 3 ok, 0 unchanged, 1 failed · 9 new articles" in summary.describe()
    with session(engine) as db:
        assert len(db.exec(select(Article)).all()) == 9
        health = {r.url: r for r in list_feed_health(db)}
    assert health[server.url("/broken")].error == "HTTP 500 Internal Server Error"
    again = asyncio.run(run_refresh(engine, settings, extractor=tagging_extractor))
    assert (again.unchanged, again.new_articles, again.failed) == (3, 0, 1)
    sent = [h.get("if-none-match") for h in server.requests("/f0")]
    assert sent == [None, '"e0"']
    data = again.as_dict()
    assert data["feeds_unchanged"] == 3 and len(data["feeds"]) == 4


@pytest.mark.parametrize(("every", "commits"), [(60.0, 1), (0.0, 4)])
def test_unchanged_feeds_health_is_committed_together_at_most_every_so_often(
    server: FeedServer, engine: Engine, monkeypatch: pytest.MonkeyPatch, every: float, commits: int
) -> None:
    urls = [
        server.add(f"/u{i}", Reply(rss([item(i)]), headers={"ETag": '"same"'})) for i in range(4)
    ]
    with session(engine) as db:
        for url in urls:
            add_feed(db, url)
        db.commit()
    settings = Settings(refresh=RefreshSettings(timeout=2, workers=0))
    asyncio.run(run_refresh(engine, settings, extractor=None))
    batches: list[int] = []
    real = jobs_module._store_unchanged
    monkeypatch.setattr(jobs_module, "UNCHANGED_EVERY", every)
    monkeypatch.setattr(
        jobs_module, "_store_unchanged", lambda e, o: batches.append(len(o)) or real(e, o)
    )
    again = asyncio.run(run_refresh(engine, settings, extractor=None))
    assert again.unchanged == 4 and len(batches) == commits and sum(batches) == 4
    with session(engine) as db:
        assert {h.status for h in list_feed_health(db)} == {"unchanged"}


def test_nothing_refreshed_when_everything_fails_or_nothing_is_subscribed(
    server: FeedServer, engine: Engine
) -> None:
    settings = Settings(refresh=RefreshSettings(timeout=1, workers=0))
    empty = asyncio.run(run_refresh(engine, settings, extractor=None))
    assert empty.nothing_refreshed and "No feeds subscribed" in empty.describe()
    with session(engine) as db:
        add_feed(db, server.add("/down", Reply(status=503)))
        db.commit()
    failed = asyncio.run(run_refresh(engine, settings, extractor=None))
    assert failed.nothing_refreshed and failed.failed == 1


EXTRACTED: list[str] = []


def counting_extractor(record: ArticleRecord) -> Extraction:
    EXTRACTED.append(record.title)
    return Extraction(topics=("tagged",))


def test_unchanged_entries_are_not_extracted_again(server: FeedServer, engine: Engine) -> None:
    url = server.add("/feed", Reply(rss([item(1), item(2)])))
    with session(engine) as db:
        add_feed(db, url)
        db.commit()
    settings = Settings(refresh=RefreshSettings(timeout=2, workers=0))
    EXTRACTED.clear()
    asyncio.run(run_refresh(engine, settings, extractor=counting_extractor))
    assert sorted(EXTRACTED) == ["Story 1", "Story 2"]
    server.add("/feed", Reply(rss([item(1), item(2, title="Story 2, updated"), item(3)])))
    EXTRACTED.clear()
    summary = asyncio.run(run_refresh(engine, settings, extractor=counting_extractor))
    assert sorted(EXTRACTED) == ["Story 2, updated", "Story 3"]  # story 1 is unchanged
    assert summary.new_articles == 1 and summary.changed_articles == 1
