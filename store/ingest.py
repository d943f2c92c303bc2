"""Idempotent writes: articles with their extractions, in the caller's transaction.

`save_articles` stores a batch (one feed's entries, one seed load) with a few
``IN`` queries to find what is already stored and multi-row inserts for what is
new. It does not commit: the caller commits once per batch, so a batch is
stored whole or not at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import zip_longest
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Row, Select, bindparam, or_, select
from sqlmodel import Session

from aiwatch.feeds.records import ArticleRecord, Extraction
from aiwatch.store.bulk import (
    CHUNK,
    add_rows,
    chunks,
    delete_in,
    in_list,
    insert_rows,
    list_style,
    select_in,
    update_rows,
)
from aiwatch.store.consolidate import consolidate, prune_orphans
from aiwatch.store.db import lock_for_writing
from aiwatch.store.models import (
    Article,
    ArticleInsight,
    ArticleSection,
    ArticleSource,
    ArticleTopic,
    Mention,
    StatusChange,
    table_of,
    utcnow,
)
from aiwatch.store.search_index import names_for_search

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
_ARTICLE = table_of(Article)
_SOURCE = table_of(ArticleSource)


@cache
def _stored_links(style: str) -> Select[int, str, int]:
    """The stored (source, entry key) links of a batch (built once, see `store.bulk.in_list`)."""
    return select(_SOURCE.c.id, _SOURCE.c.entry_key, _SOURCE.c.article_id).where(
        _SOURCE.c.source == bindparam("source"),
        in_list(_SOURCE.c.entry_key, "entry_keys", style),
    )


@cache
def _stored_stories(style: str) -> Select[int, str, str, str]:
    """The stored articles a batch may belong to: by id, by identity or by content hash."""
    columns = _ARTICLE.c
    return select(
        columns.id, columns.identity, columns.content_hash, columns.extraction_error
    ).where(
        or_(
            in_list(columns.id, "ids", style),
            in_list(columns.identity, "identities", style),
            in_list(columns.content_hash, "hashes", style),
        )
    )


@dataclass(frozen=True, slots=True)
class SavedArticle:
    """What saving one record did: the row id, and whether it was new or changed."""

    article_id: int
    created: bool
    changed: bool


@dataclass(frozen=True, slots=True)
class NewArticle:
    """One record to save with its extraction (``None`` when not extracted)."""

    record: ArticleRecord
    extraction: Extraction | None
    extraction_error: str = ""


_PLAIN_URL = re.compile(
    r"([A-Za-z][A-Za-z0-9+.-]*)://([^\x00-\x20\x7f-\U0010ffff/?#\[\]]+)(/[^\x00-\x20\x7f?#]*)?"
)
"""A link `urllib.parse.urlsplit` would split without surprises: ``scheme://host/path``
with an ASCII host (no IPv6 brackets), no query or fragment, no control characters."""


def canonical_url(url: str) -> str:
    """A link normalised for identity: lower-case host, no fragment or tracking params."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:  # most links: the same result as below, without urllib's work
        scheme, netloc, path = plain.groups("")
        return f"{scheme.lower()}://{netloc.lower()}{path.rstrip('/') or '/'}"
    parts = urlsplit(url)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING_PARAMS)]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def article_identity(record: ArticleRecord) -> str:
    """The story's identity across sources: its canonical link, else source + entry key."""
    if record.url:
        return "url:" + canonical_url(record.url)[:500]
    return "src:" + hashlib.sha256(f"{record.source}\x00{record.entry_key}".encode()).hexdigest()


def unchanged_records(session: Session, records: Sequence[ArticleRecord]) -> set[int]:
    """Positions in ``records`` of those stored already, from the same source, with the same
    content and a clean extraction: saving them again would change nothing, so a caller
    (the seed load at every start of the dashboard) need not extract them at all."""
    sources = sorted({record.source for record in records})
    if not sources:
        return set()
    stored = {
        (source, key): content_hash
        for source, key, content_hash in session.execute(
            select(_SOURCE.c.source, _SOURCE.c.entry_key, _ARTICLE.c.content_hash)
            .join(_ARTICLE, _ARTICLE.c.id == _SOURCE.c.article_id)
            .where(_SOURCE.c.source.in_(sources), _ARTICLE.c.extraction_error == "")
        ).all()
    }
    return {
        index
        for index, record in enumerate(records)
        if stored.get((record.source, record.entry_key)) == record.content_hash
    }


@dataclass(eq=False)
class _Story:
    """One article as this batch sees it: stored already (``id`` set) or about to be."""

    id: int | None
    content_hash: str
    extraction_error: str
    latest: NewArticle | None = None  # the content to write, when new or changed
    identity: str = ""  # set for a story this batch creates
    carriers: frozenset[str] = frozenset()  # sources that carry it (read when it may change)
    richness: int = 0  # how much text it holds (see `richness`)


def richness(record: ArticleRecord) -> int:
    """How much text a version of a story holds: its summary and body, in characters.

    When several feeds carry one story with different text, the richest version
    is kept (ties: the larger content hash), whichever feed was saved last.
    """
    return len(record.summary) + len(record.body)


