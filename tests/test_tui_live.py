"""The dashboard at scale and live: panels read a page at a time; rows stored elsewhere appear.

A panel shows its first page with how many pass ("50/125"), and reads the
next page when the cursor nears the end. While it is open, an article stored
through another connection (as another process would) appears within moments,
without a key, marked as arrived — on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.content import Content

from aiwatch.store.corrections import rename
from aiwatch.store.db import session
from aiwatch.store.ingest import NewArticle, save_articles
from aiwatch.store.models import Product
from aiwatch.store.panels import PAGE
from aiwatch.store.queries import PANELS, load_panel, read_dashboard
from aiwatch.store.stories import group_stories
from aiwatch.tui.app import make_app
from aiwatch.tui.messages import DashboardLoaded, PanelPageLoaded
from aiwatch.tui.seeding import SeedReport, store_seeds
from aiwatch.tui.widgets.panel import Panel
from aiwatch.tui.widgets.panel_rows import ARRIVED_MARK
from aiwatch.tui.widgets.record_table import MORE_MARGIN, RecordTable
from aiwatch.tui.widgets.status_line import StatusLine
from tests.factories import T0, ProductFact, article, deal, extraction, save
from tests.tui_support import cells, press, running, screen_text, settle, wait_for


def many_deals(engine: Engine, count: int) -> None:
    items = [
        NewArticle(
            article(f"deal-{n}", f"Meta and Partner {n} team up", text=f"Deal {n}."),
            extraction(
                "Meta",
                f"Partner {n}",
                partnerships=(deal("Meta", f"Partner {n}", f"Meta partners with Partner {n}."),),
            ),
        )
        for n in range(count)
    ]
    with session(engine) as db:
        save_articles(db, items)
        db.commit()


async def test_a_panel_reads_its_next_page_near_the_end(engine: Engine) -> None:
    total = 2 * PAGE + PAGE // 2
    many_deals(engine, total)
    async with running(engine, size=(120, 40)) as (app, pilot):
        table = app.dashboard.query_one("#partnerships", RecordTable)
        assert table.row_count == PAGE and table.more
        assert f"Partnerships {PAGE}/{total}" in screen_text(app)
        assert f"{total} partnerships" in screen_text(app)  # the header counts all that pass
        table.focus()
        await pilot.press("end")
        await wait_for(pilot, lambda: table.row_count == 2 * PAGE)
        await pilot.press("end")
        await wait_for(pilot, lambda: table.row_count == total)
        assert not table.more
        await wait_for(pilot, lambda: f"Partnerships {total}" in screen_text(app))
        assert len(set(table.keys)) == total


async def test_a_page_that_groups_into_one_story_reads_the_next(engine: Engine) -> None:
    """The newest page of articles is one story from many outlets: the panel shows one row,
    where the cursor cannot move on, so the table reads the next page by itself."""
    for outlet in range(PAGE + 5):
        save(
            engine,
            article(
                f"wire-{outlet}",
                "Meta and Midjourney sign an AI video deal",
                url=f"https://outlet{outlet}.example.com/meta-midjourney",
                source=f"https://outlet{outlet}.example.com/feed",
                published=T0 + timedelta(minutes=outlet),
            ),
            extraction("Meta", "Midjourney"),
        )
    save(
        engine,
        article("older", "OpenAI shows a video model", published=T0 - timedelta(days=3)),
        extraction("OpenAI"),
    )
    with session(engine) as db:
        group_stories(db)
        db.commit()
    app = make_app(engine=engine, load_bundled_seeds=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "OpenAI shows a video model" in cells(app, "articles", 1))
        assert cells(app, "articles", 1) == [
            "Meta and Midjourney sign an AI video deal",
            "OpenAI shows a video model",
        ]
        # The title counts articles, as its total does, and says how many stories they make.
        panel = app.dashboard.query_one("#panel-articles", Panel)
        shown = Content.from_markup(str(panel.border_title)).plain
        assert shown.startswith(f"4 Articles {PAGE + 6} in 2 stories · "), shown


async def test_the_seeds_the_dashboard_stores_itself_are_not_news_from_elsewhere(
    engine: Engine,
) -> None:
    """A first start stores the bundled seed while the polls run: the status line keeps
    saying what loading did, and the seed's article is not marked as arrived."""
    app = make_app(engine=engine, live_reload=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        status = app.dashboard.query_one(StatusLine)
        await wait_for(pilot, lambda: status.message.startswith("Seeds:"), what="the seeds")
        await pilot.pause(0.8)  # (four polls)
        await settle(app, pilot)
        assert status.message.startswith("Seeds: 1 file(s), 1 new"), status.message
        table = app.dashboard.query_one("#articles", RecordTable)
        assert len(table.keys) == 1
        assert table.cell_text(table.keys[0], "mark") != ARRIVED_MARK


async def test_seeds_another_dashboard_stored_at_the_same_moment_arrive(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two dashboards start on one new database: both find the seed unstored, one stores it
    first and the other then stores nothing. That one's first read came too early, so the
    seed's article must still arrive by a poll (the mark moving past "its own" rows hid it)."""
    app = make_app(engine=engine, live_reload=0.2)

    def colleague_first(*args: Any, **kwargs: Any) -> SeedReport:
        while app.dashboard.dashboard is None:  # (this app's first read is in)
            time.sleep(0.01)
        store_seeds(*args, **kwargs)  # the colleague's dashboard
        return store_seeds(*args, **kwargs)

    monkeypatch.setattr("aiwatch.tui.app.store_seeds", colleague_first)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.dashboard.query_one("#articles", RecordTable)
        await wait_for(pilot, lambda: len(table.keys) == 1, what="the colleague's seed")
        assert table.cell_text(table.keys[0], "mark") == ARRIVED_MARK
        assert "1 new article arrived" in screen_text(app)


async def test_an_article_stored_before_the_first_poll_still_arrives(engine: Engine) -> None:
    """The mark the polls compare with is noted before the first read of the panels: noted
    at the first poll, an article stored between the two was part of it and never shown."""
    save(engine, article("first", "The first story", text="Meta does a thing."), extraction("Meta"))
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=1.5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)  # the first load is in; the first poll is still to come
        assert cells(app, "articles", 1) == ["The first story"]
        save(engine, article("second", "Stored before the first poll"), extraction("OpenAI"))
        await wait_for(
            pilot, lambda: "Stored before the first poll" in cells(app, "articles", 1), timeout=6
        )


async def test_an_article_stored_elsewhere_appears_without_a_key(engine: Engine) -> None:
    save(engine, article("first", "The first story", text="Meta does a thing."), extraction("Meta"))
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert cells(app, "articles", 1) == ["The first story"]
        saved = save(
            engine,
            article("second", "A story from another process", text="OpenAI does a thing."),
            extraction("OpenAI"),
        )
        await wait_for(pilot, lambda: "A story from another process" in cells(app, "articles", 1))
        table = app.dashboard.query_one("#articles", RecordTable)
        assert table.cell_text(str(saved.article_id), "mark") == ARRIVED_MARK
        assert table.cell_text(table.keys[-1], "mark") != ARRIVED_MARK  # the old one is not
        assert "1 new article arrived" in screen_text(app)


async def test_reads_that_land_as_the_app_quits_are_dropped(engine: Engine) -> None:
    """Quitting removes the dashboard's panels while a reload or a next page may still be
    in flight: what lands then has nowhere to go and must not raise (it did, on exit, in
    `test_records_changed_elsewhere_in_the_app_drop_what_was_read_ahead` on a fresh clone)."""
    save(engine, article("one", "OpenAI shows a video model"), extraction("OpenAI"))
    async with running(engine) as (app, pilot):
        board = read_dashboard(engine, app.dashboard.filter, user=app.user)
        with session(engine) as db:
            page = load_panel(db, app.dashboard.filter, "articles", offset=1, user=app.user)
        # Quitting removes the innermost widgets first: a table goes while the rest stays.
        await app.dashboard.query_one("#partnerships", RecordTable).remove()
        app.post_message(DashboardLoaded(board))
        app.post_message(PanelPageLoaded(app.dashboard.filter, page))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and app.dashboard.torn_down


async def test_a_new_filter_reads_the_rows_its_panels_show_and_the_rest_on_the_way_down(
    engine: Engine,
) -> None:
    """A filter chosen after the first load reads as many records as the tallest table
    shows and `MORE_MARGIN` more (every row read costs the read and the frame); at 120×40
    a table shows six rows, and the cursor going down reads the rest. The articles panel
    reads a whole page: its rows are stories, fewer than the articles read."""
    total = 2 * PAGE + PAGE // 2
    many_deals(engine, total)
    async with running(engine, size=(120, 40)) as (app, pilot):
        table = app.dashboard.query_one("#partnerships", RecordTable)
        tallest = max(t.scrollable_content_region.height for t in app.dashboard.query(RecordTable))
        assert 0 < tallest < 10
        rows = tallest + MORE_MARGIN + 1
        assert app.dashboard.page_rows() == {
            name: PAGE if name == "articles" else rows for name in PANELS
        }
        await press(app, pilot, "c", *"Meta", "enter")
        await wait_for(pilot, lambda: "company: Meta" in screen_text(app))
        rows = app.dashboard.page_rows()["partnerships"]  # (as laid out when it read)
        assert table.row_count == rows < PAGE and table.more
        assert f"Partnerships {rows}/{total}" in screen_text(app)
        table.focus()
        for _ in range(5):  # (each End reads the next page of 50)
            await pilot.press("end")
            await settle(app, pilot)
        assert table.row_count == total and not table.more
        assert len(set(table.keys)) == total


async def test_a_tall_terminal_reads_a_whole_page(engine: Engine) -> None:
    many_deals(engine, PAGE + 10)
    async with running(engine, size=(200, 140)) as (app, _pilot):
        assert app.dashboard.page_rows() == dict.fromkeys(PANELS, PAGE)


async def test_a_correction_made_elsewhere_appears_without_a_key(engine: Engine) -> None:
    """``aiwatch edit`` in another terminal renames or merges a record: no article or
    mention id moves, and the open dashboard shows the correction all the same."""
    save(
        engine,
        article("one", "OpenAI shows Sora"),
        extraction(
            "OpenAI",
            products=(
                ProductFact("Sora", "OpenAI", "video", "announced", True, "OpenAI shows Sora."),
            ),
        ),
    )
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert cells(app, "products") == ["Sora"]
        with session(engine) as db:  # (as another process would)
            sora = db.exec(select(Product.id).where(Product.name == "Sora")).one()
            rename(db, "product", sora, "Sora 2")
            db.commit()
        await wait_for(pilot, lambda: cells(app, "products") == ["Sora 2"])
        assert "arrived" not in screen_text(app)  # (nothing new arrived: a record changed)
