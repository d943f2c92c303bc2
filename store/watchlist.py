"""One user's watchlist: companies, products, cases and partnerships, and their new events.

An event is a point on an entity's timeline (`StatusChange`): a deal reported,
a launch or update, a filing or ruling. A watched company's events are those of
the deals and cases it is a party to and the products it makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, select

from aiwatch.store.details import entity_names
from aiwatch.store.models import (
    Article,
    ArticleSource,
    CaseParty,
    Feed,
    PartnershipParty,
    Product,
    StatusChange,
    Watch,
    as_utc,
    utcnow,
)
from aiwatch.store.whats_new import changes

WATCHABLE = ("company", "product", "case", "partnership")


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """A new event of something a user watches (what `[notify] program` receives)."""

    watched_type: str
    watched_id: int
    watched: str
    entity_type: str
    entity_id: int
    entity: str
    event: str
    at: datetime | None
    article_id: int
    title: str
    url: str | None
    source: str

    @property
    def key(self) -> tuple[str, int, int, str]:
        """Identifies the event, so it is announced once."""
        return (self.entity_type, self.entity_id, self.article_id, self.event)

    def as_dict(self, user: str) -> dict[str, object]:
        """The JSON object a notify program reads on standard input (stable keys)."""
        return {
            "user": user,
            "watched": {"type": self.watched_type, "id": self.watched_id, "name": self.watched},
            "entity": {"type": self.entity_type, "id": self.entity_id, "name": self.entity},
            "event": self.event,
            "at": self.at.isoformat() if self.at else None,
            "article": {
                "id": self.article_id,
                "title": self.title,
                "url": self.url,
                "source": self.source,
            },
        }


@dataclass(frozen=True, slots=True)
class WatchRow:
    """A watched entity, what changed since the user last looked, and its latest event."""

    entity_type: str
    entity_id: int
    name: str
    change: str
    latest: WatchEvent | None


def is_watched(session: Session, user: str, entity_type: str, entity_id: int) -> bool:
    """Whether ``user`` watches this entity."""
    return session.get(Watch, (user, entity_type, entity_id)) is not None


def set_watched(
    session: Session, user: str, entity_type: str, entity_id: int, watched: bool
) -> bool:
    """Watch or stop watching (without committing); returns the new state."""
    if entity_type not in WATCHABLE:
        raise ValueError(f"cannot watch a {entity_type}")
    row = session.get(Watch, (user, entity_type, entity_id))
    if watched and row is None:
        session.add(
            Watch(username=user, entity_type=entity_type, entity_id=entity_id, created=utcnow())
        )
    elif not watched and row is not None:
        session.delete(row)
    session.flush()
    return watched


def watched(session: Session, user: str) -> list[tuple[str, int]]:
    """Everything ``user`` watches, oldest first."""
    return [
        (w.entity_type, w.entity_id)
        for w in session.exec(
            select(Watch).where(Watch.username == user).order_by(col(Watch.created))
        ).all()
    ]


def _expanded(
    session: Session, targets: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], tuple[str, int]]:
    """(entity type, id) whose events count → the watched entity they count for."""
    covered: dict[tuple[str, int], tuple[str, int]] = {}
    for entity_type, entity_id in targets:
        if entity_type != "company":
            covered.setdefault((entity_type, entity_id), (entity_type, entity_id))
            continue
        for deal_id in session.exec(
            select(PartnershipParty.partnership_id).where(PartnershipParty.company_id == entity_id)
        ).all():
            covered.setdefault(("partnership", deal_id), (entity_type, entity_id))
        for case_id in session.exec(
            select(CaseParty.case_id).where(CaseParty.company_id == entity_id)
        ).all():
            covered.setdefault(("case", case_id), (entity_type, entity_id))
        for product_id in session.exec(
            select(Product.id).where(Product.company_id == entity_id)
        ).all():
            if product_id is not None:
                covered.setdefault(("product", product_id), (entity_type, entity_id))
    return covered


def watch_events(
    session: Session, user: str, *, since: datetime | None = None, limit: int = 200
) -> list[WatchEvent]:
    """Events of what ``user`` watches, newest first; ``since``: only from articles stored since."""
    covered = _expanded(session, watched(session, user))
    if not covered:
        return []
    by_type: dict[str, set[int]] = {}
    for entity_type, entity_id in covered:
        by_type.setdefault(entity_type, set()).add(entity_id)
    names = {t: entity_names(session, t, ids) for t, ids in by_type.items()}
    watched_names = {
        t: entity_names(session, t, {i for tt, i in covered.values() if tt == t})
        for t in {t for t, _ in covered.values()}
    }
    events: list[WatchEvent] = []
    for entity_type, ids in by_type.items():
        query = (
            select(StatusChange, Article)
            .join(Article, col(Article.id) == col(StatusChange.article_id))
            .where(StatusChange.entity_type == entity_type, col(StatusChange.entity_id).in_(ids))
        )
        if since is not None:
            query = query.where(col(Article.fetched) >= since)
        for point, article in session.exec(query).all():
            assert article.id is not None
            target_type, target_id = covered[(entity_type, point.entity_id)]
            events.append(
                WatchEvent(
                    target_type,
                    target_id,
                    watched_names[target_type].get(target_id, "?"),
                    entity_type,
                    point.entity_id,
                    names[entity_type].get(point.entity_id, "?"),
                    point.status,
                    as_utc(point.at),
                    article.id,
                    article.title,
                    article.url,
                    "",
                )
            )
    events.sort(key=lambda e: (e.at is None, -(e.at.timestamp() if e.at else 0), e.article_id))
    events = events[:limit]
    sources = _sources(session, {e.article_id for e in events})
    return [replace(e, source=sources.get(e.article_id, "")) for e in events]


def _sources(session: Session, article_ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    if not article_ids:
        return found
    for article_id, source, title in session.exec(
        select(ArticleSource.article_id, ArticleSource.source, Feed.title)
        .outerjoin(Feed, col(Feed.id) == col(ArticleSource.feed_id))
        .where(col(ArticleSource.article_id).in_(article_ids))
        .order_by(col(ArticleSource.id))
    ).all():
        found.setdefault(article_id, title or source.removeprefix("seed:"))
    return found


def watchlist(session: Session, user: str) -> list[WatchRow]:
    """The Watchlist view: each watched entity with what changed and its latest event."""
    targets = watched(session, user)
    events = watch_events(session, user, limit=10_000)
    latest: dict[tuple[str, int], WatchEvent] = {}
    for event in events:
        latest.setdefault((event.watched_type, event.watched_id), event)
    by_type: dict[str, set[int]] = {}
    for entity_type, entity_id in targets:
        by_type.setdefault(entity_type, set()).add(entity_id)
    names = {t: entity_names(session, t, ids) for t, ids in by_type.items()}
    moved = {t: changes(session, user, t, ids) for t, ids in by_type.items() if t != "company"}
    rows = [
        WatchRow(
            entity_type,
            entity_id,
            names[entity_type].get(entity_id, "(gone)"),
            moved.get(entity_type, {}).get(entity_id, ""),
            latest.get((entity_type, entity_id)),
        )
        for entity_type, entity_id in targets
    ]
    return sorted(
        rows,
        key=lambda r: (
            r.latest is None,
            -(r.latest.at.timestamp() if r.latest and r.latest.at else 0),
        ),
    )
