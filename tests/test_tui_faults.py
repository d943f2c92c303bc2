"""The dashboard under faults: `r` against an unusable database, and a refresh that crashes.

In every case the app keeps running, the status line says what went wrong in
one line, keys keep working, and nothing of a failed batch is stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import func, select

import aiwatch.feeds.refresh as refresh_pipeline
import aiwatch.tui.app_refresh as refresh_module
import aiwatch.tui.jobs as jobs
from aiwatch.feeds.refresh import FeedOutcome
from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed
from aiwatch.store.models import Article, Feed
from aiwatch.tui.app import AiwatchApp, make_app
from aiwatch.tui.config import RefreshSettings, Settings
from aiwatch.tui.screens.help import HelpScreen
from aiwatch.tui.widgets.status_line import StatusLine
from tests.feed_server import FeedServer, Reply, item, rss
from tests.tui_support import notified, screen_text, settle, wait_for

SETTINGS = Settings(refresh=RefreshSettings(timeout=2, workers=0))


async def prepared(server: FeedServer, path: Path) -> str:
    """A database with one feed and its first two articles; the feed then has 40 more."""
    engine = make_engine(f"sqlite:///{path}")
    url = server.add("/feed", Reply(rss([item(1), item(2)]), headers={"ETag": '"v1"'}))
    with session(engine) as db:
        add_feed(db, url)
        db.commit()
    await jobs.run_refresh(engine, SETTINGS, extractor=None)
    engine.dispose()
    more = [item(n, body="Filler text, long enough to need pages. " * 300) for n in range(10, 50)]
    server.add("/feed", Reply(rss(more), headers={"ETag": '"v2"'}))
    return url


def assert_untouched(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with session(engine) as db:
            assert db.exec(select(func.count()).select_from(Article)).one() == 2
            assert db.exec(select(Feed)).one().etag == '"v1"'
    finally:
        engine.dispose()


def status(app: AiwatchApp) -> str:
    return app.dashboard.query_one(StatusLine).message


async def refresh_and_check(engine: Engine, reason: str, *, before_fetching: bool = False) -> None:
    """Press `r`; the status line explains the failure in one line; the app still works.

    ``before_fetching``: the database refuses even the refresh's claims on its
    feeds (read-only, locked), so the refresh fails as a whole before fetching.
    """
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: not app.dashboard.progress.has_class("-running"))
        await settle(app, pilot)
        shown = status(app)
        lead = "Refreshing feeds failed: " if before_fetching else "Could not save 1 feed: "
        assert shown.startswith(lead), shown
        assert reason in shown
        if not before_fetching:
            assert "1 feed: 0 ok, 0 unchanged, 1 failed" in shown
        assert "\n" not in shown and "Traceback" not in shown
        assert app.dashboard.query_one(StatusLine).has_class("-error")
        assert lead in screen_text(app)  # the status line leads with it
        assert any(reason in m for m in notified(app))
        assert app.is_running
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_read_only_database_is_explained_in_the_status_line(
    server: FeedServer, tmp_path: Path
) -> None:
    path = tmp_path / "ro.db"
    await prepared(server, path)
    engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    await refresh_and_check(engine, "is read-only", before_fetching=True)
    engine.dispose()
    assert_untouched(path)


async def test_lock_held_past_the_timeout_is_explained(server: FeedServer, tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    await prepared(server, path)
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=300)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE feed SET title = 'held'")
    try:
        await refresh_and_check(engine, "is locked by another process", before_fetching=True)
    finally:
        holder.rollback()
        holder.close()
    engine.dispose()
    assert_untouched(path)


async def test_disk_full_is_explained(server: FeedServer, tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    await prepared(server, path)
    with sqlite3.connect(path) as probe:
        pages = probe.execute("PRAGMA page_count").fetchone()[0]
    engine = make_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _cap(connection: Any, _record: Any) -> None:
        connection.execute(f"PRAGMA max_page_count = {pages + 8}")

    engine.dispose()
    await refresh_and_check(engine, "Disk full while writing")
    engine.dispose()
    assert_untouched(path)


async def test_a_crashing_refresh_worker_is_reported_and_the_app_stays_up(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "crash.db"
    await prepared(server, path)
    real = refresh_pipeline.refresh_feeds

    async def crashing(*args: Any, **kwargs: Any) -> AsyncIterator[FeedOutcome]:
        async for outcome in real(*args, **kwargs):
            yield outcome
        raise RuntimeError("the refresh pipeline fell over")

    monkeypatch.setattr(refresh_pipeline, "refresh_feeds", crashing)  # (jobs imports it per run)
    engine = make_engine(f"sqlite:///{path}")
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: not app.dashboard.progress.has_class("-running"))
        await settle(app, pilot)
        shown = status(app)
        assert shown == "Refreshing feeds failed: RuntimeError: the refresh pipeline fell over"
        assert any("fell over" in m for m in notified(app))
        assert app.is_running
        # The feed that landed before the crash was stored whole; refreshing works again.
        with session(engine) as db:
            assert db.exec(select(func.count()).select_from(Article)).one() == 42

        async def broken(*_args: Any, **_kwargs: Any) -> Any:
            raise RuntimeError("could not even start")

        monkeypatch.setattr(refresh_module, "run_refresh", broken)
        await pilot.press("r")
        await wait_for(pilot, lambda: "could not even start" in status(app))
        await settle(app, pilot)
        assert not app.dashboard.progress.has_class("-running")
        assert not any("already running" in m for m in notified(app))
        assert app.is_running
    engine.dispose()
