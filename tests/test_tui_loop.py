"""Pilot tests of the analyst's daily loop: every key of issue 13, against real stores and feeds."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed
from aiwatch.tui.app import make_app
from aiwatch.tui.config import NotifySettings, ReadingSettings, RefreshSettings, Settings
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.screens.help import HelpScreen
from aiwatch.tui.screens.pipe import PipeScreen
from aiwatch.tui.screens.story import StoryScreen
from aiwatch.tui.screens.trends import TrendsScreen
from aiwatch.tui.screens.views import ViewsScreen
from aiwatch.tui.screens.watchlist import WatchlistScreen
from aiwatch.tui.widgets.panel import Panel
from aiwatch.tui.widgets.record_table import RecordTable
from tests.feed_server import FeedServer, Reply, item, rss
from tests.tui_support import (
    OTHER_TITLE,
    SEED_TITLE,
    cells,
    choose,
    notified,
    palette_hits,
    press,
    running,
    screen_text,
    settle,
    wait_for,
)

REFRESH = RefreshSettings(concurrency=4, timeout=10, workers=0)


def settings(**changes: object) -> Settings:
    return Settings(user="ana", refresh=REFRESH, **changes)  # type: ignore[arg-type]


@pytest.fixture
def engine(populated_engine: Engine) -> Engine:
    """The reference seed and one other article, as the pipeline stores them."""
    return populated_engine


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'feeds.db'}")
    yield engine
    engine.dispose()


def title(app: object, panel: str) -> str:
    return str(app.dashboard.query_one(f"#panel-{panel}", Panel).border_title)  # type: ignore[attr-defined]


def marks(app: object, panel: str) -> list[str]:
    table = app.dashboard.query_one(f"#{panel}", RecordTable)  # type: ignore[attr-defined]
    return [table.cell_text(key, "mark").strip() for key in table.keys]


def subscribe(engine: Engine, *urls: str) -> None:
    with session(engine) as db:
        for url in urls:
            add_feed(db, url)
        db.commit()


# What's new ---------------------------------------------------------------------------


async def test_n_N_walk_the_new_rows_and_m_M_mark_them(engine: Engine) -> None:
    async with running(engine, settings=settings()) as (app, pilot):
        assert "2 new" in title(app, "partnerships") and "2 new" in title(app, "articles")
        assert marks(app, "partnerships") == ["●", "●"]
        await press(app, pilot, "n")  # from the first row: the next new one
        table = app.dashboard.query_one("#partnerships", RecordTable)
        assert table.cursor_row == 1 and "New: Axel Springer × OpenAI (new)" in screen_text(app)
        await press(app, pilot, "N")
        assert table.cursor_row == 0
        await press(app, pilot, "m")  # read: the marker goes, the count drops
        assert marks(app, "partnerships")[0] == "" and "1 new" in title(app, "partnerships")
        await press(app, pilot, "m")  # and new again
        assert marks(app, "partnerships")[0] == "●"
        await press(app, pilot, "4", "m")
        assert marks(app, "articles") == ["", "●"]
        await press(app, pilot, "M")
        for panel in ("partnerships", "products", "cases", "articles"):
            assert "new" not in title(app, panel) and set(marks(app, panel)) == {""}
        await press(app, pilot, "n")
        assert "Nothing new" in screen_text(app)


async def test_opening_rows_marks_them_read_for_this_user_only(engine: Engine) -> None:
    async with running(engine, settings=settings()) as (app, pilot):
        await press(app, pilot, "4", "enter", "escape")
        assert marks(app, "articles") == ["", "●"]
        await press(app, pilot, "1", "enter", "escape")
        assert marks(app, "partnerships")[0] == ""
    async with running(engine, settings=Settings(user="ben")) as (app, pilot):
        assert marks(app, "articles") == ["●", "●"]  # a colleague has read nothing


async def test_reading_an_article_marks_it_in_place_and_stores_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening an article (and u on its screen) changes its mark without re-reading the panels."""
    import aiwatch.tui.app as app_module

    reads: list[object] = []
    real = app_module.read_dashboard
    monkeypatch.setattr(
        app_module, "read_dashboard", lambda *a, **k: reads.append(a) or real(*a, **k)
    )
    async with running(engine, settings=settings()) as (app, pilot):
        loaded = len(reads)
        await press(app, pilot, "4", "enter")
        assert isinstance(app.screen, ArticleScreen)
        assert marks(app, "articles") == ["", "●"] and "1 new" in title(app, "articles")
        await press(app, pilot, "m")  # unread again, from the article's screen
        assert marks(app, "articles") == ["●", "●"]
        await press(app, pilot, "escape", "enter", "escape")
        assert marks(app, "articles") == ["", "●"] and len(reads) == loaded
    async with running(engine, settings=settings()) as (app, pilot):
        assert marks(app, "articles") == ["", "●"]  # what the screen showed was stored