def save_articles(
    session: Session,
    items: Sequence[NewArticle],
    *,
    feed_id: int | None = None,
    now: datetime | None = None,
) -> list[SavedArticle]:
    """Insert or update ``items`` and their extractions, without committing.

    The same entry (same source and key), the same link or the same content is
    one article; each source that carried it is recorded. Unchanged content is a
    no-op; changed content replaces sections, insights, topics and mentions.
    Items are applied in order, so a later duplicate in the batch wins.
    Returns one `SavedArticle` per item.
    """
    now = now or utcnow()
    lock_for_writing(session)  # another process storing the same stories waits its turn
    session.flush()  # what follows skips the ORM (and its autoflush) but must see its rows
    stored = _Lookup(session, items)
    stories: list[_Story] = []
    outcomes: list[tuple[bool, bool]] = []
    for index, item in enumerate(items):
        story, created, changed = stored.resolve(index, item)
        stories.append(story)
        outcomes.append((created, changed))
    rewritten = stored.changed()
    existing = [s for s in rewritten if s.id is not None]
    changed_ids = [s.id for s in existing if s.id is not None]
    previously = _clear_derived(session, changed_ids)
    _update_articles(session, existing)
    _insert_articles(session, [s for s in rewritten if s.id is None], now)
    _link_sources(session, stored, feed_id)
    _insert_children(session, rewritten, now)
    if changed_ids:
        prune_orphans(session, only=previously)
    saved = []
    for story, (created, changed) in zip(stories, outcomes, strict=True):
        assert story.id is not None
        saved.append(SavedArticle(story.id, created=created, changed=changed))
    return saved


