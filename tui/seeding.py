"""Load seed folders into the store: parse, extract and save in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from aiwatch.feeds.knowledge.base import KnowledgeBase
from aiwatch.feeds.records import ArticleRecord
from aiwatch.feeds.sources.seeds import load_seed_dir
from aiwatch.store.db import StoreError, describe_db_error, session
from aiwatch.store.ingest import NewArticle, save_articles, unchanged_records
from aiwatch.store.stories import group_stories
from aiwatch.tui.reextraction import failure

log = logging.getLogger("aiwatch.extraction")


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What loading a seed folder did."""

    files: int
    new: int
    changed: int
    errors: tuple[str, ...]

    def describe(self) -> str:
        """One line for the status bar or the terminal."""
        line = f"Seeds: {self.files} file(s), {self.new} new, {self.changed} updated"
        return line + (f", {len(self.errors)} error(s)" if self.errors else "")


@dataclass(frozen=True, slots=True)
class PendingSeeds:
    """A seed folder read and checked against the store: what is new or changed."""

    files: int
    fresh: tuple[ArticleRecord, ...]
    errors: tuple[str, ...]

    def report(self) -> SeedReport:
        """What loading did when nothing was new."""
        return SeedReport(self.files, 0, 0, self.errors)


def pending_seeds(engine: Engine, folder: Path) -> PendingSeeds:
    """Read every seed in ``folder`` and keep those not stored as they are (no extraction).

    Raises:
        StoreError: the database could not be read.
    """
    loaded = load_seed_dir(folder)
    try:
        with session(engine) as db:
            unchanged = unchanged_records(db, loaded.articles)
    except SQLAlchemyError as exc:
        raise StoreError(describe_db_error(exc, engine)) from exc
    fresh = tuple(r for i, r in enumerate(loaded.articles) if i not in unchanged)
    return PendingSeeds(len(loaded.articles), fresh, tuple(loaded.errors))


def load_seeds(engine: Engine, folder: Path, kb: KnowledgeBase) -> SeedReport:
    """Load every seed in ``folder``; bad files are reported, the rest are stored.

    Raises:
        StoreError: the database refused the batch (nothing of it is stored).
    """
    return store_seeds(engine, pending_seeds(engine, folder), kb)


def store_seeds(engine: Engine, pending: PendingSeeds, kb: KnowledgeBase) -> SeedReport:
    """Extract and store the new and changed seeds of ``pending`` in one transaction.

    Raises:
        StoreError: the database refused the batch (nothing of it is stored).
    """
    if not pending.fresh:  # every start of the dashboard: nothing to extract, nothing to write
        return pending.report()
    from aiwatch.feeds.extract import extract_article  # the rules load only when a seed is new

    errors = list(pending.errors)
    items = []
    for record in pending.fresh:
        try:
            items.append(NewArticle(record, extract_article(record, kb)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            problem = failure(exc)  # stored on the article; `aiwatch reextract` retries it
            log.warning("seed %s: %s", record.entry_key, problem)
            errors.append(f"{record.entry_key}: {problem}")
            items.append(NewArticle(record, None, problem))
    try:
        with session(engine) as db:
            saved = save_articles(db, items)
            group_stories(db)
            db.commit()
    except SQLAlchemyError as exc:
        raise StoreError(describe_db_error(exc, engine)) from exc
    new = sum(s.created for s in saved)
    changed = sum(s.changed for s in saved)
    return SeedReport(pending.files, new, changed, tuple(errors))