async def test_a_case_moving_stage_between_two_refreshes_is_marked_new(
    empty: Engine, server: FeedServer
) -> None:
    filed = item(
        1,
        title="Authors Guild sues OpenAI",
        body="The Authors Guild sued OpenAI for copyright infringement in federal court on Monday.",
    )
    route = server.add("/legal.xml", Reply(rss([filed], title="Legal wire")))
    subscribe(empty, route)
    async with running(empty, settings=settings()) as (app, pilot):
        await press(app, pilot, "r")
        assert cells(app, "cases") == ["Authors Guild v. OpenAI"] or len(cells(app, "cases")) == 1
        await press(app, pilot, "M")
        assert "new" not in title(app, "cases")
        ruling = item(
            2,
            title="Judge rules for OpenAI",
            body="Judge rules OpenAI training was fair use in Authors Guild v. OpenAI copyright case.",
        )
        server.add("/legal.xml", Reply(rss([filed, ruling], title="Legal wire")))
        await press(app, pilot, "r")
        assert "1 new" in title(app, "cases") and marks(app, "cases") == ["●"]
        await press(app, pilot, "1", "n")  # no partnership is new: n goes on to the case
        assert app.dashboard.query_one("#cases", RecordTable).has_focus
        assert "(filed → ruling: fair use)" in screen_text(app)


async def test_s_cycles_the_order_of_every_panel(engine: Engine) -> None:
    async with running(engine, settings=settings()) as (app, pilot):
        assert "newest first" in str(
            app.dashboard.query_one("#panel-products", Panel).border_subtitle
        )
        newest = cells(app, "partnerships")
        assert newest == ["Meta × Midjourney", "Axel Springer × OpenAI"]  # by last seen
        await press(app, pilot, "s")
        assert "most reported" in str(
            app.dashboard.query_one("#panel-products", Panel).border_subtitle
        )
        await press(app, pilot, "s")
        assert cells(app, "partnerships") == ["Axel Springer × OpenAI", "Meta × Midjourney"]
        assert cells(app, "products") == sorted(cells(app, "products"), key=str.lower)
        await press(app, pilot, "s")
        assert app.dashboard.filter.sort == "newest"


# One story, many outlets ---------------------------------------------------------------


