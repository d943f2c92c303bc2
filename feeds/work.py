"""The CPU-bound half of a refresh: parse one body and extract its entries.

Runs in a worker process (or a thread), so everything here is picklable:
module-level functions, frozen records, and `KnowledgeExtractor`, which loads
the knowledge base once per process on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from aiwatch.feeds.fetch.limits import MAX_ITEMS
from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.feeds.records import ArticleRecord, Extraction, pickled_as_call

if TYPE_CHECKING:
    from aiwatch.feeds.parse.body import ParsedFeed

Extractor = Callable[[ArticleRecord], Extraction]
_KB_CACHE: dict[tuple[str, ...], object] = {}


@pickled_as_call
@dataclass(frozen=True, slots=True)
class ProcessedEntry:
    """One parsed entry with its extraction, or the reason extraction failed."""

    record: ArticleRecord
    extraction: Extraction | None
    extraction_error: str = ""


@dataclass(frozen=True, slots=True)
class KnowledgeExtractor:
    """``extract_article`` with the bundled knowledge base plus ``extra_files``."""

    extra_files: tuple[str, ...] = ()

    def load(self) -> object:
        """The knowledge base for this process (loaded once, then cached)."""
        kb = _KB_CACHE.get(self.extra_files)
        if kb is None:
            from aiwatch.feeds.knowledge.base import load_knowledge_base

            kb = _KB_CACHE[self.extra_files] = load_knowledge_base(
                [Path(p) for p in self.extra_files]
            )
        return kb

    def __call__(self, record: ArticleRecord) -> Extraction:
        from aiwatch.feeds.extract import extract_article

        return extract_article(record, self.load())  # type: ignore[arg-type]

    def publisher_of(self, title: str, link: str) -> str:
        """The organisation a feed with this channel title and link speaks for, or ``""``."""
        from aiwatch.feeds.extract.publisher import publisher_of

        return publisher_of(self.load(), title, link)  # type: ignore[arg-type]


PublisherDetector = Callable[[str, str], str]
"""``(channel title, link) -> canonical organisation name or ""``."""


def process_body(
    body: bytes,
    *,
    url: str,
    source: str,
    content_type: str = "",
    max_items: int = MAX_ITEMS,
    extractor: Extractor | None = None,
    fast: bool = True,
    known: Mapping[str, str] | None = None,
    publisher: str = "",
    detect_publisher: PublisherDetector | None = None,
) -> tuple[ParsedFeed, tuple[ProcessedEntry, ...]]:
    """Parse ``body`` and extract every entry; never raises.

    Returns the parsed feed without its entries (they travel in the second
    item, each with its extraction) so nothing is pickled twice. Entries whose
    key maps to their current content hash in ``known`` are stored and extracted
    already: they are not extracted again (the store leaves them alone).

    Every entry's `ArticleRecord.publisher` (who "we" is) is ``publisher`` (the
    user's choice for this feed), else what ``detect_publisher`` finds from the
    channel title and site link (else the feed URL); the parsed feed carries the
    detected name.
    """
    from aiwatch.feeds.parse.body import (
        parse_feed,  # in the worker: the command need not load the parsers
    )

    parsed = parse_feed(
        body, url=url, source=source, content_type=content_type, max_items=max_items, fast=fast
    )
    detected = ""
    if detect_publisher is not None and not parsed.error:
        try:
            detected = clean_line(detect_publisher(parsed.title, parsed.site_url or url), limit=300)
        except Exception:  # noqa: BLE001 - an unknown publisher is no publisher
            detected = ""
    speaks_for = publisher or detected
    records = parsed.entries
    if speaks_for:
        records = tuple(replace(record, publisher=speaks_for) for record in records)
    entries: list[ProcessedEntry] = []
    for record in records:
        if extractor is None or (known and known.get(record.entry_key) == record.content_hash):
            entries.append(ProcessedEntry(record, None))
            continue
        try:
            entries.append(ProcessedEntry(record, extractor(record)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the feed
            reason = clean_line(f"extraction failed: {type(exc).__name__}: {exc}", limit=300)
            entries.append(ProcessedEntry(record, None, reason))
    return replace(parsed, entries=(), publisher=detected), tuple(entries)
