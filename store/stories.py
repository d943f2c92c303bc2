"""One story, many outlets: group articles about the same event from different feeds.

The same canonical link is already one `Article` (see `store.ingest`). Articles
with different links are one story when, published within `WINDOW` of each other
by outlets that share no source, either

- their titles share most of their words (`TITLE_SIMILARITY`, Jaccard over
  stemmed words without stop words), or
- their leads are near-identical (`LEAD_SIMILARITY` over word triples: a wire
  story under another headline),

and in both cases their titles differ in no number and no name of a company or
product either article mentions. That last rule keeps "Getty Images sues
Stability AI" and "Getty Images sues Midjourney" apart however alike they read.

`group_stories` assigns every article not yet grouped to a story (an
`ArticleStory` row whose ``story_id`` is the story's first article), comparing it
with the articles around its date. It runs after a refresh or a seed load; an
article not grouped yet is shown as a story of its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, func, select

from store.bulk import add_rows, chunks
from store.models import (
    Article,
    ArticleSource,
    ArticleStory,
    Company,
    Mention,
    Product,
    as_utc,
)

WINDOW = timedelta(days=3)
TITLE_SIMILARITY = 0.6
LEAD_SIMILARITY = 0.6
LEAD_WORDS = 40
MAX_POSTINGS = 200
"""A title word shared by more articles than this in the window says nothing (is not
used to find candidates)."""

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


@dataclass(eq=False, slots=True)
class _Version:
    """What grouping needs to know of one article."""

    id: int
    when: datetime
    title: frozenset[str]
    lead: frozenset[tuple[str, ...]]
    names: frozenset[str]
    sources: frozenset[str]
    story_id: int | None = None
    numbers: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.numbers = frozenset(w for w in self.title if w[0].isdigit())


def same_story(a: _Version, b: _Version) -> bool:
    """Whether two articles report the same event (see the module docstring)."""
    if a.sources & b.sources or abs(a.when - b.when) > WINDOW:
        return False
    if a.numbers != b.numbers:
        return False
    if (a.title ^ b.title) & (a.names | b.names):
        return False
    return (
        _jaccard(a.title, b.title) >= TITLE_SIMILARITY
        or _jaccard(a.lead, b.lead) >= LEAD_SIMILARITY  # type: ignore[arg-type]
    )


def _lead(summary: str) -> frozenset[tuple[str, ...]]:
    lead = words(summary)[:LEAD_WORDS]
    return frozenset(tuple(lead[i : i + 3]) for i in range(max(0, len(lead) - 2)))


def _versions(session: Session, ids: Iterable[int]) -> dict[int, _Version]:
    """Grouping facts for ``ids``: title and lead words, names mentioned, sources, story."""
    ids = list(ids)
    rows: dict[int, _Version] = {}
    names: dict[int, set[str]] = defaultdict(set)
    sources: dict[int, set[str]] = defaultdict(set)
    stories: dict[int, int] = {}
    for chunk in chunks(ids):
        for article_id, name in session.exec(
            select(Mention.article_id, Company.name)
            .join(Company, col(Company.id) == col(Mention.entity_id))
            .where(Mention.entity_type == "company", col(Mention.article_id).in_(chunk))
        ).all():
            names[article_id].update(words(name))
        for article_id, name in session.exec(
            select(Mention.article_id, Product.name)
            .join(Product, col(Product.id) == col(Mention.entity_id))
            .where(Mention.entity_type == "product", col(Mention.article_id).in_(chunk))
        ).all():
            names[article_id].update(words(name))
        for article_id, source in session.exec(
            select(ArticleSource.article_id, ArticleSource.source).where(
                col(ArticleSource.article_id).in_(chunk)
            )
        ).all():
            sources[article_id].add(source)
        stories.update(
            session.exec(
                select(ArticleStory.article_id, ArticleStory.story_id).where(
                    col(ArticleStory.article_id).in_(chunk)
                )
            ).all()
        )
        for row_id, title, summary, at in session.exec(
            select(
                Article.id,
                Article.title,
                Article.summary,
                func.coalesce(Article.published, Article.fetched),
            ).where(col(Article.id).in_(chunk))
        ).all():
            assert row_id is not None
            when = as_utc(at) or datetime.now(UTC)
            rows[row_id] = _Version(
                row_id,
                when,
                frozenset(words(title)),
                _lead(summary),
                frozenset(names[row_id]),
                frozenset(sources[row_id]),
                stories.get(row_id),
            )
    return rows


def _ungrouped(session: Session) -> list[int]:
    grouped = select(ArticleStory.article_id)
    return [
        article_id
        for article_id in session.exec(
            select(Article.id).where(col(Article.id).not_in(grouped))
        ).all()
        if article_id is not None
    ]


def _neighbours(session: Session, start: datetime, end: datetime) -> list[int]:
    """Grouped articles dated between ``start`` and ``end`` (the candidates)."""
    when = func.coalesce(Article.published, Article.fetched)
    return [
        article_id
        for article_id in session.exec(
            select(Article.id)
            .join(ArticleStory, col(ArticleStory.article_id) == col(Article.id))
            .where(when >= start, when <= end)
        ).all()
        if article_id is not None
    ]


def group_stories(session: Session) -> int:
    """Put every ungrouped article into a story (without committing); returns how many.

    Each joins the most similar earlier-grouped article's story, or starts its
    own; stories already formed are never merged or split.
    """
    todo = _ungrouped(session)
    if not todo:
        return 0
    versions = _versions(session, todo)
    start = min(v.when for v in versions.values()) - WINDOW
    end = max(v.when for v in versions.values()) + WINDOW
    grouped = [v for v in _versions(session, _neighbours(session, start, end)).values()]
    index: dict[str, list[_Version]] = defaultdict(list)
    for version in grouped:
        for word in version.title:
            index[word].append(version)
    rows = []
    for version in sorted(versions.values(), key=lambda v: (v.when, v.id)):
        best, score = None, 0.0
        seen: set[int] = set()
        for word in version.title:
            postings = index.get(word, ())
            if len(postings) > MAX_POSTINGS:
                continue
            for other in postings:
                if other.id in seen:
                    continue
                seen.add(other.id)
                if same_story(version, other):
                    similarity = _jaccard(version.title, other.title)
                    if best is None or similarity > score:
                        best, score = other, similarity
        version.story_id = best.story_id if best is not None else version.id
        rows.append({"article_id": version.id, "story_id": version.story_id})
        for word in version.title:
            index[word].append(version)
    add_rows(session, ArticleStory, rows)
    return len(rows)


def story_versions(session: Session, article_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each article, every article of its story (itself included), first report first."""
    ids = list(article_ids)
    story_of: dict[int, int] = {}
    for chunk in chunks(ids):
        story_of.update(
            session.exec(
                select(ArticleStory.article_id, ArticleStory.story_id).where(
                    col(ArticleStory.article_id).in_(chunk)
                )
            ).all()
        )
    members: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    story_ids = sorted(set(story_of.values()))
    when = func.coalesce(Article.published, Article.fetched)
    for chunk in chunks(story_ids):
        for story_id, article_id, at in session.exec(
            select(ArticleStory.story_id, Article.id, when)
            .join(Article, col(Article.id) == col(ArticleStory.article_id))
            .where(col(ArticleStory.story_id).in_(chunk))
        ).all():
            assert article_id is not None
            members[story_id].append((as_utc(at) or datetime.min.replace(tzinfo=UTC), article_id))
    result: dict[int, list[int]] = {}
    for article_id in ids:
        story = story_of.get(article_id)
        if story is None:
            result[article_id] = [article_id]
        else:
            result[article_id] = [a for _, a in sorted(members[story])]
    return result
