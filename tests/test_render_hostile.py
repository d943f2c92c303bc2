"""Hostile text from data is shown literally in every widget and never styles or drives the app.

The records are written with `store.ingest.save_articles` directly, so the text
reaches the UI without passing `feeds.parse.sanitize`: the TUI's own defences
(`tui.text`) are what is under test.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from aiwatch.feeds.parse.sanitize import safe_url
from aiwatch.feeds.records import (
    ArticleRecord,
    CaseFact,
    CompanyMention,
    Extraction,
    PartnershipFact,
    ProductFact,
    Section,
)
from aiwatch.store.db import make_engine, session
from aiwatch.store.ingest import NewArticle, save_articles
from aiwatch.store.read_models import Filter
from aiwatch.store.search_query import FieldTerm, format_query
from aiwatch.tui.app import AiwatchApp, make_app
from aiwatch.tui.messages import SeedsLoaded
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.text import clean
from tests.tui_support import OTHER_DAY, screen_text

MARKUP = [
    "[bold]x",
    "[/]",
    "[/",
    "a[/foo]b",
    "[$accent]",
    "[@click=app.quit]x[/]",
    "[link=file:///etc/passwd]x[/link]",
    "C:\\path\\",
]
CONTROL = {
    "\x1b[2Jcleared": "cleared",
    "\x1b]0;pwned\x07titled": "titled",
    "\x1b]8;;https://evil.example\x1b\\osc8\x1b]8;;\x1b\\": "osc8",
    "\x1b]52;c;cHduZWQ=\x07clip": "clip",
    "c1\x9b31m\x9d0;x\x9cend": "c1",
    "nul\x00del\x7fcr\rbs\x08": "nul",
    "bidi\u202egnp.exe": "bidignp.exe",
    "zero\u200bwidth": "zerowidth",
}
FORBIDDEN = set(chr(c) for c in range(32) if c != 10) | {"\x7f"} | set(map(chr, range(0x80, 0xA0)))
FORBIDDEN |= {
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",
    "\u200e",
    "\u200f",
}


@dataclass(frozen=True)
class FakeReport:
    """Shaped like `tui.seeding.SeedReport`."""

    errors: tuple[str, ...]

    def describe(self) -> str:
        return f"Seeds: {len(self.errors)} error(s): {'; '.join(self.errors)}"


def hostile_article(index: int, text: str) -> tuple[ArticleRecord, Extraction]:
    """An article whose every field, and every entity found in it, is ``text``."""
    record = ArticleRecord(
        source=f"seed:{text}",
        entry_key=f"hostile-{index}",
        url=f"https://example.com/{index}",
        title=f"{text}",
        published=OTHER_DAY,
        summary=text,
        sections=(Section(text, text),),
        author=text,
    )
    found = Extraction(
        companies=(CompanyMention(text, False, text),),
        partnerships=(
            PartnershipFact(tuple(sorted((text, "Meta"))), text, text, text, "fact", text),
        ),
        products=(ProductFact(f"{text} model", text, text, text, True, text),),
        cases=(
            CaseFact(
                None, (text,), ("Meta",), None, None, (text,), text, text, "lawsuit", "fact", text
            ),
        ),
        topics=(text[:60],),
        key_points=(text,),
    )
    return record, found


@pytest.fixture
def hostile_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'hostile.db'}")
    with session(engine) as db:
        for index, text in enumerate([*MARKUP, *CONTROL]):
            save_articles(db, [NewArticle(*hostile_article(index, text))], now=OTHER_DAY)
        db.commit()
    yield engine
    engine.dispose()


@asynccontextmanager
async def running(
    engine: Engine, size: tuple[int, int] = (160, 60)
) -> AsyncIterator[tuple[AiwatchApp, Pilot[None]]]:
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def settle(app: AiwatchApp, pilot: Pilot[None]) -> None:
    for _ in range(5):  # until no worker is left running (each round lets results land)
        with suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if all(w.is_finished for w in app.workers):
            break


def segments(app: AiwatchApp) -> list[Segment]:
    """Every segment the current screen renders (what reaches the terminal)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True)
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return list(console.render(update, console.options))


def assert_inert(app: AiwatchApp) -> None:
    """No control character, link or click action in anything rendered; the app runs."""
    assert app.is_running
    for segment in segments(app):
        if segment.control:
            continue
        assert not FORBIDDEN & set(segment.text), repr(segment.text)
        style = segment.style
        if style is not None:
            assert not style.link, (segment.text, style.link)
            assert "@click" not in (style.meta or {}), (segment.text, style.meta)


def assert_literal(shown: str, texts: list[str]) -> None:
    for text in texts:
        assert text in shown, f"{text!r} not shown literally"


async def test_dashboard_tables_and_header_show_markup_literally(hostile_engine: Engine) -> None:
    async with running(hostile_engine) as (app, pilot):
        shown = screen_text(app)
        assert_literal(
            shown, ["[bold]x", "[@click=app.quit]x[/]", "a[/foo]b", "[$accent]", "C:\\path\\"]
        )
        assert_inert(app)
        for hostile in MARKUP:
            app.dashboard.filter = Filter(company=hostile)
            await settle(app, pilot)
            assert f"company: {hostile}" in screen_text(app)
            assert_inert(app)


