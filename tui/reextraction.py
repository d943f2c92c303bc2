"""Re-run extraction over stored articles: all of them, a feed's, or those that failed.

Shared by ``aiwatch reextract``, ``aiwatch feeds publisher`` and the feeds screen.
An article whose extraction raises (an extractor bug) is marked with the error,
logged, and left for the next run to retry; the others are rewritten.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from aiwatch.feeds.knowledge.base import KnowledgeBase
from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.store.db import StoreError, describe_db_error, session
from aiwatch.store.models import Article, ArticleSource
from aiwatch.store.reextract import (
    finish_reextract,
    replace_extractions,
    stored_records,
    sync_publishers,
)

log = logging.getLogger("aiwatch.extraction")
SHOWN_ERRORS = 10


@dataclass(frozen=True, slots=True)
class ReextractReport:
    """What a re-extraction did; ``errors`` holds the first few failures, one line each."""

    articles: int
    failed: int
    removed: int
    errors: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for the terminal or the status bar."""
        retry = " (aiwatch reextract --failed retries them)" if self.failed else ""
        return (
            f"Re-extracted {self.articles} article(s): {self.failed} failed{retry}, "
            f"{self.removed} unsupported record(s) removed"
        )


def failure(exc: Exception) -> str:
    """The ``extraction_error`` recorded for an extractor that raised."""
    return clean_line(f"extraction failed: {type(exc).__name__}: {exc}", limit=300)


def reextract_articles(
    engine: Engine,
    kb: KnowledgeBase,
    *,
    article_ids: Collection[int] | None = None,
    only_failed: bool = False,
) -> ReextractReport:
    """Re-extract in one transaction (every article, ``article_ids``, or the failed ones).

    Raises:
        StoreError: the database refused (nothing of the run is kept).
    """
    from aiwatch.feeds.extract import extract_article  # the rules load only when this runs

    done = failed = 0
    errors: list[str] = []
    try:
        with session(engine) as db:
            if only_failed:
                marked = select(Article.id).where(col(Article.extraction_error) != "")
                article_ids = [i for i in db.exec(marked).all() if i is not None]
            sync_publishers(db, article_ids)
            for batch in stored_records(db, article_ids=article_ids):
                rederived = []
                for article_id, record in batch:
                    try:
                        extraction, error = extract_article(record, kb), ""
                    except Exception as exc:  # noqa: BLE001 - marked on the article, retried next time
                        extraction, error = None, failure(exc)
                        failed += 1
                        log.warning("article %d (%s): %s", article_id, record.title[:80], error)
                        if len(errors) < SHOWN_ERRORS:
                            errors.append(f"article {article_id}: {error}")
                    rederived.append((article_id, extraction, error))
                replace_extractions(db, rederived)
                done += len(rederived)
            removed = finish_reextract(db)
            db.commit()
    except SQLAlchemyError as exc:
        raise StoreError(describe_db_error(exc, engine)) from exc
    return ReextractReport(done, failed, removed, tuple(errors))


def feed_article_ids(engine: Engine, feed_id: int) -> list[int]:
    """The stored articles a feed carried."""
    with session(engine) as db:
        query = select(ArticleSource.article_id).where(ArticleSource.feed_id == feed_id)
        return sorted(set(db.exec(query).all()))
