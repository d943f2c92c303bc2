"""One story carried by several feeds keeps its richest text, whichever feed was saved last."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, select, text

from aiwatch.feeds.records import ArticleRecord
from aiwatch.store.db import session
from aiwatch.store.models import Article, ArticleSource
from tests.factories import article, extraction, save

LINK = "https://news.example.com/meta-midjourney"
SHORT = "Meta partners with Midjourney."
LONG = "Meta announced a partnership with Midjourney to license its AI video technology. " * 4


def version(feed: str, body: str, title: str) -> ArticleRecord:
    return article("entry-1", title, url=LINK, source=feed, text=body)


def stored(engine: Engine) -> tuple[str, str, set[str]]:
    with session(engine) as db:
        row = db.exec(select(Article)).one()
        sources = set(db.exec(select(ArticleSource.source)).all())
    return row.title, row.summary, sources


def clear(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(text(f'DELETE FROM "{table.name}"'))


def test_the_richest_text_wins_in_either_order(engine: Engine) -> None:
    short = version("https://a.example.com/feed", SHORT, "Short title")
    long = version("https://b.example.com/feed", LONG, "Long title")
    results = []
    for order in ((short, long), (long, short)):
        clear(engine)
        for record in order:
            save(engine, record, extraction("Meta"))
        results.append(stored(engine))
    assert results[0] == results[1]
    assert results[0][:2] == ("Long title", LONG)
    assert results[0][2] == {"https://a.example.com/feed", "https://b.example.com/feed"}


def test_a_story_one_feed_carries_follows_its_updates(engine: Engine) -> None:
    feed = "https://a.example.com/feed"
    save(engine, version(feed, LONG, "First"), extraction("Meta"))
    corrected = save(engine, version(feed, SHORT, "Corrected"), extraction("Meta"))
    assert corrected.changed
    assert stored(engine)[:2] == ("Corrected", SHORT)


def test_a_poorer_copy_from_another_feed_changes_nothing(engine: Engine) -> None:
    save(engine, version("https://b.example.com/feed", LONG, "Long title"), extraction("Meta"))
    again = save(engine, version("https://a.example.com/feed", SHORT, "Short"), extraction("Meta"))
    assert not again.changed and not again.created
    again = save(engine, version("https://a.example.com/feed", SHORT, "Short"), extraction("Meta"))
    assert not again.changed  # and stays so on every later refresh of that feed
    title, body, sources = stored(engine)
    assert (title, body) == ("Long title", LONG) and len(sources) == 2


def test_equally_rich_versions_are_decided_the_same_way_in_either_order(engine: Engine) -> None:
    one = version("https://a.example.com/feed", "A" * 50, "One")
    two = version("https://b.example.com/feed", "B" * 50, "Owt")
    winners = []
    for order in ((one, two), (two, one)):
        clear(engine)
        for record in order:
            save(engine, record, extraction("Meta"))
        winners.append(stored(engine)[0])
    assert winners[0] == winners[1]
