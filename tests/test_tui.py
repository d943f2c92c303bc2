"""Pilot tests: press the keys an analyst presses and check what the screen shows."""

from __future__ import annotations

import argparse
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from textual import events

from aiwatch.store.db import make_engine
from aiwatch.tui.app import AiwatchApp
from aiwatch.tui.commands.dashboard import run_dashboard
from aiwatch.tui.messages import DashboardRequested, LinkOpenRequested
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.screens.help import HelpScreen
from aiwatch.tui.screens.picker import PickerScreen
from aiwatch.tui.widgets.dashboard_header import DashboardHeader
from aiwatch.tui.widgets.record_table import RecordTable
from aiwatch.tui.widgets.status_line import StatusLine
from tests.tui_support import (
    OTHER_TITLE,
    SEED_DAY,
    SEED_TITLE,
    cells,
    choose,
    news,
    notified,
    palette_hits,
    populate,
    press,
    running,
    screen_text,
    settle,
    store,
    wait_for,
)

SEED_PRODUCTS = {  # name: (maker, modality, status), as the extractor reads the seed
    "Llama": ("Meta", "text", "mentioned"),
    "Midjourney Video": ("Midjourney", "video", "mentioned"),
    "MovieGen": ("Meta", "video", "hinted"),
    "Sora": ("OpenAI", "video", "mentioned"),
    "Veo 3": ("Google", "video", "mentioned"),
}


@pytest.fixture
def engine(populated_engine: Engine) -> Engine:
    """The reference seed and one other article, as the pipeline stores them."""
    return populated_engine


def products(app: AiwatchApp) -> dict[str, tuple[str, str, str]]:
    """The products panel as {name: (maker, modality, status)}."""
    names, makers, modalities, statuses = (cells(app, "products", n) for n in range(4))
    return {
        name: (maker, modality, status)
        for name, maker, modality, status in zip(names, makers, modalities, statuses, strict=True)
    }


async def test_dashboard_shows_the_seed_partnership_products_and_cases(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'seed.db'}")
    populate(engine, other=False)
    async with running(engine) as (app, _pilot):
        assert cells(app, "partnerships") == ["Meta × Midjourney"]
        assert cells(app, "partnerships", 1) == ["announced"]
        assert products(app) == SEED_PRODUCTS
        assert cells(app, "cases") == [
            "Unnamed plaintiffs v. Meta",
            "Unnamed plaintiffs v. Midjourney",
        ]
        assert cells(app, "articles", 1) == [SEED_TITLE]
        shown = screen_text(app)
        assert "1 partnership · 5 products · 2 cases · 1/1 articles" in shown
        assert "fair use" in shown
    engine.dispose()


