"""Builders for records and extractions used across the store and export tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from aiwatch.feeds.records import (
    ArticleRecord,
    CaseFact,
    CompanyMention,
    Extraction,
    PartnershipFact,
    ProductFact,
    Section,
)
from aiwatch.store.db import drop_schema, session
from aiwatch.store.ingest import NewArticle, SavedArticle, save_articles

__all__ = ["T0", "ProductFact", "article", "deal", "extraction", "lawsuit", "save"]

T0 = datetime(2025, 6, 1, 12, tzinfo=UTC)


def article(
    key: str,
    title: str,
    *,
    url: str | None = None,
    source: str = "seed:test",
    text: str = "Body.",
    published: datetime | None = T0,
) -> ArticleRecord:
    return ArticleRecord(
        source=source,
        entry_key=key,
        url=url,
        title=title,
        published=published,
        summary=text,
        sections=(Section("News Summary", text),),
    )


def deal(
    a: str, b: str, evidence: str, status: str = "announced", certainty: str = "fact"
) -> PartnershipFact:
    return PartnershipFact(
        tuple(sorted((a, b))), "AI video", "research", status, certainty, evidence
    )  # type: ignore[arg-type]


def lawsuit(
    defendants: tuple[str, ...],
    evidence: str,
    *,
    plaintiffs: tuple[str, ...] = (),
    stage: str = "filed",
    ruling: str | None = None,
    caption: str | None = None,
) -> CaseFact:
    return CaseFact(
        caption,
        plaintiffs,
        defendants,
        None,
        None,
        ("copyright",),
        stage,
        ruling,
        "lawsuit",
        "fact",
        evidence,
    )


def extraction(
    *companies: str,
    partnerships: Any = (),
    products: Any = (),
    cases: Any = (),
    topics: Any = (),
) -> Extraction:
    return Extraction(
        companies=tuple(CompanyMention(c, True, f"{c} said.") for c in companies),
        partnerships=tuple(partnerships),
        products=tuple(products),
        cases=tuple(cases),
        topics=tuple(topics),
    )


def save(
    engine: Engine,
    record: ArticleRecord,
    found: Extraction | None,
    *,
    extraction_error: str = "",
    feed_id: int | None = None,
    now: datetime | None = None,
) -> SavedArticle:
    """Store one record and its extraction in a transaction of its own."""
    with session(engine) as db:
        (saved,) = save_articles(
            db, [NewArticle(record, found, extraction_error)], feed_id=feed_id, now=now
        )
        db.commit()
    return saved


def empty_postgresql(url: str) -> None:
    """Leave the PostgreSQL database at ``url`` without aiwatch's schema (`drop_schema`)."""
    engine = create_engine(url)
    drop_schema(engine)
    engine.dispose()
