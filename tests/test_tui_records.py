"""Pilot tests of what issue 11 adds to the screens: unverified marks, confirming, ids,
Reported versus Also mentioned, and the feeds screen's publisher."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from aiwatch.feeds.records import CompanyMention, Extraction, PartnershipFact, ProductFact
from aiwatch.store.db import session
from aiwatch.store.feed_repo import add_feed
from aiwatch.store.models import Article, Feed, Product
from aiwatch.store.queries import load_dashboard
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.screens.prompt import PromptScreen
from aiwatch.tui.screens.search_anything import load_targets
from tests.factories import article, save
from tests.tui_support import press, running, screen_text

DEAL = "Meta teams with Acme Robotics on video models."


def _discoveries(engine: Engine) -> int:
    """An article reporting a deal with an unverified company and launching a discovered
    product, and naming a known one in passing; returns the discovered product's id."""
    save(
        engine,
        article("1", "Meta and Acme Robotics"),
        Extraction(
            companies=(
                CompanyMention("Acme Robotics", False, DEAL, "", "suffix"),
                CompanyMention("Meta", True, DEAL),
            ),
            partnerships=(
                PartnershipFact(
                    ("Acme Robotics", "Meta"), "video", "research", "announced", "fact", DEAL
                ),
            ),
            products=(
                ProductFact(
                    "Zeta-1",
                    "Meta",
                    "video",
                    "announced",
                    True,
                    "Meta unveiled Zeta-1.",
                    False,
                    "called",
                ),
                ProductFact("Sora", "OpenAI", "video", "released", False, "Rivals such as Sora."),
            ),
        ),
    )
    with session(engine) as db:
        product = db.exec(select(Product).where(Product.name == "Zeta-1")).one()
        assert product.id is not None
        return product.id


async def test_unverified_records_are_marked_and_c_confirms_one(sqlite_engine: Engine) -> None:
    product_id = _discoveries(sqlite_engine)
    async with running(sqlite_engine) as (app, pilot):
        shown = screen_text(app)
        assert "Acme Robotics? × Meta" in shown and "Zeta-1?" in shown
        assert "Sora?" not in shown
        await press(app, pilot, "2")
        row = app.dashboard.query_one("#products")
        row.move_cursor(row=[k for k in row.keys].index(str(product_id)))  # type: ignore[attr-defined]
        await press(app, pilot, "enter")
        assert isinstance(app.screen, EntityScreen)
        shown = screen_text(app)
        assert f"Product #{product_id}  Zeta-1  ? unverified · c confirms" in shown
        assert "found by called" in shown and "c Confirm" in shown
        await press(app, pilot, "c")
        shown = screen_text(app)
        assert "? unverified" not in shown and "c Confirm" not in shown
        assert "Verified: yes" in shown
        await press(app, pilot, "escape")
        assert "Zeta-1?" not in screen_text(app)


def test_the_palette_says_which_records_are_unverified(sqlite_engine: Engine) -> None:
    _discoveries(sqlite_engine)
    with session(sqlite_engine) as db:
        labels = {t.text: t.label for t in load_targets(db)}
    assert labels["Zeta-1 (Meta)"].startswith("product · unverified")
    assert labels["Acme Robotics"].startswith("company · unverified")
    assert labels["Acme Robotics × Meta"].startswith("partnership · unverified")
    assert labels["Sora (OpenAI)"] == "product"


async def test_the_article_screen_separates_reported_from_mentioned(sqlite_engine: Engine) -> None:
    _discoveries(sqlite_engine)
    async with running(sqlite_engine) as (app, pilot):
        await press(app, pilot, "4", "enter")
        shown = screen_text(app)
    reported, also, named = (
        shown.index(h) for h in ("Reported", "Also mentioned", "Organisations named")
    )
    assert reported < shown.index("Partnership: Acme Robotics × Meta") < also
    assert reported < shown.index("Product: Zeta-1 ? unverified") < also
    assert (
        also
        < shown.index("Product: Sora")
        < named
        < shown.index("Company: Acme Robotics ? unverified")
    )


async def test_p_sets_the_publisher_of_a_feed_and_rereads_its_articles(
    sqlite_engine: Engine,
) -> None:
    with session(sqlite_engine) as db:
        feed = add_feed(db, "https://www.anthropic.com/news/rss.xml", title="Anthropic News")
        feed.detected_publisher = "Anthropic"
        db.commit()
    async with running(sqlite_engine) as (app, pilot):
        await press(app, pilot, "f")
        assert isinstance(app.screen, FeedsScreen)
        assert "Publisher: Anthropic  (detected · p changes)" in screen_text(app)
        await press(app, pilot, "p")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"Google", "enter")
        await press(app, pilot)
        assert isinstance(app.screen, FeedsScreen)
        assert "Publisher: Google  (set by you · p changes)" in screen_text(app)
    with session(sqlite_engine) as db:
        assert db.exec(select(Feed.publisher)).one() == "Google"
        assert db.exec(select(Article)).all() == []
        assert load_dashboard(db).total_articles == 0


async def test_unverified_marks_show_hostile_names_literally(sqlite_engine: Engine) -> None:
    hostile = "[@click=app.quit]Evil[/] Labs"
    sentence = f"Meta teams with {hostile}."
    save(
        sqlite_engine,
        article("1", "Hostile"),
        Extraction(
            companies=(CompanyMention(hostile, False, sentence, "", "suffix"),),
            partnerships=(
                PartnershipFact(
                    tuple(sorted((hostile, "Meta"))), "", "general", "announced", "fact", sentence
                ),
            ),
            products=(
                ProductFact(
                    "[b]Zeta[/b]", hostile, "text", "announced", True, sentence, False, "called"
                ),
            ),
        ),
    )
    async with running(sqlite_engine) as (app, pilot):
        shown = screen_text(app)
        assert "Meta × [@click=app.quit]Evil[/]" in shown and "[b]Zeta[/b]?" in shown
        await press(app, pilot, "4", "enter", "e")
        shown = screen_text(app)
        assert f"Company: {hostile} ? unverified" in shown
        assert app.is_running