async def test_company_filter_narrows_every_panel(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        assert len(cells(app, "partnerships")) == 2
        await press(app, pilot, "c", "escape")
        assert isinstance(app.screen, DashboardScreen)
        assert not app.dashboard.filter.active
        await press(app, pilot, "c")
        assert isinstance(app.screen, PickerScreen)
        assert "Midjourney  1 article" in screen_text(app)
        await press(app, pilot, *"midj", "enter")
        assert isinstance(app.screen, DashboardScreen)
        assert app.dashboard.filter.company == "Midjourney"
        assert cells(app, "partnerships") == ["Meta × Midjourney"]
        assert cells(app, "products") == ["Midjourney Video"]
        assert cells(app, "cases") == ["Unnamed plaintiffs v. Midjourney"]
        assert cells(app, "articles", 1) == [SEED_TITLE]
        assert "company: Midjourney" in screen_text(app)


async def test_a_new_filter_redraws_the_header_without_laying_out_the_screen(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header is one line as wide as the screen: its text changing lays nothing out
    again (a layout drew the whole screen once more while the panels were being read)."""
    async with running(engine) as (app, pilot):
        header = app.dashboard.query_one(DashboardHeader)
        layouts: list[bool] = []
        refresh = header.refresh

        def counted(*regions: Any, layout: bool = False, **kwargs: Any) -> Any:
            layouts.append(layout)
            return refresh(*regions, layout=layout, **kwargs)

        monkeypatch.setattr(header, "refresh", counted)
        await press(app, pilot, "c", *"midj", "enter")
        assert "company: Midjourney" in screen_text(app).splitlines()[0]
        assert layouts and not any(layouts)


async def test_topic_filter(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "t")
        shown = screen_text(app)
        assert "litigation  1 article" in shown and "partnership  2 articles" in shown
        await press(app, pilot, *"litig", "enter")
        assert app.dashboard.filter.topic == "litigation"
        assert cells(app, "partnerships") == ["Meta × Midjourney"]
        assert len(cells(app, "products")) == 5
        assert len(cells(app, "cases")) == 2
        assert cells(app, "articles", 1) == [SEED_TITLE]


async def test_search_then_clear(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "slash", *"Axel", "enter")
        assert app.dashboard.filter.text == "Axel"
        assert cells(app, "partnerships") == ["Axel Springer × OpenAI"]
        assert cells(app, "products") == ["ChatGPT"]
        assert cells(app, "cases") == []
        assert cells(app, "articles", 1) == [OTHER_TITLE]
        assert "No cases match." in screen_text(app)
        await press(app, pilot, "x")
        assert not app.dashboard.filter.active
        assert len(cells(app, "partnerships")) == 2
        assert len(cells(app, "articles")) == 2
        assert "Filters cleared." in screen_text(app)
        # Filters combine: a company and a text narrow together.
        await press(app, pilot, "c", *"openai", "enter")
        assert sorted(cells(app, "products")) == ["ChatGPT", "Sora"]
        await press(app, pilot, "slash", *"video", "enter")
        assert cells(app, "products") == ["Sora"]
        assert "company: OpenAI" in screen_text(app) and "search: video" in screen_text(app)


async def test_at_80_columns_every_empty_panel_says_so(engine: Engine) -> None:
    """On a small terminal the three inactive panels keep one line each: for an empty one it
    is the empty note (the table's blank line took it), and the active one keeps its headers."""
    async with running(engine, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "slash", *"zebra", "enter")
        shown = screen_text(app)
        for note in ("No partnerships match.", "No products match.", "No cases match."):
            assert note in shown
        assert "No articles match." in shown
        await press(app, pilot, "3")
        shown = screen_text(app)
        assert "No partnerships match." in shown and "No cases match." in shown
        assert re.search(r"Case\s+Stage", shown)  # the active panel's column headers


async def test_enter_on_the_article_shows_its_insights_and_escape_returns(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "4")
        table = app.dashboard.query_one("#articles", RecordTable)
        assert table.has_focus and table.selected_key is not None
        assert str(table.get_row_at(table.cursor_row)[2].plain) == SEED_TITLE
        await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        questions = [str(q.content) for q in screen.query(".question")]
        assert len(questions) == 3
        assert questions[0].startswith("1. What are the core strategic drivers")
        assert all(q.endswith("?") for q in questions)
        points = screen.query(".point")
        assert len(points) == 9
        assert "advertising business" in str(points[0].content)
        shown = screen_text(app)
        assert SEED_TITLE in shown and "News Summary" in shown
        assert "Partnership: Meta × Midjourney" in shown
        await press(app, pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        assert table.has_focus


async def test_feed_article_without_insights_shows_key_points(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "4", "down", "enter")
        assert isinstance(app.screen, ArticleScreen)
        shown = screen_text(app)
        assert "Key points" in shown and "Insights" not in shown
        assert "Link: https://example.com/openai-axel-springer" in shown
        assert "by Jane Reporter" in shown


async def test_entity_screen_from_a_partnership_shows_evidence_and_timeline(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "1")
        table = app.dashboard.query_one("#partnerships", RecordTable)
        table.move_cursor(row=cells(app, "partnerships").index("Meta × Midjourney"))
        await press(app, pilot, "enter")
        assert isinstance(app.screen, EntityScreen)
        shown = screen_text(app)
        assert re.search(r"Partnership #\d+  Meta × Midjourney", shown)
        assert "Focus: future creative AI models; AI video generation" in shown
        assert f"“{SEED_TITLE}”" in shown  # the headline is the evidence the extractor keeps
        timeline = app.screen.query_one("#timeline", RecordTable)
        assert timeline.row_count == 1
        assert [str(c.plain) for c in timeline.get_row_at(0)] == [
            "2025-06-20",
            "announced",
            "000_54de52ff19631516.txt",
            SEED_TITLE,
        ]
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ArticleScreen)
        await press(app, pilot, "escape", "escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_article_entities_open_the_entity_screen(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "4", "enter", "e")
        await press(app, pilot, "down", "enter")
        assert isinstance(app.screen, EntityScreen)
        assert app.screen.entity_type == "case"
        assert re.search(r"Case #\d+  Unnamed plaintiffs v. Meta", screen_text(app))


async def test_help_lists_every_binding_of_the_screen_and_app(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {str(row_cells[3].plain) for _, row_cells in app.screen.rows}
        assert {
            "company-filter",
            "topic-filter",
            "search",
            "clear-filters",
            "open-link",
            "open-selected",
            "focus-articles",
            "refresh-feeds",
            "show-feeds",
            "show-help",
            "quit",
        } <= ids
        shown = screen_text(app)
        assert "Company" in shown and "everywhere" in shown
        await press(app, pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_q_quits(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_a_database_error_is_reported_and_the_app_stays_up(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'broken.db'}")
    populate(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE articletopic"))
    async with running(engine) as (app, pilot):
        status = app.dashboard.query_one(StatusLine).message
        assert "Loading the dashboard failed" in status
        assert "no such table: articletopic" in status
        assert any("no such table" in m for m in notified(app))
        assert app.is_running
        # A background reload that fails the same way updates the status, without a new toast.
        shown = len(notified(app))
        app.post_message(DashboardRequested(app.dashboard.filter))
        await settle(app, pilot)
        assert len(notified(app)) == shown
        assert "no such table" in app.dashboard.query_one(StatusLine).message
        await press(app, pilot, "4")
        assert app.dashboard.query_one("#articles", RecordTable).has_focus
        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
    engine.dispose()


async def test_cursor_stays_on_its_record_across_reloads(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        await press(app, pilot, "2")
        table = app.dashboard.query_one("#products", RecordTable)
        table.move_cursor(row=cells(app, "products").index("Sora"))
        await pilot.pause()
        key = table.selected_key
        # A new article reports Veo 3's launch, the latest: rows reorder (newest first).
        launch = news(
            "google-veo-3",
            "Google launches Veo 3 video model",
            "Google today launched Veo 3, its newest video generation model, to subscribers "
            "of its Gemini app in the United States.",
            published=SEED_DAY + timedelta(days=1),
        )
        store(engine, [launch], now=SEED_DAY + timedelta(days=1))
        app.post_message(DashboardRequested(app.dashboard.filter))
        await settle(app, pilot)
        assert cells(app, "products")[0] == "Veo 3"
        assert products(app)["Veo 3"] == ("Google", "video", "released")
        assert table.selected_key == key
        assert str(table.get_row_at(table.cursor_row)[1].plain) == "Sora"


async def test_open_link_only_opens_plain_http_links(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "aiwatch.tui.app_loop.open_in_browser", lambda _command, url: opened.append(url)
    )
    async with running(engine) as (app, pilot):
        await press(app, pilot, "4", "o")
        assert opened == []  # the seed has no link
        assert any(m == "No link to open." for m in notified(app))
        await press(app, pilot, "down", "o")
        assert opened == ["https://example.com/openai-axel-springer"]
        assert any(m == opened[0] for m in notified(app))
        for bad in ("javascript:app.quit()", "file:///etc/passwd", "https://exa\u202emple.com/"):
            app.post_message(LinkOpenRequested(bad))
            await settle(app, pilot)
        assert opened == ["https://example.com/openai-axel-springer"]


async def test_command_palette_searches_anything(engine: Engine) -> None:
    async with running(engine) as (app, pilot):
        hits = await palette_hits(app, pilot, "veo 3")
        await choose(app, pilot, hits, ("Veo 3 (Google)", "product"))
        assert isinstance(app.screen, EntityScreen)
        assert (app.screen.entity_type, "Veo 3" in screen_text(app)) == ("product", True)
        assert not app.dashboard.filter.active
        # A company hit goes back to the dashboard, narrowed to that company.
        hits = await palette_hits(app, pilot, "midjourney")
        assert {("Midjourney", "company"), ("Meta × Midjourney", "partnership")} <= set(hits)
        await choose(app, pilot, hits, ("Midjourney", "company"))
        assert isinstance(app.screen, DashboardScreen)
        assert app.dashboard.filter.company == "Midjourney"
        assert cells(app, "products") == ["Midjourney Video"]
        assert "company: Midjourney" in screen_text(app)


async def test_small_terminal_keeps_everything_important_visible(engine: Engine) -> None:
    async with running(engine, size=(80, 24)) as (app, pilot):
        # the footer recomposes its keys whenever the focus settles: wait for them
        await wait_for(pilot, lambda: "q Quit" in screen_text(app), what="the footer's keys")
        shown = screen_text(app)
        for title in ("1 Partnerships", "2 Competitor products", "3 Copyright cases", "4 Articles"):
            assert title in shown
        assert "Meta × Midjourney" in shown
        for key in ("c Company", "t Topic", "/ Search", "n New", "? Help", "q Quit"):
            assert key in shown
        await press(app, pilot, "3")
        shown = screen_text(app)
        assert "Unnamed plaintiffs v. Meta" in shown and "fair use" in shown
        await press(app, pilot, "tab")
        assert app.dashboard.query_one("#articles", RecordTable).has_focus
        assert SEED_TITLE in screen_text(app)


async def test_large_terminal_shows_all_panels_at_once(engine: Engine) -> None:
    async with running(engine, size=(160, 48)) as (app, _pilot):
        assert app.dashboard.has_class("-stacked")
        shown = screen_text(app)
        for needle in (
            "Meta × Midjourney",
            "Veo 3",
            "Unnamed plaintiffs v. Midjourney",
            SEED_TITLE,
        ):
            assert needle in shown


def test_run_dashboard_reports_a_bad_database_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    assert run_dashboard(argparse.Namespace(db=f"sqlite:///{junk}", config=None)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "not a usable SQLite database" in err or "not a database" in err


def test_share_width_respects_minimums_and_fills_exactly() -> None:
    from aiwatch.tui.widgets.record_table import share_width

    assert share_width(56, {0: (20, 1), 3: (12, 2)}) == {0: 20, 3: 36}
    assert share_width(100, {0: (10, 3), 1: (16, 1)}) == {0: 75, 1: 25}
    assert share_width(101, {0: (10, 1), 1: (10, 1)}) == {0: 50, 1: 51}
    assert share_width(10, {0: (20, 1), 1: (12, 2)}) == {0: 20, 1: 12}
    assert share_width(0, {}) == {}


async def test_bundled_seed_loads_on_start_with_the_real_extractor(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    async with running(engine, load_bundled_seeds=True) as (app, pilot):
        assert "Seeds: 1 file(s), 1 new" in app.dashboard.query_one(StatusLine).message
        assert cells(app, "partnerships") == ["Meta × Midjourney"]
        assert products(app) == SEED_PRODUCTS
        assert cells(app, "cases") == [
            "Unnamed plaintiffs v. Meta",
            "Unnamed plaintiffs v. Midjourney",
        ]
        await press(app, pilot, "c", *"midjourney", "enter")
        assert cells(app, "partnerships") == ["Meta × Midjourney"]
        assert cells(app, "products") == ["Midjourney Video"]
        assert cells(app, "cases") == ["Unnamed plaintiffs v. Midjourney"]
        await press(app, pilot, "4", "enter")
        assert isinstance(app.screen, ArticleScreen)
        assert len(app.screen.query(".question")) == 3
        assert len(app.screen.query(".point")) == 9
    # Loading again changes nothing (idempotent), and the app says so.
    async with running(engine, load_bundled_seeds=True) as (app, _pilot):
        assert "Seeds: 1 file(s), 0 new, 0 updated" in app.dashboard.query_one(StatusLine).message
        assert cells(app, "partnerships") == ["Meta × Midjourney"]
    engine.dispose()


async def test_a_bad_seed_file_is_named_in_a_notification(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text(
        "Acme Labs launches a video model\n\nNews Summary\nAcme Labs launched Vidz.\n"
    )
    (seeds / "broken.txt").write_bytes(b"Title\n\xff\xfe not utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'seeds.db'}")
    async with running(engine, load_bundled_seeds=True, seed_dir=seeds) as (app, _pilot):
        messages = notified(app)
        assert any("broken.txt" in m and "UTF-8" in m for m in messages)
        assert "1 error(s)" in app.dashboard.query_one(StatusLine).message
        assert cells(app, "articles", 1) == ["Acme Labs launches a video model"]
        assert app.is_running
    engine.dispose()


async def test_keys_typed_in_one_burst_after_a_panel_key_go_to_that_panel(engine: Engine) -> None:
    """``4``, Down, Enter arriving together (a fast typist, a paste, tmux) open an article."""
    async with running(engine) as (app, pilot):
        for key, character in (("4", "4"), ("down", None), ("enter", "\r")):
            app.post_message(events.Key(key, character))  # as the terminal driver does
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article_id == int(
            app.dashboard.query_one("#articles", RecordTable).keys[1]
        )
