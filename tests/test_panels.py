"""The paged panels (`store.panels`) on real SQLite and PostgreSQL, against a brute-force reading.

A few hundred articles from `benchmarks.year` (realistic names, deals, products,
cases, topics) are stored; for each filter and order, every page the database
returns is compared with what reading every row in Python says: which records
pass, in which order, and how many.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from aiwatch.store import queries
from aiwatch.store.db import make_engine, session
from aiwatch.store.ingest import NewArticle, save_articles
from aiwatch.store.models import (
    Article,
    ArticleStory,
    CaseParty,
    Company,
    CopyrightCase,
    Mention,
    Partnership,
    PartnershipParty,
    Product,
    StatusChange,
    as_utc,
)
from aiwatch.store.panels import case_page, partnership_page, product_page
from aiwatch.store.queries import count_articles, list_articles, load_panel, matching_article_ids
from aiwatch.store.read_models import Filter
from aiwatch.store.search import company_ids, names_held
from benchmarks.year import articles
from tests.conftest import truncate_all

COUNT = 400
FILTERS = [
    Filter(),
    Filter(company="OpenAI"),
    Filter(company="openai"),  # any case
    Filter(topic="litigation"),
    Filter(text="licensing"),
    Filter(text="-openai"),
    Filter(company="Anthropic", topic="partnership"),
    Filter(after="2025-07-01", before="2025-10-01"),
]


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def year(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The articles on real SQLite and real PostgreSQL, stored once per module: the tests
    here only read them."""
    pg = request.param == "pg"
    url = (
        request.getfixturevalue("pg_database_url")
        if pg
        else f"sqlite:///{tmp_path_factory.mktemp('year') / 'aiwatch.db'}"
    )
    engine = make_engine(url)
    items = [NewArticle(record, found) for _, record, found in articles(COUNT, 8, batch=50)]
    with session(engine) as db:
        for start in range(0, COUNT, 50):
            save_articles(db, items[start : start + 50])
            db.commit()
    yield engine
    if pg:
        truncate_all(engine)
    engine.dispose()


def supported(db: Any, kind: str) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for entity_id, article_id in db.exec(
        select(Mention.entity_id, Mention.article_id).where(Mention.entity_type == kind)
    ).all():
        found[entity_id].add(article_id)
    return found


def expected_ids(db: Any, filt: Filter, kind: str) -> set[int]:
    """Which records pass ``filt``, read the slow way (every row in Python)."""
    support = supported(db, kind)
    table = {"partnership": Partnership, "product": Product, "case": CopyrightCase}[kind]
    ids = {int(i) for i in db.exec(select(table.id)).all()}
    if filt.company:
        wanted = {
            c.id for c in db.exec(select(Company)).all() if c.name.lower() == filt.company.lower()
        }
        if kind == "partnership":
            pairs = db.exec(select(PartnershipParty.partnership_id, PartnershipParty.company_id))
            ids &= {p for p, c in pairs.all() if c in wanted}
        elif kind == "product":
            ids &= {p.id for p in db.exec(select(Product)).all() if p.company_id in wanted}
        else:
            parties = db.exec(select(CaseParty.case_id, CaseParty.company_id)).all()
            ids &= {c for c, company in parties if company in wanted}
    for narrowing in (
        Filter(topic=filt.topic),
        Filter(text=filt.text, after=filt.after, before=filt.before),
    ):
        passing = matching_article_ids(db, narrowing)
        if passing is not None:
            ids = {i for i in ids if support[i] & passing}
    return ids


def counts(db: Any, kind: str) -> dict[int, int]:
    return {entity: len(found) for entity, found in supported(db, kind).items()}


def latest(db: Any, kind: str) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for entity_id, at in db.exec(
        select(StatusChange.entity_id, StatusChange.at).where(StatusChange.entity_type == kind)
    ).all():
        when = as_utc(at)
        if when is not None and (entity_id not in found or when > found[entity_id]):
            found[entity_id] = when
    return found


Pager = Callable[..., Any]
PAGERS: list[tuple[str, Pager]] = [
    ("partnership", partnership_page),
    ("product", product_page),
    ("case", case_page),
]


@pytest.mark.parametrize("sort", ["newest", "reported", "name"])
def test_every_page_is_what_reading_every_row_says(year: Engine, sort: str) -> None:
    with session(year) as db:
        for kind, pager in PAGERS:
            article_counts = counts(db, kind)
            events = latest(db, kind) if kind != "partnership" else {}
            for base in FILTERS:
                filt = replace(base, sort=sort)
                everything = pager(db, filt, limit=None).rows
                wanted = expected_ids(db, filt, kind)
                assert {r.id for r in everything} == wanted, (kind, filt)
                assert all(r.articles == article_counts.get(r.id, 0) for r in everything)
                assert all(getattr(r, "latest", None) == events.get(r.id) for r in everything)
                _check_order(db, kind, sort, everything)
                pages = [pager(db, filt, offset=o, limit=7) for o in range(0, len(wanted) + 7, 7)]
                assert [r.id for p in pages for r in p.rows] == [r.id for r in everything]
                assert {p.total for p in pages} == {len(wanted)}
                assert [p.more for p in pages if p.rows][-1:] in ([], [False])


