"""Full-text search with the query language, on real SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine

from aiwatch.store.db import _alembic_config, make_engine, session
from aiwatch.store.queries import list_articles, load_dashboard, matching_article_ids
from aiwatch.store.read_models import Filter
from aiwatch.store.search_query import (
    And,
    FieldTerm,
    Not,
    Or,
    QueryError,
    Word,
    format_query,
    parse_query,
    split_filters,
)
from tests.factories import ProductFact, article, empty_postgresql, extraction, save

JUNE = datetime(2025, 6, 10, tzinfo=UTC)
MAY = datetime(2025, 5, 2, tzinfo=UTC)


# -- the language ----------------------------------------------------------------------


def test_the_issue_example_parses_into_filters_and_a_phrase() -> None:
    node = parse_query('company:Meta topic:litigation after:2025-06-01 "fair use"')
    assert node == And(
        (
            FieldTerm("company", "Meta"),
            FieldTerm("topic", "litigation"),
            FieldTerm("after", "2025-06-01"),
            Word("fair use", phrase=True),
        )
    )
    lifted = split_filters(node)
    assert (lifted.company, lifted.topic, lifted.after, lifted.before) == (
        "Meta",
        "litigation",
        "2025-06-01",
        None,
    )
    assert lifted.rest == Word("fair use", phrase=True)


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("sora OR veo", Or((Word("sora"), Word("veo")))),
        ("midjourney -lawsuit", And((Word("midjourney"), Not(Word("lawsuit"))))),
        ("NOT company:Google", Not(FieldTerm("company", "Google"))),
        (
            "(openai OR anthropic) licens*",
            And((Or((Word("openai"), Word("anthropic"))), Word("licens", prefix=True))),
        ),
        (
            'org:"Stability AI" since:2025-06',
            And((FieldTerm("company", "Stability AI"), FieldTerm("after", "2025-06-01"))),
        ),
        ("fair-use", Word("fair use", phrase=True)),
        ('"unclosed phrase', Word("unclosed phrase", phrase=True)),
        ("((a", Word("a")),
        ("a) b", And((Word("a"), Word("b")))),
        ("http://example.com/x", Word("http example com x", phrase=True)),
        ("   ", None),
        ("OR OR", None),
    ],
)
def test_the_language(query: str, tree: object) -> None:
    assert parse_query(query) == tree


def test_queries_written_back_read_the_same() -> None:
    for query in (
        'company:Meta topic:litigation after:2025-06-01 "fair use"',
        "(openai OR anthropic) licens* -lawsuit",
        'NOT (sora OR company:"Stability AI") before:2024-01-01',
        "a OR b c",
    ):
        node = parse_query(query)
        assert parse_query(format_query(node)) == node


def test_bad_dates_and_floods_are_errors_with_a_message() -> None:
    with pytest.raises(QueryError, match="Not a date: 'yesterday'"):
        parse_query("after:yesterday")
    with pytest.raises(QueryError, match="Not a date"):
        parse_query("before:2025-13-40")
    with pytest.raises(QueryError, match="at most 32 terms"):
        parse_query(" ".join(f"w{i}" for i in range(40)))
    assert parse_query("x" * 10_000) == Word("x" * 500)  # bounded, never slow


# -- the store -------------------------------------------------------------------------


@pytest.fixture
def stored(engine: Engine) -> Engine:
    """Five articles with known words, names, topics, dates and sources."""
    save(
        engine,
        article(
            "deal",
            "Meta teams up with Midjourney",
            source="https://news.example.com/feed",
            text="The companies will license AI video technology.",
            published=JUNE,
        ),
        extraction("Meta", "Midjourney", topics=("partnership",)),
    )
    save(
        engine,
        article(
            "ruling",
            "Judge rules for Meta in authors' case",
            text="The court found the training was fair use under copyright law.",
            published=JUNE,
        ),
        extraction("Meta", topics=("litigation",)),
    )
    save(
        engine,
        article(
            "alias",
            "Facebook's parent shows a video model",
            text="The model makes short clips.",
            published=MAY,
        ),
        extraction(
            "Meta",
            products=(ProductFact("MovieGen", "Meta", "video", "hinted", False, "A model."),),
        ),
    )
    save(
        engine,
        article(
            "suit",
            "Artists sue Midjourney over images",
            text="The lawsuit says the use was not fair, and that rulings elsewhere differ.",
            published=MAY,
        ),
        extraction("Midjourney", topics=("litigation",)),
    )
    save(
        engine,
        article(
            "other",
            "OpenAI licenses news archives",
            text="A licensing deal with publishers. Fair prices, the use of archives.",
            published=JUNE,
        ),
        extraction("OpenAI", topics=("partnership",)),
    )
    return engine


def titles(engine: Engine, query: str, **filters: str) -> list[str]:
    with session(engine) as db:
        return [row.title for row in list_articles(db, Filter(text=query or None, **filters))]


def firsts(engine: Engine, query: str) -> set[str]:
    return {title.split()[0] for title in titles(engine, query)}


def test_words_names_phrases_and_stems(stored: Engine) -> None:
    assert firsts(stored, "midjourney") == {"Meta", "Artists"}
    assert firsts(stored, "Meta") == {"Meta", "Judge", "Facebook's"}  # names: Facebook is Meta
    assert firsts(stored, "moviegen") == {"Facebook's"}  # a product's name
    assert firsts(stored, '"fair use"') == {"Judge"}  # the phrase, not the two words
    assert firsts(stored, "fair use") == {"Judge", "Artists", "OpenAI"}
    assert firsts(stored, "ruling") == {"Judge", "Artists"}  # rules, rulings: one stem
    assert firsts(stored, "licens*") == {"Meta", "OpenAI"}


def test_not_or_and_groups(stored: Engine) -> None:
    assert firsts(stored, "midjourney -lawsuit") == {"Meta"}
    assert firsts(stored, "-midjourney") == {"Judge", "Facebook's", "OpenAI"}
    assert firsts(stored, "lawsuit OR moviegen") == {"Artists", "Facebook's"}
    assert firsts(stored, "(openai OR midjourney) licens*") == {"Meta", "OpenAI"}
    assert firsts(stored, "NOT company:Meta") == {"Artists", "OpenAI"}
    assert firsts(stored, "company:midjourney OR product:moviegen") == {
        "Meta",
        "Artists",
        "Facebook's",
    }


def test_fields_dates_and_sources(stored: Engine) -> None:
    assert firsts(stored, "company:meta topic:litigation") == {"Judge"}  # any case
    assert firsts(stored, "after:2025-06-01") == {"Meta", "Judge", "OpenAI"}
    assert firsts(stored, "before:2025-06-10") == {"Facebook's", "Artists"}  # the day excluded
    assert firsts(stored, "source:news.example") == {"Meta"}
    assert firsts(stored, "company:Nobody") == set()
    assert titles(stored, "", company="meta", after="2025-06-01") == titles(
        stored, "company:Meta after:2025-06-01"
    )


def test_the_best_match_comes_first_and_its_words_are_marked(stored: Engine) -> None:
    with session(stored) as db:
        video = list_articles(db, Filter(text="video"))
    assert [r.title for r in video] == [  # in the title outranks in the body, whatever the date
        "Facebook's parent shows a video model",
        "Meta teams up with Midjourney",
    ]
    with session(stored) as db:
        rows = list_articles(db, Filter(text="midjourney"))
    for row in rows:
        marked = [row.title[a:b] for a, b in row.marks]
        assert marked == ["Midjourney"], (row.title, row.marks)
    with session(stored) as db:
        [ruling] = [
            r for r in list_articles(db, Filter(text="rulings")) if r.title.startswith("Judge")
        ]
    assert [ruling.title[a:b] for a, b in ruling.marks] == ["rules"]  # the stem that matched
    with session(stored) as db:
        plain = list_articles(db, Filter(text="company:Meta"))
    assert all(r.marks == () for r in plain)  # no words searched: newest first, nothing marked


def test_panels_follow_the_search(stored: Engine) -> None:
    with session(stored) as db:
        board = load_dashboard(db, Filter(text="moviegen"))
    assert [p.name for p in board.products] == ["MovieGen"]
    with session(stored) as db:
        board = load_dashboard(db, Filter(text="-moviegen"))
    assert board.products == ()


def test_the_index_follows_changes_and_deletes(stored: Engine) -> None:
    changed = article(
        "deal",
        "Meta and Midjourney end talks",
        source="https://news.example.com/feed",
        text="Talks collapsed.",
        published=JUNE,
    )
    save(stored, changed, extraction("Meta"))
    assert "Meta and Midjourney end talks" in titles(stored, "collapsed")
    assert titles(stored, "license AI video technology") == []
    with stored.begin() as connection:
        connection.execute(text("DELETE FROM article WHERE title LIKE 'OpenAI%'"))
    assert titles(stored, "archives") == []


def test_hostile_queries_are_plain_searches(stored: Engine) -> None:
    for query in (
        '"; DROP TABLE article; --',
        "NEAR(a b)",
        "title:x",
        "a:b:c",
        "' OR 1=1",
        "*",
        '"',
    ):
        with session(stored) as db:
            matching_article_ids(db, Filter(text=query))  # no error, no injection
    with session(stored) as db:
        assert len(list_articles(db, Filter())) == 5


@pytest.fixture(params=["sqlite", "pg"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database on each backend (PostgreSQL's emptied again after:
    later tests share it, and rows inserted with their own ids leave its sequences behind)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    url: str = request.getfixturevalue("pg_database_url")
    empty_postgresql(url)
    yield url
    empty_postgresql(url)


def _old_article(connection: Connection, number: int, title: str, body: str) -> None:
    connection.execute(
        text(
            "INSERT INTO article (id, identity, title, author, summary, body, content_hash, "
            "extraction_error, publisher) VALUES (:id, :identity, :title, '', '', :body, 'h', '', '')"
        ),
        {"id": number, "identity": f"x{number}", "title": title, "body": body},
    )


def test_upgrading_indexes_articles_already_stored(empty_url: str) -> None:
    old = create_engine(empty_url)
    with old.begin() as connection:
        command.upgrade(_alembic_config(connection), "0004")
    with old.begin() as connection:
        _old_article(connection, 1, "Facebook shows a model", "A short clip.")
        connection.execute(
            text(
                "INSERT INTO company (id, name, kind, verified, found_by) "
                "VALUES (1, 'Meta', '', true, '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO mention (article_id, entity_type, entity_id, evidence, evidence_key, "
                "certainty, reported) VALUES (1, 'company', 1, '', '', 'fact', true)"
            )
        )
    old.dispose()
    engine = make_engine(empty_url)
    try:
        assert titles(engine, "meta") == ["Facebook shows a model"]
        assert titles(engine, "clip") == ["Facebook shows a model"]
    finally:
        engine.dispose()


def test_upgrading_from_0007_keeps_the_index_and_its_triggers(empty_url: str) -> None:
    """0008 moves PostgreSQL's vectors out of ``article``: what was found is still found,
    and articles written after the upgrade are indexed, re-indexed and dropped."""
    old = create_engine(empty_url)
    with old.begin() as connection:
        command.upgrade(_alembic_config(connection), "0007")
        _old_article(connection, 1, "Judge rules on fair use", "The ruling came on Monday.")
    old.dispose()
    engine = make_engine(empty_url)
    try:
        assert titles(engine, "rulings") == ["Judge rules on fair use"]
        with engine.begin() as connection:
            _old_article(connection, 2, "Studio signs licensing deal", "Terms were not given.")
            connection.execute(text("UPDATE article SET body = 'Talks collapsed.' WHERE id = 1"))
        assert titles(engine, "licensing") == ["Studio signs licensing deal"]
        assert titles(engine, "collapsed") == ["Judge rules on fair use"]
        assert titles(engine, "monday") == []
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM article WHERE id = 2"))
        assert titles(engine, "licensing") == []
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                columns = inspect(connection).get_columns("article")
            assert "search" not in {c["name"] for c in columns}
    finally:
        engine.dispose()