async def test_every_panel_lists_markup_literally(hostile_engine: Engine) -> None:
    async with running(hostile_engine, size=(180, 40)) as (app, pilot):
        for hostile in MARKUP:  # narrowed to the articles whose seed name holds the markup
            app.dashboard.filter = Filter(text=format_query(FieldTerm("source", hostile)))
            await settle(app, pilot)
            shown = screen_text(app)
            assert f"Meta × {hostile}" in shown or f"{hostile} × Meta" in shown  # partnership
            assert f"{hostile} v. Meta" in shown  # case
            assert "2025-05-12  " + hostile in shown  # article
            board = app.dashboard.dashboard
            assert board is not None and board.products  # (the store may merge similar names)
            for product in board.products:
                assert product.name in shown
            assert_inert(app)


async def test_control_sequences_never_reach_the_terminal(hostile_engine: Engine) -> None:
    async with running(hostile_engine) as (app, pilot):
        shown = screen_text(app)
        for visible in ("cleared", "titled", "osc8", "clip", "bidignp.exe", "zerowidth"):
            assert visible in shown
        assert_inert(app)
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg
        board = app.dashboard.dashboard
        assert board is not None
        article_id = next(a.id for a in board.articles if "osc8" in a.title)
        await app.push_screen(ArticleScreen(article_id))
        await settle(app, pilot)
        assert "osc8" in screen_text(app)
        assert_inert(app)


async def test_pickers_show_company_names_and_topics_literally(hostile_engine: Engine) -> None:
    async with running(hostile_engine) as (app, pilot):
        await pilot.press("c")
        await settle(app, pilot)
        assert_literal(
            screen_text(app), ["[bold]x  1 article", "[/]  1 article", "[@click=app.quit]x[/]"]
        )
        assert_inert(app)
        await pilot.press(*"[@click", "enter")
        await settle(app, pilot)
        assert app.dashboard.filter.company == "[@click=app.quit]x[/]"
        assert app.is_running
        await pilot.press("t")
        await settle(app, pilot)
        assert_literal(screen_text(app), ["[$accent]", "a[/foo]b"])
        assert_inert(app)


async def test_article_and_entity_screens_show_markup_literally(hostile_engine: Engine) -> None:
    async with running(hostile_engine) as (app, pilot):
        article_id = next(
            a.id for a in app.dashboard.dashboard.articles if a.title == "[@click=app.quit]x[/]"
        )  # type: ignore[union-attr]
        await app.push_screen(ArticleScreen(article_id))
        await settle(app, pilot)
        shown = screen_text(app)
        assert (
            shown.count("[@click=app.quit]x[/]") >= 4
        )  # title, author, section, summary, mentions
        assert "by [@click=app.quit]x[/]" in shown
        assert "Company: [@click=app.quit]x[/]" in shown
        assert_inert(app)
        await pilot.press("e", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EntityScreen)
        shown = screen_text(app)
        assert "Meta × [@click=app.quit]x[/]" in shown
        assert "“[@click=app.quit]x[/]”" in shown
        assert_inert(app)


async def test_notifications_and_status_line_show_messages_literally(
    hostile_engine: Engine,
) -> None:
    async with running(hostile_engine) as (app, pilot):
        errors = (
            "[@click=app.quit]x[/].txt: not UTF-8 text",
            "[link=file:///etc/passwd]x[/link].md: empty file",
        )
        app.post_message(SeedsLoaded(FakeReport(errors)))
        await settle(app, pilot)
        shown = screen_text(app)
        assert "[@click=app.quit]x[/].txt: not UTF-8 text" in shown
        assert "[link=file:///etc/passwd]x[/link].md: empty file" in shown
        assert_inert(app)


async def test_command_palette_hits_are_literal(hostile_engine: Engine) -> None:
    async with running(hostile_engine) as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"click")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert "[@click=app.quit]x[/]" in screen_text(app)
        assert_inert(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running


def test_text_helpers_are_literal_and_clean() -> None:
    for hostile in MARKUP:
        assert clean(hostile) == hostile
    for hostile, visible in CONTROL.items():
        cleaned = clean(hostile)
        assert not FORBIDDEN & set(cleaned), repr(cleaned)
        assert visible.replace("nul", "nul") in cleaned or visible in cleaned.replace(" ", "")
    assert safe_url("https://example.com/a?b=c") == "https://example.com/a?b=c"
    for bad in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "ftp://example.com/",
        "https://exa\u202emple.com/",
        "https://example.com/\x1b[2J",
        "https://example.com/a b",
        "https://example.com/\u061c",
        "https://example.com/\u206f",
        "https://user:pass@example.com/",
        "//example.com/",
        "",
        None,
    ):
        assert safe_url(bad) is None, bad


async def test_seed_files_with_hostile_titles_load_and_show_literally(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    titles = {
        "bold.txt": "[bold]x",
        "close.txt": "[/]",
        "click.txt": "[@click=app.quit]x[/]",
        "clear.txt": "\x1b[2JScreen cleared",
    }
    for name, title in titles.items():
        (seeds / name).write_text(f"{title}\n\nNews Summary\n{title} said Meta and OpenAI.\n")
    engine = make_engine(f"sqlite:///{tmp_path / 'seeds.db'}")
    app = make_app(engine=engine, seed_dir=seeds, live_reload=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Seeds: 4 file(s), 4 new" in shown
        assert_literal(shown, ["[bold]x", "[/]", "[@click=app.quit]x[/]", "Screen cleared"])
        assert "[2J" not in shown
        assert_inert(app)
        await pilot.press("4", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert_inert(app)
    engine.dispose()