async def test_one_story_from_three_outlets_is_one_row_and_enter_shows_every_version(
    empty: Engine, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aiwatch.tui.app_live as live

    pages: list[str] = []
    real_page = live.load_panel
    monkeypatch.setattr(
        live, "load_panel", lambda *a, **k: pages.append(a[2]) or real_page(*a, **k)
    )
    versions = {
        "verge": "OpenAI launches Sora 2, its new video model",
        "tc": "OpenAI Launches Sora 2 Video Model",
        "wired": "OpenAI has launched Sora 2, a video-generation model",
    }
    urls = [
        server.add(
            f"/{name}.xml",
            Reply(
                rss(
                    [item(n, title=headline, link=f"https://{name}.example.com/sora-2")],
                    title=name.title(),
                )
            ),
        )
        for n, (name, headline) in enumerate(versions.items(), 1)
    ]
    similar = server.add(
        "/other.xml",
        Reply(
            rss(
                [
                    item(
                        9,
                        title="OpenAI launches Sora 3, its new video model",
                        link="https://other.example.com/sora-3",
                    )
                ],
                title="Other",
            )
        ),
    )
    subscribe(empty, *urls, similar)
    async with running(empty, settings=settings()) as (app, pilot):
        await press(app, pilot, "r")
        table = app.dashboard.query_one("#articles", RecordTable)
        assert table.row_count == 2  # Sora 2 once, and Sora 3, which is another story
        sources = [table.cell_text(k, "source") for k in table.keys]
        assert any(s.endswith("· 3 sources") for s in sources)
        key = next(k for k in table.keys if table.cell_text(k, "source").endswith("3 sources"))
        table.focus()
        table.move_cursor(row=table.keys.index(key))
        await press(app, pilot, "enter")
        assert isinstance(app.screen, StoryScreen)
        shown = screen_text(app)
        assert "3 versions from 3 outlets" in shown
        for headline in versions.values():
            assert headline in shown
        await press(app, pilot, "enter")
        assert app.screen.__class__.__name__ == "ArticleScreen"
        await press(app, pilot, "escape", "escape")
        assert isinstance(app.screen, DashboardScreen) and marks(app, "articles").count("●") == 1
        # Four articles, two stories: every article was read with the first page, so the
        # panel asks for no more (it asked again and again, endlessly, when it counted stories).
        assert not table.more and pages == []


# Watchlist and notifications -------------------------------------------------------------


async def test_w_watches_and_new_events_notify_and_run_the_notify_program(
    empty: Engine, server: FeedServer, tmp_path: Path
) -> None:
    received = tmp_path / "events.jsonl"
    program = (
        sys.executable,
        "-c",
        f"import sys; open({str(received)!r}, 'a').write(sys.stdin.read() + '\\n')",
    )
    first = item(
        1,
        title="Meta partners with Midjourney",
        body="Meta announced a partnership with Midjourney to license its AI image and video generation technology.",
    )
    route = server.add("/deals.xml", Reply(rss([first], title="Deals wire")))
    subscribe(empty, route)
    async with running(empty, settings=settings(notify=NotifySettings(program=program))) as (
        app,
        pilot,
    ):
        await press(app, pilot, "r")
        assert "Meta × Midjourney" in cells(app, "partnerships")
        await press(app, pilot, "1", "w")
        assert marks(app, "partnerships") == ["●★"]
        assert "Watching Meta × Midjourney" in screen_text(app)
        second = item(
            2,
            title="Meta and Midjourney expand their deal",
            body="Meta and Midjourney expanded their partnership to cover AI video generation, the companies said.",
            link="https://example.com/expand",
        )
        server.add("/deals.xml", Reply(rss([first, second], title="Deals wire")))
        await press(app, pilot, "r")
        await app.workers.wait_for_complete()
        assert any(m.startswith("Meta × Midjourney:") for m in notified(app))
        events = [json.loads(line) for line in received.read_text().splitlines() if line]
        assert events and events[0]["user"] == "ana"
        assert events[0]["watched"]["name"] == "Meta × Midjourney"
        assert events[0]["article"]["title"] == "Meta and Midjourney expand their deal"
        assert events[0]["article"]["source"] == "Deals wire"
        await press(app, pilot, "W")
        assert isinstance(app.screen, WatchlistScreen)
        shown = screen_text(app)
        assert "Meta × Midjourney" in shown and "1 watched" in shown
        await press(app, pilot, "w")
        assert "0 watched" in screen_text(app)


async def test_a_company_is_watched_from_its_screen(engine: Engine) -> None:
    async with running(engine, settings=settings()) as (app, pilot):
        await press(app, pilot, "4", "enter", "e")
        mentions = app.screen.query_one("#mentions")
        index = next(
            i
            for i in range(mentions.option_count)
            if (mentions.get_option_at_index(i).id or "").startswith("company:")
        )
        mentions.highlighted = index
        await press(app, pilot, "enter")
        assert isinstance(app.screen, EntityScreen) and app.screen.entity_type == "company"
        assert "Timeline" in screen_text(app)
        await press(app, pilot, "w")
        assert "★ watched" in screen_text(app)
        await press(app, pilot, "t")  # the company's timeline: its deals, cases and products
        assert app.screen.query_one("#timeline", RecordTable).has_focus


# Saved views, trends, palette ------------------------------------------------------------


async def test_V_saves_a_view_and_v_or_the_palette_recalls_it(engine: Engine) -> None:
    async with running(engine, settings=settings()) as (app, pilot):
        await press(app, pilot, "slash", *"video", "enter")
        await press(app, pilot, "V", *"Video watch", "enter")
        assert "Saved view Video watch" in screen_text(app)
        await press(app, pilot, "x")
        assert app.dashboard.filter.text is None
        await press(app, pilot, "v")
        assert isinstance(app.screen, ViewsScreen) and "search: video" in screen_text(app)
        await press(app, pilot, "enter")
        assert app.dashboard.filter.text == "video"
        await press(app, pilot, "x")
        assert app.dashboard.filter.text is None
        hits = await palette_hits(app, pilot, "view: video")
        await choose(app, pilot, hits, "View: Video watch")
        assert app.dashboard.filter.text == "video"


async def test_g_charts_articles_per_week_and_filters_like_the_dashboard(engine: Engine) -> None:
    async with running(engine, settings=settings()) as (app, pilot):
        await press(app, pilot, "g")
        assert isinstance(app.screen, TrendsScreen)
        shown = screen_text(app)
        assert "articles per week" in shown and "By topic" in shown and "By company" in shown
        assert "partnership" in shown and "Meta" in shown
        await press(app, pilot, "c", *"Axel", "enter")
        shown = screen_text(app)
        assert (
            "company: Axel Springer" in shown and "Midjourney" not in shown.split("By company")[1]
        )
        await press(app, pilot, "p")
        assert "26" in str(app.screen.weeks)


# Reading and sharing ----------------------------------------------------------------------


async def test_o_runs_the_configured_browser_and_says_when_none_starts(
    engine: Engine, tmp_path: Path
) -> None:
    opened = tmp_path / "opened.txt"
    browser = ("sh", "-c", f'printf %s "$1" > {opened}', "browser")
    async with running(engine, settings=settings(reading=ReadingSettings(browser=browser))) as (
        app,
        pilot,
    ):
        await press(app, pilot, "4", "down", "o")
        await app.workers.wait_for_complete()
        assert opened.read_text() == "https://example.com/openai-axel-springer"
    missing = ReadingSettings(browser=("/nonexistent/browser",))
    async with running(engine, settings=settings(reading=missing)) as (app, pilot):
        await press(app, pilot, "4", "down", "o")
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        assert any(
            "Could not start the browser: '/nonexistent/browser' was not found" in m
            for m in notified(app)
        )


async def test_y_copies_the_link(engine: Engine) -> None:
    async with running(engine, settings=settings()) as (app, pilot):
        await press(app, pilot, "4", "down", "y")
        assert app.clipboard == "https://example.com/openai-axel-springer"
        await press(app, pilot, "up", "y")
        assert any("no link" in m for m in notified(app))


async def test_pipe_sends_the_article_to_the_command_and_shows_its_output(
    engine: Engine, tmp_path: Path
) -> None:
    received = tmp_path / "piped.md"
    command = f"tee {received} | wc -l; echo piped-ok"
    async with running(engine, settings=settings(reading=ReadingSettings(pipe=command))) as (
        app,
        pilot,
    ):
        await press(app, pilot, "4", "down", "vertical_line")
        assert isinstance(app.screen, PipeScreen)
        await press(app, pilot, "enter")
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        shown = screen_text(app)
        assert "piped-ok" in shown and "exited 0" in shown
        text = received.read_text()
        assert (
            text.startswith(f"# {OTHER_TITLE}\n")
            and "<https://example.com/openai-axel-springer>" in text
        )
        await press(app, pilot, "ctrl+t", "enter")  # the same article as JSON
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        assert json.loads(received.read_text())["title"] == OTHER_TITLE


async def test_e_exports_the_current_view(engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    async with running(engine, settings=settings()) as (app, pilot):
        await press(app, pilot, "c", *"Midjourney", "enter")
        await press(app, pilot, "e")
        await pilot.press("ctrl+u")  # clear the suggested path
        await press(app, pilot, *str(target), "enter")
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        brief = target.read_text()
        assert "Only company Midjourney" in brief and "Meta × Midjourney" in brief
        assert "Axel Springer" not in brief
        assert any(m.startswith("Wrote ") and str(target) in m for m in notified(app))


# Keys of your own -------------------------------------------------------------------------


async def test_a_keymap_override_takes_effect_and_shows_in_help(engine: Engine) -> None:
    keys = (("next-new", "j"), ("show-help", "f1,question_mark"), ("no-such-binding", "z"))
    async with running(engine, settings=settings(keys=keys)) as (app, pilot):
        assert any("no-such-binding" in m for m in notified(app))
        await press(app, pilot, "j")
        assert app.dashboard.query_one("#partnerships", RecordTable).cursor_row == 1
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        rows = {str(c[3].plain): str(c[0].plain) for _, c in app.screen.rows}
        assert rows["next-new"] == "j"
        keys_shown = {str(c[0].plain) for _, c in app.screen.rows}
        assert {"Tab", "Shift+Tab", "Ctrl+P"} <= keys_shown
        assert {"cycle-sort", "toggle-watch", "show-views", "pipe-article", "export-view"} <= set(
            rows
        )


async def test_the_theme_chosen_persists(engine: Engine) -> None:
    async with running(engine, settings=settings()) as (app, pilot):
        app.theme = "nord"
        await settle(app, pilot)
    async with running(engine, settings=settings()) as (app, pilot):
        await settle(app, pilot)
        assert app.theme == "nord"
    async with running(engine, settings=Settings(user="ben")) as (app, pilot):
        assert app.theme != "nord"


# 80×24 first ------------------------------------------------------------------------------


async def test_80x24_shows_every_panel_and_fits_header_footer_and_help(engine: Engine) -> None:
    async with running(engine, size=(80, 24), settings=settings()) as (app, pilot):
        lines = screen_text(app).splitlines()
        assert lines[0].startswith(" aiwatch") and "articles" in lines[0]  # one header line
        body = "\n".join(lines)
        assert "Meta × Midjourney" in body and "Llama" in body  # every panel's first row
        assert cells(app, "products")[0] == "Llama"
        assert "Unnamed plaintiffs v. Meta" in body and SEED_TITLE[:30] in body
        assert lines[-1].rstrip().endswith("q Quit")
        await press(app, pilot, "c", *"Meta", "enter")
        footer = screen_text(app).splitlines()[-1]
        assert "x Clear" in footer and footer.rstrip().endswith("q Quit")
        await press(app, pilot, "question_mark")
        help_lines = screen_text(app).splitlines()
        assert all(len(line_.rstrip()) <= 80 for line_ in help_lines)
        assert any("Next new" in line_ or "next new" in line_ for line_ in help_lines)


async def test_a_toast_never_covers_the_row_it_is_about(engine: Engine) -> None:
    app = make_app(engine=engine, settings=settings(), load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:  # toasts drawn
        await settle(app, pilot)
        table = app.dashboard.query_one("#articles", RecordTable)
        for keys in (("4", "down", "y"), ("up", "y")):  # a link copied, and a row without one
            await press(app, pilot, *keys)
            await wait_for(pilot, lambda: app.screen.query("Toast"), what="a toast")
            await settle(app, pilot)
            focused = app.focused
            assert isinstance(focused, RecordTable)
            row_y = focused.content_region.y + int(focused.show_header) + focused.cursor_row
            toasts = list(app.screen.query("Toast"))
            assert toasts
            for toast in toasts:
                assert not (toast.region.y <= row_y < toast.region.bottom), keys
                assert toast.region.bottom <= app.size.height - 2  # nor the status line
            app.clear_notifications()
        assert table.row_count == 2
