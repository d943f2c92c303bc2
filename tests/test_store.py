"""The store on real SQLite and real PostgreSQL: idempotent ingest, consolidation, queries."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from aiwatch.store.db import SQLITE_PAGE_SIZE, StoreError, make_engine, session
from aiwatch.store.details import get_article, get_entity
from aiwatch.store.models import Article, ArticleSource, CopyrightCase, Mention, Partnership
from aiwatch.store.queries import company_counts, load_dashboard, topic_counts
from aiwatch.store.read_models import Filter
from tests.factories import T0, ProductFact, article, deal, extraction, lawsuit, save


def count(engine: Engine, table: type) -> int:
    with session(engine) as db:
        return int(db.exec(select(func.count()).select_from(table)).one())


def test_saving_twice_changes_nothing(engine: Engine) -> None:
    record = article("a.txt", "Meta teams up with Midjourney")
    found = extraction(
        "Meta",
        "Midjourney",
        partnerships=[deal("Meta", "Midjourney", "Meta partners with Midjourney.")],
    )
    first = save(engine, record, found)
    second = save(engine, record, found)
    assert (first.created, second.created, second.changed) == (True, False, False)
    assert first.article_id == second.article_id
    assert (count(engine, Article), count(engine, Partnership), count(engine, Mention)) == (1, 1, 3)


def test_changed_seed_updates_its_article_and_rederives(engine: Engine) -> None:
    save(
        engine,
        article("a.txt", "Old title"),
        extraction(
            "Meta", "Midjourney", partnerships=[deal("Meta", "Midjourney", "Old sentence.")]
        ),
    )
    saved = save(
        engine,
        article("a.txt", "New title", text="New body."),
        extraction(
            "OpenAI",
            products=[ProductFact("Sora", "OpenAI", "video", "released", True, "Sora is out.")],
        ),
    )
    assert saved.changed and not saved.created
    with session(engine) as db:
        titles = db.exec(select(Article.title)).all()
        dashboard = load_dashboard(db)
    assert titles == ["New title"]
    assert dashboard.partnerships == ()  # no article supports the old deal any more
    assert [p.name for p in dashboard.products] == ["Sora"]
    assert [r.companies for r in dashboard.articles] == [("OpenAI",)]


def test_same_link_from_two_feeds_is_one_article_with_two_sources(engine: Engine) -> None:
    one = article(
        "guid-1",
        "Story",
        url="https://example.com/story?utm_source=x",
        source="https://a.example/feed",
    )
    two = article(
        "other-guid", "Story", url="https://EXAMPLE.com/story/", source="https://b.example/rss"
    )
    save(engine, one, extraction("Meta"))
    save(engine, two, extraction("Meta"))
    assert count(engine, Article) == 1
    assert count(engine, ArticleSource) == 2


def test_one_partnership_many_articles_with_timeline(engine: Engine) -> None:
    for day, status in ((0, "announced"), (30, "expanded")):
        record = article(f"d{day}", f"Deal news {day}", published=T0 + timedelta(days=day))
        save(
            engine,
            record,
            extraction(
                partnerships=[deal("OpenAI", "Microsoft", f"Sentence {day}.", status=status)]
            ),
        )
    with session(engine) as db:
        (row,) = load_dashboard(db).partnerships
        detail = get_entity(db, "partnership", row.id)
    assert (row.parties, row.articles, row.status) == (("Microsoft", "OpenAI"), 2, "expanded")
    assert row.first_seen == T0 and row.last_seen == T0 + timedelta(days=30)
    assert detail is not None
    assert [t.status for t in detail.timeline] == ["announced", "expanded"]
    assert {e.evidence for e in detail.evidence} == {"Sentence 0.", "Sentence 30."}


def test_rumour_does_not_override_a_reported_fact(engine: Engine) -> None:
    save(
        engine,
        article("f", "Fact"),
        extraction(partnerships=[deal("Apple", "OpenAI", "Apple partners with OpenAI.")]),
    )
    save(
        engine,
        article("r", "Rumour", published=T0 + timedelta(days=3)),
        extraction(
            partnerships=[
                deal("Apple", "OpenAI", "Apple may end it.", status="rumoured", certainty="rumour")
            ]
        ),
    )
    with session(engine) as db:
        (row,) = load_dashboard(db).partnerships
    assert (row.status, row.certainty) == ("announced", "fact")


def test_case_descriptions_merge_and_stage_moves_forward(engine: Engine) -> None:
    save(
        engine,
        article("1", "NYT sues", published=T0),
        extraction(
            cases=[
                lawsuit(
                    ("Microsoft", "OpenAI"), "The Times sued.", plaintiffs=("The New York Times",)
                )
            ]
        ),
    )
    save(
        engine,
        article("2", "Ruling", published=T0 + timedelta(days=90)),
        extraction(
            cases=[
                lawsuit(
                    ("OpenAI",),
                    "Judge denies dismissal.",
                    plaintiffs=("The New York Times",),
                    stage="motion-to-dismiss",
                    caption="NYT v. OpenAI",
                )
            ]
        ),
    )
    save(
        engine,
        article("3", "Older", published=T0 - timedelta(days=1)),
        extraction(
            cases=[lawsuit(("OpenAI",), "Times case filed.", plaintiffs=("The New York Times",))]
        ),
    )
    with session(engine) as db:
        (case,) = load_dashboard(db).cases
    assert case.caption == "NYT v. OpenAI"
    assert case.stage == "motion-to-dismiss"
    assert case.articles == 3
    assert case.defendants == ("Microsoft", "OpenAI")


def test_unnamed_plaintiff_cases_against_two_defendants_stay_separate(engine: Engine) -> None:
    save(
        engine,
        article("s", "Seed"),
        extraction(
            cases=[
                lawsuit(("Meta",), "Both were sued.", stage="ruling", ruling="fair use"),
                lawsuit(("Midjourney",), "Both were sued."),
            ]
        ),
    )
    with session(engine) as db:
        cases = load_dashboard(db).cases
        assert count(engine, CopyrightCase) == 2
    assert {(c.defendants, c.stage, c.ruling) for c in cases} == {
        (("Meta",), "ruling", "fair use"),
        (("Midjourney",), "filed", ""),
    }
    (ruled,) = [c for c in cases if c.ruling]
    with session(engine) as db:
        detail = get_entity(db, "case", ruled.id)
    assert detail is not None
    # The date is the report's: an article rarely says when the ruling was made.
    assert dict(detail.facts)["Ruling"] == f"fair use (reported {T0:%Y-%m-%d})"


def _seeded(engine: Engine) -> None:
    save(
        engine,
        article("a", "Meta and Midjourney team up"),
        extraction(
            "Meta",
            "Midjourney",
            "OpenAI",
            partnerships=[deal("Meta", "Midjourney", "Meta partners with Midjourney.")],
            products=[
                ProductFact("Sora", "OpenAI", "video", "released", False, "OpenAI's Sora."),
                ProductFact(
                    "Midjourney Video", "Midjourney", "video", "released", False, "its video model"
                ),
            ],
            cases=[lawsuit(("Midjourney",), "Midjourney was sued.")],
            topics=["partnership", "video-generation"],
        ),
    )
    save(
        engine,
        article("b", "Getty sues Stability AI", text="Getty Images filed suit in London."),
        extraction(
            "Getty Images",
            "Stability AI",
            cases=[lawsuit(("Stability AI",), "Getty sued.", plaintiffs=("Getty Images",))],
            topics=["litigation"],
        ),
    )


def test_company_filter_narrows_every_panel(engine: Engine) -> None:
    _seeded(engine)
    with session(engine) as db:
        everything = load_dashboard(db)
        midjourney = load_dashboard(db, Filter(company="Midjourney"))
    assert (
        len(everything.partnerships),
        len(everything.products),
        len(everything.cases),
        len(everything.articles),
    ) == (1, 2, 2, 2)
    assert [p.parties for p in midjourney.partnerships] == [("Meta", "Midjourney")]
    assert [p.name for p in midjourney.products] == ["Midjourney Video"]
    assert [c.defendants for c in midjourney.cases] == [("Midjourney",)]
    assert [a.title for a in midjourney.articles] == ["Meta and Midjourney team up"]


def test_topic_and_text_filters(engine: Engine) -> None:
    _seeded(engine)
    with session(engine) as db:
        litigation = load_dashboard(db, Filter(topic="litigation"))
        london = load_dashboard(db, Filter(text="london"))
        percent = load_dashboard(db, Filter(text="100%_"))
        topics = topic_counts(db)
        companies = company_counts(db)
    assert [c.plaintiffs for c in litigation.cases] == [("Getty Images",)]
    assert litigation.partnerships == () and litigation.products == ()
    assert [a.title for a in london.articles] == ["Getty sues Stability AI"]
    assert [c.defendants for c in london.cases] == [("Stability AI",)]
    assert percent.articles == () and percent.cases == ()
    assert topics[0].name in {"partnership", "video-generation", "litigation"} and len(topics) == 3
    assert {c.name: c.articles for c in companies}["Meta"] == 1


def test_article_detail_has_mentions_and_key_points(engine: Engine) -> None:
    _seeded(engine)
    with session(engine) as db:
        detail = get_article(db, 1)
        assert get_article(db, 999) is None
    assert detail is not None
    assert detail.row.title == "Meta and Midjourney team up"
    assert "Meta partners with Midjourney." in detail.key_points
    assert {(m.entity_type, m.name) for m in detail.mentions} >= {
        ("partnership", "Meta × Midjourney"),
        ("product", "Sora"),
    }


@pytest.mark.parametrize(
    "text", ["emoji 🦜🧠 ok", "x" * 1_000_000, "ünïcödé ∑ 中文"], ids=["emoji", "1MB", "unicode"]
)
def test_text_round_trips(engine: Engine, text: str) -> None:
    published = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    save(engine, article("rt", text[:500], text=text, published=published), extraction())
    with session(engine) as db:
        stored = db.exec(select(Article)).one()
        (row,) = load_dashboard(db).articles
    assert stored.summary == text
    assert row.published == published and row.published.tzinfo is not None


def test_corrupt_or_unusable_database_paths(tmp_path) -> None:  # type: ignore[no-untyped-def]
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database " * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        make_engine(f"sqlite:///{garbage}")
    with pytest.raises(StoreError, match="is a directory"):
        make_engine(f"sqlite:///{tmp_path}")
    with pytest.raises(StoreError, match="Not a database URL"):
        make_engine("::::")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    make_engine(f"sqlite:///{empty}").dispose()  # an empty file is a new database


def test_sqlite_uses_wal_and_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA page_size").scalar() == SQLITE_PAGE_SIZE


def test_an_existing_sqlite_database_keeps_its_page_size(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute("PRAGMA page_size = 4096")
        old.execute("PRAGMA journal_mode = WAL")
        old.execute("CREATE TABLE t (x)")
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA page_size").scalar() == 4096
    engine.dispose()


def test_postgresql_connections_prepare_nothing_server_side(pg_engine: Engine) -> None:
    """Auto-prepared statements keep generic plans made while the tables were small."""
    with pg_engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None and driver.prepare_threshold is None


def test_replace_keeps_identity() -> None:
    record = article("k", "T")
    assert replace(record, title="T").content_hash == record.content_hash
    assert replace(record, title="U").content_hash != record.content_hash
