"""`save_articles`: a whole batch (one feed) in one go, on real SQLite and PostgreSQL.

A batch must store exactly what saving its items one by one would: duplicates
inside the batch, entities created by one item and met again by the next, and
cases matched by their parties before any of them has an id.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import func, select

from aiwatch.store.db import session
from aiwatch.store.details import get_entity
from aiwatch.store.ingest import NewArticle, save_articles
from aiwatch.store.models import Article, ArticleSource, Company, Mention
from aiwatch.store.queries import load_dashboard
from aiwatch.store.reextract import finish_reextract, replace_extractions, stored_records
from tests.factories import T0, ProductFact, article, deal, extraction, lawsuit

FEED = "https://news.example.com/rss"


def count(engine: Engine, table: type) -> int:
    with session(engine) as db:
        return int(db.exec(select(func.count()).select_from(table)).one())


def test_one_batch_merges_deals_cases_and_products_across_its_articles(engine: Engine) -> None:
    nyt = ("The New York Times",)
    items = [
        NewArticle(
            article("1", "NYT sues", source=FEED, published=T0),
            extraction(
                "OpenAI",
                partnerships=[deal("OpenAI", "Microsoft", "They team up.")],
                cases=[lawsuit(("Microsoft", "OpenAI"), "The Times sued.", plaintiffs=nyt)],
            ),
        ),
        NewArticle(
            article("2", "Ruling", source=FEED, published=T0 + timedelta(days=90)),
            extraction(
                partnerships=[deal("Microsoft", "OpenAI", "They expand.", status="expanded")],
                cases=[
                    lawsuit(
                        ("OpenAI",),
                        "Judge denies dismissal.",
                        stage="motion-to-dismiss",
                        caption="NYT v. OpenAI",
                    )
                ],
                products=[
                    ProductFact(
                        "Sora 2", "Soraland Labs", "video", "released", True, "Sora 2 ships."
                    )
                ],
            ),
        ),
        NewArticle(
            article("3", "Older", source=FEED, published=T0 - timedelta(days=1)),
            extraction(
                "OpenAI",
                cases=[lawsuit(("OpenAI",), "Times case filed.", plaintiffs=nyt)],
                products=[
                    ProductFact("Sora 2", None, "video", "mentioned", False, "Sora 2 is good.")
                ],
            ),
        ),
    ]
    with session(engine) as db:
        saved = save_articles(db, items, now=T0)
        db.commit()
    assert [(s.created, s.changed) for s in saved] == [(True, False)] * 3
    with session(engine) as db:
        dashboard = load_dashboard(db)
        (case,) = dashboard.cases
        (partnership,) = dashboard.partnerships
        (product,) = dashboard.products
        timeline = get_entity(db, "partnership", partnership.id)
        companies = db.exec(select(Company.name).order_by(Company.name)).all()
    assert (case.caption, case.stage, case.articles) == ("NYT v. OpenAI", "motion-to-dismiss", 3)
    assert case.plaintiffs == nyt and case.defendants == ("Microsoft", "OpenAI")
    assert (partnership.articles, partnership.status) == (2, "expanded")
    assert partnership.first_seen == T0 and partnership.last_seen == T0 + timedelta(days=90)
    assert timeline is not None
    assert [t.status for t in timeline.timeline] == ["announced", "expanded"]
    assert (product.company, product.status, product.articles) == ("Soraland Labs", "released", 2)
    assert companies == ["Microsoft", "OpenAI", "Soraland Labs", "The New York Times"]


def test_duplicates_inside_one_batch_are_one_article_and_the_last_version_wins(
    engine: Engine,
) -> None:
    link = "https://example.com/story"
    first = article("guid-1", "Story", url=link, source=FEED, text="First version.")
    same_story = article("guid-9", "Story", url=link, source=FEED, text="First version.")
    edited = article("guid-1", "Story", url=link, source=FEED, text="Second version.")
    items = [
        NewArticle(first, extraction("Meta")),
        NewArticle(same_story, extraction("Meta")),
        NewArticle(edited, extraction("Midjourney")),
    ]
    with session(engine) as db:
        saved = save_articles(db, items, now=T0)
        db.commit()
    assert [(s.created, s.changed) for s in saved] == [(True, False), (False, False), (False, True)]
    assert len({s.article_id for s in saved}) == 1
    assert count(engine, Article) == 1
    assert count(engine, ArticleSource) == 2
    with session(engine) as db:
        (summary,) = db.exec(select(Article.summary)).all()
        mentioned = db.exec(
            select(Company.name).join(Mention, Mention.entity_id == Company.id)  # type: ignore[arg-type]
        ).all()
    assert summary == "Second version."
    assert mentioned == ["Midjourney"]


def test_a_batch_after_earlier_batches_updates_what_they_stored(engine: Engine) -> None:
    """Entities read back from the database are updated in place, not duplicated."""
    first = NewArticle(
        article("1", "Deal", source=FEED, published=T0),
        extraction(partnerships=[deal("Meta", "Midjourney", "Meta partners with Midjourney.")]),
    )
    later = NewArticle(
        article("2", "Deal grows", source=FEED, published=T0 + timedelta(days=5)),
        extraction(partnerships=[deal("Midjourney", "Meta", "They expand it.", status="expanded")]),
    )
    for batch in ([first], [first, later]):
        with session(engine) as db:
            save_articles(db, batch, now=T0)
            db.commit()
    with session(engine) as db:
        (row,) = load_dashboard(db).partnerships
    assert (row.articles, row.status, row.last_seen) == (2, "expanded", T0 + timedelta(days=5))


def test_reextract_reads_and_rewrites_in_batches_and_rebuilds_the_same_records(
    engine: Engine,
) -> None:
    found = {
        f"Story {n}": extraction(
            "Meta",
            partnerships=[deal("Meta", f"Partner {n % 2}", f"Meta partners with {n % 2}.")],
        )
        for n in range(5)
    }
    items = [
        NewArticle(article(str(n), title, source=FEED), found[title])
        for n, title in enumerate(found)
    ]
    with session(engine) as db:
        save_articles(db, items, now=T0)
        db.commit()
        before = load_dashboard(db).partnerships
    with session(engine) as db:
        sizes = []
        for batch in stored_records(db, batch=2):
            sizes.append(len(batch))
            replace_extractions(db, [(i, found[record.title], "") for i, record in batch])
        assert finish_reextract(db) == 0
        db.commit()
    with session(engine) as db:
        after = load_dashboard(db).partnerships
    assert sizes == [2, 2, 1]
    assert [(p.id, p.parties, p.articles) for p in after] == [
        (p.id, p.parties, p.articles) for p in before
    ]
    assert sorted(p.articles for p in after) == [2, 3]
