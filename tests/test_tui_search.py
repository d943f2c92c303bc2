"""``/`` in the dashboard: the query language sets the filters the keys set, words are marked."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from aiwatch.tui.screens.search import SearchScreen
from aiwatch.tui.text import MARK_STYLE
from aiwatch.tui.widgets.record_table import RecordTable
from tests.tui_support import OTHER_TITLE, SEED_TITLE, cells, populate, press, running, screen_text


@pytest.fixture(params=["sqlite", "pg"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The seed and a second article, on SQLite and on PostgreSQL."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    populate(engine)
    return engine


async def test_a_query_sets_the_company_filter_and_marks_the_words(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "slash", *"company:openai licensing", "enter")
        assert app.dashboard.filter.company == "openai"
        assert app.dashboard.filter.text == "licensing"
        assert cells(app, "articles", 1) == [OTHER_TITLE]
        shown = screen_text(app)
        assert "company: openai" in shown and "search: licensing" in shown
        table = app.dashboard.query_one("#articles", RecordTable)
        title = table.get_row(table.keys[0])[table.spec_keys.index("title")]  # the cells as shown
        marked = [title.plain[s.start : s.end] for s in title.spans if s.style == MARK_STYLE]
        assert marked == ["licensing"]
        await press(app, pilot, "slash")  # the box holds the words; the company is a chip
        assert isinstance(app.screen, SearchScreen) and app.screen.text == "licensing"
        await press(app, pilot, "escape")


async def test_negation_or_and_dates(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "slash", *"midjourney OR springer", "enter")
        assert sorted(cells(app, "articles", 1)) == sorted([SEED_TITLE, OTHER_TITLE])
        await press(app, pilot, "x", "slash", *"-midjourney", "enter")
        assert cells(app, "articles", 1) == [OTHER_TITLE]
        await press(app, pilot, "x", "slash", *"after:2025-06-01", "enter")
        assert app.dashboard.filter.after == "2025-06-01" and app.dashboard.filter.text is None
        assert cells(app, "articles", 1) == [SEED_TITLE]  # the other one is from May
        assert "after: 2025-06-01" in screen_text(app)


async def test_a_query_that_cannot_be_read_keeps_the_dialog_open(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "slash", *"after:yesterday", "enter")
        assert isinstance(app.screen, SearchScreen)
        assert "Not a date: 'yesterday'" in screen_text(app)
        await press(app, pilot, "escape")
        assert not app.dashboard.filter.active


async def test_at_80_columns_the_header_keeps_the_filters_and_the_article_count(
    engine: Engine,
) -> None:
    async with running(engine, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "slash", *"company:openai licensing", "enter")
        top = screen_text(app).splitlines()[0]
        assert "company: openai" in top and "search: licensing" in top, top
        assert top.rstrip().endswith("1/2 articles") and "…" not in top, top
        await press(app, pilot, "x")
        top = screen_text(app).splitlines()[0]  # room again for every panel's count
        assert "partnership" in top and top.rstrip().endswith("2/2 articles"), top
