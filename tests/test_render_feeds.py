"""Feed names, URLs, errors and warnings on the feeds screen: literal, and never terminal control.

The rows are written straight into the database (no `feeds.parse.sanitize`), so the
screen's own defences are what is under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from aiwatch.store.db import make_engine, session
from aiwatch.store.models import Feed
from aiwatch.tui.app import make_app
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.widgets.record_table import RecordTable
from tests.hostile import CONTROL, MARKUP, assert_inert
from tests.tui_support import screen_text, settle, wait_for


@pytest.fixture
def hostile_feeds(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'feeds.db'}")
    with session(engine) as db:
        for n, text in enumerate([*MARKUP, *CONTROL]):
            db.add(
                Feed(
                    url=f"https://feeds.example.com/{n}/{text}",
                    title=text,
                    category=text,
                    status="error" if n % 2 else "warning",
                    error=f"HTTP 500 {text}" if n % 2 else "",
                    warning="" if n % 2 else f"odd {text}",
                    error_count=n % 2,
                )
            )
        db.commit()
    yield engine
    engine.dispose()


async def test_feeds_screen_shows_hostile_feed_rows_literally(hostile_feeds: Engine) -> None:
    app = make_app(engine=hostile_feeds, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedsScreen)
        table = app.screen.query_one(RecordTable)
        shown = {table.cell_text(key, "feed") for key in table.keys}
        assert set(MARKUP) <= shown  # names shown as written, never as markup
        assert set(CONTROL.values()) <= shown  # controls dropped, the rest of the name kept
        assert_inert(app)
        for row in range(table.row_count):  # each feed's URL, error and warning below the table
            table.move_cursor(row=row)
            await pilot.pause()
            feed = app.screen.rows[table.keys[row]]
            text = screen_text(app)
            if feed.title in MARKUP:
                assert (
                    f"Error: HTTP 500 {feed.title}" in text or f"Warning: odd {feed.title}" in text
                )
            assert_inert(app)
        assert app.is_running


async def test_feeds_screen_fits_80_columns_beside_its_scrollbar(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'many.db'}")
    with session(engine) as db:
        for n in range(60):  # more rows than fit: the table shows a vertical scrollbar
            db.add(Feed(url=f"https://feeds.example.com/{n}.xml", title=f"AI Desk {n}"))
        db.commit()
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        table = app.screen.query_one(RecordTable)
        # (the columns fit again a frame after the scrollbar shows: slower on a busy machine)
        await wait_for(
            pilot,
            lambda: table.max_scroll_y > 0 and table.max_scroll_x == 0,
            what="the columns fitted beside the vertical scrollbar",
        )
        assert [c.label.plain for c in table.columns.values()][-1] == "Arts"
    engine.dispose()
