"""Articles per week, by topic or by company, for the trends view (filterable like the dashboard)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, func, select

from aiwatch.store.bulk import chunks
from aiwatch.store.models import Article, ArticleTopic, Company, Mention, as_utc
from aiwatch.store.queries import matching_article_ids
from aiwatch.store.read_models import Filter

WEEKS = 12
TOP = 8
MAX_WEEKS = 156
"""``weeks=0`` (every week from the first article to the last) shows at most this many."""


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the chart: a topic or company and its articles per week."""

    name: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        """Articles over the whole range."""
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class Trends:
    """Weeks (Mondays, oldest first), all matching articles per week, and the top series."""

    weeks: tuple[datetime, ...]
    total: Series
    by_topic: tuple[Series, ...]
    by_company: tuple[Series, ...]


def week_of(when: datetime) -> datetime:
    """The Monday 00:00 UTC starting ``when``'s week."""
    day = when.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def weekly_trends(
    session: Session,
    filt: Filter = Filter(),
    *,
    weeks: int = WEEKS,
    top: int = TOP,
    now: datetime | None = None,
) -> Trends:
    """The last ``weeks`` weeks up to the newest article (or ``now``), for articles passing ``filt``.

    ``weeks=0`` spans every week from the oldest matching article to the newest
    (at most `MAX_WEEKS`).
    """
    allowed = matching_article_ids(session, filt)
    when = func.coalesce(Article.published, Article.fetched)
    dated: dict[int, datetime] = {}
    for article_id, at in session.exec(select(Article.id, when)).all():
        stamp = as_utc(at)
        if (
            article_id is not None
            and stamp is not None
            and (allowed is None or article_id in allowed)
        ):
            dated[article_id] = stamp
    end = week_of(now or max(dated.values(), default=datetime.now(UTC)))
    if weeks <= 0:
        first = week_of(min(dated.values(), default=end))
        weeks = min(MAX_WEEKS, (end - first).days // 7 + 1)
    starts = tuple(end - timedelta(weeks=n) for n in range(weeks - 1, -1, -1))
    slot = {start: index for index, start in enumerate(starts)}
    in_range = {a: slot[w] for a, at in dated.items() if (w := week_of(at)) in slot}
    total = [0] * weeks
    for index in in_range.values():
        total[index] += 1
    topics: dict[str, list[int]] = defaultdict(lambda: [0] * weeks)
    companies: dict[str, list[int]] = defaultdict(lambda: [0] * weeks)
    for ids in chunks(in_range):
        for article_id, topic in session.exec(
            select(ArticleTopic.article_id, ArticleTopic.topic).where(
                col(ArticleTopic.article_id).in_(ids)
            )
        ).all():
            topics[topic][in_range[article_id]] += 1
        for article_id, name in session.exec(
            select(Mention.article_id, Company.name)
            .join(Company, col(Company.id) == col(Mention.entity_id))
            .where(Mention.entity_type == "company", col(Mention.article_id).in_(ids))
            .distinct()
        ).all():
            companies[name][in_range[article_id]] += 1
    return Trends(
        weeks=starts,
        total=Series("All matching articles", tuple(total)),
        by_topic=_top(topics, top),
        by_company=_top(companies, top),
    )


def _top(series: dict[str, list[int]], top: int) -> tuple[Series, ...]:
    totals = Counter({name: sum(counts) for name, counts in series.items()})
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0].lower()))[:top]
    return tuple(Series(name, tuple(series[name])) for name, _ in ranked)