def _check_order(db: Any, kind: str, sort: str, rows: Any) -> None:
    if sort == "reported":
        assert [r.articles for r in rows] == sorted((r.articles for r in rows), reverse=True)
    elif sort == "newest" and kind == "partnership":
        seen = [r.last_seen for r in rows]
        assert seen == sorted(seen, reverse=True)
    elif sort == "newest":
        events = latest(db, kind)
        keys = [events.get(r.id) or (r.last_seen if kind == "case" else None) for r in rows]
        dated = [k for k in keys if k is not None]
        assert dated == sorted(dated, reverse=True)
        assert keys[: len(dated)] == dated  # the never-dated last


def test_the_articles_panel_counts_and_pages_what_passes(
    year: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session(year) as db:
        for filt in FILTERS:
            matching = matching_article_ids(db, filt)
            expected = COUNT if matching is None else len(matching)
            assert count_articles(db, filt) == expected, filt
            first = load_panel(db, filt, "articles", limit=30)
            assert first.total == expected
            everything = [r.id for r in list_articles(db, filt, limit=None)]
            assert len(everything) == expected

            assert pages(db, filt, expected) == everything
            monkeypatch.setattr(queries, "WALK_FROM", 0)  # SQLite walks the recency index
            assert pages(db, filt, expected) == everything  # the same rows and order either way
            monkeypatch.undo()


def pages(db: Any, filt: Filter, expected: int) -> list[int]:
    """Every article passing ``filt``, read 30 at a time."""
    return [
        r.id
        for offset in range(0, expected, 30)
        for r in list_articles(db, filt, limit=30, offset=offset)
    ]


def test_the_articles_panel_reads_no_article_text(year: Engine) -> None:
    """A page of articles shows titles: reading their bodies and summaries is most of the
    bytes a listing would fetch, for nothing (and one lazy load per row if touched)."""
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(year, "before_cursor_execute", note)
    try:
        with session(year) as db:
            for filt in (Filter(), Filter(company="OpenAI"), Filter(text="licensing")):
                statements.clear()
                page = load_panel(db, filt, "articles", limit=30, user="analyst")
                assert page.rows and all(row.title for row in page.rows)
                reading = [s for s in statements if "article.body" in s or "article.summary" in s]
                assert not reading, (filt, reading)
    finally:
        event.remove(year, "before_cursor_execute", note)


def test_the_articles_panel_looks_its_company_up_once_and_labels_its_rows_in_one_read(
    year: Engine,
) -> None:
    """The count, the list and the walk share one lookup of the filter's company, and the
    first reports of stories that begin outside the page are labelled with the page: one
    read each of sources, companies and topics."""
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()))

    openai = Filter(company="OpenAI")
    with session(year) as db:
        top = list_articles(db, openai, limit=1)[0]
        others = set(db.exec(select(Article.id)).all()) - set(
            matching_article_ids(db, openai) or ()
        )
        first = min(others)  # a story that began with another article, off the page
        db.add_all([ArticleStory(article_id=i, story_id=first) for i in (first, top.id)])
        db.flush()
        event.listen(year, "before_cursor_execute", note)
        try:
            page = load_panel(db, openai, "articles", limit=30)
        finally:
            event.remove(year, "before_cursor_execute", note)
        db.rollback()
    assert page.rows[0].id == first and set(page.rows[0].versions) == {first, top.id}
    lookups = [s for s in statements if "FROM company WHERE company.name =" in s]
    assert len(lookups) == 1, lookups
    assert len([s for s in statements if s.startswith("SELECT articletopic.article_id")]) == 1


def test_a_company_is_held_for_the_read_only(year: Engine) -> None:
    """Inside `names_held` a name is looked up once; after it, a renamed company is seen."""
    with session(year) as db:
        (openai,) = db.exec(select(Company).where(Company.name == "OpenAI")).all()
        with names_held(db):
            ids = company_ids(db, "OpenAI")
            openai.name = "OpenAI Renamed"
            db.flush()
            assert company_ids(db, "OpenAI") == ids
        assert company_ids(db, "OpenAI") == []
        assert company_ids(db, "OpenAI Renamed") == ids
        db.rollback()


@pytest.mark.parametrize("panel", ["partnerships", "products", "cases", "articles"])
def test_a_pages_details_are_read_by_the_same_statements_whatever_its_ids(
    year: Engine, panel: str
) -> None:
    """Pages of different sizes read their rows' details with the same SQL: the ids are bound
    as one list, so the statements are built and compiled once (an ``IN`` expanded per id
    made a new statement for every page, which cost more than running it)."""
    texts: list[set[str]] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        texts[-1].add(" ".join(statement.split()))

    event.listen(year, "before_cursor_execute", note)
    try:
        with session(year) as db:
            for limit, offset in ((3, 0), (11, 3)):
                texts.append(set())
                page = load_panel(db, Filter(), panel, limit=limit, offset=offset, user="analyst")
                assert len(page.rows) > 1
    finally:
        event.remove(year, "before_cursor_execute", note)
    assert texts[0] == texts[1]
