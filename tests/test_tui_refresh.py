"""Pilot tests of `r` and the feeds screen against feeds served on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed, list_feed_health
from aiwatch.store.panels import PAGE
from aiwatch.tui.app import AiwatchApp, make_app
from aiwatch.tui.config import RefreshSettings, Settings
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.screens.picker import PickerScreen
from aiwatch.tui.widgets.record_table import RecordTable
from tests.feed_server import FeedServer, Reply, item, rss
from tests.tui_support import notified, screen_text, settle, wait_for

SETTINGS = Settings(refresh=RefreshSettings(concurrency=4, timeout=10, workers=0))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'refresh.db'}")
    yield engine
    engine.dispose()


def subscribe(engine: Engine, *urls: str) -> None:
    with session(engine) as db:
        for url in urls:
            add_feed(db, url)
        db.commit()


def gated(gate: threading.Event, body: bytes, stopping: threading.Event) -> object:
    """A route that answers only once ``gate`` is set (or the server stops)."""

    def handle(handler: object) -> None:
        while not gate.wait(0.05):
            if stopping.is_set():
                return
        handler.reply(Reply(body))  # type: ignore[attr-defined]

    return handle


def article_titles(app: AiwatchApp) -> list[str]:
    table = app.dashboard.query_one("#articles", RecordTable)
    return [table.cell_text(key, "title") for key in table.keys]


async def test_r_refreshes_in_the_background_and_rows_appear_feed_by_feed(
    engine: Engine, server: FeedServer
) -> None:
    gate = threading.Event()
    fast = server.add(
        "/fast.xml", Reply(rss([item(1, title="Fast story one"), item(2, title="Fast story two")]))
    )
    slow = server.add("/slow.xml", gated(gate, rss([item(3, title="Slow story")]), server.stopping))  # type: ignore[arg-type]
    broken = server.add("/broken.xml", Reply(b"oops", status=500, content_type="text/plain"))
    subscribe(engine, fast, slow, broken)
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await wait_for(pilot, lambda: "Fast story one" in article_titles(app))
        # The slow feed is still pending: the refresh runs, and keys are answered.
        assert app.dashboard.progress.has_class("-running")
        assert "Slow story" not in article_titles(app)
        assert "feeds" in screen_text(app) and "Refreshing" in screen_text(app)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("escape")
        await pilot.press("r")  # a second refresh is refused while one runs
        await pilot.pause()
        assert any("already running" in m for m in notified(app))
        gate.set()
        await wait_for(pilot, lambda: not app.dashboard.progress.has_class("-running"))
        await settle(app, pilot)
        assert {"Fast story one", "Fast story two", "Slow story"} <= set(article_titles(app))
        status = screen_text(app)
        assert "3 feeds: 2 ok, 0 unchanged, 1 failed · 3 new articles" in status


async def test_feeds_screen_shows_health_and_refreshes_or_disables_one_feed(
    engine: Engine, server: FeedServer
) -> None:
    good = server.add("/good.xml", Reply(rss([item(1, title="Good story")], title="Good feed")))
    broken = server.add("/broken.xml", Reply(b"oops", status=500, content_type="text/plain"))
    subscribe(engine, good, broken)
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: not app.dashboard.progress.has_class("-running"))
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedsScreen)
        shown = screen_text(app)
        assert "Good feed" in shown and "ok" in shown
        assert "error" in shown and "500" in shown
        table = app.screen.query_one(RecordTable)
        broken_key = next(k for k in table.keys if app.screen.rows[k].url == broken)
        table.move_cursor(row=table.keys.index(broken_key))
        await pilot.pause()
        assert "Error:" in screen_text(app)
        before = len(server.requests("/broken.xml"))
        await pilot.press("r")  # this feed only
        await wait_for(pilot, lambda: len(server.requests("/broken.xml")) > before)
        await wait_for(pilot, lambda: not app.dashboard.progress.has_class("-running"))
        assert len(server.requests("/good.xml")) == 1
        await pilot.press("d")
        await settle(app, pilot)
        with session(engine) as db:
            health = {row.url: row for row in list_feed_health(db)}
        assert health[broken].enabled is False
        assert "disabled" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, FeedsScreen)


async def test_feeds_screen_opened_mid_refresh_shows_its_progress_and_the_summary(
    engine: Engine, server: FeedServer
) -> None:
    gate = threading.Event()
    fast = server.add("/fast.xml", Reply(rss([item(1, title="Fast story")], title="Fast feed")))
    slow = server.add("/slow.xml", gated(gate, rss([item(2, title="Slow story")]), server.stopping))  # type: ignore[arg-type]
    subscribe(engine, fast, slow)
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: "Fast story" in article_titles(app))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedsScreen))
        await wait_for(pilot, lambda: "Refreshing 1/2" in screen_text(app))
        gate.set()
        await wait_for(pilot, lambda: "Refreshing" not in screen_text(app))
        await settle(app, pilot)
        assert isinstance(app.screen, FeedsScreen)
        assert any("2 feeds: 2 ok" in m for m in notified(app))
        assert screen_text(app).count("ok") >= 2


async def test_a_new_user_subscribes_to_the_curated_feeds_from_the_feeds_screen(
    engine: Engine,
) -> None:
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")  # nothing to refresh yet: the status line says what to do
        await wait_for(pilot, lambda: "press f, then s" in screen_text(app))
        await pilot.press("f")
        await wait_for(pilot, lambda: "No feeds yet" in screen_text(app))
        await pilot.press("s")  # subscribes only: nothing is fetched (tests never go online)
        await wait_for(pilot, lambda: len(app.screen.query_one(RecordTable).keys) > 0)
        with session(engine) as db:
            subscribed = list_feed_health(db)
        assert len(subscribed) >= 15
        assert {row.status for row in subscribed} == {"new"}
        assert any("curated feeds" in m for m in notified(app))
        await pilot.press("s")  # again: nothing new, nothing duplicated
        await settle(app, pilot)
        with session(engine) as db:
            assert len(list_feed_health(db)) == len(subscribed)
        assert any("Subscribed to 0 curated feeds" in m for m in notified(app))


FEEDS = PAGE - 10
"""Feeds of one story each: many, and all of them on the articles panel's first page."""


async def test_a_refresh_of_many_feeds_redraws_the_panels_a_few_times_not_per_feed(
    engine: Engine, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds = [
        server.add(f"/feed{n}.xml", Reply(rss([item(n, title=f"Story number {n}")])))
        for n in range(FEEDS)
    ]
    subscribe(engine, *feeds)
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    loads: list[object] = []
    real = app._load_dashboard
    monkeypatch.setattr(app, "_load_dashboard", lambda filt: (loads.append(filt), real(filt)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        before = len(loads)
        await pilot.press("r")
        await wait_for(pilot, lambda: f"{FEEDS} feeds: {FEEDS} ok" in screen_text(app))
        await settle(app, pilot)
        assert {f"Story number {n}" for n in range(FEEDS)} <= set(article_titles(app))
        assert len(loads) - before <= 10  # the first feed, one per 2 s, the end: not one per feed
