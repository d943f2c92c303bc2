"""Hostile text and dates through parse → extract → store, identically on SQLite and PostgreSQL.

NUL bytes, lone surrogates (as character references and as raw bytes), 4-byte
emoji, megabyte strings and dates with offsets go in; what comes back from the
database is exactly the parsed record: NUL and surrogates dropped or shown as
U+FFFD, emoji intact, lengths capped, times in UTC. The same expectations run on
both backends (the ``engine`` fixture).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import String, Text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, col, select

from aiwatch.feeds.parse.body import MAX_SUMMARY, parse_feed
from aiwatch.feeds.parse.sanitize import MAX_AUTHOR, MAX_TEXT, MAX_TITLE
from aiwatch.feeds.records import ArticleRecord, CompanyMention, Extraction, PartnershipFact
from aiwatch.feeds.work import KnowledgeExtractor
from aiwatch.store.db import session
from aiwatch.store.details import get_article
from aiwatch.store.ingest import NewArticle, save_articles
from aiwatch.store.models import Article, ArticleSection, Company, Feed, Partnership
from aiwatch.store.queries import load_dashboard
from aiwatch.tui.cli import main

FEED = "https://feeds.example.com/hostile.xml"
MEGABYTE = 1_000_000
PARROT = "\U0001f99c"  # 4 bytes in UTF-8, a surrogate pair in UTF-16
BRAIN = "\U0001f9e0"


VARIANTS = {
    "char-refs": (b"&#0;", b"&#xD800;"),  # well-formed: the strict path repairs them
    "raw-nul": (b"\x00", b"&#xD800;"),  # not well-formed: feedparser's loose path
    "raw-surrogate": (
        b"\x00",
        b"\xed\xa0\x80",
    ),  # and not valid UTF-8: only those bytes are replaced
}


def hostile_rss(variant: str) -> bytes:
    """RSS whose fields carry NUL, lone surrogates, emoji, 1 MB strings and offset dates."""
    nul, surrogate = VARIANTS[variant]
    huge = b"M" * MEGABYTE
    emoji = PARROT.encode() + b"&#x1F9E0;"
    items = [
        b"<item><title>Meta" + nul + b" and OpenAI " + emoji + surrogate + b" team up</title>"
        b"<link>https://news.example.com/1</link><guid>g1</guid>"
        b"<author>jo@example.com (Jo" + nul + b" " + emoji + b")</author>"
        b"<pubDate>Mon, 02 Jun 2025 10:00:00 +0530</pubDate>"
        b"<description>Meta partnered with OpenAI"
        + nul
        + b" on video. "
        + emoji
        + surrogate
        + b"</description></item>",
        b"<item><title>" + huge + b"</title><link>https://news.example.com/2</link>"
        b"<guid>g2</guid><pubDate>Sun, 01 Jun 2025 23:30:00 -0700</pubDate>"
        b"<description>" + huge + b"</description></item>",
        b"<item><title>From the future</title><link>https://news.example.com/3</link>"
        b"<guid>g3</guid><pubDate>Thu, 01 Jan 2099 00:00:00 GMT</pubDate>"
        b"<description>x</description></item>",
        b"<item><title>Epoch</title><link>https://news.example.com/4</link>"
        b"<guid>g4</guid><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate>"
        b"<description>y</description></item>",
    ]
    return (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        b"<title>Hostile "
        + nul
        + PARROT.encode()
        + b"</title><link>https://example.com/</link>"
        + b"".join(items)
        + b"</channel></rss>"
    )


def parsed(variant: str) -> tuple[ArticleRecord, ...]:
    feed = parse_feed(hostile_rss(variant), url=FEED, now=datetime(2025, 6, 3, tzinfo=UTC))
    assert not feed.error, feed.error
    assert len(feed.entries) == 4
    return feed.entries


def clean(text: str) -> bool:
    """No NUL, no lone surrogate, encodable as UTF-8."""
    return "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_parser_output_is_clean_capped_and_utc(variant: str) -> None:
    first, huge, future, epoch = parsed(variant)
    for record in (first, huge, future, epoch):
        for text in (record.title, record.summary, record.author, record.body):
            assert clean(text)
        assert record.published is None or record.published.utcoffset() == timedelta(0)
    assert first.title.startswith("Meta") and "and OpenAI" in first.title
    assert first.published == datetime(2025, 6, 2, 4, 30, tzinfo=UTC)
    assert huge.published == datetime(2025, 6, 2, 6, 30, tzinfo=UTC)
    assert len(huge.title) <= MAX_TITLE and len(huge.summary) <= MAX_SUMMARY
    assert all(len(s.text) <= MAX_TEXT for s in huge.sections)
    assert len(first.author) <= MAX_AUTHOR
    # A date past "now" plus two days, or before 1990, is a feed's mistake: no date at all.
    assert (future.published, epoch.published) == (None, None)


@pytest.mark.parametrize("variant", ["char-refs", "raw-nul", "raw-surrogate"])
def test_emoji_survive_next_to_nul_and_lone_surrogates(variant: str) -> None:
    """NUL and surrogates are dropped or shown as U+FFFD; the characters around them are kept."""
    first = parsed(variant)[0]
    assert first.title.replace("\ufffd", "") == f"Meta and OpenAI {PARROT}{BRAIN} team up"
    assert first.author.replace("\ufffd", "") == f"Jo {PARROT}{BRAIN}"
    title = parse_feed(hostile_rss(variant), url=FEED).title
    assert title.replace("\ufffd", "") == f"Hostile {PARROT}"


def stored_article(engine: Engine, record: ArticleRecord) -> Article:
    with session(engine) as db:
        return db.exec(select(Article).where(Article.url == record.url)).one()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_hostile_feed_round_trips_identically(engine: Engine, variant: str) -> None:
    records = parsed(variant)
    extractor = KnowledgeExtractor()
    with session(engine) as db:
        save_articles(db, [NewArticle(r, extractor(r)) for r in records])
        db.commit()
    for record in records:
        row = stored_article(engine, record)
        assert (row.title, row.author, row.summary, row.body) == (
            record.title,
            record.author,
            record.summary,
            record.body,
        )
        assert row.published == record.published
        assert row.published is None or row.published.tzinfo is not None
        assert row.published is None or row.published.utcoffset() == timedelta(0)
        with session(engine) as db:
            sections = db.exec(
                select(ArticleSection)
                .where(ArticleSection.article_id == row.id)
                .order_by(col(ArticleSection.position))
            ).all()
            detail = get_article(db, int(row.id or 0))
        assert tuple((s.name, s.text) for s in sections) == tuple(
            (s.name, s.text) for s in record.sections
        )
        assert detail is not None and detail.row.title == record.title
    with session(engine) as db:
        board = load_dashboard(db)
        names = {c.name for c in db.exec(select(Company))}
    assert {"Meta", "OpenAI"} <= names
    assert {a.title for a in board.articles} == {r.title for r in records}
    assert all(a.published is None or a.published.tzinfo is not None for a in board.articles)
    assert_every_stored_string_is_clean(engine)


def test_hostile_extraction_is_capped_and_stored_on_both_backends(engine: Engine) -> None:
    """Entity names and evidence longer than any column, with emoji, are stored without error."""
    name = f"Giant{PARROT}" + "x" * MEGABYTE
    evidence = f"{name} partnered with Meta. " * 2
    record = ArticleRecord(
        source=FEED,
        entry_key="giant",
        url="https://news.example.com/giant",
        title=f"Giant {PARROT}",
        published=datetime(2025, 6, 2, 10, tzinfo=timezone(timedelta(hours=9))),
        summary=evidence,
    )
    found = Extraction(
        companies=(CompanyMention(name, False, evidence),),
        partnerships=(
            PartnershipFact(
                tuple(sorted((name, "Meta"))), name, "x", "announced", "fact", evidence
            ),
        ),
        topics=(name,),
    )
    with session(engine) as db:
        save_articles(db, [NewArticle(record, found)])
        db.commit()
    row = stored_article(engine, record)
    assert row.published == datetime(2025, 6, 2, 1, tzinfo=UTC)
    with session(engine) as db:
        stored = db.exec(select(Company).where(col(Company.name).startswith("Giant"))).one()
        board = load_dashboard(db)
    assert stored.name.startswith(f"Giant{PARROT}") and len(stored.name) <= 300
    assert board.partnerships and board.articles[0].title == f"Giant {PARROT}"
    assert_every_stored_string_is_clean(engine)


def assert_every_stored_string_is_clean(engine: Engine) -> None:
    """Every text column of every table, read back: no NUL, no surrogate; bounded columns fit."""
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            text_columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not text_columns:
                continue
            for values in connection.execute(select(*text_columns)):
                for column, value in zip(text_columns, values, strict=True):
                    if value is None:
                        continue
                    assert clean(value), (table.name, column.name)
                    limit = getattr(column.type, "length", None)
                    assert limit is None or len(value) <= limit, (table.name, column.name)


def test_command_line_bytes_that_are_not_utf8_round_trip(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python hands such bytes over as lone surrogates; they arrive as U+FFFD, nothing crashes."""
    db = engine.url.render_as_string(hide_password=False)
    with session(engine) as s:
        record = ArticleRecord(FEED, "deal", None, "Deal", None, "Meta and OpenAI.")
        deal = PartnershipFact(("Meta", "OpenAI"), "video", "x", "announced", "fact", "A deal.")
        save_articles(s, [NewArticle(record, Extraction(partnerships=(deal,)))])
        s.commit()
        deal_id = s.exec(select(Partnership.id)).one()
    latin1 = "caf\udce9"  # "café" typed in latin-1, read by a UTF-8 terminal
    assert main(["--db", db, "edit", "partnership", str(deal_id), f"focus={latin1}"]) == 0
    assert main(["--db", db, "export", "--format", "md", "--company", latin1]) == 1  # none such
    edited = capsys.readouterr()
    assert "focus=caf\ufffd" in edited.out and "no company matches 'caf\ufffd'" in edited.err
    assert (
        main(["--db", db, "feeds", "add", f"https://example.com/{latin1}", "--title", latin1]) == 0
    )
    out = capsys.readouterr().out
    assert "Subscribed to https://example.com/caf" in out
    with session(engine) as s:
        assert s.get(Partnership, deal_id).focus == "caf\ufffd"  # type: ignore[union-attr]
        assert s.exec(select(Feed.title)).one() == "caf\ufffd"