class _Lookup:
    """What the database already holds for a batch, plus what the batch adds."""

    def __init__(self, session: Session, items: Sequence[NewArticle]) -> None:
        self.by_source: dict[tuple[str, str], _Story] = {}
        self.by_identity: dict[str, _Story] = {}
        self.by_hash: dict[str, _Story] = {}
        self.source_rows: dict[tuple[str, str], tuple[int, int]] = {}  # → (row id, article id)
        self.links: dict[tuple[str, str], _Story] = {}
        self._changed: dict[int, _Story] = {}  # by id() of the story, in first-change order
        self.identities = [article_identity(item.record) for item in items]
        self.hashes = [item.record.content_hash for item in items]
        self._load(session, items)

    def _load(self, session: Session, items: Sequence[NewArticle]) -> None:
        if not items:
            return
        keys: dict[str, set[str]] = {}
        for item in items:
            keys.setdefault(item.record.source, set()).add(item.record.entry_key)
        connection = session.connection()
        for source, entry_keys in keys.items():
            for chunk in chunks(entry_keys):
                links = connection.execute(
                    _stored_links(list_style(connection, chunk)),
                    {"source": source, "entry_keys": chunk},
                )
                for row_id, entry_key, article_id in links.all():
                    self.source_rows[(source, entry_key)] = (row_id, article_id)
        found: dict[int, Row[int, str, str, str]] = {}
        wanted: list[Iterator[list[Any]]] = [  # three lists a query, in chunks side by side
            chunks({article_id for _, article_id in self.source_rows.values()}, CHUNK // 3),
            chunks(set(self.identities), CHUNK // 3),
            chunks(set(self.hashes), CHUNK // 3),
        ]
        for ids, identities, hashes in zip_longest(*wanted, fillvalue=[]):
            query = _stored_stories(list_style(connection, identities))
            params = {"ids": ids, "identities": identities, "hashes": hashes}
            found.update((row[0], row) for row in connection.execute(query, params))
        by_id: dict[int, _Story] = {}
        for article_id in sorted(found):
            _, identity, content_hash, error = found[article_id]
            story = by_id[article_id] = _Story(article_id, content_hash, error)
            self.by_identity.setdefault(identity, story)
            self.by_hash.setdefault(content_hash, story)
        for key, (_, article_id) in self.source_rows.items():
            self.by_source[key] = by_id[article_id]
        batch_hashes = set(self.hashes)
        self._load_carriers(
            session, [s for s in by_id.values() if s.content_hash not in batch_hashes]
        )

    def _load_carriers(self, session: Session, stories: list[_Story]) -> None:
        """Who carries each stored story this batch may rewrite, and how much text it holds."""
        by_id = {story.id: story for story in stories if story.id is not None}
        carriers: dict[int, set[str]] = {}
        for article_id, source in select_in(
            session, _SOURCE, "article_id", by_id, "article_id", "source"
        ):
            carriers.setdefault(article_id, set()).add(source)
        for article_id, summary, body in select_in(
            session, _ARTICLE, "id", by_id, "id", "summary", "body"
        ):
            story = by_id[article_id]
            story.carriers = frozenset(carriers.get(article_id, ()))
            story.richness = len(summary) + len(body)

    def resolve(self, index: int, item: NewArticle) -> tuple[_Story, bool, bool]:
        """The story item ``index`` belongs to, and whether it is created or changed by it."""
        record = item.record
        source_key = (record.source, record.entry_key)
        identity, content_hash = self.identities[index], self.hashes[index]
        story = (
            self.by_source.get(source_key)
            or self.by_identity.get(identity)
            or self.by_hash.get(content_hash)
        )
        created = changed = False
        if story is None:
            story = _Story(None, content_hash, item.extraction_error, item, identity)
            self.by_identity[identity] = story
            self._changed[id(story)] = story
            created = True
        elif story.content_hash != content_hash and self._poorer(item, story, content_hash):
            pass  # another feed's richer text of this story stays
        elif story.content_hash != content_hash or story.extraction_error:
            story.content_hash, story.extraction_error = content_hash, item.extraction_error
            story.latest = item
            story.richness = richness(record)
            self._changed[id(story)] = story
            changed = True
        story.carriers |= {record.source}
        self.by_hash.setdefault(content_hash, story)
        self.by_source[source_key] = story
        self.links[source_key] = story
        return story, created, changed

    @staticmethod
    def _poorer(item: NewArticle, story: _Story, content_hash: str) -> bool:
        """True when another source's richer text of a stored story must be kept.

        A story only this item's source carries follows that source's updates;
        one other feeds carry too keeps the richest version (see `richness`).
        """
        if (
            story.id is None
            or story.latest is not None
            or not story.carriers - {item.record.source}
        ):
            return False
        return (richness(item.record), content_hash) <= (story.richness, story.content_hash)

    def changed(self) -> list[_Story]:
        """Stories the batch creates or rewrites, in order."""
        return list(self._changed.values())


def _columns(story: _Story) -> dict[str, Any]:
    assert story.latest is not None
    record = story.latest.record
    return {
        "url": record.url,
        "title": record.title,
        "author": record.author,
        "summary": record.summary,
        "body": record.body,
        "published": record.published,
        "content_hash": story.content_hash,
        "extraction_error": story.latest.extraction_error,
        "publisher": record.publisher[:300],
        "search_names": names_for_search(story.latest.extraction),
    }


def _update_articles(session: Session, stories: list[_Story]) -> None:
    rows = [{"id": story.id, **_columns(story)} for story in stories]
    if rows:
        update_rows(session, Article, rows)


def _insert_articles(session: Session, stories: list[_Story], now: datetime) -> None:
    rows = [{"identity": s.identity, "fetched": now, **_columns(s)} for s in stories]
    if rows:
        ids = insert_rows(session, Article, rows, unique="identity")
        for story in stories:
            story.id = ids[story.identity]


def _link_sources(session: Session, stored: _Lookup, feed_id: int | None) -> None:
    """Record each (source, entry key) → article link the batch saw, moving stale ones."""
    new, moved = [], []
    for (source, entry_key), story in stored.links.items():
        existing = stored.source_rows.get((source, entry_key))
        if existing is None:
            new.append(
                {
                    "article_id": story.id,
                    "source": source,
                    "entry_key": entry_key,
                    "feed_id": feed_id,
                }
            )
        elif existing[1] != story.id:
            moved.append({"id": existing[0], "article_id": story.id})
    add_rows(session, ArticleSource, new, skip_existing=True)
    if moved:
        update_rows(session, ArticleSource, moved)


def _insert_children(session: Session, stories: list[_Story], now: datetime) -> None:
    """Sections, insights, topics and consolidated knowledge of new or rewritten stories."""
    sections: list[dict[str, Any]] = []
    insights: list[dict[str, Any]] = []
    topics: list[dict[str, Any]] = []
    knowledge: list[tuple[int, Extraction, datetime]] = []
    for story in stories:
        assert story.id is not None and story.latest is not None
        record, extraction = story.latest.record, story.latest.extraction
        sections += [
            {"article_id": story.id, "position": i, "name": s.name, "text": s.text}
            for i, s in enumerate(record.sections)
        ]
        insights += [
            {"article_id": story.id, "position": i, "question": q.question, "points": [*q.points]}
            for i, q in enumerate(record.insights)
        ]
        if extraction is not None:
            topics += [
                {"article_id": story.id, "topic": topic}
                for topic in sorted({t[:64] for t in extraction.topics})
            ]
            knowledge.append((story.id, extraction, record.published or now))
    add_rows(session, ArticleSection, sections)
    add_rows(session, ArticleInsight, insights)
    add_rows(session, ArticleTopic, topics)
    consolidate(session, knowledge)


def _clear_derived(session: Session, article_ids: list[int]) -> dict[str, set[int]]:
    """Drop what was derived from these articles' old text; return the entities they mentioned."""
    mentioned: dict[str, set[int]] = {}
    mentions = table_of(Mention)
    for entity_type, entity_id in select_in(
        session, mentions, "article_id", article_ids, "entity_type", "entity_id"
    ):
        mentioned.setdefault(entity_type, set()).add(entity_id)
    for model in (ArticleSection, ArticleInsight, ArticleTopic, Mention, StatusChange):
        delete_in(session, table_of(model), "article_id", article_ids)
    return mentioned
