"""One story, many outlets: group articles about the same event from different feeds.

The same canonical link is already one `Article` (see `store.ingest`). Articles
with different links are one story when, published within `WINDOW` of each other
by outlets that share no source, either

- their titles share most of their words (`TITLE_SIMILARITY`, Jaccard over
  stemmed words without stop words), or
- their leads begin with the same `LEAD_WORDS` words (stemmed, stop words
  dropped: a wire story under another headline; `lead_key` keeps a hash of
  them with each grouped article, so this is one lookup),

and in both cases their titles differ in no number and no name of a company or
product either article mentions. That last rule keeps "Getty Images sues
Stability AI" and "Getty Images sues Midjourney" apart however alike they read.

`group_stories` assigns every article not yet grouped to a story (an
`ArticleStory` row whose ``story_id`` is the story's first article), comparing it
with the articles around its date. It runs after a refresh or a seed load; an
article not grouped yet is shown as a story of its own.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as core_select
from sqlmodel import Session, col, func, select

from aiwatch.store.bulk import add_rows, chunks, in_list, rows_in
from aiwatch.store.models import (
    Article,
    ArticleSource,
    ArticleStory,
    Company,
    Mention,
    Product,
    as_utc,
    table_of,
)

WINDOW = timedelta(days=3)
TITLE_SIMILARITY = 0.6
LEAD_WORDS = 20
MIN_LEAD = 12
MAX_POSTINGS = 200
"""A title word shared by more articles than this in the window says nothing (is not
used to find candidates)."""

_STORY, _ARTICLE = table_of(ArticleStory), table_of(Article)
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+", re.UNICODE)
_STOP_WORDS = (
    "a an the and or but of to in on at by for from with without into over after before "
    "about as is are was were be been being has have had its it this that these those "
    "new says said say report reports reported update updates amid than more most "
    "up out off via vs who what why how when will would could can may might not no"
)
_STOP = frozenset(_STOP_WORDS.split())
_SUFFIXES = ("ing", "ed", "es", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Lower-case stemmed words of ``text`` (numbers kept whole), stop words dropped."""
    found = (w.lower().removesuffix("'s") for w in _WORD.findall(text))
    return [_stem(w) if not w[0].isdigit() else w for w in found if w not in _STOP]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def lead_key(summary: str) -> str:
    """A hash of the lead's first `LEAD_WORDS` words, "" when it has fewer than `MIN_LEAD`."""
    lead = words(summary)[:LEAD_WORDS]
    if len(lead) < MIN_LEAD:
        return ""
    return hashlib.sha1(" ".join(lead).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(eq=False, slots=True)
class _Version:
    """What grouping needs to know of one article (names and sources are read when needed)."""

    id: int
    when: datetime
    title: frozenset[str]
    lead: str
    story_id: int | None = None
    numbers: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.numbers = frozenset(w for w in self.title if w[0].isdigit())


def _alike(a: _Version, b: _Version) -> bool:
    """The cheap half of `same_story`: dates, numbers, and similar titles or the same lead."""
    if abs(a.when - b.when) > WINDOW or a.numbers != b.numbers:
        return False
    return (bool(a.lead) and a.lead == b.lead) or _jaccard(a.title, b.title) >= TITLE_SIMILARITY


def same_story(
    a: _Version, b: _Version, names: dict[int, frozenset[str]], sources: dict[int, frozenset[str]]
) -> bool:
    """Whether two articles report the same event (see the module docstring)."""
    if not _alike(a, b) or sources.get(a.id, frozenset()) & sources.get(b.id, frozenset()):
        return False
    return not (a.title ^ b.title) & (names.get(a.id, frozenset()) | names.get(b.id, frozenset()))


_WHEN = func.coalesce(Article.published, Article.fetched)


def _new_versions(session: Session, ids: list[int]) -> dict[int, _Version]:
    rows: dict[int, _Version] = {}
    for chunk in chunks(ids):
        for row_id, title, summary, at in session.exec(
            select(Article.id, Article.title, Article.summary, _WHEN).where(
                col(Article.id).in_(chunk)
            )
        ).all():
            assert row_id is not None
            when = as_utc(at) or datetime.now(UTC)
            rows[row_id] = _Version(row_id, when, frozenset(words(title)), lead_key(summary))
    return rows


def _grouped_between(session: Session, start: datetime, end: datetime) -> list[_Version]:
    """Grouped articles dated between ``start`` and ``end`` (the candidates), titles only."""
    found = []
    query = (
        core_select(
            col(Article.id),
            col(Article.title),
            _WHEN,
            col(ArticleStory.story_id),
            col(ArticleStory.lead_key),
        )
        .join(ArticleStory, col(ArticleStory.article_id) == col(Article.id))
        .where(start <= _WHEN, end >= _WHEN)
    )
    for row_id, title, at, story_id, lead in session.execute(query).all():
        assert row_id is not None
        when = as_utc(at) or datetime.now(UTC)
        found.append(_Version(row_id, when, frozenset(words(title)), lead, story_id))
    return found


def _names_and_sources(
    session: Session, ids: set[int]
) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """Words of the company and product names each article mentions, and its sources."""
    names: dict[int, set[str]] = defaultdict(set)
    sources: dict[int, set[str]] = defaultdict(set)
    for chunk in chunks(ids):
        for table in (Company, Product):
            for article_id, name in session.exec(
                select(Mention.article_id, table.name)
                .join(table, col(table.id) == col(Mention.entity_id))
                .where(
                    Mention.entity_type == table.__tablename__,
                    col(Mention.article_id).in_(chunk),
                )
            ).all():
                names[article_id].update(words(name))
        for article_id, source in session.exec(
            select(ArticleSource.article_id, ArticleSource.source).where(
                col(ArticleSource.article_id).in_(chunk)
            )
        ).all():
            sources[article_id].add(source)
    return (
        {i: frozenset(v) for i, v in names.items()},
        {i: frozenset(v) for i, v in sources.items()},
    )


def _ungrouped(session: Session) -> list[int]:
    grouped = select(ArticleStory.article_id)
    return [
        article_id
        for article_id in session.exec(
            select(Article.id).where(col(Article.id).not_in(grouped))
        ).all()
        if article_id is not None
    ]


def _candidates(
    version: _Version, index: dict[str, list[_Version]], leads: dict[str, list[_Version]]
) -> list[_Version]:
    """Articles that may be the same story: the same lead, or enough title words in common.

    Jaccard ≥ t needs at least ⌈t·|A|⌉ shared words; words shared by more than
    `MAX_POSTINGS` articles are not looked up, so they lower that bar instead.
    """
    shared: dict[int, int] = defaultdict(int)
    found: dict[int, _Version] = {}
    skipped = 0
    for word in version.title:
        postings = index.get(word, ())
        if len(postings) > MAX_POSTINGS:
            skipped += 1
            continue
        for other in postings:
            shared[other.id] += 1
            found[other.id] = other
    needed = max(1, math.ceil(TITLE_SIMILARITY * len(version.title)) - skipped)
    result = [found[i] for i, n in shared.items() if n >= needed and i != version.id]
    for other in leads.get(version.lead, ()) if version.lead else ():
        if other.id != version.id and other.id not in shared:
            result.append(other)
    return [other for other in result if _alike(version, other)]


def group_stories(session: Session) -> int:
    """Put every ungrouped article into a story (without committing); returns how many.

    Each joins the most similar article's story among those grouped before it
    (the earlier-dated first), or starts its own; stories already formed are
    never merged or split. Only candidates that pass the cheap tests (`_alike`)
    have their names and sources read.
    """
    todo = _ungrouped(session)
    if not todo:
        return 0
    fresh = _new_versions(session, todo)
    start = min(v.when for v in fresh.values()) - WINDOW
    end = max(v.when for v in fresh.values()) + WINDOW
    grouped = _grouped_between(session, start, end)
    index: dict[str, list[_Version]] = defaultdict(list)
    leads: dict[str, list[_Version]] = defaultdict(list)
    for version in (*grouped, *fresh.values()):
        for word in version.title:
            index[word].append(version)
        if version.lead:
            leads[version.lead].append(version)
    ordered = sorted(fresh.values(), key=lambda v: (v.when, v.id))
    candidates = {v.id: _candidates(v, index, leads) for v in ordered}
    involved = {o.id for found in candidates.values() for o in found}
    names, sources = _names_and_sources(session, involved | {i for i, c in candidates.items() if c})
    rank = {v.id: n for n, v in enumerate(ordered)}
    rows = []
    for version in ordered:
        best, score = None, -1.0
        for other in candidates[version.id]:
            earlier = other.story_id is not None and (
                other.id not in rank or rank[other.id] < rank[version.id]
            )
            if earlier and same_story(version, other, names, sources):
                similarity = _jaccard(version.title, other.title)
                if similarity > score:
                    best, score = other, similarity
        version.story_id = best.story_id if best is not None else version.id
        rows.append(
            {"article_id": version.id, "story_id": version.story_id, "lead_key": version.lead}
        )
    add_rows(session, ArticleStory, rows)
    return len(rows)


@cache
def _stories_of(style: str) -> Select[Any]:
    link = _STORY.c
    return core_select(link.article_id, link.story_id).where(
        in_list(link.article_id, "values", style)
    )


@cache
def _members_of(style: str) -> Select[Any]:
    link, article = _STORY.c, _ARTICLE.c
    when = func.coalesce(article.published, article.fetched).label("at")
    return (
        core_select(link.story_id, article.id, when)
        .join_from(_STORY, _ARTICLE, article.id == link.article_id)
        .where(in_list(link.story_id, "values", style))
    )


def story_versions(session: Session, article_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each article, every article of its story (itself included), first report first."""
    ids = list(article_ids)
    story_of: dict[int, int] = {
        row.article_id: row.story_id for row in rows_in(session, _stories_of, ids)
    }
    members: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for story_id, article_id, at in rows_in(session, _members_of, sorted(set(story_of.values()))):
        members[story_id].append((as_utc(at) or datetime.min.replace(tzinfo=UTC), article_id))
    result: dict[int, list[int]] = {}
    for article_id in ids:
        story = story_of.get(article_id)
        if story is None:
            result[article_id] = [article_id]
        else:
            result[article_id] = [a for _, a in sorted(members[story])]
    return result
