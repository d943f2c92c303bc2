"""Hostile text from data is shown literally in every widget and never styles or drives the app.

The records are written with `store.ingest.save_articles` directly, so the text
reaches the UI without passing `feeds.parse.sanitize`: the TUI's own defences
(`tui.text`) are what is under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

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
from aiwatch.tui.app import make_app
from aiwatch.tui.messages import SeedsLoaded
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.text import clean
from tests.hostile import CONTROL, FORBIDDEN, MARKUP, assert_inert
from tests.tui_support import OTHER_DAY, running, screen_text, settle, wait_for

SIZE = (160, 60)


@dataclass(frozen=True)
class FakeReport:
    """Shaped like `tui.seeding.SeedReport`, saying what it is told in the status line."""

    errors: tuple[str, ...]
    new: int = 0
    changed: int = 0

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
            record, found = hostile_article(index, text)
            save_articles(db, [NewArticle(record, found)], now=OTHER_DAY)
        db.commit()
    yield engine
    engine.dispose()


def assert_literal(shown: str, texts: list[str]) -> None:
    for text in texts:
        assert text in shown, f"{text!r} not shown literally"


async def test_dashboard_tables_and_header_show_markup_literally(hostile_engine: Engine) -> None:
    async with running(hostile_engine, SIZE) as (app, pilot):
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
    async with running(hostile_engine, SIZE) as (app, pilot):
        shown = screen_text(app)
        for visible in ("cleared", "titled", "osc8", "clip", "bidignp.exe", "zerowidth"):
            assert visible in shown
        assert_inert(app)
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg
        board = app.dashboard.dashboard
        assert board is not None
        article_id = next(a.id for a in board.articles if "osc8" in a.title)
        screen = ArticleScreen(article_id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.detail is not None, what="the article")
        await settle(app, pilot)
        assert "osc8" in screen_text(app)
        assert_inert(app)


async def test_pickers_show_company_names_and_topics_literally(hostile_engine: Engine) -> None:
    async with running(hostile_engine, SIZE) as (app, pilot):
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
    async with running(hostile_engine, SIZE) as (app, pilot):
        article_id = next(
            a.id for a in app.dashboard.dashboard.articles if a.title == "[@click=app.quit]x[/]"
        )  # type: ignore[union-attr]
        screen = ArticleScreen(article_id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.detail is not None, what="the article")
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
    async with running(hostile_engine, SIZE) as (app, pilot):
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
    async with running(hostile_engine, SIZE) as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"click")
        await wait_for(pilot, lambda: "[@click=app.quit]x[/]" in screen_text(app))
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
        assert cleaned == visible, (hostile, cleaned)
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
